import { parseArgs } from 'node:util'
import { AppError } from '../platform/http/errors.js'
import { translate } from '../platform/i18n/messages.js'
import { commands } from './commands.js'
import { CliError } from './errors.js'

const HELP = `Haina CRM — operator commands

Usage: haina <command> [options]     (from a checkout: npm run haina -- <command>)

  serve                               Start Haina (API + web) on PORT (default 3000)
  migrate                             Apply database migrations and exit
  demo [--seed N] [--leads N] [--serve]
                                      Create the demo workspace (slug "demo") with realistic data
  workspace add --name N --slug S --admin-email E --admin-password P [--admin-name N]
  user add --workspace S --email E --name N --password P [--role KEY] [--unit CODE]
  user reset-password --workspace S --email E --password P
  import FILE --workspace S [--unit CODE] [--sheet NAME] [--mapping NAME]
                                      Import leads from a CSV/XLSX file through the data factory
  backup [--out FILE]                 Embedded database: write a .tar of the stopped database
  restore --from FILE                 Embedded database: restore a backup into an empty data directory

Environment: DATABASE_URL (PostgreSQL; default: embedded database in HAINA_DATA_DIR=./data), PORT, HOST, LOG_LEVEL.`

async function main() {
  const argv = process.argv.slice(2)
  const name =
    argv[0] === 'user' || argv[0] === 'workspace' ? `${argv[0]} ${argv[1] ?? ''}`.trim() : (argv[0] ?? '')
  const rest = argv.slice(name.split(' ').length)
  if (!name || name === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP)
    return
  }
  const command = commands[name]
  if (!command) throw new CliError(`Unknown command "${name}". Run "haina --help".`)
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    allowPositionals: name === 'import',
    strict: true,
  })
  await command.run(values as Record<string, string | boolean | undefined>, positionals)
}

main().catch((err) => {
  if (err instanceof AppError) {
    console.error(`Error: ${translate(err.code, 'en', err.params)}`)
    for (const f of err.fields)
      console.error(`  ${f.field}: ${f.message ?? translate(f.code, 'en', f.params)}`)
  } else if (
    err instanceof CliError ||
    (err instanceof Error && /in use by another Haina process|Unknown option|Option '/.test(err.message))
  ) {
    console.error(`Error: ${err.message}`)
  } else {
    console.error(err)
  }
  process.exit(1)
})

import { parseArgs } from 'node:util'
import type { Values } from './args.js'
import { type Command, commands } from './commands.js'
import { describeError, usageError } from './errors.js'
import { t } from './messages.js'

function help(): string {
  return [
    t('cli_help_title'),
    '',
    `${t('cli_help_usage')}haina <command> [options]     (npm run haina -- <command>)`,
    '',
    ...Object.values(commands).flatMap((c) => [`  ${c.usage}`, `      ${t(c.help)}`]),
    '',
    t('cli_help_more'),
    t('cli_help_env'),
    t('cli_help_exit'),
  ].join('\n')
}

function commandHelp(c: Command): string {
  return [
    `${t('cli_help_usage')}haina ${c.usage}`,
    '',
    t(c.help),
    ...(c.password ? [t('cli_help_password')] : []),
  ].join('\n')
}

/** `user add` and `workspace add` are two words; every other command one. */
function commandName(argv: string[]): string {
  return argv[0] === 'user' || argv[0] === 'workspace' ? argv.slice(0, 2).join(' ') : (argv[0] ?? '')
}

/** parseArgs's own errors, as the CLI's localized usage errors. */
function parseError(err: unknown, name: string): unknown {
  const code = (err as { code?: string }).code
  const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return usageError('cli_unknown_option', { option, command: name })
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return usageError('cli_missing_value', { option })
  return err
}

let current: Command | undefined

async function main(argv: string[]): Promise<void> {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || (argv[0] === 'help' && argv.length === 1)) {
    console.log(help())
    return
  }
  const asked = argv[0] === 'help' ? argv.slice(1) : argv
  const name = commandName(asked)
  const command = commands[name]
  if (!command) {
    const group = Object.keys(commands).filter((c) => c.startsWith(`${asked[0]} `))
    if (group.length) throw usageError('cli_unknown_subcommand', { command: name, choices: group.join(', ') })
    throw usageError('cli_unknown_command', { command: name })
  }
  current = command
  const rest = asked.slice(name.split(' ').length)
  if (argv[0] === 'help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command))
    return
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true })
  } catch (err) {
    throw parseError(err, name)
  }
  const extra = parsed.positionals[command.positionals ?? 0]
  if (extra !== undefined) throw usageError('cli_unexpected_argument', { argument: extra, command: name })
  await command.run(parsed.values as Values, parsed.positionals)
}

main(process.argv.slice(2)).catch((err) => {
  const fields = current?.fields ?? {}
  const { lines, exitCode } = describeError(err, (f) => fields[f] ?? f)
  for (const line of lines) console.error(line)
  process.exit(exitCode)
})

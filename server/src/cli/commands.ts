import type { Values } from './args.js'

export interface Command {
  /** The synopsis after `haina `. */
  usage: string
  /** Message code of the one-line description (./messages.ts). */
  help: string
  options: Record<string, { type: 'string' | 'boolean' }>
  /** How many arguments besides options it takes (import: the file). */
  positionals?: number
  /** Service field → the option that carried it, so an error names what the operator typed. */
  fields?: Record<string, string>
  /** Shows the password note in its --help. */
  password?: boolean
  run(values: Values, positionals: string[]): Promise<void>
}

const str = { type: 'string' } as const
const flag = { type: 'boolean' } as const
// The implementations load the whole server: imported when a command runs, so --help and a
// mistyped command answer at once.
const actions = () => import('./actions.js')
const backups = () => import('./backup.js')

export const commands: Record<string, Command> = {
  serve: { usage: 'serve', help: 'cli_help_serve', options: {}, run: async () => (await actions()).serve() },
  migrate: {
    usage: 'migrate',
    help: 'cli_help_migrate',
    options: {},
    run: async () => (await actions()).migrate(),
  },
  demo: {
    usage: 'demo [--seed N] [--leads N] [--serve]',
    help: 'cli_help_demo',
    options: { seed: str, leads: str, serve: flag },
    run: async (v) => (await actions()).demo(v),
  },
  'workspace add': {
    usage:
      'workspace add --name N --slug S --admin-email E [--admin-password P | --admin-password-stdin] [--admin-name N] [--phone-region R] [--timezone TZ]',
    help: 'cli_help_workspace_add',
    options: {
      name: str,
      slug: str,
      'admin-email': str,
      'admin-password': str,
      'admin-password-stdin': flag,
      'admin-name': str,
      'phone-region': str,
      timezone: str,
    },
    fields: {
      workspaceName: '--name',
      workspaceSlug: '--slug',
      adminName: '--admin-name',
      email: '--admin-email',
      password: '--admin-password',
      phoneRegion: '--phone-region',
      timezone: '--timezone',
    },
    password: true,
    run: async (v) => (await actions()).workspaceAdd(v),
  },
  'user add': {
    usage:
      'user add --workspace S --email E --name N [--password P | --password-stdin] [--role KEY] [--unit CODE]',
    help: 'cli_help_user_add',
    options: {
      workspace: str,
      email: str,
      name: str,
      password: str,
      'password-stdin': flag,
      role: str,
      unit: str,
    },
    fields: { email: '--email', name: '--name', password: '--password', unitId: '--unit', roleIds: '--role' },
    password: true,
    run: async (v) => (await actions()).userAdd(v),
  },
  'user reset-password': {
    usage: 'user reset-password --workspace S --email E [--password P | --password-stdin]',
    help: 'cli_help_user_reset_password',
    options: { workspace: str, email: str, password: str, 'password-stdin': flag },
    fields: { password: '--password' },
    password: true,
    run: async (v) => (await actions()).resetPassword(v),
  },
  import: {
    usage: 'import FILE --workspace S [--unit CODE] [--sheet NAME] [--mapping NAME]',
    help: 'cli_help_import',
    options: { workspace: str, unit: str, sheet: str, mapping: str },
    positionals: 1,
    fields: { unitId: '--unit', sheet: '--sheet', mapping: '--mapping' },
    run: async (v, [file]) => (await actions()).importCommand(v, file),
  },
  backup: {
    usage: 'backup [--out FILE] [--force]',
    help: 'cli_help_backup',
    options: { out: str, force: flag },
    run: async (v) => (await backups()).backup(v),
  },
  restore: {
    usage: 'restore --from FILE',
    help: 'cli_help_restore',
    options: { from: str },
    run: async (v) => (await backups()).restore(v),
  },
}

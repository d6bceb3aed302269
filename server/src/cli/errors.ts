import { DataDirLockedError, EmbeddedStartError } from '../platform/db/embedded.js'
import { AppError } from '../platform/http/errors.js'
import { t } from './messages.js'

/** An expected failure with a message code (./messages.ts): printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    /** 2: the command line itself is wrong; 1: the command failed. */
    readonly exitCode = 1,
  ) {
    super(code)
  }
}

export const usageError = (code: string, params: Record<string, unknown> = {}) =>
  new CliError(code, params, 2)

/** Errors of Node and PostgreSQL that mean "cannot reach or use the database", not a bug. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '28000', // invalid authorization
  '28P01', // invalid password
  '3D000', // database does not exist
  '57P03', // cannot connect now (starting up)
  '53300', // too many connections
])

/** The error itself or one of its causes (drizzle wraps driver errors as "Failed query" with a cause). */
function findCause(err: unknown, test: (e: Error & { code?: string }) => boolean) {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (test(e as Error & { code?: string })) return e as Error & { code?: string }
  return undefined
}

/** DATABASE_URL without its password, to name the database in a message. */
function redact(url: string | undefined): string {
  try {
    const u = new URL(url ?? '')
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'DATABASE_URL'
  }
}

/**
 * The lines to print for an error, and the exit status. `option` names a service field by the
 * command-line option that carried it (workspaceSlug → --slug). Unknown errors are bugs: printed whole.
 */
export function describeError(
  err: unknown,
  option: (field: string) => string = (f) => f,
): { lines: string[]; exitCode: number } {
  const line = (code: string, params?: Record<string, unknown>) =>
    t('cli_error', { message: t(code, params) })
  const fail = (code: string, params: Record<string, unknown>) => ({
    lines: [line(code, params)],
    exitCode: 1,
  })
  if (err instanceof CliError) return { lines: [line(err.code, err.params)], exitCode: err.exitCode }
  if (err instanceof AppError) {
    const params =
      typeof err.params.field === 'string' ? { ...err.params, field: option(err.params.field) } : err.params
    return {
      lines: [
        line(err.code, params),
        ...err.fields.map((f) => `  ${option(f.field)}: ${f.message ?? t(f.code, f.params)}`),
      ],
      exitCode: 1,
    }
  }
  if (err instanceof DataDirLockedError)
    return fail('cli_data_dir_locked', { dir: err.dataDir, pid: err.pid })
  if (err instanceof EmbeddedStartError)
    return fail('cli_embedded_failed', { dir: err.dataDir, reason: err.reason })
  const listen = findCause(err, (e) => e.code === 'EADDRINUSE' || e.code === 'EACCES')
  if (listen && 'port' in listen)
    return fail(listen.code === 'EADDRINUSE' ? 'cli_port_in_use' : 'cli_port_denied', { port: listen.port })
  const file = findCause(err, (e) => ['EACCES', 'EPERM', 'ENOSPC'].includes(e.code ?? '') && 'path' in e)
  if (file)
    return fail(file.code === 'ENOSPC' ? 'cli_disk_full' : 'cli_no_access', {
      path: (file as { path?: string }).path,
    })
  const connection = findCause(err, (e) => CONNECTION_CODES.has(e.code ?? ''))
  if (connection)
    return fail('cli_db_unreachable', { url: redact(process.env.DATABASE_URL), reason: connection.message })
  return { lines: [err instanceof Error ? (err.stack ?? err.message) : String(err)], exitCode: 1 }
}

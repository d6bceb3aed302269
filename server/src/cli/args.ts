import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { CliError, usageError } from './errors.js'

export type Values = Record<string, string | boolean | undefined>

/** A required string option. */
export function need(v: Values, key: string): string {
  const value = v[key]
  if (typeof value !== 'string' || !value) throw usageError('cli_required', { option: `--${key}` })
  return value
}

/** A whole-number option of at least `min`, or its default. */
export function int(v: Values, key: string, fallback: number, min = 0): number {
  if (v[key] === undefined) return fallback
  const n = Number(v[key])
  if (!Number.isSafeInteger(n) || n < min) throw usageError('cli_not_integer', { option: `--${key}`, min })
  return n
}

/**
 * A path given on the command line, relative to where the operator ran the command: the `haina`
 * wrapper runs the CLI in the repository (so ./data stays there) and passes that directory along.
 */
export const callerPath = (path: string) => resolve(process.env.HAINA_CALLER_CWD || process.cwd(), path)

/** An existing regular file named on the command line (its absolute path). */
export function existingFile(path: string): string {
  const file = callerPath(path)
  if (!existsSync(file)) throw new CliError('cli_no_file', { file })
  if (!statSync(file).isFile()) throw new CliError('cli_not_a_file', { file })
  return file
}

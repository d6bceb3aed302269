import { accessSync, constants, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { loadConfig } from '../platform/config.js'
import { EmbeddedStartError, lockDataDir } from '../platform/db/embedded.js'
import { openDatabase, runMigrations } from '../platform/db/index.js'
import { callerPath, existingFile, need, type Values } from './args.js'
import { CliError } from './errors.js'
import { t } from './messages.js'

/** `file` can be written: its directory exists and is writable; an existing file is replaced only with --force. */
function checkTarget(file: string, force: boolean): void {
  const dir = dirname(file)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError('cli_no_directory', { dir })
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    throw new CliError('cli_not_writable', { dir })
  }
  if (!existsSync(file)) return
  if (statSync(file).isDirectory()) throw new CliError('cli_not_a_file', { file })
  if (!force) throw new CliError('cli_out_exists', { file })
}

/** `haina backup`: the embedded database, stopped, as a .tar (PGlite's data directory dump). */
export async function backup(v: Values): Promise<void> {
  const config = loadConfig()
  if (config.databaseUrl) throw new CliError('cli_backup_postgres')
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const out = callerPath(typeof v.out === 'string' ? v.out : `haina-backup-${stamp}.tar`)
  checkTarget(out, v.force === true)
  // Written beside the target and renamed once complete: a failed or interrupted backup neither
  // leaves a half-written file under the backup's name nor replaces an earlier good one.
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`)
  const d = await openDatabase({ dataDir: config.dataDir, dumpTo: partial })
  try {
    await d.pool.end()
    await d.embedded!.dump()
    renameSync(partial, out)
  } finally {
    rmSync(partial, { force: true })
    await d.embedded!.stop()
  }
  console.log(t('cli_backup_written', { file: out }))
  const attachments = join(config.dataDir, 'attachments')
  if (existsSync(attachments)) console.log(t('cli_backup_attachments', { dir: attachments }))
}

/**
 * `haina restore`: a backup into an empty data directory. The database is built in a directory
 * beside it and moved in only once it opens and migrates, so a damaged or foreign file leaves the
 * data directory as it was (and a later restore can still run). The data directory stays locked
 * throughout: a server cannot start on it half-way.
 */
export async function restore(v: Values): Promise<void> {
  const config = loadConfig()
  if (config.databaseUrl) throw new CliError('cli_restore_postgres')
  const from = existingFile(need(v, 'from'))
  const pgDir = join(config.dataDir, 'pg')
  const release = lockDataDir(config.dataDir)
  const staging = join(config.dataDir, `restoring-${process.pid}`)
  try {
    if (existsSync(pgDir) && readdirSync(pgDir).length)
      throw new CliError('cli_restore_not_empty', { dir: config.dataDir })
    try {
      const d = await openDatabase({ dataDir: staging, loadFrom: from })
      try {
        await runMigrations(d.db)
      } finally {
        await d.close()
      }
    } catch (err) {
      const reason = err instanceof EmbeddedStartError ? err.reason : (err as Error).message
      throw new CliError('cli_restore_failed', { file: from, reason })
    }
    rmSync(pgDir, { recursive: true, force: true })
    renameSync(join(staging, 'pg'), pgDir)
  } finally {
    rmSync(staging, { recursive: true, force: true })
    release()
  }
  console.log(t('cli_restored', { file: from, dir: config.dataDir }))
}

import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import * as tar from 'tar'
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

/** Names inside a backup: a manifest, the database (PGlite's data directory dump) and the attachments. */
const MANIFEST = 'haina-backup.json'
const DATABASE = 'database.tar'
const ATTACHMENTS = 'attachments'

/**
 * `haina backup`: the embedded database, stopped, and the follow-up attachments (files beside it in
 * the data directory) in one .tar, so a restore brings back both.
 */
export async function backup(v: Values): Promise<void> {
  const config = loadConfig()
  if (config.databaseUrl) throw new CliError('cli_backup_postgres')
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
  const out = callerPath(typeof v.out === 'string' ? v.out : `haina-backup-${stamp}.tar`)
  checkTarget(out, v.force === true)
  // Written beside the target and renamed once complete: a failed or interrupted backup neither
  // leaves a half-written file under the backup's name nor replaces an earlier good one.
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`)
  const staging = `${partial}.d`
  mkdirSync(staging, { recursive: true })
  const attachments = join(config.dataDir, ATTACHMENTS)
  const withAttachments = existsSync(attachments)
  try {
    const d = await openDatabase({ dataDir: config.dataDir, dumpTo: join(staging, DATABASE) })
    try {
      await d.pool.end()
      await d.embedded!.dump()
    } finally {
      await d.embedded!.stop()
    }
    writeFileSync(
      join(staging, MANIFEST),
      JSON.stringify({
        format: 'haina-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        withAttachments,
      }),
    )
    // The attachments are archived from where they are (a link the archiver follows), not copied first.
    if (withAttachments) symlinkSync(attachments, join(staging, ATTACHMENTS))
    const entries = [MANIFEST, DATABASE, ...(withAttachments ? [ATTACHMENTS] : [])]
    await tar.c({ file: partial, cwd: staging, follow: true, portable: true }, entries)
    renameSync(partial, out)
  } finally {
    rmSync(partial, { force: true })
    rmSync(staging, { recursive: true, force: true })
  }
  console.log(t('cli_backup_written', { file: out }))
}

/** The database dump and attachments a backup holds, unpacked into `into`; a bare PGlite dump (older backups) as is. */
async function unpack(from: string, into: string): Promise<{ database: string; attachments: string | null }> {
  const names: string[] = []
  await tar.t({ file: from, onReadEntry: (e) => names.push(e.path) }).catch(() => {})
  if (!names.includes(MANIFEST)) return { database: from, attachments: null }
  mkdirSync(into, { recursive: true })
  await tar.x({ file: from, cwd: into })
  const manifest = JSON.parse(readFileSync(join(into, MANIFEST), 'utf8')) as { format?: string }
  if (manifest.format !== 'haina-backup' || !existsSync(join(into, DATABASE)))
    throw new Error('not a Haina backup')
  const attachments = join(into, ATTACHMENTS)
  return { database: join(into, DATABASE), attachments: existsSync(attachments) ? attachments : null }
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
  const attachmentsDir = join(config.dataDir, ATTACHMENTS)
  const release = lockDataDir(config.dataDir)
  const staging = join(config.dataDir, `restoring-${process.pid}`)
  const unpacked = join(config.dataDir, `restoring-${process.pid}-files`)
  try {
    const holds = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0
    if (holds(pgDir) || holds(attachmentsDir))
      throw new CliError('cli_restore_not_empty', { dir: config.dataDir })
    let files: { database: string; attachments: string | null }
    try {
      files = await unpack(from, unpacked)
      const d = await openDatabase({ dataDir: staging, loadFrom: files.database })
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
    if (files.attachments) {
      rmSync(attachmentsDir, { recursive: true, force: true })
      renameSync(files.attachments, attachmentsDir)
    }
  } finally {
    rmSync(staging, { recursive: true, force: true })
    rmSync(unpacked, { recursive: true, force: true })
    release()
  }
  console.log(t('cli_restored', { file: from, dir: config.dataDir }))
}

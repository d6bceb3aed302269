import { mkdirSync, rmSync } from 'node:fs'
import pg from 'pg'
import { openDatabase } from '../../server/src/platform/db/index.js'

export interface BenchDatabaseOptions {
  /** PostgreSQL database made beside DATABASE_URL's (engine 'postgres'). */
  pgName: string
  /** Embedded database directory (any other engine). */
  dir: string
  poolSize: number
  /** Keep what an earlier run left (a seeded database to reuse); default: start empty. */
  reuse?: boolean
}

/** A bench's database: its own PostgreSQL database on the server at DATABASE_URL, or an embedded one. */
export async function benchDatabase(engine: string | undefined, opts: BenchDatabaseOptions) {
  if (engine === 'postgres') {
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('--db postgres needs DATABASE_URL')
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [opts.pgName])).rowCount
    if (exists && !opts.reuse) await admin.query(`drop database ${opts.pgName}`)
    if (!exists || !opts.reuse) await admin.query(`create database ${opts.pgName}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${opts.pgName}`
    return openDatabase({ databaseUrl: u.toString(), poolSize: opts.poolSize })
  }
  if (!opts.reuse) rmSync(opts.dir, { recursive: true, force: true })
  mkdirSync(opts.dir, { recursive: true })
  return openDatabase({ dataDir: opts.dir })
}

import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { MIGRATIONS_DIR, openDatabase, runMigrations } from '../src/platform/db/index.js'

/** Identifies the schema: templates are rebuilt whenever a migration changes. */
export function migrationsHash(): string {
  const h = createHash('sha256')
  for (const f of readdirSync(MIGRATIONS_DIR).sort())
    if (f.endsWith('.sql')) h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)))
  return h.digest('hex').slice(0, 12)
}

export const templateTarball = () => join(tmpdir(), `haina-template-${migrationsHash()}.tar`)
export const templateDbName = () => `haina_tpl_${migrationsHash()}`

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** Builds the migrated template once per schema: a PGlite tarball, or a PostgreSQL template database. */
export async function ensureTemplate(databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) {
    const target = templateTarball()
    if (existsSync(target)) return
    const tmp = `${target}.${process.pid}`
    const d = await openDatabase({ dumpTo: tmp })
    await runMigrations(d.db)
    await d.pool.end()
    await d.embedded!.dump()
    await d.embedded!.stop()
    renameSync(tmp, target)
    return
  }
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  try {
    const name = templateDbName()
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (rowCount) return
    const building = `${name}_build_${process.pid}`
    await admin.query(`drop database if exists "${building}"`)
    await admin.query(`create database "${building}"`)
    const d = await openDatabase({ databaseUrl: withDatabase(databaseUrl, building), poolSize: 1 })
    await runMigrations(d.db)
    await d.close()
    await admin
      .query(`alter database "${building}" rename to "${name}"`)
      .catch(() => admin.query(`drop database "${building}"`))
    await admin.query(`alter database "${name}" is_template true`).catch(() => {})
  } finally {
    await admin.end()
  }
}

let counter = 0
/** A fresh, migrated database for one test file: a clone of the template (fast on both engines). */
export async function freshDatabase(databaseUrl = process.env.DATABASE_URL) {
  await ensureTemplate(databaseUrl)
  if (!databaseUrl) return openDatabase({ loadFrom: templateTarball() })
  const name = `haina_t_${process.pid}_${Date.now()}_${counter++}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database "${name}" template "${templateDbName()}"`)
      break
    } catch (err) {
      if (attempt > 20) throw err
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
    }
  }
  await admin.end()
  const database = await openDatabase({ databaseUrl: withDatabase(databaseUrl, name), poolSize: 4 })
  const close = database.close
  database.close = async () => {
    await close()
    const a = new pg.Client({ connectionString: databaseUrl })
    await a.connect()
    await a.query(`drop database if exists "${name}" with (force)`).catch(() => {})
    await a.end()
  }
  return database
}

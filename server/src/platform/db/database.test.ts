import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { withDatabase } from '../../../test/template.js'
import { DataDirLockedError } from './embedded.js'
import { openDatabase, runMigrations, runsInProcess } from './index.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe.skipIf(!!process.env.DATABASE_URL)('embedded database', () => {
  it('refuses a second process on the same data directory with a clear message, and persists data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'haina-lock-'))
    dirs.push(dir)
    const first = await openDatabase({ dataDir: dir })
    await runMigrations(first.db)
    await first.pool.query(
      `insert into tenants (id, slug, name) values ('0190b7d4-0000-7000-8000-000000000001', 'kept', 'Kept')`,
    )
    // A lock held by a live process (our own parent here stands in for "another server").
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(dir, 'haina.lock'), String(process.ppid))
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirLockedError)
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by another Haina process/)
    writeFileSync(join(dir, 'haina.lock'), String(process.pid))
    await first.close()
    // Lock released on close; a stale lock of a dead process is taken over.
    writeFileSync(join(dir, 'haina.lock'), '999999')
    const second = await openDatabase({ dataDir: dir })
    const { rows } = await second.pool.query('select slug from tenants')
    expect(rows).toEqual([{ slug: 'kept' }])
    await second.close()
  })

  it('migrates an empty in-memory database and is idempotent', async () => {
    const d = await openDatabase({})
    await runMigrations(d.db)
    await runMigrations(d.db)
    const res = await d.db.execute(
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    )
    expect((res.rows[0] as { n: number }).n).toBeGreaterThan(10)
    expect(runsInProcess(d.db)).toBe(true)
    await d.close()
  })

  it('keeps the event loop free while a heavy query runs in the worker', async () => {
    const d = await openDatabase({})
    let maxGap = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
    }, 5)
    const started = performance.now()
    await d.pool.query(
      'select count(*) from generate_series(1, 3000000) g, lateral (select g % 7 as k) x group by k',
    )
    const took = performance.now() - started
    clearInterval(timer)
    await d.close()
    expect(took).toBeGreaterThan(100)
    // The query ran for far longer than any pause the event loop saw.
    expect(maxGap).toBeLessThan(took / 2)
  })
})

describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL', () => {
  it('migrates an empty database from scratch', async () => {
    const url = process.env.DATABASE_URL!
    const name = `haina_empty_${process.pid}_${Date.now()}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database "${name}"`)
    try {
      const d = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 1 })
      await runMigrations(d.db)
      await runMigrations(d.db)
      const res = await d.pool.query(
        `select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
      )
      expect(res.rows[0].n).toBeGreaterThan(10)
      // JIT is off for the app's connections (openDatabase): it compiled for 500 ms to save 1.
      expect((await d.pool.query('show jit')).rows[0].jit).toBe('off')
      expect(runsInProcess(d.db)).toBe(false)
      await d.close()
      // ... unless DATABASE_URL asks for it.
      const jit = await openDatabase({
        databaseUrl: `${withDatabase(url, name)}?options=-c%20jit%3Don`,
        poolSize: 1,
      })
      expect((await jit.pool.query('show jit')).rows[0].jit).toBe('on')
      await jit.close()
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  })

  it('lets two processes migrate one empty database at once (the second waits, then has nothing to do)', async () => {
    const url = process.env.DATABASE_URL!
    const name = `haina_race_${process.pid}_${Date.now()}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database "${name}"`)
    try {
      // Two pools are two sessions, as two server instances (or `haina migrate` beside a server) are.
      const [a, b] = await Promise.all(
        [1, 2].map(() => openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 1 })),
      )
      await Promise.all([runMigrations(a!.db), runMigrations(b!.db)])
      const { rows } = await a!.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations')
      const { rows: files } = await a!.pool.query(
        'select count(distinct hash)::int as n from drizzle.__drizzle_migrations',
      )
      expect(rows[0].n).toBe(files[0].n)
      expect(rows[0].n).toBeGreaterThan(0)
      // The lock is released: a third run goes through at once.
      await runMigrations(b!.db)
      await Promise.all([a!.close(), b!.close()])
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  })
})

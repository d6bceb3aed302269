import { sql } from 'drizzle-orm'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from './index.js'
import { SessionPool } from './session-pool.js'

// The embedded database, whose pool is a SessionPool (PostgreSQL keeps pg's own pool).
let d: Database
beforeAll(async () => {
  if (!process.env.DATABASE_URL) d = await openDatabase({})
})
afterAll(() => d?.close())

const setting = `select current_setting('haina.probe', true) as v`

describe.skipIf(!!process.env.DATABASE_URL)('the embedded database session pool', () => {
  it('runs concurrent statements with their own results, an error failing only its own statement', async () => {
    const results = await Promise.allSettled([
      d.pool.query('select 1 as n'),
      d.pool.query('select 1 / 0 as n'),
      d.pool.query({ text: 'select $1::int as n', values: [3], name: 'pipelined_probe' }),
      d.pool.query('select $1::int as n', [4]),
      d.pool.query({ text: 'select $1::int as n', values: [5], name: 'pipelined_probe' }),
    ])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.rows[0].n : 'failed'))).toEqual([
      1,
      'failed',
      3,
      4,
      5,
    ])
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/division by zero/)
  })

  it('keeps statements sent during a transaction out of it, and lets them run after', async () => {
    let outside: Promise<pg.QueryResult> | undefined
    await d.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('haina.probe', 'inside', true)`)
      outside = d.pool.query(setting)
      // Let the outside statement reach the database if it were going to run in this session.
      await new Promise((resolve) => setTimeout(resolve, 50))
      const mine = await tx.execute(sql.raw(setting))
      expect(mine.rows[0]).toEqual({ v: 'inside' })
    })
    const { rows } = await outside!
    expect(rows[0].v ?? '').toBe('')
  })

  it('queues a transaction behind the statements already sent and frees the session on rollback', async () => {
    const slow = d.pool.query(`select pg_sleep(0.1), 'slow' as v`)
    const failed = d.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('haina.probe', 'rolled back', true)`)
      throw new Error('abort the transaction')
    })
    await expect(failed).rejects.toThrow('abort the transaction')
    expect((await slow).rows[0].v).toBe('slow')
    const after = await Promise.all([d.pool.query(setting), d.pool.query('select 2 as n')])
    expect(after[0].rows[0].v ?? '').toBe('')
    expect(after[1].rows[0].n).toBe(2)
  })

  it('answers the callback form of query', async () => {
    const n = await new Promise((resolve, reject) =>
      d.pool.query('select 7 as n', (err: Error | undefined, res: pg.QueryResult) =>
        err ? reject(err) : resolve(res.rows[0].n),
      ),
    )
    expect(n).toBe(7)
  })
})

describe.skipIf(!!process.env.DATABASE_URL)('a closed session pool', () => {
  it('refuses statements clearly', async () => {
    const own = await openDatabase({})
    await own.pool.query('select 1')
    await own.close()
    await expect(own.pool.query('select 1')).rejects.toThrow(/closed/)
  })
})

describe.skipIf(!!process.env.DATABASE_URL)('a session held by a transaction', () => {
  it('fails a statement that waited longer than connectionTimeoutMillis, then serves the next', async () => {
    const own = await openDatabase({})
    await own.pool.end()
    const pool = new SessionPool({ connectionString: own.url, connectionTimeoutMillis: 100 })
    const tx = await pool.connect()
    await tx.query('begin')
    await expect(pool.query('select 1')).rejects.toThrow(/waited 100 ms/)
    await tx.query('commit')
    tx.release()
    expect((await pool.query('select 10 as n')).rows[0].n).toBe(10)
    await pool.end()
    await own.embedded!.stop()
  })
})

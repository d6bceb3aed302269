import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from './index.js'

// The engine under test: the embedded database (one session) or the PostgreSQL of DATABASE_URL.
let d: Database
beforeAll(async () => {
  d = await openDatabase({ databaseUrl: process.env.DATABASE_URL })
})
afterAll(() => d.close())

const setting = `select current_setting('haina.probe', true) as v`

describe('pipelined pool', () => {
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

  it.skipIf(!process.env.DATABASE_URL)('does not queue a statement behind slow ones', async () => {
    const slow = [1, 2, 3].map(() => d.pool.query('select pg_sleep(0.6)'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const t0 = performance.now()
    expect((await d.pool.query('select 9 as n')).rows[0].n).toBe(9)
    expect(performance.now() - t0).toBeLessThan(400)
    await Promise.all(slow)
  })

  it.skipIf(!process.env.DATABASE_URL)('reconnects a lane whose backend went away', async () => {
    const { rows } = await d.pool.query('select pg_backend_pid() as pid')
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    await admin.query('select pg_terminate_backend($1)', [rows[0].pid])
    await admin.end()
    // The statements caught by the loss fail; the lane is then replaced.
    let answer: number | undefined
    for (let attempt = 0; attempt < 5 && answer === undefined; attempt++) {
      answer = await d.pool
        .query('select 8 as n')
        .then((r) => r.rows[0].n)
        .catch(() => undefined)
    }
    expect(answer).toBe(8)
  })
})

describe('a closed pipelined pool', () => {
  it('refuses statements clearly', async () => {
    const own = await openDatabase({ databaseUrl: process.env.DATABASE_URL })
    await own.pool.query('select 1')
    await own.close()
    await expect(own.pool.query('select 1')).rejects.toThrow(/closed/)
  })
})

import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import '../jobs/maintenance.js'
import { drainJobs, enqueue } from '../jobs/queue.js'
import { jobs } from '../jobs/schema.js'
import { analyzeStale, staleTables } from './autoanalyze.js'
import type { Database } from './index.js'

let database: Database
beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(() => database?.close())

const fill = (table: string, rows: number) =>
  database.db.execute(
    sql.raw(`insert into ${table} select g, g % 97, repeat('x', 40) from generate_series(1, ${rows}) g`),
  )
const believed = async (table: string) =>
  Number(
    (
      await database.db.execute<{ n: number }>(
        sql`select reltuples as n from pg_class where relname = ${table}`,
      )
    ).rows[0]!.n,
  )
// What the planner expects `where bucket = 3` to return (about rows / 97 once it has statistics).
const estimate = async (table: string) => {
  const plan = await database.db.execute<{ 'QUERY PLAN': string }>(
    sql.raw(`explain select * from ${table} where bucket = 3`),
  )
  return Number(/rows=(\d+)/.exec(plan.rows[0]!['QUERY PLAN'])![1])
}

describe('statistics of tables that changed', () => {
  it('finds a filled table never analysed, analyses it, then leaves it until it grows again', async () => {
    await database.db.execute(sql`create table analyze_probe (id int primary key, bucket int, note text)`)
    await fill('analyze_probe', 20_000)
    expect(await staleTables(database.db)).toContain('public.analyze_probe')
    expect(await estimate('analyze_probe')).not.toBe(206)

    expect(await analyzeStale(database.db)).toContain('public.analyze_probe')
    expect(await believed('analyze_probe')).toBe(20_000)
    expect(Math.abs((await estimate('analyze_probe')) - 20_000 / 97)).toBeLessThan(30)
    expect(await staleTables(database.db)).not.toContain('public.analyze_probe')

    // A tenth more is noise to the planner; doubling is not.
    await database.db.execute(
      sql.raw(`insert into analyze_probe select g, g % 97, 'y' from generate_series(20001, 21000) g`),
    )
    expect(await staleTables(database.db)).not.toContain('public.analyze_probe')
    await database.db.execute(
      sql.raw(
        `insert into analyze_probe select g, g % 97, repeat('z', 40) from generate_series(21001, 45000) g`,
      ),
    )
    expect(await staleTables(database.db)).toContain('public.analyze_probe')
  })

  it('runs as the maintenance job: always on the embedded database, on PostgreSQL only without autovacuum', async () => {
    await database.db.execute(sql`create table analyze_probe_job (id int primary key, bucket int, note text)`)
    await fill('analyze_probe_job', 10_000)
    const [embedded, server] = await enqueue(database.db, [
      { type: 'maintenance.analyze', tenantId: null, payload: { embedded: true } },
      { type: 'maintenance.analyze', tenantId: null },
    ])
    await drainJobs(database.db, { jobIds: [embedded!.id] })
    const [ran] = await database.db.select().from(jobs).where(eq(jobs.id, embedded!.id))
    expect(ran!.status).toBe('succeeded')
    expect((ran!.result as { analyzed: string[] }).analyzed).toContain('public.analyze_probe_job')
    expect(await believed('analyze_probe_job')).toBe(10_000)

    await database.db.execute(
      sql.raw(
        `insert into analyze_probe_job select g, 1, repeat('x', 40) from generate_series(10001, 30000) g`,
      ),
    )
    await drainJobs(database.db, { jobIds: [server!.id] })
    const [other] = await database.db.select().from(jobs).where(eq(jobs.id, server!.id))
    const autovacuum = (
      await database.db.execute<{ on: boolean }>(sql`select current_setting('autovacuum') = 'on' as on`)
    ).rows[0]!.on
    const analyzed = (other!.result as { analyzed: string[] }).analyzed
    if (autovacuum) expect(analyzed).toEqual([])
    else expect(analyzed).toContain('public.analyze_probe_job')
  })
})

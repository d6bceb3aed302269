import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import type { Database } from '../db/index.js'
import { enqueue } from './queue.js'

const fixture = fileURLToPath(new URL('../../../test/fixtures/worker-process.ts', import.meta.url))
let database: Database | undefined
afterAll(async () => {
  await database?.close()
})

/** Starts the fixture; resolves `ready` once it has loaded, `exit` with its exit code. */
function startProcess(url: string, seconds: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(seconds)], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => resolve(code ?? -1))
  })
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve()
    })
    void exit.then((code) => reject(new Error(`worker process exited early (${code})`)))
  })
  return { ready, exit, go: () => child.stdin!.end('go\n') }
}

describe.skipIf(!process.env.DATABASE_URL)('two server processes on one PostgreSQL', () => {
  it('run every job and every cron tick exactly once', async () => {
    database = await freshDatabase()
    const db = database.db
    await db.execute(sql`create table test_job_runs (job_id uuid not null, worker text not null)`)
    const queued = await enqueue(
      db,
      Array.from({ length: 200 }, (_, i) => ({ type: 'test.record', tenantId: null, payload: { i } })),
    )
    const procs = [startProcess(database.url, 5), startProcess(database.url, 5)]
    await Promise.all(procs.map((p) => p.ready))
    for (const p of procs) p.go()
    expect(await Promise.all(procs.map((p) => p.exit))).toEqual([0, 0])

    const runs = (
      await db.execute(
        sql`select r.job_id, r.worker, j.type from test_job_runs r join jobs j on j.id = r.job_id`,
      )
    ).rows as {
      job_id: string
      worker: string
      type: string
    }[]
    const recordRuns = runs.filter((r) => r.type === 'test.record')
    expect(recordRuns).toHaveLength(200)
    expect(new Set(recordRuns.map((r) => r.job_id))).toEqual(new Set(queued.map((j) => j.id)))
    // both processes took part
    expect(new Set(recordRuns.map((r) => r.worker)).size).toBe(2)

    const ticks = (
      await db.execute(
        sql`select tick_at, job_id, fired_by from cron_ticks where schedule = 'test.every-second'`,
      )
    ).rows as {
      tick_at: Date
      job_id: string
    }[]
    expect(ticks.length).toBeGreaterThanOrEqual(3)
    // Both processes agree on a tick's identity (its scheduled second), so there is one row per second.
    expect(ticks.every((t) => new Date(t.tick_at).getMilliseconds() === 0)).toBe(true)
    expect(ticks.length).toBeLessThanOrEqual(7)
    expect(new Set(ticks.map((t) => new Date(t.tick_at).getTime())).size).toBe(ticks.length)
    const tickRuns = runs.filter((r) => r.type === 'test.tick')
    // every tick's job ran once (a tick fired in the last moment may still be queued when both stop)
    expect(new Set(tickRuns.map((r) => r.job_id)).size).toBe(tickRuns.length)
    expect(tickRuns.length).toBeGreaterThanOrEqual(ticks.length - 2)
    const { rows: stillQueued } = await db.execute(
      sql`select count(*)::int as n from jobs where type = 'test.tick' and status <> 'succeeded'`,
    )
    expect(tickRuns.length + Number((stillQueued[0] as { n: number }).n)).toBe(ticks.length)
  }, 30_000)
})

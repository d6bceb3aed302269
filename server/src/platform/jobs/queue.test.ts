import { eq, sql } from 'drizzle-orm'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import type { Database } from '../db/index.js'
import { fireTick, registeredSchedules, registerSchedule } from './cron.js'
import {
  cancelJob,
  claimJobs,
  drainJobs,
  enqueue,
  recoverExpiredJobs,
  registerJob,
  retryJob,
  runJob,
} from './queue.js'
import { cronTicks, jobs } from './schema.js'

let database: Database
const tenantId = uuidv7()
const get = async (id: string) => (await database.db.select().from(jobs).where(eq(jobs.id, id)))[0]!

beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('job queue', () => {
  it('retries with exponential backoff, then fails after maxAttempts', async () => {
    let calls = 0
    registerJob({
      type: 'test.flaky',
      run: async () => {
        calls++
        throw new Error(`boom ${calls}`)
      },
    })
    const [job] = await enqueue(database.db, { type: 'test.flaky', tenantId, maxAttempts: 3 })
    const delays: number[] = []
    for (let i = 1; i <= 3; i++) {
      const before = Date.now()
      expect(await drainJobs(database.db, { backoffMs: 10_000 })).toBe(1)
      const row = await get(job!.id)
      expect(row.attempts).toBe(i)
      expect(row.lastError).toBe(`boom ${i}`)
      if (i < 3) {
        expect(row.status).toBe('queued')
        delays.push(row.runAt.getTime() - before)
        // Not ready before its backoff: nothing runs.
        expect(await drainJobs(database.db)).toBe(0)
        await database.db.update(jobs).set({ runAt: sql`now()` }).where(eq(jobs.id, job!.id))
      } else {
        expect(row.status).toBe('failed')
        expect(row.finishedAt).not.toBeNull()
      }
    }
    expect(calls).toBe(3)
    expect(delays[0]).toBeGreaterThanOrEqual(9_000)
    expect(delays[1]).toBeGreaterThanOrEqual(19_000) // doubled
    // retry: back to the queue with fresh attempts
    expect((await retryJob(database.db, job!.id))?.status).toBe('queued')
    expect((await get(job!.id)).attempts).toBe(0)
    await cancelJob(database.db, job!.id)
  })

  it('resumes from its checkpoint after a crash (expired lease)', async () => {
    const seen: unknown[] = []
    registerJob({
      type: 'test.resumable',
      run: async (job, tools) => {
        const start = (job.checkpoint as { next: number } | null)?.next ?? 0
        seen.push(start)
        for (let i = start; i < 10; i++) {
          await tools.progress((i + 1) * 10, `step ${i + 1}`, { next: i + 1 })
          if (i === 3 && start === 0) throw Object.assign(new Error('crash'), { crash: true })
        }
        return { done: start }
      },
    })
    const [job] = await enqueue(database.db, { type: 'test.resumable', tenantId })
    // A process claims it and "dies" mid-run: we run the handler but never record its end.
    const [claimed] = await claimJobs(database.db, 'dying-worker', 1, 60_000)
    expect(claimed!.id).toBe(job!.id)
    await runJob(database.db, claimed!, 'dying-worker').catch(() => {})
    // runJob recorded the failure above; emulate a hard crash instead: running, lease expired.
    await database.db
      .update(jobs)
      .set({
        status: 'running',
        runAt: sql`now()`,
        lockedBy: 'dying-worker',
        lockedUntil: sql`now() - interval '1 second'`,
      })
      .where(eq(jobs.id, job!.id))
    const mid = await get(job!.id)
    expect(mid.progress).toBe(40)
    expect(mid.checkpoint).toEqual({ next: 4 })
    // Another process' worker recovers the expired lease and resumes from the checkpoint.
    expect(await drainJobs(database.db, { workerId: 'healthy' })).toBe(1)
    const done = await get(job!.id)
    expect(done.status).toBe('succeeded')
    expect(done.progress).toBe(100)
    expect(done.result).toEqual({ done: 4 })
    expect(seen).toEqual([0, 4])
  })

  it('recovers expired leases and fails jobs out of attempts', async () => {
    const [job] = await enqueue(database.db, { type: 'test.never', tenantId, maxAttempts: 1 })
    await database.db
      .update(jobs)
      .set({ status: 'running', attempts: 1, lockedBy: 'x', lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(jobs.id, job!.id))
    expect(await recoverExpiredJobs(database.db)).toBeGreaterThanOrEqual(1)
    expect((await get(job!.id)).status).toBe('failed')
    // a job whose cancel was asked for while its worker died ends cancelled, not back in the queue
    const [asked] = await enqueue(database.db, { type: 'test.never', tenantId })
    await database.db
      .update(jobs)
      .set({
        status: 'running',
        attempts: 1,
        cancelRequested: 1,
        lockedBy: 'x',
        lockedUntil: sql`now() - interval '1 second'`,
      })
      .where(eq(jobs.id, asked!.id))
    await recoverExpiredJobs(database.db)
    expect(await get(asked!.id)).toMatchObject({ status: 'cancelled', lockedBy: null })
    expect((await get(asked!.id)).finishedAt).not.toBeNull()
  })

  it('cancels a queued job at once and a running job through isCancelled()', async () => {
    registerJob({ type: 'test.noop', run: async () => 'ran' })
    const [queued] = await enqueue(database.db, { type: 'test.noop', tenantId })
    expect((await cancelJob(database.db, queued!.id))?.status).toBe('cancelled')
    expect(await drainJobs(database.db)).toBe(0)
    expect((await get(queued!.id)).status).toBe('cancelled')

    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let sawCancel = false
    registerJob({
      type: 'test.long',
      run: async (_job, tools) => {
        await gate
        sawCancel = await tools.isCancelled()
        return sawCancel ? 'stopped' : 'finished'
      },
    })
    const [long] = await enqueue(database.db, { type: 'test.long', tenantId })
    const [claimed] = await claimJobs(database.db, 'w', 1, 60_000)
    const running = runJob(database.db, claimed!, 'w')
    const req = await cancelJob(database.db, long!.id)
    expect(req?.status).toBe('running')
    expect(req?.cancelRequested).toBe(1)
    release()
    await running
    expect(sawCancel).toBe(true)
    expect((await get(long!.id)).status).toBe('cancelled')
    // finished jobs cannot be cancelled
    expect(await cancelJob(database.db, long!.id)).toBeUndefined()
  })

  it('drains only the jobs named by jobIds, leaving the others queued', async () => {
    const ran: string[] = []
    registerJob({ type: 'test.only', run: async (job) => void ran.push(job.id) })
    const [mine, other] = await enqueue(database.db, [
      { type: 'test.only', tenantId },
      { type: 'test.only', tenantId },
    ])
    expect(await drainJobs(database.db, { jobIds: [mine!.id] })).toBe(1)
    expect(ran).toEqual([mine!.id])
    expect((await get(mine!.id)).status).toBe('succeeded')
    expect((await get(other!.id)).status).toBe('queued')
    expect(await drainJobs(database.db, { jobIds: [] })).toBe(0)
    await drainJobs(database.db, { jobIds: [other!.id] })
    expect((await get(other!.id)).status).toBe('succeeded')
  })

  it('fires a cron tick once however many processes try', async () => {
    registerSchedule({ name: 'test.tick', pattern: '* * * * * *', perTenant: false, jobType: 'test.noop' })
    const s = registeredSchedules().find((x) => x.name === 'test.tick')!
    const at = new Date(Math.floor(Date.now() / 1000) * 1000)
    const results = await Promise.all([
      fireTick(database.db, s, null, at, 'p1'),
      fireTick(database.db, s, null, at, 'p2'),
    ])
    expect(results.filter(Boolean)).toHaveLength(1)
    const ticks = await database.db.select().from(cronTicks).where(eq(cronTicks.schedule, 'test.tick'))
    expect(ticks).toHaveLength(1)
    const [job] = await database.db.select().from(jobs).where(eq(jobs.id, ticks[0]!.jobId!))
    expect(job!.type).toBe('test.noop')
    // per-tenant ticks of the same instant are distinct
    expect(await fireTick(database.db, s, tenantId, at, 'p1')).toBe(true)
  })
})

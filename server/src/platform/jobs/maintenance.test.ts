import { eq } from 'drizzle-orm'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import type { Database } from '../db/index.js'
import { consumerReceipts, idempotencyKeys, outbox } from '../events/schema.js'
import { tenants } from '../tenancy/schema.js'
import { listSchedules, registerSchedule, startScheduler } from './cron.js'
import './maintenance.js'
import { drainJobs, enqueue, registerJob } from './queue.js'
import { cronTicks, jobs } from './schema.js'

let database: Database
beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('maintenance jobs', () => {
  it('purge old idempotency keys and dispatched events, and VACUUM', async () => {
    const db = database.db
    const tenantId = uuidv7()
    const callerId = uuidv7()
    const old = new Date(Date.now() - 3 * 86_400_000)
    await db.insert(idempotencyKeys).values([
      { tenantId, callerId, key: 'old', route: 'POST /x', requestHash: 'h', createdAt: old },
      { tenantId, callerId, key: 'new', route: 'POST /x', requestHash: 'h' },
    ])
    const [sent, pending] = [uuidv7(), uuidv7()]
    await db.insert(outbox).values([
      {
        tenantId,
        id: sent,
        type: 't',
        payload: {},
        createdAt: new Date(Date.now() - 10 * 86_400_000),
        dispatchedAt: new Date(Date.now() - 9 * 86_400_000),
      },
      { tenantId, id: pending, type: 't', payload: {}, createdAt: old }, // never dispatched: kept
    ])
    const longAgo = new Date(Date.now() - 9 * 86_400_000)
    await db.insert(consumerReceipts).values([
      { tenantId, consumer: 'c', eventId: sent, handledAt: longAgo },
      // a consumer that succeeded on a still-pending event keeps its receipt (no second effect later)
      { tenantId, consumer: 'c', eventId: pending, handledAt: longAgo },
    ])
    const queued = await enqueue(db, [
      { type: 'maintenance.purge_idempotency_keys', tenantId: null },
      { type: 'maintenance.purge_events', tenantId: null },
      { type: 'maintenance.vacuum', tenantId: null },
    ])
    expect(await drainJobs(db)).toBe(3)
    for (const j of queued)
      expect((await db.select().from(jobs).where(eq(jobs.id, j.id)))[0]!.status).toBe('succeeded')
    expect(
      (await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.tenantId, tenantId))).map(
        (r) => r.key,
      ),
    ).toEqual(['new'])
    const events = await db.select().from(outbox).where(eq(outbox.tenantId, tenantId))
    expect(events).toHaveLength(1)
    expect(events[0]!.dispatchedAt).toBeNull()
    const receipts = await db.select().from(consumerReceipts).where(eq(consumerReceipts.tenantId, tenantId))
    expect(receipts.map((r) => r.eventId)).toEqual([pending])
  })
})

describe('cron scheduler', () => {
  it('runs per-workspace schedules in each workspace’s time zone', async () => {
    const db = database.db
    const [sh, ld] = await db
      .insert(tenants)
      .values([
        { slug: `cron-sh-${Date.now()}`, name: '上海', timezone: 'Asia/Shanghai' },
        { slug: `cron-ld-${Date.now()}`, name: 'London', timezone: 'Europe/London' },
      ])
      .returning()
    registerJob({ type: 'test.per-tenant', run: async () => null })
    registerSchedule({
      name: 'test.per-tenant-second',
      pattern: '* * * * * *',
      perTenant: true,
      jobType: 'test.per-tenant',
    })
    registerSchedule({
      name: 'test.nine-am',
      pattern: '0 0 9 * * *',
      perTenant: true,
      jobType: 'test.per-tenant',
    })
    const scheduler = startScheduler(database, { firedBy: 'test', onError: (e) => console.error(e) })
    const secondTicks = () =>
      db.select().from(cronTicks).where(eq(cronTicks.schedule, 'test.per-tenant-second'))
    // Two ticks each take two seconds; a loaded machine may take longer to fire them, so wait for
    // them (up to 20 s) rather than for a fixed time.
    for (let waited = 0; waited < 20_000; waited += 250) {
      const seen = await secondTicks()
      if ([sh!, ld!].every((t) => seen.filter((x) => x.tenantId === t.id).length >= 2)) break
      await new Promise((r) => setTimeout(r, 250))
    }
    await scheduler.stop()
    const ticks = await secondTicks()
    for (const t of [sh!, ld!])
      expect(ticks.filter((x) => x.tenantId === t.id).length).toBeGreaterThanOrEqual(2)
    const tickJobs = await db.select().from(jobs).where(eq(jobs.type, 'test.per-tenant'))
    expect(new Set(tickJobs.map((j) => j.tenantId))).toEqual(new Set([sh!.id, ld!.id]))

    const nineAm = async (tenantId: string) =>
      (await listSchedules(db, database.kind, tenantId)).find((s) => s.name === 'test.nine-am')!
    const a = await nineAm(sh!.id)
    const b = await nineAm(ld!.id)
    expect(a.timezone).toBe('Asia/Shanghai')
    expect(b.timezone).toBe('Europe/London')
    // 09:00 Shanghai is 01:00 UTC; 09:00 London is 08:00 or 09:00 UTC
    expect(a.nextRunAt!.getUTCHours()).toBe(1)
    expect([8, 9]).toContain(b.nextRunAt!.getUTCHours())
    const second = await listSchedules(db, database.kind, sh!.id)
    expect(second.find((s) => s.name === 'test.per-tenant-second')!.lastRunAt).not.toBeNull()
  })
})

import { eq, sql } from 'drizzle-orm'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import { type Ctx, systemActor } from '../access/actor.js'
import type { Database } from '../db/index.js'
import { inTransaction } from '../db/tx.js'
import { dispatchNow, publish, registerConsumer } from './outbox.js'
import { outbox } from './schema.js'

let database: Database
let ctx: Ctx
const tenantId = uuidv7()
const effects = async (key: string) =>
  (
    (await database.db.execute(sql`select count(*)::int as n from test_effects where key = ${key}`))
      .rows[0] as { n: number }
  ).n

beforeAll(async () => {
  database = await freshDatabase()
  ctx = { db: database.db, actor: systemActor(tenantId, []), locale: 'zh-CN' }
  await database.db.execute(
    sql`create table test_effects (key text not null, consumer text not null, tenant_id uuid not null)`,
  )
  // The consumer's effect is written through ctx.db: the dispatcher's transaction.
  registerConsumer({
    name: 'test.counter',
    eventTypes: ['test.happened'],
    handle: async (c, event) => {
      await c.db.execute(
        sql`insert into test_effects (key, consumer, tenant_id) values (${String(event.payload.key)}, 'counter', ${c.actor.tenantId})`,
      )
    },
  })
  registerConsumer({
    name: 'test.picky',
    eventTypes: ['test.happened'],
    handle: async (c, event) => {
      await c.db.execute(
        sql`insert into test_effects (key, consumer, tenant_id) values (${String(event.payload.key)}, 'picky', ${c.actor.tenantId})`,
      )
      if (event.payload.failPicky) throw new Error('picky consumer failed')
    },
  })
})
afterAll(async () => {
  await database?.close()
})

describe('outbox', () => {
  it('delivers an event once to each consumer, with a system ctx of the event tenant, even when redelivered', async () => {
    await inTransaction(ctx, (tx) =>
      publish(tx, [
        { type: 'test.happened', aggregateType: 'thing', aggregateId: 'x1', payload: { key: 'once' } },
      ]),
    )
    expect(await dispatchNow(database.db)).toBe(1)
    expect(await effects('once')).toBe(2) // counter + picky
    const { rows } = await database.db.execute(
      sql`select distinct tenant_id from test_effects where key = 'once'`,
    )
    expect(rows).toEqual([{ tenant_id: tenantId }])
    // Redelivery (e.g. a process died after the consumers ran but the row looked pending): no second effect.
    await database.db.update(outbox).set({ dispatchedAt: null }).where(eq(outbox.tenantId, tenantId))
    expect(await dispatchNow(database.db)).toBeGreaterThanOrEqual(1)
    expect(await effects('once')).toBe(2)
  })

  it('never delivers an event whose transaction rolled back', async () => {
    await expect(
      inTransaction(ctx, async (tx) => {
        await publish(tx, [{ type: 'test.happened', payload: { key: 'rolled-back' } }])
        throw new Error('change refused')
      }),
    ).rejects.toThrow('change refused')
    await dispatchNow(database.db)
    expect(await effects('rolled-back')).toBe(0)
    const { rows } = await database.db.execute(
      sql`select count(*)::int as n from outbox where payload->>'key' = 'rolled-back'`,
    )
    expect(rows[0]).toEqual({ n: 0 })
  })

  it('retries a failing consumer with backoff, alone, without blocking other events', async () => {
    const [bad] = await publish(ctx, [{ type: 'test.happened', payload: { key: 'bad', failPicky: true } }])
    await publish(ctx, [{ type: 'test.happened', payload: { key: 'good' } }])
    await dispatchNow(database.db)
    expect(await effects('good')).toBe(2)
    // counter's effect committed with its receipt; picky's effect rolled back with its savepoint
    expect(await effects('bad')).toBe(1)
    const row = async () => (await database.db.select().from(outbox).where(eq(outbox.id, bad!)))[0]!
    expect((await row()).attempts).toBe(1)
    expect((await row()).lastError).toContain('picky consumer failed')
    expect((await row()).dispatchedAt).toBeNull()
    // within its backoff it is not retried
    expect(await dispatchNow(database.db)).toBe(0)
    // after the backoff, still failing: attempts grow; counter is not run again
    await database.db
      .update(outbox)
      .set({ createdAt: sql`now() - interval '1 hour'` })
      .where(eq(outbox.id, bad!))
    expect(await dispatchNow(database.db)).toBe(1)
    expect((await row()).attempts).toBe(2)
    expect(await effects('bad')).toBe(1)
    // fixed: delivered, picky's effect lands once
    await database.db
      .update(outbox)
      .set({ payload: { key: 'bad' }, createdAt: sql`now() - interval '2 hours'` })
      .where(eq(outbox.id, bad!))
    expect(await dispatchNow(database.db)).toBe(1)
    expect((await row()).dispatchedAt).not.toBeNull()
    expect(await effects('bad')).toBe(2)
  })

  it('spaces retries exponentially: retry n is due 2^n s after the previous one', async () => {
    registerConsumer({
      name: 'test.always-fails',
      eventTypes: ['test.doomed'],
      handle: async () => {
        throw new Error('down')
      },
    })
    const [id] = await publish(ctx, [{ type: 'test.doomed', payload: {} }])
    const row = async () => (await database.db.select().from(outbox).where(eq(outbox.id, id!)))[0]!
    const age = (secs: number) =>
      database.db
        .update(outbox)
        .set({ createdAt: sql`now() - make_interval(secs => ${secs})` })
        .where(eq(outbox.id, id!))
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(1)
    await age(1) // retry 1 is due at +2 s
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(1)
    await age(3)
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(2)
    await age(5) // retry 2 is due at +2+4 = 6 s
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(2)
    await age(7)
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(3)
    // at the 1 h cap, each further retry still waits an hour
    await database.db.update(outbox).set({ attempts: 13 }).where(eq(outbox.id, id!))
    await age(4094 + 2 * 3600 - 60)
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(13)
    await age(4094 + 2 * 3600 + 1)
    await dispatchNow(database.db)
    expect((await row()).attempts).toBe(14)
  })
})

import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { systemActor } from '../access/actor.js'
import { ALL_PERMISSIONS } from '../access/permissions.js'
import type { Db, Tx } from '../db/index.js'
import { consumerReceipts, outbox } from './schema.js'

export interface DomainEvent {
  type: string
  aggregateType?: string | null
  aggregateId?: string | null
  payload: Record<string, unknown>
}

export interface StoredEvent extends Required<DomainEvent> {
  id: string
  tenantId: string
  actorId: string | null
  createdAt: Date
}

export interface Consumer {
  /** Stable name: it keys the receipts that make redelivery idempotent. */
  name: string
  eventTypes: string[]
  /** Runs inside the dispatcher's transaction: use `ctx.db` only, never another connection. */
  handle(ctx: Ctx, event: StoredEvent): Promise<void>
}

const consumers = new Map<string, Consumer>()

export function registerConsumer(consumer: Consumer): void {
  consumers.set(consumer.name, consumer)
}

/** Writes events in the caller's transaction: they exist only if the change commits. */
export async function publish(ctx: Ctx, events: DomainEvent[]): Promise<string[]> {
  if (events.length === 0) return []
  const { rows } = await ctx.db.execute<{ id: string }>(sql`${publishInsert(ctx, events)} returning id`)
  return rows.map((r) => r.id)
}

/**
 * The insert `publish` runs, not yet executed, for a caller that folds it into one larger
 * statement (the data factory writes a whole run in one). `events` must not be empty.
 */
export function publishInsert(ctx: Ctx, events: DomainEvent[]): SQL {
  return ctx.db
    .insert(outbox)
    .values(
      events.map((e) => ({
        tenantId: ctx.actor.tenantId,
        type: e.type,
        aggregateType: e.aggregateType ?? null,
        aggregateId: e.aggregateId ?? null,
        payload: e.payload,
        actorId: ctx.actor.id,
      })),
    )
    .getSQL()
}

/** After this many failed deliveries an event stays undispatched (with its lastError) for an operator. */
export const OUTBOX_MAX_ATTEMPTS = 20

// Exponential backoff without a column: retry n waits 2^n s after the previous one (capped at 1 h
// per step), i.e. the event is due at created_at + the sum of those waits.
const waitedSecs = sql`case when ${outbox.attempts} <= 11 then power(2, ${outbox.attempts} + 1) - 2
  else 4094 + (${outbox.attempts} - 11) * 3600 end`
const eligible = sql`${outbox.dispatchedAt} is null and ${outbox.attempts} < ${OUTBOX_MAX_ATTEMPTS}
  and ${outbox.createdAt} + make_interval(secs => ${waitedSecs}) <= now()`

/**
 * Delivers one event in one short transaction: the row is locked (SKIP LOCKED, so other processes
 * take other events), each consumer runs in a savepoint together with its receipt, so a consumer's
 * effect and its receipt commit together and a failing consumer is retried alone later.
 * Returns false when nothing was eligible.
 */
async function dispatchOne(db: Db, skip: string[]): Promise<boolean> {
  return db.transaction(async (tx) => {
    const notSkipped = skip.length
      ? sql` and ${outbox.id} not in (${sql.join(
          skip.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : sql``
    const [event] = await tx
      .select()
      .from(outbox)
      .where(sql`${eligible}${notSkipped}`)
      .orderBy(outbox.createdAt)
      .limit(1)
      .for('update', { skipLocked: true })
    if (!event) return false
    skip.push(event.id)
    const stored = event as unknown as StoredEvent
    const errors: string[] = []
    for (const consumer of consumers.values()) {
      if (!consumer.eventTypes.includes(event.type) && !consumer.eventTypes.includes('*')) continue
      try {
        await tx.transaction(async (sp) => {
          const claimed = await sp
            .insert(consumerReceipts)
            .values({ tenantId: event.tenantId, consumer: consumer.name, eventId: event.id })
            .onConflictDoNothing()
            .returning({ eventId: consumerReceipts.eventId })
          if (claimed.length === 0) return // already handled on an earlier delivery
          const ctx: Ctx = {
            db: sp as Tx,
            actor: systemActor(event.tenantId, ALL_PERMISSIONS),
            locale: 'zh-CN',
            inTx: true,
          }
          await consumer.handle(ctx, stored)
        })
      } catch (err) {
        errors.push(`${consumer.name}: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    const where = and(eq(outbox.tenantId, event.tenantId), eq(outbox.id, event.id))
    if (errors.length === 0) await tx.update(outbox).set({ dispatchedAt: new Date() }).where(where)
    else
      await tx
        .update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: errors.join('\n').slice(0, 4000) })
        .where(where)
    return true
  })
}

/** Delivers every eligible event now (tests; the dispatcher loop calls it too). Returns how many were handled. */
export async function dispatchNow(db: Db, limit = 1000): Promise<number> {
  const seen: string[] = []
  let n = 0
  while (n < limit && (await dispatchOne(db, seen))) n++
  return n
}

export interface Dispatcher {
  stop(): Promise<void>
}

/** Polls the outbox (no LISTEN: the embedded database is reached through a socket that lacks it). */
export function startDispatcher(
  db: Db,
  opts: { pollMs?: number; batch?: number; onError?: (err: unknown) => void } = {},
): Dispatcher {
  const pollMs = opts.pollMs ?? 500
  const batch = opts.batch ?? 50
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const tick = () => {
    running = (async () => {
      let n = 0
      try {
        n = await dispatchNow(db, batch)
      } catch (err) {
        opts.onError?.(err)
      }
      // A full batch means more are waiting: go on at once instead of sleeping.
      if (!stopped) timer = setTimeout(tick, n >= batch ? 0 : pollMs)
    })()
  }
  timer = setTimeout(tick, pollMs)
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

/** Maintenance: dispatched events and their receipts older than `days` are deleted. */
export async function purgeOutbox(db: Db, days = 7): Promise<void> {
  const cutoff = new Date(Date.now() - days * 86_400_000)
  await db.delete(outbox).where(sql`${outbox.dispatchedAt} < ${cutoff}`)
  // Receipts of an event still pending (a consumer keeps failing) are kept: they stop the consumers
  // that did succeed from running again when it is finally delivered.
  await db.delete(consumerReceipts).where(
    sql`${consumerReceipts.handledAt} < ${cutoff} and not exists (select 1 from ${outbox} o
        where o.tenant_id = ${consumerReceipts.tenantId} and o.id = ${consumerReceipts.eventId}
        and o.dispatched_at is null)`,
  )
}

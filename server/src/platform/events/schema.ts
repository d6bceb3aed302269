import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId } from '../db/columns.js'

/** Domain events written in the same transaction as the change that caused them. */
export const outbox = pgTable(
  'outbox',
  {
    tenantId: tenantId(),
    id: id(),
    type: text('type').notNull(),
    aggregateType: text('aggregate_type'),
    aggregateId: text('aggregate_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    actorId: uuid('actor_id'),
    createdAt: createdAt(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('outbox_pending_idx').on(t.createdAt).where(sql`${t.dispatchedAt} is null`),
  ],
)

/** One row per (consumer, event) handled: makes consumers idempotent under redelivery. */
export const consumerReceipts = pgTable(
  'consumer_receipts',
  {
    tenantId: tenantId(),
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    handledAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.consumer, t.eventId] })],
)

/** Stored responses for `Idempotency-Key` replays. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId(),
    /** Who sent it (user or API key id) so keys of different callers never collide. */
    callerId: uuid('caller_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.callerId, t.key] }),
    index('idempotency_created_idx').on(t.createdAt),
  ],
)

import { integer, jsonb, timestamp, uuid } from 'drizzle-orm/pg-core'
import { uuidv7 } from 'uuidv7'

/** Shared column builders so every tenant-owned table looks the same. */
export const tenantId = () => uuid('tenant_id').notNull()
export const id = () =>
  uuid('id')
    .notNull()
    .$defaultFn(() => uuidv7())
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
/** Optimistic concurrency: every update bumps it; a stale `version` gets 409. */
export const version = () => integer('version').notNull().default(1)
/** Custom field values (definitions in custom_field_defs), GIN-indexed. */
export const custom = () => jsonb('custom').$type<Record<string, unknown>>().notNull().default({})
export const newId = () => uuidv7()

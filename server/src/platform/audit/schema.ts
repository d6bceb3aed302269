import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId } from '../db/columns.js'

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantId(),
    id: id(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').$type<'user' | 'api_key' | 'system'>().notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    /** create | update | delete | restore | purge | login | … */
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    summary: text('summary'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    ip: text('ip'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_at_idx').on(t.tenantId, t.at.desc(), t.id.desc()),
    index('audit_log_object_idx').on(t.tenantId, t.objectType, t.objectId),
  ],
)

export const recycleBin = pgTable(
  'recycle_bin',
  {
    tenantId: tenantId(),
    id: id(),
    objectType: text('object_type').notNull(),
    objectId: uuid('object_id').notNull(),
    label: text('label'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    deletedBy: uuid('deleted_by'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('recycle_bin_object_key').on(t.tenantId, t.objectType, t.objectId),
    index('recycle_bin_deleted_idx').on(t.tenantId, t.deletedAt.desc(), t.id.desc()),
  ],
)

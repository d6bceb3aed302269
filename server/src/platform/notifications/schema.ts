import { sql } from 'drizzle-orm'
import {
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId } from '../db/columns.js'
import { users } from '../org/schema.js'

/**
 * The in-app notification centre: one row per recipient. `dedupeKey` makes every producer
 * idempotent (a reminder job run twice notifies once).
 */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    /** followup_due, followup_overdue, reclaim_soon, reclaimed, assigned, sla_missed, handover… */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body'),
    /** Web path to open: /leads/<id> */
    link: text('link'),
    subjectType: text('subject_type'),
    subjectId: uuid('subject_id'),
    dedupeKey: text('dedupe_key'),
    readAt: timestamp('read_at', { withTimezone: true }),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    uniqueIndex('notifications_dedupe_key').on(t.tenantId, t.userId, t.dedupeKey),
    index('notifications_user_idx').on(t.tenantId, t.userId, t.createdAt.desc().nullsFirst()),
    index('notifications_unread_idx').on(t.tenantId, t.userId).where(sql`${t.readAt} is null`),
    // The email job reads the recent not-yet-emailed rows of every workspace.
    index('notifications_unemailed_idx').on(t.createdAt).where(sql`${t.emailedAt} is null`),
  ],
)

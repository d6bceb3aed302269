import { sql } from 'drizzle-orm'
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { users } from '../../platform/org/schema.js'

export const FOLLOW_UP_TYPES = [
  'call',
  'visit',
  'business_trip',
  'interview',
  'wechat',
  'sms',
  'email',
  'tender',
  'other',
] as const
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number]

/** What a follow-up is about: leads now; customers and opportunities use the same model later. */
export const FOLLOW_UP_SUBJECTS = ['lead', 'customer', 'opportunity'] as const
export type FollowUpSubject = (typeof FOLLOW_UP_SUBJECTS)[number]

/** Follow-up records (跟进记录, PL-6 / SC-2). */
export const followUps = pgTable(
  'follow_ups',
  {
    tenantId: tenantId(),
    id: id(),
    subjectType: text('subject_type').$type<FollowUpSubject>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    type: text('type').$type<FollowUpType>().notNull(),
    content: text('content').notNull(),
    outcome: text('outcome'),
    /** When it happened (defaults to now) and when the next step is due. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    nextAt: timestamp('next_at', { withTimezone: true }),
    nextStep: text('next_step'),
    /** { name, url, size, contentType }[] */
    attachments: jsonb('attachments').$type<Record<string, unknown>[]>().notNull().default([]),
    /** Check-in location (签到): { lat, lng, address } */
    location: jsonb('location').$type<{ lat: number; lng: number; address?: string } | null>(),
    participants: jsonb('participants').$type<string[]>().notNull().default([]),
    /** Who wrote it; the subject's scope columns copied so lists are scope-filtered on their own. */
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** Set once the overdue alert for nextAt was sent (reminder jobs are idempotent). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    overdueAlertedAt: timestamp('overdue_alerted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('follow_ups_subject_idx').on(t.tenantId, t.subjectType, t.subjectId, t.occurredAt),
    index('follow_ups_next_idx').on(t.tenantId, t.nextAt),
    index('follow_ups_owner_idx').on(t.tenantId, t.ownerId, t.occurredAt),
    // Reading an attachment checks that a follow-up the caller sees refers to it (attachments @> …).
    index('follow_ups_attachments_idx').using('gin', sql`${t.attachments} jsonb_path_ops`),
  ],
)

/** Suggested sales scripts (话术) shown while following up, by lead status and tag. */
export const salesScripts = pgTable(
  'sales_scripts',
  {
    tenantId: tenantId(),
    id: id(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    statuses: jsonb('statuses').$type<string[]>().notNull().default([]),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
)

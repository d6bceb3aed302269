import { sql } from 'drizzle-orm'
import {
  boolean,
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
import { createdAt, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'
import { orgUnits, users } from '../../../platform/org/schema.js'

export const TASK_KINDS = ['task', 'meeting', 'call', 'visit'] as const
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const
export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const
/** What a task is about (optional): the same subjects as follow-ups. */
export const TASK_SUBJECTS = ['lead', 'customer', 'opportunity', 'order'] as const

/**
 * Tasks and meetings (日程): a due date (tasks) or a start and end (meetings), participants,
 * a reminder some minutes before, and an optional subject (lead, customer, opportunity, order).
 */
export const tasks = pgTable(
  'tasks',
  {
    tenantId: tenantId(),
    id: id(),
    kind: text('kind').$type<(typeof TASK_KINDS)[number]>().notNull().default('task'),
    title: text('title').notNull(),
    description: text('description'),
    status: text('status').$type<(typeof TASK_STATUSES)[number]>().notNull().default('open'),
    priority: text('priority').$type<(typeof TASK_PRIORITIES)[number]>().notNull().default('normal'),
    startAt: timestamp('start_at', { withTimezone: true }),
    endAt: timestamp('end_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    allDay: boolean('all_day').notNull().default(false),
    location: text('location'),
    subjectType: text('subject_type').$type<(typeof TASK_SUBJECTS)[number]>(),
    subjectId: uuid('subject_id'),
    /** Contacts taking part (meetings with the customer's people). */
    contactIds: jsonb('contact_ids').$type<string[]>().notNull().default([]),
    remindMinutesBefore: integer('remind_minutes_before'),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    index('tasks_tenant_created_idx').on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('tasks_owner_start_idx').on(t.tenantId, t.ownerId, t.startAt),
    index('tasks_owner_due_idx').on(t.tenantId, t.ownerId, t.dueAt),
    index('tasks_subject_idx').on(t.tenantId, t.subjectType, t.subjectId),
    // The reminders job: open tasks with a reminder not yet sent.
    index('tasks_remind_idx')
      .on(t.tenantId, t.startAt, t.dueAt)
      .where(sql`${t.remindMinutesBefore} is not null and ${t.remindedAt} is null and ${t.status} = 'open'`),
  ],
)

/** People invited to a task or meeting, and their answer. */
export const taskParticipants = pgTable(
  'task_participants',
  {
    tenantId: tenantId(),
    taskId: uuid('task_id').notNull(),
    userId: uuid('user_id').notNull(),
    response: text('response').$type<'pending' | 'accepted' | 'declined'>().notNull().default('pending'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.taskId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.taskId], foreignColumns: [tasks.tenantId, tasks.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('task_participants_user_idx').on(t.tenantId, t.userId),
  ],
)

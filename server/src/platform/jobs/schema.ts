import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, newId, updatedAt } from '../db/columns.js'

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

/**
 * The job queue. A platform table, not tenant-owned (see docs/adr/0002): workers claim across
 * tenants with FOR UPDATE SKIP LOCKED. tenant_id says whose job it is (null for maintenance).
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    tenantId: uuid('tenant_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    progress: integer('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    /** Handler-owned resume point, saved with progress so a restarted job continues. */
    checkpoint: jsonb('checkpoint'),
    result: jsonb('result'),
    lastError: text('last_error'),
    cancelRequested: integer('cancel_requested').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_ready_idx').on(t.runAt).where(sql`${t.status} = 'queued'`),
    index('jobs_tenant_idx').on(t.tenantId, t.createdAt.desc()),
  ],
)

/** One row per fired cron tick: the unique key makes a tick run once across all processes. */
export const cronTicks = pgTable(
  'cron_ticks',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    schedule: text('schedule').notNull(),
    tenantId: uuid('tenant_id'),
    tickAt: timestamp('tick_at', { withTimezone: true }).notNull(),
    firedBy: text('fired_by').notNull(),
    jobId: uuid('job_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('cron_ticks_key').on(
      t.schedule,
      sql`coalesce(${t.tenantId}, '00000000-0000-0000-0000-000000000000')`,
      t.tickAt,
    ),
  ],
)

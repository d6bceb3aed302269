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
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { type LeadCondition, leadPools } from './pools.schema.js'

/**
 * Distribution (分发, PL-4): ordered rules moving leads from a source pool (default: the master
 * pool) to a target pool and/or another org (HQ → dealers). First matching rule wins.
 */
export const distributionRules = pgTable(
  'distribution_rules',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    /** Leads in this pool are considered; null = the master pool. */
    sourcePoolId: uuid('source_pool_id'),
    conditions: jsonb('conditions').$type<LeadCondition[]>().notNull().default([]),
    targetPoolId: uuid('target_pool_id'),
    /** The org unit (dealer, branch, department) that receives the lead. */
    targetUnitId: uuid('target_unit_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.targetPoolId], foreignColumns: [leadPools.tenantId, leadPools.id] }),
    foreignKey({ columns: [t.tenantId, t.targetUnitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
  ],
)

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'weighted', 'least_loaded'] as const
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number]

export interface AssignmentMember {
  userId: string
  /** Weighted strategy: share of leads (default 1). */
  weight?: number
  /** Most open leads this person may hold; null = unlimited. */
  capacity?: number | null
}

/** Assignment (分配, PL-5): ordered rules per pool giving arriving leads to people. */
export const assignmentRules = pgTable(
  'assignment_rules',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    /** The pool whose leads this rule assigns; null = any pool. */
    poolId: uuid('pool_id'),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    strategy: text('strategy').$type<AssignmentStrategy>().notNull().default('round_robin'),
    conditions: jsonb('conditions').$type<LeadCondition[]>().notNull().default([]),
    members: jsonb('members').$type<AssignmentMember[]>().notNull().default([]),
    /** Skip people on leave or outside their working hours. */
    respectSchedule: boolean('respect_schedule').notNull().default(true),
    /** Round-robin / weighted position, advanced atomically. */
    cursor: integer('cursor').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.poolId], foreignColumns: [leadPools.tenantId, leadPools.id] }),
  ],
)

/** Working hours of a salesperson (assignment skips people off duty). */
export const workSchedules = pgTable(
  'work_schedules',
  {
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    /** ISO weekdays worked, 1 = Monday … 7 = Sunday. */
    weekdays: jsonb('weekdays').$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    /** Minutes after midnight in the workspace time zone. */
    startMinute: integer('start_minute').notNull().default(540),
    endMinute: integer('end_minute').notNull().default(1080),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
  ],
)

/** Leave periods (请假): assignment skips the person while one is current. */
export const leaves = pgTable(
  'leaves',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('leaves_user_idx').on(t.tenantId, t.userId, t.endsAt),
  ],
)

/** Work handover (工作移交): everything one person owned moved to another, with its counts. */
export const handovers = pgTable(
  'handovers',
  {
    tenantId: tenantId(),
    id: id(),
    fromUserId: uuid('from_user_id').notNull(),
    toUserId: uuid('to_user_id').notNull(),
    reason: text('reason').notNull(),
    /** What moved, per object type: { lead: 120, followUpReminders: 4 }. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.fromUserId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.toUserId], foreignColumns: [users.tenantId, users.id] }),
  ],
)

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
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { orgUnits, users } from '../../platform/org/schema.js'

/** The pyramid (PL-1): one master pool, sub-pools below it, and public pools (公海, PL-3). */
export const POOL_KINDS = ['master', 'sub', 'public'] as const
export type PoolKind = (typeof POOL_KINDS)[number]

/**
 * A condition over lead fields, shared by sub-pool criteria, distribution and assignment rules:
 * `field` is a lead column (regionCode, category, channelId, grade, source, status, score…) or
 * `custom.<key>`; `op` one of eq, ne, in, not_in, prefix, gt, gte, lt, lte, empty, not_empty.
 */
export interface LeadCondition {
  field: string
  op: string
  value?: unknown
}

/** Public-pool (公海) settings: claim limits, locks, protection, automatic reclaim and masking. */
export interface PublicPoolSettings {
  /** Claims per user per calendar day (workspace time zone); null = unlimited. */
  dailyClaimLimit?: number | null
  /** Open leads a user may hold at once; null = unlimited. */
  userHoldingCap?: number | null
  /** Open leads a department (the claimer's unit) may hold at once; null = unlimited. */
  unitHoldingCap?: number | null
  /** The previous owner may not re-claim a released/reclaimed lead for this many days. */
  reclaimLockDays?: number
  /** New leads entering the pool can only be claimed after this many hours. */
  protectionHours?: number
  /** Fields hidden (null) while a lead sits in this pool: 'mobile', 'email', 'phone', 'custom.<key>'… */
  hiddenFields?: string[]
  /** Automatic reclaim of leads held by people into this pool. */
  reclaim?: {
    enabled: boolean
    /** No follow-up within N days of claim/assignment or of the last follow-up. */
    noFollowUpDays?: number | null
    /** Not converted within M days of claim/assignment. */
    notConvertedDays?: number | null
    /** Per grade overrides of noFollowUpDays: { A: 30, B: 15, C: 7, D: 3 }. */
    noFollowUpDaysByGrade?: Record<string, number>
    /** Leave leads that have an open opportunity alone (when the sales module exists). */
    skipWithOpenOpportunities?: boolean
    /** Notify the owner this many days before a lead is reclaimed. */
    remindDaysBefore?: number | null
  }
}

export const leadPools = pgTable(
  'lead_pools',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    kind: text('kind').$type<PoolKind>().notNull(),
    /** Nesting: a sub-pool's parent (the master pool or another sub-pool). */
    parentId: uuid('parent_id'),
    description: text('description'),
    /** Owning org unit (scope: department / tree) and its org boundary (dealer confidentiality). */
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** Sub-pool criteria: a lead whose fields match every condition belongs here when distributed. */
    criteria: jsonb('criteria').$type<LeadCondition[]>().notNull().default([]),
    /** Public pools (公海): settings (limits, reclaim rules, hidden fields). */
    settings: jsonb('settings').$type<PublicPoolSettings>().notNull().default({}),
    /** Public pools: the units whose people may see and claim (empty: the owning unit's tree). */
    memberUnitIds: jsonb('member_unit_ids').$type<string[]>().notNull().default([]),
    /** Where this pool's leads go when reclaimed (a public pool); null = the workspace default. */
    reclaimPoolId: uuid('reclaim_pool_id'),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('lead_pools_name_key').on(t.tenantId, t.name),
    // One master pool per workspace.
    uniqueIndex('lead_pools_master_key').on(t.tenantId, t.kind).where(sql`${t.kind} = 'master'`),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
  ],
)

/** Pool admins and members (seed 002: marketing owns the master pool, a director manages every pool). */
export const leadPoolMembers = pgTable(
  'lead_pool_members',
  {
    tenantId: tenantId(),
    poolId: uuid('pool_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').$type<'admin' | 'member'>().notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.poolId, t.userId] }),
    foreignKey({
      columns: [t.tenantId, t.poolId],
      foreignColumns: [leadPools.tenantId, leadPools.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('lead_pool_members_user_idx').on(t.tenantId, t.userId),
  ],
)

export const LEAD_MOVE_KINDS = [
  'pool',
  'distribute',
  'assign',
  'claim',
  'release',
  'reclaim',
  'handover',
  'status',
] as const
export type LeadMoveKind = (typeof LEAD_MOVE_KINDS)[number]

/** The full history of a lead's pool, org, owner and status changes (PL-1…PL-5). Append-only. */
export const leadMoves = pgTable(
  'lead_moves',
  {
    tenantId: tenantId(),
    id: id(),
    leadId: uuid('lead_id').notNull(),
    kind: text('kind').$type<LeadMoveKind>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Who did it; null for the system (rules, jobs). */
    actorId: uuid('actor_id'),
    fromPoolId: uuid('from_pool_id'),
    toPoolId: uuid('to_pool_id'),
    fromOrgId: uuid('from_org_id'),
    toOrgId: uuid('to_org_id'),
    fromOwnerId: uuid('from_owner_id'),
    toOwnerId: uuid('to_owner_id'),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** A close/release reason key or free text; the rule that moved it. */
    reason: text('reason'),
    ruleId: uuid('rule_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('lead_moves_lead_idx').on(t.tenantId, t.leadId, t.at),
    index('lead_moves_kind_idx').on(t.tenantId, t.kind, t.at),
  ],
)

/** A previous owner may not re-claim a lead until `until` (PL-3 lock). */
export const leadClaimLocks = pgTable(
  'lead_claim_locks',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id').notNull(),
    userId: uuid('user_id').notNull(),
    until: timestamp('until', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.leadId, t.userId] })],
)

/** Collaborators besides the owner (协作人): they see and follow up the lead. */
export const leadCollaborators = pgTable(
  'lead_collaborators',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.leadId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('lead_collaborators_user_idx').on(t.tenantId, t.userId),
  ],
)

/** Workspace settings of the lead lifecycle: close reasons, first-contact SLA, default public pool. */
export interface LeadCloseReason {
  key: string
  label: string
  /** Which terminal status it applies to. */
  status: 'closed' | 'invalid'
}
export const leadSettings = pgTable('lead_settings', {
  tenantId: tenantId().primaryKey(),
  closeReasons: jsonb('close_reasons').$type<LeadCloseReason[]>().notNull().default([]),
  releaseReasons: jsonb('release_reasons').$type<string[]>().notNull().default([]),
  /** Hours from assignment to the first follow-up before the SLA is missed. */
  firstContactSlaHours: integer('first_contact_sla_hours').notNull().default(24),
  /** Where reclaimed/released leads go when their pool names none. */
  defaultPublicPoolId: uuid('default_public_pool_id'),
  /** Assign automatically when a lead arrives (after distribution). */
  autoAssign: boolean('auto_assign').notNull().default(true),
  autoDistribute: boolean('auto_distribute').notNull().default(true),
  updatedAt: updatedAt(),
  version: version(),
})

/** Saved list views per user: filter, columns, sort, list or board (PL views). */
export const savedViews = pgTable(
  'saved_views',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id').notNull(),
    object: text('object').notNull().default('lead'),
    name: text('name').notNull(),
    /** The list query as the API takes it: filter, q, poolId, sort. */
    query: jsonb('query').$type<Record<string, unknown>>().notNull().default({}),
    columns: jsonb('columns').$type<string[]>().notNull().default([]),
    layout: text('layout').$type<'list' | 'board'>().notNull().default('list'),
    shared: boolean('shared').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    index('saved_views_user_idx').on(t.tenantId, t.userId, t.object),
  ],
)

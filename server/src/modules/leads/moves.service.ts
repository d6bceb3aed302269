import { and, asc, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { badRequest } from '../../platform/http/errors.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { insertMany, sqlArray } from '../quality/bulk.js'
import { type LeadMoveKind, leadMoves } from './pools.schema.js'
import { leads } from './schema.js'

type Row = Record<string, unknown>

/** Where leads go. Fields left out stay as they are. */
export interface LeadDestination {
  poolId?: string | null
  /** The unit that receives them (its org boundary follows); default: the new owner's unit. */
  unitId?: string
  ownerId?: string | null
  status?: string
  closeReason?: string | null
}

export interface MoveMeta {
  kind: LeadMoveKind
  reason?: string | null
  ruleId?: string | null
}

const MOVE_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  lead_id: 'uuid',
  kind: 'text',
  at: 'timestamptz',
  actor_id: 'uuid',
  from_pool_id: 'uuid',
  to_pool_id: 'uuid',
  from_org_id: 'uuid',
  to_org_id: 'uuid',
  from_owner_id: 'uuid',
  to_owner_id: 'uuid',
  from_status: 'text',
  to_status: 'text',
  reason: 'text',
  rule_id: 'uuid',
}
const AUDIT_CHUNK = 2000

/** Statuses that mean "nobody works it yet" / "somebody works it" / "done". */
const UNWORKED = new Set(['new', 'assigned'])
export const OPEN_STATUSES = ['new', 'assigned', 'following', 'qualified'] as const
export const TERMINAL_STATUSES = ['converted', 'closed', 'invalid'] as const

/**
 * The one way leads change pool, org, owner or status (distribution, assignment, claim, release,
 * reclaim, handover, status changes). Set-based: one UPDATE for all `ids`, one history row and one
 * audit entry per lead, in the caller's transaction.
 *
 * It does NOT check the caller's data scope (`bypassScope`): callers authorise first (pool
 * membership for a claim, target inside the caller's scope for a distribution…) and pass the ids
 * they have checked. Leads of another tenant are never touched (tenant filter).
 */
export async function moveLeads(
  ctx: Ctx,
  ids: string[],
  to: LeadDestination,
  meta: MoveMeta,
): Promise<Row[]> {
  if (ids.length === 0) return []
  return inTransaction(ctx, async (tx) => {
    const tenant = tx.actor.tenantId
    let unitId = to.unitId
    if (unitId === undefined && to.ownerId) {
      const [owner] = await tx.db
        .select({ unitId: users.unitId })
        .from(users)
        .where(and(eq(users.tenantId, tenant), eq(users.id, to.ownerId)))
      if (!owner) throw badRequest('invalid_user')
      unitId = owner.unitId
    }
    let orgId: string | undefined
    if (unitId !== undefined) {
      const [unit] = await tx.db
        .select({ orgId: orgUnits.orgId })
        .from(orgUnits)
        .where(and(eq(orgUnits.tenantId, tenant), eq(orgUnits.id, unitId)))
      if (!unit) throw badRequest('invalid_unit')
      orgId = unit.orgId
    }
    const before = (await tx.db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, tenant), sql`${leads.id} = any(${sqlArray(ids, 'uuid')})`))
      .orderBy(asc(leads.id))
      .for('update')) as Row[]
    if (before.length === 0) return []

    const now = new Date()
    const set: Record<string, unknown> = { updatedAt: now, version: sql`${leads.version} + 1` }
    if (to.poolId !== undefined) {
      set.poolId = to.poolId
      set.poolEnteredAt = sql`case when ${leads.poolId} is distinct from ${to.poolId}::uuid then ${now.toISOString()}::timestamptz else ${leads.poolEnteredAt} end`
    }
    if (unitId !== undefined) {
      set.unitId = unitId
      set.orgId = orgId
    }
    if (to.ownerId !== undefined) {
      set.ownerId = to.ownerId
      // A new owner starts a new clock: reclaim and the first-contact SLA count from here.
      set.assignedAt = to.ownerId
        ? sql`case when ${leads.ownerId} is distinct from ${to.ownerId}::uuid then ${now.toISOString()}::timestamptz else ${leads.assignedAt} end`
        : null
      set.firstContactAt = to.ownerId
        ? sql`case when ${leads.ownerId} is distinct from ${to.ownerId}::uuid then null else ${leads.firstContactAt} end`
        : null
      set.nextFollowUpAt = to.ownerId ? sql`${leads.nextFollowUpAt}` : null
    }
    if (to.status !== undefined) {
      set.status = to.status
      set.closeReason = to.closeReason ?? null
    } else if (to.ownerId !== undefined) {
      // Owner changes move unworked leads between "new" and "assigned"; worked leads keep their status.
      set.status = to.ownerId
        ? sql`case when ${leads.status} = 'new' then 'assigned' else ${leads.status} end`
        : sql`case when ${leads.status} in ('assigned', 'following') then 'new' else ${leads.status} end`
    }
    set.statusChangedAt = sql`case when ${leads.status} is distinct from (${set.status === undefined ? sql`${leads.status}` : sql`${set.status}`}) then ${now.toISOString()}::timestamptz else ${leads.statusChangedAt} end`

    const after = (await tx.db
      .update(leads)
      .set(set)
      .where(and(eq(leads.tenantId, tenant), sql`${leads.id} = any(${sqlArray(ids, 'uuid')})`))
      .returning()) as Row[]
    const beforeById = new Map(before.map((r) => [r.id as string, r]))
    // One JSON parameter, not 16 bind parameters per row: a batch of 5,000 leads would pass
    // PostgreSQL's 65,535-parameter limit.
    await insertMany(
      tx,
      'lead_moves',
      MOVE_COLUMNS,
      after.map((a) => {
        const b = beforeById.get(a.id as string)!
        return {
          tenant_id: tenant,
          id: newId(),
          lead_id: a.id,
          kind: meta.kind,
          at: now.toISOString(),
          actor_id: tx.actor.id,
          from_pool_id: b.poolId ?? null,
          to_pool_id: a.poolId ?? null,
          from_org_id: b.orgId,
          to_org_id: a.orgId,
          from_owner_id: b.ownerId ?? null,
          to_owner_id: a.ownerId ?? null,
          from_status: b.status,
          to_status: a.status,
          reason: meta.reason ?? null,
          rule_id: meta.ruleId ?? null,
        }
      }),
    )
    const KEYS = ['poolId', 'unitId', 'orgId', 'ownerId', 'status', 'closeReason'] as const
    const entries = after.map((a) => {
      const b = beforeById.get(a.id as string)!
      const changed = KEYS.filter((k) => b[k] !== a[k])
      return {
        action: meta.kind,
        objectType: 'lead',
        objectId: a.id as string,
        summary: `${a.name}${meta.reason ? ` (${meta.reason})` : ''}`,
        before: Object.fromEntries(changed.map((k) => [k, b[k]])),
        after: Object.fromEntries(changed.map((k) => [k, a[k]])),
      }
    })
    // writeAudit binds 13 parameters per entry: keep each statement under the limit.
    for (let i = 0; i < entries.length; i += AUDIT_CHUNK)
      await writeAudit(tx, entries.slice(i, i + AUDIT_CHUNK))
    return after
  })
}

/** True for statuses in which somebody still works the lead. */
export const isOpenStatus = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status)
export const isUnworked = (status: string) => UNWORKED.has(status)

/** A lead's history of pool, org, owner and status changes, oldest first. */
export async function leadMovesOf(ctx: Ctx, leadId: string) {
  return ctx.db
    .select()
    .from(leadMoves)
    .where(and(eq(leadMoves.tenantId, ctx.actor.tenantId), eq(leadMoves.leadId, leadId)))
    .orderBy(asc(leadMoves.at), asc(leadMoves.id))
}

import { and, asc, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { badRequest } from '../../../platform/http/errors.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { sqlArray } from '../../quality/bulk.js'
import { customers } from './schema.js'

type Row = Record<string, unknown>

/** Where customers go. Fields left out stay as they are. */
export interface CustomerDestination {
  poolId?: string | null
  /** The unit that receives them (its org boundary follows); default: the new owner's unit. */
  unitId?: string
  ownerId?: string | null
}

/** assign, claim, release, reclaim, handover: the audit action of the move. */
export interface CustomerMoveMeta {
  kind: string
  reason?: string | null
}

const AUDIT_CHUNK = 2000
const MOVED = ['poolId', 'unitId', 'orgId', 'ownerId'] as const

const byIds = (ids: string[]) => sql`${customers.id} = any(${sqlArray(ids, 'uuid')})`

/** The unit (and its org) customers move to: the given one, else the new owner's; none when neither is set. */
async function destination(ctx: Ctx, to: CustomerDestination) {
  if (to.unitId === undefined && !to.ownerId) return null
  const t = ctx.actor.tenantId
  const ownersUnit = sql`(select ${users.unitId} from ${users} where ${users.tenantId} = ${t} and ${users.id} = ${to.ownerId ?? null})`
  const [unit] = await ctx.db
    .select({ unitId: orgUnits.id, orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(
      and(
        eq(orgUnits.tenantId, t),
        to.unitId !== undefined ? eq(orgUnits.id, to.unitId) : eq(orgUnits.id, ownersUnit),
      ),
    )
  if (!unit) throw badRequest(to.unitId !== undefined ? 'invalid_unit' : 'invalid_user')
  return unit
}

/**
 * The one way customers change owner, unit or public pool (assign, claim, release, reclaim,
 * handover, an owner edited on the form). Set-based: one UPDATE for all `ids`, one audit entry per
 * customer, and their contacts follow (scope columns copied), in the caller's transaction.
 *
 * It does NOT check the caller's data scope: callers authorise first and pass the ids they have
 * checked. Customers of another tenant are never touched (tenant filter).
 */
export async function moveCustomers(
  ctx: Ctx,
  ids: string[],
  to: CustomerDestination,
  meta: CustomerMoveMeta,
): Promise<Row[]> {
  if (ids.length === 0) return []
  return inTransaction(ctx, async (tx) => {
    const tenant = tx.actor.tenantId
    const place = await destination(tx, to)
    const mine = and(eq(customers.tenantId, tenant), byIds(ids))
    const before = (await tx.db
      .select()
      .from(customers)
      .where(mine)
      .orderBy(asc(customers.id))
      .for('update')) as Row[]
    if (before.length === 0) return []
    const now = new Date()
    const at = sql`${now.toISOString()}::timestamptz`
    const set: Record<string, unknown> = { updatedAt: now, version: sql`${customers.version} + 1` }
    if (to.poolId !== undefined) {
      set.poolId = to.poolId
      set.poolEnteredAt = sql`case when ${customers.poolId} is distinct from ${to.poolId}::uuid then ${at} else ${customers.poolEnteredAt} end`
    }
    if (place) Object.assign(set, place)
    if (to.ownerId !== undefined) {
      set.ownerId = to.ownerId
      // A new owner starts a new clock: reclaim counts from here.
      set.assignedAt = to.ownerId
        ? sql`case when ${customers.ownerId} is distinct from ${to.ownerId}::uuid then ${at} else ${customers.assignedAt} end`
        : null
      if (!to.ownerId) set.nextFollowUpAt = null
    }
    const after = (await tx.db.update(customers).set(set).where(mine).returning()) as Row[]
    const beforeById = new Map(before.map((r) => [r.id as string, r]))
    const entries = after.map((a) => {
      const b = beforeById.get(a.id as string)!
      const changed = MOVED.filter((k) => b[k] !== a[k])
      return {
        action: meta.kind,
        objectType: 'customer',
        objectId: a.id as string,
        summary: `${a.name}${meta.reason ? ` (${meta.reason})` : ''}`,
        // The pool always: a claim leaves it unchanged, and daily claim limits count per pool.
        before: { poolId: b.poolId, ...Object.fromEntries(changed.map((k) => [k, b[k]])) },
        after: { poolId: a.poolId, ...Object.fromEntries(changed.map((k) => [k, a[k]])) },
      }
    })
    for (let i = 0; i < entries.length; i += AUDIT_CHUNK)
      await writeAudit(tx, entries.slice(i, i + AUDIT_CHUNK))
    await contactsFollow(tx, ids, meta.kind)
    return after
  })
}

/**
 * Contacts carry their customer's scope columns (so contact lists are scope-filtered on their own):
 * after a customer changed owner, unit or org, its contacts take them over, audited as `kind`.
 */
export async function contactsFollow(ctx: Ctx, customerIds: string[], kind: string): Promise<number> {
  if (!customerIds.length) return 0
  const tenant = ctx.actor.tenantId
  const res = await ctx.db.execute<{
    id: string
    name: string
    owner_id: string | null
    unit_id: string
    org_id: string
    old_owner: string | null
    old_unit: string
    old_org: string
  }>(sql`with old as (
      select ct.id, ct.owner_id, ct.unit_id, ct.org_id from contacts ct
        join customers cu on cu.tenant_id = ct.tenant_id and cu.id = ct.customer_id
       where ct.tenant_id = ${tenant}::uuid and ct.customer_id = any(${sqlArray(customerIds, 'uuid')})
         and (ct.owner_id is distinct from cu.owner_id or ct.unit_id <> cu.unit_id or ct.org_id <> cu.org_id)
       for update of ct)
    update contacts ct set owner_id = cu.owner_id, unit_id = cu.unit_id, org_id = cu.org_id,
           updated_at = now(), version = ct.version + 1
      from old, customers cu
     where ct.tenant_id = ${tenant}::uuid and ct.id = old.id
       and cu.tenant_id = ct.tenant_id and cu.id = ct.customer_id
    returning ct.id, ct.name, ct.owner_id, ct.unit_id, ct.org_id,
              old.owner_id as old_owner, old.unit_id as old_unit, old.org_id as old_org`)
  const rows = res.rows
  for (let i = 0; i < rows.length; i += AUDIT_CHUNK)
    await writeAudit(
      ctx,
      rows.slice(i, i + AUDIT_CHUNK).map((r) => ({
        action: kind,
        objectType: 'contact',
        objectId: r.id,
        summary: r.name,
        before: { ownerId: r.old_owner, unitId: r.old_unit, orgId: r.old_org },
        after: { ownerId: r.owner_id, unitId: r.unit_id, orgId: r.org_id },
      })),
    )
  return rows.length
}

import { and, asc, eq, isNull, or, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { type FieldError, notFound, validationFailed } from '../../platform/http/errors.js'
import { orgUnits } from '../../platform/org/schema.js'
import { unitInScope } from '../../platform/org/units.service.js'
import { sqlArray } from '../quality/bulk.js'
import { conditionsSql } from './conditions.js'
import { type LeadDestination, moveLeads, OPEN_STATUSES } from './moves.service.js'
import { leadPools } from './pools.schema.js'
import './routing.messages.js'
import { listDistributionRules } from './routing-rules.service.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'

/**
 * Distribution (分发, PL-4): leads move from a source pool (default: the master pool; a lead
 * without a pool counts as the master pool's) to a target pool and/or another org (HQ → dealer).
 * A lead belongs to one org at a time; leaving an org it loses its owner. Only leads of the
 * workspace's root company are distributed automatically: an org keeps what it collected itself.
 */

type Row = Record<string, unknown>
const AUDIT_CHUNK = 2000

/** The workspace's root company (HQ): its own org boundary. */
export async function rootOrgId(ctx: Ctx): Promise<string> {
  const [root] = await ctx.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), isNull(orgUnits.parentId)))
    .orderBy(asc(orgUnits.createdAt))
    .limit(1)
  if (!root) throw new Error('workspace has no root unit')
  return root.id
}

/**
 * The pools of the workspace by id and the master pool's id (null until pools.service creates it;
 * leads without a pool count as the master pool's either way).
 */
export async function poolIndex(ctx: Ctx) {
  const pools = await ctx.db.select().from(leadPools).where(eq(leadPools.tenantId, ctx.actor.tenantId))
  return {
    byId: new Map(pools.map((p) => [p.id, p])),
    masterId: pools.find((p) => p.kind === 'master')?.id ?? null,
    publicIds: pools.filter((p) => p.kind === 'public').map((p) => p.id),
  }
}

/** `leads.pool_id` is the given pool, where no pool means the master pool. */
export function inPool(poolId: string | null, masterId: string | null): SQL {
  if (poolId && poolId !== masterId) return eq(leads.poolId, poolId)
  return masterId ? or(isNull(leads.poolId), eq(leads.poolId, masterId))! : isNull(leads.poolId)
}

/** Appends `value` to the list under `key` (grouping large batches without copying). */
export function groupPush<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

export const idsSql = (ids: string[]) => sql`${leads.id} = any(${sqlArray(ids, 'uuid')})`

/**
 * Sets (or clears, with null) why automatic routing left leads where they are, for the leads whose
 * note changes; audited per lead like any field change.
 */
export async function setRoutingNotes(ctx: Ctx, notes: Map<string, string | null>): Promise<void> {
  const byNote = new Map<string | null, string[]>()
  for (const [id, note] of notes) groupPush(byNote, note, id)
  for (const [note, ids] of byNote) {
    const changed = (await ctx.db
      .update(leads)
      .set({ routingNote: note })
      .where(
        and(
          eq(leads.tenantId, ctx.actor.tenantId),
          idsSql(ids),
          sql`${leads.routingNote} is distinct from ${note}`,
        ),
      )
      .returning({ id: leads.id, name: leads.name })) as Row[]
    for (let i = 0; i < changed.length; i += AUDIT_CHUNK)
      await writeAudit(
        ctx,
        changed.slice(i, i + AUDIT_CHUNK).map((r) => ({
          action: 'routing_note',
          objectType: 'lead',
          objectId: r.id as string,
          summary: `${r.name}${note ? ` (${note})` : ''}`,
          after: { routingNote: note },
        })),
      )
  }
}

export interface DistributionOutcome {
  /** Lead id → the rule that moved it. */
  moved: Map<string, string>
  /** Lead id → the sub-pool whose criteria it matched (after the rules). */
  pooled: Map<string, string>
  /** HQ leads the rules considered but neither a rule nor a sub-pool's criteria took. */
  unmatched: string[]
}

type Pools = Awaited<ReturnType<typeof poolIndex>>
type PoolRow = Pools['byId'] extends Map<string, infer P> ? P : never

/**
 * Applies the enabled distribution rules, first match wins, to those of `leadIds` that wait in
 * HQ unowned and open; then places leads still in the master pool (of any org: within its own
 * org a lead may be sorted) into the sub-pools whose criteria they match. Set-based: one query
 * and one move per rule or pool. No rules and no criteria: nothing happens.
 */
export async function distributeLeads(ctx: Ctx, leadIds: string[]): Promise<DistributionOutcome> {
  const out: DistributionOutcome = { moved: new Map(), pooled: new Map(), unmatched: [] }
  if (leadIds.length === 0) return out
  return inTransaction(ctx, async (tx) => {
    const rules = (await listDistributionRules(tx)).filter((r) => r.enabled)
    const pools = await poolIndex(tx)
    const sorting = [...pools.byId.values()].some(
      (p) => p.kind === 'sub' && p.enabled && p.criteria.length > 0,
    )
    if (rules.length === 0 && !sorting) return out
    const t = tx.actor.tenantId
    const root = await rootOrgId(tx)
    // Locked: a concurrent router waits, then sees these leads moved and leaves them alone.
    const candidates = await tx.db
      .select({ id: leads.id, orgId: leads.orgId })
      .from(leads)
      .where(
        and(
          eq(leads.tenantId, t),
          idsSql([...new Set(leadIds)]),
          isNull(leads.ownerId),
          sql`${leads.status} = any(${sqlArray([...OPEN_STATUSES], 'text')})`,
        ),
      )
      .orderBy(asc(leads.id))
      .for('update')
    let remaining = candidates.filter((c) => c.orgId === root).map((c) => c.id)
    for (const rule of rules) {
      if (remaining.length === 0) break
      const target = rule.targetPoolId ? pools.byId.get(rule.targetPoolId) : undefined
      if (rule.targetPoolId && !target?.enabled) continue
      if (rule.sourcePoolId && !pools.byId.has(rule.sourcePoolId)) continue
      const matched = (
        await tx.db
          .select({ id: leads.id })
          .from(leads)
          .where(
            and(
              eq(leads.tenantId, t),
              idsSql(remaining),
              inPool(rule.sourcePoolId, pools.masterId),
              conditionsSql(rule.conditions),
            ),
          )
      ).map((r) => r.id)
      if (matched.length === 0) continue
      const to = await destination(tx, root, target, rule.targetUnitId)
      await moveLeads(tx, matched, to, { kind: 'distribute', ruleId: rule.id, reason: rule.name })
      for (const id of matched) out.moved.set(id, rule.id)
      const done = new Set(matched)
      remaining = remaining.filter((id) => !done.has(id))
    }
    if (sorting)
      out.pooled = await sortIntoSubPools(
        tx,
        candidates.map((c) => c.id),
        pools,
      )
    out.unmatched = rules.length ? remaining.filter((id) => !out.pooled.has(id)) : []
    return out
  })
}

/**
 * Leads waiting in the master pool (no pool) go to the sub-pool of their org whose criteria they
 * match: the first by sort at the top, then the first matching child below it, as deep as it goes.
 * Pools without criteria take leads only by hand or by rule.
 */
async function sortIntoSubPools(ctx: Ctx, ids: string[], pools: Pools): Promise<Map<string, string>> {
  const placed = new Map<string, string>()
  const waiting = (
    await ctx.db
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, ctx.actor.tenantId), idsSql(ids), inPool(null, pools.masterId)))
  ).map((r) => r.id)
  if (waiting.length === 0) return placed
  const subs = [...pools.byId.values()]
    .filter((p) => p.kind === 'sub' && p.enabled && p.criteria.length > 0)
    .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
  const childrenOf = (parent: string | null) =>
    subs.filter((p) =>
      parent === null ? !p.parentId || p.parentId === pools.masterId : p.parentId === parent,
    )
  const descend = async (level: PoolRow[], leadIds: string[]): Promise<void> => {
    let remaining = leadIds
    for (const pool of level) {
      if (remaining.length === 0) return
      const matched = (
        await ctx.db
          .select({ id: leads.id })
          .from(leads)
          .where(
            and(
              eq(leads.tenantId, ctx.actor.tenantId),
              idsSql(remaining),
              eq(leads.orgId, pool.orgId),
              conditionsSql(pool.criteria),
            ),
          )
      ).map((r) => r.id)
      if (matched.length === 0) continue
      for (const id of matched) placed.set(id, pool.id)
      await descend(childrenOf(pool.id), matched)
      const done = new Set(matched)
      remaining = remaining.filter((id) => !done.has(id))
    }
  }
  await descend(childrenOf(null), waiting)
  const byPool = new Map<string, string[]>()
  for (const [id, poolId] of placed) groupPush(byPool, poolId, id)
  for (const [poolId, leadIds] of byPool)
    await moveLeads(ctx, leadIds, { poolId }, { kind: 'distribute', reason: pools.byId.get(poolId)!.name })
  return placed
}

/** Where a rule sends HQ leads: the target pool, and the target unit or the pool's own unit when it lies in another org. */
async function destination(
  ctx: Ctx,
  fromOrg: string,
  pool: { id: string; unitId: string; orgId: string; kind: string } | undefined,
  unitId: string | null,
): Promise<LeadDestination> {
  const to: LeadDestination = {}
  if (pool) to.poolId = pool.id
  let org = fromOrg
  if (unitId) {
    to.unitId = unitId
    const [u] = await ctx.db
      .select({ orgId: orgUnits.orgId })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, unitId)))
    org = u?.orgId ?? fromOrg
  } else if (pool && pool.orgId !== fromOrg) {
    to.unitId = pool.unitId
    org = pool.orgId
  }
  // Another org: no pool of HQ's follows it there.
  if (org !== fromOrg && !pool) to.poolId = null
  if (org !== fromOrg || pool?.kind === 'public') to.ownerId = null
  return to
}

export interface ManualDistribution {
  ids: string[]
  poolId?: string | null
  unitId?: string | null
  reason?: string | null
}

/**
 * Manual distribution and redistribution (exceptions): the leads must be in the caller's scope
 * (else 404) and so must the target pool and unit (else 400 naming the field). Leads crossing into
 * another org, or given to another unit, lose their owner. Returns the moved leads.
 */
export async function distributeManually(ctx: Ctx, input: ManualDistribution): Promise<Row[]> {
  return inTransaction(ctx, async (tx) => {
    const ids = [...new Set(input.ids)]
    const found = await leadsRepo.findMany(tx, ids, { raw: true, forUpdate: true })
    if (found.length !== ids.length) throw notFound()
    const errors: FieldError[] = []
    if (!input.poolId && !input.unitId) errors.push({ field: 'poolId', code: 'routing_target_required' })
    let pool: typeof leadPools.$inferSelect | undefined
    if (input.poolId) {
      ;[pool] = await tx.db
        .select()
        .from(leadPools)
        .where(and(eq(leadPools.tenantId, tx.actor.tenantId), eq(leadPools.id, input.poolId)))
      if (!pool?.enabled || !(await unitInScope(tx, pool.unitId))) {
        errors.push({ field: 'poolId', code: 'routing_pool_unknown' })
        pool = undefined
      }
    }
    let unitOrg: string | undefined
    if (input.unitId) {
      const [u] = await tx.db
        .select({ orgId: orgUnits.orgId })
        .from(orgUnits)
        .where(and(eq(orgUnits.tenantId, tx.actor.tenantId), eq(orgUnits.id, input.unitId)))
      if (!u || !(await unitInScope(tx, input.unitId))) errors.push({ field: 'unitId', code: 'invalid_unit' })
      else unitOrg = u.orgId
    }
    if (pool && unitOrg && pool.orgId !== unitOrg)
      errors.push({ field: 'poolId', code: 'routing_pool_org_mismatch' })
    if (errors.length) throw validationFailed(errors)

    const destUnit = input.unitId ?? pool!.unitId
    const destOrg = unitOrg ?? pool!.orgId
    const crossing = found.filter((l) => l.orgId !== destOrg).map((l) => l.id as string)
    const staying = found.filter((l) => l.orgId === destOrg)
    const meta = { kind: 'distribute' as const, reason: input.reason ?? null }
    const moved: Row[] = []
    if (crossing.length)
      moved.push(
        ...(await moveLeads(
          tx,
          crossing,
          { poolId: pool?.id ?? null, unitId: destUnit, ownerId: null },
          meta,
        )),
      )
    // Within the org: a lead given to another unit is that unit's to assign (its owner is cleared).
    const newUnit = (l: Row) => !!input.unitId && l.unitId !== input.unitId
    for (const group of [staying.filter(newUnit), staying.filter((l) => !newUnit(l))]) {
      if (group.length === 0) continue
      const to: LeadDestination = {}
      if (pool) to.poolId = pool.id
      if (input.unitId) to.unitId = input.unitId
      if (pool?.kind === 'public' || newUnit(group[0]!)) to.ownerId = null
      moved.push(
        ...(await moveLeads(
          tx,
          group.map((l) => l.id as string),
          to,
          meta,
        )),
      )
    }
    await setRoutingNotes(tx, new Map(ids.map((id) => [id, null])))
    return moved
  })
}

import { and, count, eq, gt, gte, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { isUuid } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, badRequest, notFound, validationFailed } from '../../platform/http/errors.js'
import { users } from '../../platform/org/schema.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { moveLeads, OPEN_STATUSES } from './moves.service.js'
import './pools.messages.js'
import { leadClaimLocks, leadMoves, type PublicPoolSettings } from './pools.schema.js'
import {
  type Pool,
  publicPoolFor,
  type VisiblePool,
  visiblePool,
  visiblePools,
  workspacePools,
} from './pools.service.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'
import { getLeadSettings } from './settings.service.js'

type Row = Record<string, unknown>
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A public pool the caller may claim from (they see it), or 404. */
export async function claimablePool(ctx: Ctx, poolId: string): Promise<VisiblePool> {
  const pool = await visiblePool(ctx, poolId)
  if (pool.kind !== 'public' || !pool.enabled) throw notFound()
  return pool
}

/** When a lead that entered the pool at `enteredAt` may be claimed; null when it may be now. */
export function claimableAt(settings: PublicPoolSettings, enteredAt: unknown, now = Date.now()): Date | null {
  const hours = settings.protectionHours ?? 0
  if (!hours || !enteredAt) return null
  const at = new Date(new Date(enteredAt as string).getTime() + hours * HOUR)
  return at.getTime() > now ? at : null
}

/** Nulls the fields the pool hides (contact data, custom fields) while a lead waits in it. */
export function hideFields(row: Row, hidden: string[]): Row {
  if (!hidden.length) return row
  const out: Row = { ...row, custom: { ...(row.custom as Row) } }
  for (const f of hidden) {
    if (f.startsWith('custom.')) (out.custom as Row)[f.slice('custom.'.length)] = null
    else if (f in out) out[f] = null
  }
  return out
}

/** The caller's own claim locks on these leads that still hold. */
export async function myLocks(ctx: Ctx, leadIds: string[]): Promise<Map<string, Date>> {
  if (!leadIds.length || !ctx.actor.id) return new Map()
  const rows = await ctx.db
    .select({ leadId: leadClaimLocks.leadId, until: leadClaimLocks.until })
    .from(leadClaimLocks)
    .where(
      and(
        eq(leadClaimLocks.tenantId, ctx.actor.tenantId),
        eq(leadClaimLocks.userId, ctx.actor.id),
        inArray(leadClaimLocks.leadId, leadIds),
        gt(leadClaimLocks.until, new Date()),
      ),
    )
  return new Map(rows.map((r) => [r.leadId, r.until]))
}

/**
 * The leads waiting in a public pool (no owner). Not the caller's data scope but the pool decides
 * who sees them: its members claim from it. `where` is the caller's filter, built without the
 * fields the pool hides.
 */
export async function publicPoolLeads(
  ctx: Ctx,
  pool: Pool,
  opts: { where?: SQL; sort?: { column: string; dir: 'asc' | 'desc' }; limit?: number; cursor?: string },
  columns: readonly string[],
) {
  const page = await leadsRepo.list(ctx, {
    ...opts,
    where: and(eq(leads.poolId, pool.id), isNull(leads.ownerId), opts.where),
    columns: [...columns, 'poolEnteredAt'],
    bypassScope: true,
  })
  const locks = await myLocks(
    ctx,
    page.items.map((l) => l.id as string),
  )
  const hidden = pool.settings.hiddenFields ?? []
  const now = Date.now()
  return {
    items: page.items.map((l) => ({
      ...hideFields(l, hidden),
      claimableAt: claimableAt(pool.settings, l.poolEnteredAt, now),
      lockedUntil: locks.get(l.id as string) ?? null,
    })),
    nextCursor: page.nextCursor,
  }
}

/** The start of today in the workspace's time zone (daily claim limits count from here). */
const startOfToday = (tenantId: string) =>
  sql`(date_trunc('day', now() at time zone (select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenantId})) at time zone (select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenantId}))`

/** Serialises claims per key for the rest of the transaction (counts are read after it). */
const advisoryLock = (ctx: Ctx, key: string) =>
  ctx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`)

/** A refused claim: 409 with the rule's code; its values (limit, until) also as `params` in the body. */
const refused = (code: string, params: Record<string, unknown> = {}) =>
  new AppError(409, code, params, [], { params })
const limitHit = (code: string, limit: number) => refused(code, { limit })

/**
 * Claims one lead of a public pool for the caller. Runs in its own transaction and holds, in
 * this order, an advisory lock on the claimer and on their unit, then the lead row: two claims of
 * one person (or one department) are counted one after the other, and two people claiming the
 * same lead find it claimed when the first commits. Refusals are 409 with a code naming the rule:
 * already_claimed, claim_protected, claim_locked, claim_daily_limit, claim_holding_cap, claim_unit_cap.
 */
export async function claimLead(ctx: Ctx, leadId: string): Promise<Row> {
  const me = ctx.actor
  if (me.type !== 'user' || !me.id || !me.unitId) throw badRequest('invalid_user')
  if (!isUuid(leadId)) throw notFound()
  return inTransaction(ctx, async (tx) => {
    const tenant = me.tenantId
    await advisoryLock(tx, `lead-claim:user:${tenant}:${me.id}`)
    await advisoryLock(tx, `lead-claim:unit:${tenant}:${me.unitId}`)
    const [lead] = (await tx.db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, tenant), eq(leads.id, leadId)))
      .for('update')) as Row[]
    if (!lead?.poolId) throw notFound()
    const pool = (await visiblePools(tx)).find((p) => p.id === lead.poolId)
    if (pool?.kind !== 'public' || !pool.enabled) throw notFound()
    if (lead.ownerId) throw refused('already_claimed')
    const s = pool.settings
    const protectedUntil = claimableAt(s, lead.poolEnteredAt)
    if (protectedUntil) throw refused('claim_protected', { until: protectedUntil.toISOString() })
    const [lock] = await tx.db
      .select({ until: leadClaimLocks.until })
      .from(leadClaimLocks)
      .where(
        and(
          eq(leadClaimLocks.tenantId, tenant),
          eq(leadClaimLocks.leadId, leadId),
          eq(leadClaimLocks.userId, me.id!),
          gt(leadClaimLocks.until, new Date()),
        ),
      )
    if (lock) throw refused('claim_locked', { until: lock.until.toISOString() })
    if (s.dailyClaimLimit != null) {
      const [{ n }] = (await tx.db
        .select({ n: count() })
        .from(leadMoves)
        .where(
          and(
            eq(leadMoves.tenantId, tenant),
            eq(leadMoves.kind, 'claim'),
            eq(leadMoves.actorId, me.id!),
            eq(leadMoves.fromPoolId, pool.id),
            gte(leadMoves.at, startOfToday(tenant)),
          ),
        )) as [{ n: number }]
      if (n >= s.dailyClaimLimit) throw limitHit('claim_daily_limit', s.dailyClaimLimit)
    }
    const open = inArray(leads.status, [...OPEN_STATUSES])
    if (s.userHoldingCap != null) {
      const [{ n }] = (await tx.db
        .select({ n: count() })
        .from(leads)
        .where(and(eq(leads.tenantId, tenant), eq(leads.ownerId, me.id!), open))) as [{ n: number }]
      if (n >= s.userHoldingCap) throw limitHit('claim_holding_cap', s.userHoldingCap)
    }
    if (s.unitHoldingCap != null) {
      const people = tx.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, tenant), eq(users.unitId, me.unitId!)))
      const [{ n }] = (await tx.db
        .select({ n: count() })
        .from(leads)
        .where(and(eq(leads.tenantId, tenant), inArray(leads.ownerId, people), open))) as [{ n: number }]
      if (n >= s.unitHoldingCap) throw limitHit('claim_unit_cap', s.unitHoldingCap)
    }
    await moveLeads(tx, [leadId], { ownerId: me.id }, { kind: 'claim' })
    return leadsRepo.get(tx, leadId, { raw: true })
  })
}

export interface ClaimResult {
  id: string
  ok: boolean
  code?: string
  params?: Record<string, unknown>
}

/** Claims several leads, each on its own (a refusal does not undo the others), in the order given. */
export async function claimLeads(ctx: Ctx, ids: string[]): Promise<ClaimResult[]> {
  const out: ClaimResult[] = []
  for (const id of [...new Set(ids)]) {
    try {
      await claimLead(ctx, id)
      out.push({ id, ok: true })
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err
      out.push({
        id,
        ok: false,
        code: err.code,
        ...(Object.keys(err.params).length ? { params: err.params } : {}),
      })
    }
  }
  return out
}

/**
 * Releases leads of the caller's scope to a public pool with a reason: `poolId` when given (a
 * public pool the caller sees), else each lead's own public pool (publicPoolFor). The previous
 * owner is locked out of re-claiming for the target pool's reclaimLockDays.
 */
export async function releaseLeads(
  ctx: Ctx,
  ids: string[],
  reason: string,
  poolId?: string | null,
): Promise<{ released: number; poolIds: string[] }> {
  return inTransaction(ctx, async (tx) => {
    const unique = [...new Set(ids)]
    if (!unique.every(isUuid)) throw notFound()
    const found = await leadsRepo.findMany(tx, unique, { raw: true, forUpdate: true })
    if (found.length !== unique.length) throw notFound()
    let chosen: Pool | undefined
    if (poolId) {
      chosen = (await visiblePools(tx)).find((p) => p.id === poolId)
      if (!chosen) throw validationFailed([{ field: 'poolId', code: 'invalid_pool' }])
      if (chosen.kind !== 'public' || !chosen.enabled)
        throw validationFailed([{ field: 'poolId', code: 'not_public_pool' }])
    }
    const pools = chosen ? [] : await workspacePools(tx)
    const settings = chosen ? null : await getLeadSettings(tx)
    const groups = new Map<string, { pool: Pool; leads: Row[] }>()
    for (const lead of found) {
      const target = chosen ?? publicPoolFor(lead.poolId as string | null, pools, settings!)
      if (!target) throw badRequest('no_public_pool')
      const g = groups.get(target.id) ?? { pool: target, leads: [] }
      g.leads.push(lead)
      groups.set(target.id, g)
    }
    for (const { pool, leads: group } of groups.values()) {
      await moveLeads(
        tx,
        group.map((l) => l.id as string),
        { poolId: pool.id, ownerId: null, unitId: pool.unitId },
        { kind: 'release', reason },
      )
      await lockPreviousOwners(
        tx,
        group.filter((l) => l.ownerId).map((l) => ({ leadId: l.id as string, userId: l.ownerId as string })),
        pool.settings.reclaimLockDays ?? 0,
      )
    }
    return { released: found.length, poolIds: [...groups.keys()] }
  })
}

/** Writes (or extends) claim locks: the previous owner may not re-claim for `days`. */
export async function lockPreviousOwners(
  ctx: Ctx,
  pairs: { leadId: string; userId: string }[],
  days: number,
): Promise<void> {
  if (!pairs.length || days <= 0) return
  const until = new Date(Date.now() + days * DAY)
  await ctx.db
    .insert(leadClaimLocks)
    .values(pairs.map((p) => ({ tenantId: ctx.actor.tenantId, ...p, until })))
    .onConflictDoUpdate({
      target: [leadClaimLocks.tenantId, leadClaimLocks.leadId, leadClaimLocks.userId],
      set: { until: sql`greatest(${leadClaimLocks.until}, excluded.until)` },
    })
}

import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../platform/access/actor.js'
import { createRepository, scopeCondition } from '../../platform/access/data-access.js'
import { diff, writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, type FieldError, notFound, validationFailed } from '../../platform/http/errors.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { assertUnitsVisible, unitOrg } from '../../platform/org/units.service.js'
import { validateConditions } from './conditions.js'
import './pools.messages.js'
import {
  type LeadCondition,
  leadPoolMembers,
  leadPools,
  type PoolKind,
  type PublicPoolSettings,
} from './pools.schema.js'
import { leads } from './schema.js'
import { getLeadSettings, type LeadSettings } from './settings.service.js'

/**
 * Lead pools. Tenant-filtered by the repository; which pools a caller sees is wider than a data
 * scope (membership, public pools open to their unit, sub-pools below those), so it is decided
 * here by `visiblePools` and every service function starts from it.
 */
export const poolsRepo = createRepository({
  table: leadPools,
  objectType: 'lead_pool',
  sortable: ['sort', 'name', 'createdAt'],
})

export type Pool = typeof leadPools.$inferSelect
/** admin: may change the pool and its members; member: works in it (claims from a public pool); viewer: sees it. */
export type PoolRole = 'admin' | 'member' | 'viewer'
export type VisiblePool = Pool & { myRole: PoolRole }

export const MASTER_POOL_NAME = '总线索池'
const RANK: Record<PoolRole, number> = { viewer: 1, member: 2, admin: 3 }
const higher = (a: PoolRole | null, b: PoolRole | null) => (!a ? b : !b ? a : RANK[a] >= RANK[b] ? a : b)

async function rootUnit(ctx: Ctx): Promise<string> {
  const [root] = await ctx.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), isNull(orgUnits.parentId)))
    .orderBy(asc(orgUnits.createdAt))
    .limit(1)
  if (!root) throw new Error('workspace has no root unit')
  return root.id
}

const selectMaster = (ctx: Ctx) =>
  ctx.db
    .select()
    .from(leadPools)
    .where(and(eq(leadPools.tenantId, ctx.actor.tenantId), eq(leadPools.kind, 'master')))

/**
 * The workspace's master pool (总线索池), created on first use. Concurrent first calls race on
 * the unique index lead_pools_master_key: the loser's insert does nothing and it reads the winner's.
 */
export async function ensureMasterPool(ctx: Ctx): Promise<Pool> {
  const [found] = await selectMaster(ctx)
  if (found) return found
  const root = await rootUnit(ctx)
  return inTransaction(ctx, async (tx) => {
    // A pool already called 总线索池 (made before pools had a master) keeps its name.
    for (const name of [MASTER_POOL_NAME, `${MASTER_POOL_NAME}（总）`]) {
      const [row] = await tx.db
        .insert(leadPools)
        .values({ tenantId: tx.actor.tenantId, name, kind: 'master', unitId: root, orgId: root })
        .onConflictDoNothing()
        .returning()
      if (row) {
        await writeAudit(tx, [
          { action: 'create', objectType: 'lead_pool', objectId: row.id, summary: row.name, after: row },
        ])
        return row
      }
      const [master] = await selectMaster(tx)
      if (master) return master
    }
    throw new Error('could not create the master pool')
  })
}

/** Every pool of the workspace, with the path of its unit (the tree decides visibility). */
async function allPools(ctx: Ctx) {
  return ctx.db
    .select({ pool: leadPools, unitPath: orgUnits.path })
    .from(leadPools)
    .innerJoin(orgUnits, and(eq(orgUnits.tenantId, leadPools.tenantId), eq(orgUnits.id, leadPools.unitId)))
    .where(eq(leadPools.tenantId, ctx.actor.tenantId))
    .orderBy(asc(leadPools.sort), asc(leadPools.name))
}

/**
 * The pools a caller sees and their role in each (PL-2): pools whose unit lies in their data scope
 * (admin with leads.configure, else viewer), pools they are a member or admin of, public pools
 * open to their unit (memberUnitIds, or the owning unit's tree when none: member), sub-pools of
 * their own unit (member); and everything nested below those, with the role carried down.
 */
export async function visiblePools(ctx: Ctx): Promise<VisiblePool[]> {
  await ensureMasterPool(ctx)
  const a = ctx.actor
  const rows = await allPools(ctx)
  if (a.type === 'system') return rows.map((r) => ({ ...r.pool, myRole: 'admin' as const }))
  const scope = scopeCondition(ctx, { unit: leadPools.unitId, org: leadPools.orgId })
  // One after the other: inside a transaction they share one connection.
  const inScope = await ctx.db
    .select({ id: leadPools.id })
    .from(leadPools)
    .where(and(eq(leadPools.tenantId, a.tenantId), scope))
  const memberships = a.id
    ? await ctx.db
        .select({ poolId: leadPoolMembers.poolId, role: leadPoolMembers.role })
        .from(leadPoolMembers)
        .where(and(eq(leadPoolMembers.tenantId, a.tenantId), eq(leadPoolMembers.userId, a.id)))
    : []
  const scoped = new Set(inScope.map((r) => r.id))
  const member = new Map(memberships.map((m) => [m.poolId, m.role]))
  const memberUnitIds = [...new Set(rows.flatMap((r) => r.pool.memberUnitIds))]
  const unitPaths = new Map(
    memberUnitIds.length
      ? (
          await ctx.db
            .select({ id: orgUnits.id, path: orgUnits.path })
            .from(orgUnits)
            .where(and(eq(orgUnits.tenantId, a.tenantId), inArray(orgUnits.id, memberUnitIds)))
        ).map((u) => [u.id, u.path])
      : [],
  )
  const mine = (path: string | undefined) => !!path && !!a.unitPath && a.unitPath.startsWith(path)
  const configure = can(a, 'leads.configure')

  const own = new Map<string, PoolRole | null>()
  for (const { pool: p, unitPath } of rows) {
    let role: PoolRole | null = null
    if (scoped.has(p.id)) role = configure ? 'admin' : 'viewer'
    const m = member.get(p.id)
    if (m) role = higher(role, m)
    const openToMe =
      p.kind === 'public' &&
      (p.memberUnitIds.length ? p.memberUnitIds.some((u) => mine(unitPaths.get(u))) : mine(unitPath))
    if (openToMe || (p.kind === 'sub' && p.unitId === a.unitId)) role = higher(role, 'member')
    own.set(p.id, role)
  }
  // Carry roles down the nesting: whoever sees a pool sees its sub-pools, in at least that role.
  const children = new Map<string | null, Pool[]>()
  for (const { pool } of rows) {
    const parent = pool.parentId && own.has(pool.parentId) ? pool.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), pool])
  }
  const roleOf = new Map<string, PoolRole>()
  const walk = (pool: Pool, inherited: PoolRole | null, seen: Set<string>) => {
    if (seen.has(pool.id)) return
    seen.add(pool.id)
    const role = higher(own.get(pool.id) ?? null, inherited)
    if (role) roleOf.set(pool.id, role)
    for (const child of children.get(pool.id) ?? []) walk(child, role, seen)
  }
  const seen = new Set<string>()
  for (const root of children.get(null) ?? []) walk(root, null, seen)
  return rows.filter((r) => roleOf.has(r.pool.id)).map((r) => ({ ...r.pool, myRole: roleOf.get(r.pool.id)! }))
}

/** One pool the caller sees, or 404. */
export async function visiblePool(ctx: Ctx, id: string): Promise<VisiblePool> {
  const pool = (await visiblePools(ctx)).find((p) => p.id === id)
  if (!pool) throw notFound()
  return pool
}

/** One pool the caller may change (admin), 404 when they do not see it, 403 when they only see it. */
export async function managedPool(ctx: Ctx, id: string): Promise<VisiblePool> {
  const pool = await visiblePool(ctx, id)
  if (pool.myRole !== 'admin') throw new AppError(403, 'forbidden', { permission: 'lead_pool.admin' })
  return pool
}

/**
 * Leads per pool: all leads for the master pool and sub-pools (the master also counts leads that
 * never got a pool), the unclaimed ones for public pools (claimed leads keep the public pool as
 * theirs until released or reclaimed).
 */
export async function leadCounts(ctx: Ctx, pools: Pool[]): Promise<Map<string, number>> {
  const tenant = ctx.actor.tenantId
  const out = new Map<string, number>()
  const held = pools.filter((p) => p.kind !== 'public').map((p) => p.id)
  const open = pools.filter((p) => p.kind === 'public').map((p) => p.id)
  const master = pools.find((p) => p.kind === 'master')
  const totals = held.length
    ? await ctx.db
        .select({ poolId: leads.poolId, n: count() })
        .from(leads)
        .where(and(eq(leads.tenantId, tenant), inArray(leads.poolId, held)))
        .groupBy(leads.poolId)
    : []
  const waiting = open.length
    ? await ctx.db
        .select({ poolId: leads.poolId, n: count() })
        .from(leads)
        .where(and(eq(leads.tenantId, tenant), inArray(leads.poolId, open), isNull(leads.ownerId)))
        .groupBy(leads.poolId)
    : []
  const unpooled = master
    ? await ctx.db
        .select({ n: count() })
        .from(leads)
        .where(and(eq(leads.tenantId, tenant), isNull(leads.poolId)))
    : []
  for (const r of [...totals, ...waiting]) out.set(r.poolId!, Number(r.n))
  if (master) out.set(master.id, (out.get(master.id) ?? 0) + Number(unpooled[0]?.n ?? 0))
  return out
}

export interface PoolInput {
  name: string
  kind: Exclude<PoolKind, 'master'>
  parentId?: string | null
  description?: string | null
  unitId?: string
  criteria?: LeadCondition[]
  settings?: PublicPoolSettings
  memberUnitIds?: string[]
  reclaimPoolId?: string | null
  sort?: number
  enabled?: boolean
}

/** Lead fields that a public pool may hide: contact and free-text fields, and custom fields. */
export const HIDEABLE_FIELDS = [
  'mobile',
  'email',
  'phone',
  'company',
  'title',
  'address',
  'notes',
  'creditCode',
]

/** Checks what the schema cannot: references to other pools and units, criteria, hidden fields. */
async function check(ctx: Ctx, input: Partial<PoolInput>, pools: VisiblePool[], self?: Pool): Promise<void> {
  const errors: FieldError[] = []
  const byId = new Map(pools.map((p) => [p.id, p]))
  const kind = input.kind ?? self?.kind
  if (input.parentId) {
    const parent = byId.get(input.parentId)
    if (parent?.myRole !== 'admin' || parent.kind === 'public')
      errors.push({ field: 'parentId', code: 'invalid_pool' })
    else if (self) {
      // Walking up from the new parent must never reach the pool itself.
      for (let p: Pool | undefined = parent; p; p = p.parentId ? byId.get(p.parentId) : undefined)
        if (p.id === self.id) {
          errors.push({ field: 'parentId', code: 'pool_cycle' })
          break
        }
    }
  }
  if (input.reclaimPoolId) {
    const target = byId.get(input.reclaimPoolId)
    if (!target) errors.push({ field: 'reclaimPoolId', code: 'invalid_pool' })
    else if (target.kind !== 'public' || target.id === self?.id)
      errors.push({ field: 'reclaimPoolId', code: 'not_public_pool' })
  }
  for (const [i, f] of (input.settings?.hiddenFields ?? []).entries())
    if (!HIDEABLE_FIELDS.includes(f) && !/^custom\.[a-z][a-z0-9_]{0,62}$/.test(f))
      errors.push({
        field: `settings.hiddenFields[${i}]`,
        code: 'invalid_hidden_field',
        params: { value: f },
      })
  if (input.settings?.reclaim?.enabled && kind !== 'public')
    errors.push({ field: 'settings.reclaim', code: 'not_public_pool' })
  if (input.criteria?.length)
    await validateConditions(ctx, input.criteria, 'criteria').catch((e: AppError) => {
      errors.push(...e.fields)
    })
  if (input.memberUnitIds?.length)
    await assertUnitsVisible(ctx, input.memberUnitIds, 'memberUnitIds').catch((e: AppError) => {
      errors.push(...e.fields)
    })
  if (errors.length) throw validationFailed(errors)
}

export async function createPool(ctx: Ctx, input: PoolInput): Promise<VisiblePool> {
  return inTransaction(ctx, async (tx) => {
    const pools = await visiblePools(tx)
    const master = pools.find((p) => p.kind === 'master')
    // Sub-pools hang below the master pool unless told otherwise; public pools stand alone.
    const parentId =
      input.parentId !== undefined ? input.parentId : input.kind === 'sub' ? (master?.id ?? null) : null
    if (input.kind === 'sub' && !parentId) throw validationFailed([{ field: 'parentId', code: 'required' }])
    await check(tx, { ...input, parentId }, pools)
    const parent = parentId ? pools.find((p) => p.id === parentId) : undefined
    const unitId = input.unitId ?? parent?.unitId ?? tx.actor.unitId ?? (await rootUnit(tx))
    const orgId = await unitOrg(tx, unitId, 'unitId')
    const [row] = await poolsRepo.insert(tx, [{ ...input, name: input.name.trim(), parentId, unitId, orgId }])
    return { ...(row as Pool), myRole: 'admin' as const }
  })
}

export async function updatePool(
  ctx: Ctx,
  id: string,
  patch: Partial<PoolInput> & { version?: number },
): Promise<VisiblePool> {
  return inTransaction(ctx, async (tx) => {
    const pools = await visiblePools(tx)
    const pool = await managedPool(tx, id)
    const { version, ...fields } = patch
    if (
      pool.kind === 'master' &&
      ((fields.kind !== undefined && fields.kind !== ('master' as string)) ||
        (fields.parentId !== undefined && fields.parentId !== null))
    )
      throw new AppError(400, 'master_pool_fixed')
    if (pool.kind !== 'master' && fields.kind === ('master' as string))
      throw validationFailed([{ field: 'kind', code: 'invalid_option' }])
    await check(tx, fields, pools, pool)
    const extra = fields.unitId ? { orgId: await unitOrg(tx, fields.unitId, 'unitId') } : {}
    const row = await poolsRepo.update(
      tx,
      id,
      { ...fields, ...(fields.name ? { name: fields.name.trim() } : {}), ...extra },
      version,
    )
    return { ...(row as Pool), myRole: pool.myRole }
  })
}

/** Deletes an empty pool (recycle bin); 409 pool_in_use while leads, sub-pools or settings refer to it. */
export async function deletePool(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const pool = await managedPool(tx, id)
    if (pool.kind === 'master') throw new AppError(400, 'master_pool_fixed')
    const tenant = tx.actor.tenantId
    const [held] = await tx.db
      .select({ id: leads.id })
      .from(leads)
      .where(and(eq(leads.tenantId, tenant), eq(leads.poolId, id)))
      .limit(1)
    const [child] = await tx.db
      .select({ id: leadPools.id })
      .from(leadPools)
      .where(
        and(
          eq(leadPools.tenantId, tenant),
          sql`(${leadPools.parentId} = ${id} or ${leadPools.reclaimPoolId} = ${id})`,
        ),
      )
      .limit(1)
    const settings = await getLeadSettings(tx)
    if (held || child || settings.defaultPublicPoolId === id) throw new AppError(409, 'pool_in_use')
    await poolsRepo.remove(tx, [id])
  })
}

export interface PoolMember {
  userId: string
  name: string
  role: 'admin' | 'member'
}

export async function poolMembers(ctx: Ctx, poolId: string): Promise<PoolMember[]> {
  return ctx.db
    .select({ userId: leadPoolMembers.userId, name: users.name, role: leadPoolMembers.role })
    .from(leadPoolMembers)
    .innerJoin(users, and(eq(users.tenantId, leadPoolMembers.tenantId), eq(users.id, leadPoolMembers.userId)))
    .where(and(eq(leadPoolMembers.tenantId, ctx.actor.tenantId), eq(leadPoolMembers.poolId, poolId)))
    .orderBy(asc(leadPoolMembers.role), asc(users.name))
}

/** Replaces a pool's admins and members; audited on the pool as before → after. */
export async function setPoolMembers(
  ctx: Ctx,
  poolId: string,
  members: { userId: string; role: 'admin' | 'member' }[],
): Promise<PoolMember[]> {
  return inTransaction(ctx, async (tx) => {
    const pool = await managedPool(tx, poolId)
    const tenant = tx.actor.tenantId
    const ids = [...new Set(members.map((m) => m.userId))]
    const known = ids.length
      ? new Set(
          (
            await tx.db
              .select({ id: users.id })
              .from(users)
              .where(and(eq(users.tenantId, tenant), inArray(users.id, ids)))
          ).map((u) => u.id),
        )
      : new Set<string>()
    const errors: FieldError[] = []
    members.forEach((m, i) => {
      if (!known.has(m.userId)) errors.push({ field: `members[${i}].userId`, code: 'invalid_user' })
      else if (members.findIndex((x) => x.userId === m.userId) !== i)
        errors.push({ field: `members[${i}].userId`, code: 'not_unique' })
    })
    if (errors.length) throw validationFailed(errors)
    // Lock the pool row so two concurrent replacements apply one after the other.
    await tx.db
      .select({ id: leadPools.id })
      .from(leadPools)
      .where(and(eq(leadPools.tenantId, tenant), eq(leadPools.id, poolId)))
      .for('update')
    const before = await poolMembers(tx, poolId)
    await tx.db
      .delete(leadPoolMembers)
      .where(and(eq(leadPoolMembers.tenantId, tenant), eq(leadPoolMembers.poolId, poolId)))
    if (members.length)
      await tx.db
        .insert(leadPoolMembers)
        .values(members.map((m) => ({ tenantId: tenant, poolId, userId: m.userId, role: m.role })))
    const after = await poolMembers(tx, poolId)
    const short = (list: PoolMember[]) => ({ members: list.map((m) => ({ userId: m.userId, role: m.role })) })
    const changes = diff(short(before), short(after))
    if (changes)
      await writeAudit(tx, [
        { action: 'update', objectType: 'lead_pool', objectId: poolId, summary: pool.name, ...changes },
      ])
    return after
  })
}

/**
 * Where a lead leaving its owner goes (release, reclaim): a lead of a public pool back to it;
 * otherwise its pool's reclaim pool (or the nearest one set on a pool above it), else the
 * workspace default public pool, else the first public pool. Leads without a pool count as the
 * master pool's.
 */
export function publicPoolFor(
  poolId: string | null,
  pools: Pool[],
  settings: Pick<LeadSettings, 'defaultPublicPoolId'>,
): Pool | undefined {
  const byId = new Map(pools.map((p) => [p.id, p]))
  const usable = (id: string | null | undefined) => {
    const p = id ? byId.get(id) : undefined
    return p && p.kind === 'public' && p.enabled ? p : undefined
  }
  const pool = poolId ? byId.get(poolId) : pools.find((p) => p.kind === 'master')
  if (pool?.kind === 'public' && usable(pool.id)) return pool
  // A sub-pool without its own reclaim pool uses the nearest one up the nesting.
  const seen = new Set<string>()
  for (let p = pool; p && !seen.has(p.id); p = p.parentId ? byId.get(p.parentId) : undefined) {
    seen.add(p.id)
    const target = usable(p.reclaimPoolId)
    if (target) return target
  }
  return usable(settings.defaultPublicPoolId) ?? pools.find((p) => p.kind === 'public' && p.enabled)
}

/** Every pool of the workspace, sorted, without visibility (jobs and set-based moves). */
export async function workspacePools(ctx: Ctx): Promise<Pool[]> {
  return (await allPools(ctx)).map((r) => r.pool)
}

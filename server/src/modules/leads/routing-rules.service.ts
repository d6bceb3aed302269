import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { unitInScope } from '../../platform/org/units.service.js'
import { validateConditions } from './conditions.js'
import { type LeadCondition, leadPools } from './pools.schema.js'
import './routing.messages.js'
import {
  type AssignmentMember,
  type AssignmentStrategy,
  assignmentRules,
  distributionRules,
} from './routing.schema.js'

/**
 * Distribution and assignment rules: workspace configuration (no data scope of their own), kept
 * in `sort` order; the first matching rule wins. References (pools, units, people) must exist in
 * the workspace and lie within the configuring person's scope.
 */
export const distributionRulesRepo = createRepository({
  table: distributionRules,
  objectType: 'distribution_rule',
  sortable: ['sort', 'createdAt'],
})
export const assignmentRulesRepo = createRepository({
  table: assignmentRules,
  objectType: 'assignment_rule',
  sortable: ['sort', 'createdAt'],
})

export type DistributionRule = typeof distributionRules.$inferSelect
export type AssignmentRule = typeof assignmentRules.$inferSelect

export interface DistributionRuleInput {
  name: string
  enabled?: boolean
  sourcePoolId?: string | null
  conditions?: LeadCondition[]
  targetPoolId?: string | null
  targetUnitId?: string | null
  sort?: number
}

export interface AssignmentRuleInput {
  name: string
  enabled?: boolean
  poolId?: string | null
  strategy?: AssignmentStrategy
  conditions?: LeadCondition[]
  members?: AssignmentMember[]
  respectSchedule?: boolean
  sort?: number
}

type Patch<T> = Partial<T> & { version?: number }

/** A pool of this workspace whose owning unit the caller may act on. */
async function poolInScope(ctx: Ctx, poolId: string) {
  const [pool] = await ctx.db
    .select({ id: leadPools.id, unitId: leadPools.unitId, orgId: leadPools.orgId })
    .from(leadPools)
    .where(and(eq(leadPools.tenantId, ctx.actor.tenantId), eq(leadPools.id, poolId)))
  if (!pool || !(await unitInScope(ctx, pool.unitId))) return null
  return pool
}

async function checkPool(ctx: Ctx, poolId: string | null | undefined, field: string, errors: FieldError[]) {
  if (!poolId) return null
  const pool = await poolInScope(ctx, poolId)
  if (!pool) errors.push({ field, code: 'routing_pool_unknown' })
  return pool
}

async function checkDistribution(ctx: Ctx, r: DistributionRuleInput): Promise<void> {
  const errors: FieldError[] = []
  await checkPool(ctx, r.sourcePoolId, 'sourcePoolId', errors)
  const target = await checkPool(ctx, r.targetPoolId, 'targetPoolId', errors)
  if (!r.targetPoolId && !r.targetUnitId)
    errors.push({ field: 'targetPoolId', code: 'routing_target_required' })
  if (r.targetUnitId) {
    const [unit] = await ctx.db
      .select({ orgId: orgUnits.orgId })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, r.targetUnitId)))
    if (!unit || !(await unitInScope(ctx, r.targetUnitId)))
      errors.push({ field: 'targetUnitId', code: 'invalid_unit' })
    // A lead belongs to one org: the pool it lands in must be that org's.
    else if (target && target.orgId !== unit.orgId)
      errors.push({ field: 'targetPoolId', code: 'routing_pool_org_mismatch' })
  }
  await validateConditions(ctx, r.conditions ?? [], 'conditions').catch((err) => {
    errors.push(...(err.fields ?? []))
    if (!err.fields) throw err
  })
  if (errors.length) throw validationFailed(errors)
}

async function checkAssignment(ctx: Ctx, r: AssignmentRuleInput): Promise<void> {
  const errors: FieldError[] = []
  await checkPool(ctx, r.poolId, 'poolId', errors)
  const members = r.members ?? []
  const seen = new Set<string>()
  members.forEach((m, i) => {
    if (seen.has(m.userId)) errors.push({ field: `members[${i}].userId`, code: 'routing_duplicate_member' })
    seen.add(m.userId)
  })
  if (members.length) {
    const ids = [...seen]
    const found = await ctx.db
      .select({ id: users.id, unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, ids)))
    const unitOf = new Map(found.map((u) => [u.id, u.unitId]))
    for (const [i, m] of members.entries()) {
      const unit = unitOf.get(m.userId)
      if (!unit || !(await unitInScope(ctx, unit)))
        errors.push({ field: `members[${i}].userId`, code: 'invalid_user' })
    }
  }
  await validateConditions(ctx, r.conditions ?? [], 'conditions').catch((err) => {
    errors.push(...(err.fields ?? []))
    if (!err.fields) throw err
  })
  if (errors.length) throw validationFailed(errors)
}

async function nextSort(ctx: Ctx, table: typeof distributionRules | typeof assignmentRules): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`coalesce(max(${table.sort}) + 1, 0)::int` })
    .from(table)
    .where(eq(table.tenantId, ctx.actor.tenantId))
  return row?.n ?? 0
}

export async function listDistributionRules(ctx: Ctx): Promise<DistributionRule[]> {
  return (await ctx.db
    .select()
    .from(distributionRules)
    .where(distributionRulesRepo.visible(ctx))
    .orderBy(asc(distributionRules.sort), asc(distributionRules.createdAt))) as DistributionRule[]
}

export async function listAssignmentRules(ctx: Ctx): Promise<AssignmentRule[]> {
  return (await ctx.db
    .select()
    .from(assignmentRules)
    .where(assignmentRulesRepo.visible(ctx))
    .orderBy(asc(assignmentRules.sort), asc(assignmentRules.createdAt))) as AssignmentRule[]
}

export async function createDistributionRule(
  ctx: Ctx,
  input: DistributionRuleInput,
): Promise<DistributionRule> {
  await checkDistribution(ctx, input)
  return inTransaction(ctx, async (tx) => {
    const [row] = await distributionRulesRepo.insert(tx, [
      {
        name: input.name.trim(),
        enabled: input.enabled ?? true,
        sourcePoolId: input.sourcePoolId ?? null,
        conditions: input.conditions ?? [],
        targetPoolId: input.targetPoolId ?? null,
        targetUnitId: input.targetUnitId ?? null,
        sort: input.sort ?? (await nextSort(tx, distributionRules)),
      },
    ])
    return row as DistributionRule
  })
}

export async function updateDistributionRule(
  ctx: Ctx,
  id: string,
  patch: Patch<DistributionRuleInput>,
): Promise<DistributionRule> {
  return inTransaction(ctx, async (tx) => {
    const current = (await distributionRulesRepo.get(tx, id, { forUpdate: true })) as DistributionRule
    const { version, ...fields } = patch
    await checkDistribution(tx, { ...current, ...fields })
    if (fields.name !== undefined) fields.name = fields.name.trim()
    return (await distributionRulesRepo.update(tx, id, fields, version)) as DistributionRule
  })
}

export async function createAssignmentRule(ctx: Ctx, input: AssignmentRuleInput): Promise<AssignmentRule> {
  await checkAssignment(ctx, input)
  return inTransaction(ctx, async (tx) => {
    const [row] = await assignmentRulesRepo.insert(tx, [
      {
        name: input.name.trim(),
        enabled: input.enabled ?? true,
        poolId: input.poolId ?? null,
        strategy: input.strategy ?? 'round_robin',
        conditions: input.conditions ?? [],
        members: input.members ?? [],
        respectSchedule: input.respectSchedule ?? true,
        sort: input.sort ?? (await nextSort(tx, assignmentRules)),
      },
    ])
    return row as AssignmentRule
  })
}

export async function updateAssignmentRule(
  ctx: Ctx,
  id: string,
  patch: Patch<AssignmentRuleInput>,
): Promise<AssignmentRule> {
  return inTransaction(ctx, async (tx) => {
    const current = (await assignmentRulesRepo.get(tx, id, { forUpdate: true })) as AssignmentRule
    const { version, ...fields } = patch
    // Only check what changed: a member who has since left the caller's scope does not block a rename.
    await checkAssignment(tx, {
      name: current.name,
      poolId: fields.poolId !== undefined ? fields.poolId : null,
      conditions: fields.conditions ?? [],
      members: fields.members ?? [],
    })
    if (fields.name !== undefined) fields.name = fields.name.trim()
    // A new member list restarts the rotation.
    const set: Record<string, unknown> = fields.members !== undefined ? { ...fields, cursor: 0 } : fields
    return (await assignmentRulesRepo.update(tx, id, set, version)) as AssignmentRule
  })
}

export async function deleteDistributionRule(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await distributionRulesRepo.get(tx, id)
    await distributionRulesRepo.remove(tx, [id])
  })
}

export async function deleteAssignmentRule(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await assignmentRulesRepo.get(tx, id)
    await assignmentRulesRepo.remove(tx, [id])
  })
}

/**
 * New order: `ids` first, in the given order, then the rules not named, in their current order.
 * Each rule whose position changes is updated (and audited) on its own.
 */
async function reorder(
  ctx: Ctx,
  ids: string[],
  repo: typeof distributionRulesRepo | typeof assignmentRulesRepo,
  list: (ctx: Ctx) => Promise<{ id: string; sort: number }[]>,
) {
  return inTransaction(ctx, async (tx) => {
    const current = await list(tx)
    const known = new Set(current.map((r) => r.id))
    const errors: FieldError[] = []
    const seen = new Set<string>()
    ids.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `ids[${i}]`, code: 'routing_unknown_rule' })
      else if (seen.has(id)) errors.push({ field: `ids[${i}]`, code: 'routing_duplicate_member' })
      seen.add(id)
    })
    if (errors.length) throw validationFailed(errors)
    const order = [...ids, ...current.map((r) => r.id).filter((id) => !seen.has(id))]
    const sortOf = new Map(current.map((r) => [r.id, r.sort]))
    for (const [i, id] of order.entries()) if (sortOf.get(id) !== i) await repo.update(tx, id, { sort: i })
    return list(tx)
  })
}

export const reorderDistributionRules = (ctx: Ctx, ids: string[]) =>
  reorder(ctx, ids, distributionRulesRepo, listDistributionRules) as Promise<DistributionRule[]>
export const reorderAssignmentRules = (ctx: Ctx, ids: string[]) =>
  reorder(ctx, ids, assignmentRulesRepo, listAssignmentRules) as Promise<AssignmentRule[]>

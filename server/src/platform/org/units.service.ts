import { and, eq, inArray, like, sql } from 'drizzle-orm'
import { leads } from '../../modules/leads/schema.js'
import type { Ctx } from '../access/actor.js'
import { createRepository, scopeCondition } from '../access/data-access.js'
import { newId } from '../db/columns.js'
import { inTransaction } from '../db/tx.js'
import { AppError, validationFailed } from '../http/errors.js'
import { ORG_BOUNDARY_TYPES, type OrgUnitType, orgUnits, users } from './schema.js'

/**
 * Org units are visible by the caller's org boundary: a dealer's staff see their dealer's
 * subtree only; HQ sees the whole tree. (Scope 'unit' = the unit itself.)
 */
export const unitsRepo = createRepository({
  table: orgUnits,
  objectType: 'org_unit',
  scope: { unit: orgUnits.id, org: orgUnits.orgId },
  sortable: ['sort', 'name', 'createdAt'],
})

/** The tree is configuration: everyone sees the units of their org and below, whatever their record scope. */
function treeCtx(ctx: Ctx): Ctx {
  return ctx.actor.type === 'system' ? ctx : { ...ctx, actor: { ...ctx.actor, dataScope: 'all' } }
}

export async function listUnits(ctx: Ctx) {
  return ctx.db
    .select()
    .from(orgUnits)
    .where(unitsRepo.visible(treeCtx(ctx)))
    .orderBy(orgUnits.path, orgUnits.sort)
}

/** Fails with a field error unless every unit exists inside the caller's org boundary. */
export async function assertUnitsVisible(ctx: Ctx, unitIds: string[], field: string): Promise<void> {
  const ids = [...new Set(unitIds)]
  if (!ids.length) return
  const found = await ctx.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(unitsRepo.visible(treeCtx(ctx)), inArray(orgUnits.id, ids)))
  if (found.length !== ids.length) throw validationFailed([{ field, code: 'invalid_unit' }])
}

/** Data-scope check for assigning records into a unit: the unit must lie within the caller's scope. */
export async function unitInScope(ctx: Ctx, unitId: string): Promise<boolean> {
  const cond = scopeCondition(ctx, { unit: orgUnits.id, org: orgUnits.orgId })
  const [row] = await ctx.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, unitId), cond))
  return !!row
}

/**
 * The org a record placed in `unitId` belongs to, after checking the unit lies within the caller's
 * data scope (a field error on `field` otherwise): what every scoped object stores beside its unit.
 */
export async function unitOrg(ctx: Ctx, unitId: string, field: string): Promise<string> {
  const [row] = await ctx.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, unitId)))
  if (!row || !(await unitInScope(ctx, unitId))) throw validationFailed([{ field, code: 'invalid_unit' }])
  return row.orgId
}

export interface UnitInput {
  parentId: string
  type: OrgUnitType
  name: string
  code?: string | null
  sort?: number
}

const orgOf = (type: OrgUnitType, id: string, parentOrgId: string) =>
  ORG_BOUNDARY_TYPES.includes(type) ? id : parentOrgId

export async function createUnits(ctx: Ctx, inputs: UnitInput[]) {
  return inTransaction(ctx, async (tx) => {
    const out = []
    for (const input of inputs) {
      const parent = await unitsRepo.get(treeCtx(tx), input.parentId, { raw: true }).catch(() => {
        throw validationFailed([{ field: 'parentId', code: 'invalid_unit' }])
      })
      const id = newId()
      const [row] = await unitsRepo.insert(tx, [
        {
          id,
          parentId: input.parentId,
          type: input.type,
          name: input.name.trim(),
          code: input.code || null,
          sort: input.sort ?? 0,
          path: `${parent.path}${id}/`,
          orgId: orgOf(input.type, id, String(parent.orgId)),
        },
      ])
      out.push(row!)
    }
    return out
  })
}

export interface UnitPatch {
  name?: string
  code?: string | null
  parentId?: string
  type?: OrgUnitType
  sort?: number
  version?: number
}

/** Renames, retypes or moves a unit; a move rewrites the subtree's paths and org boundaries. */
export async function updateUnit(ctx: Ctx, id: string, patch: UnitPatch) {
  return inTransaction(ctx, async (tx) => {
    const tctx = treeCtx(tx)
    const unit = await unitsRepo.get(tctx, id, { raw: true, forUpdate: true })
    const { version, ...fields } = patch
    const moving = fields.parentId !== undefined && fields.parentId !== unit.parentId
    const retyping = fields.type !== undefined && fields.type !== unit.type
    if (!unit.parentId && (moving || (retyping && fields.type !== 'company')))
      throw validationFailed([{ field: moving ? 'parentId' : 'type', code: 'root_unit_fixed' }])
    let path = String(unit.path)
    let parentOrg = String(unit.orgId)
    if (moving || retyping) {
      const parent =
        unit.parentId || moving
          ? await unitsRepo.get(tctx, String(fields.parentId ?? unit.parentId), { raw: true }).catch(() => {
              throw validationFailed([{ field: 'parentId', code: 'invalid_unit' }])
            })
          : null
      if (parent && String(parent.path).startsWith(String(unit.path)))
        throw validationFailed([{ field: 'parentId', code: 'unit_cycle' }])
      if (parent) {
        path = `${parent.path}${id}/`
        parentOrg = String(parent.orgId)
      }
    }
    const type = (fields.type ?? unit.type) as OrgUnitType
    const orgId = unit.parentId ? orgOf(type, id, parentOrg) : id
    const row = await unitsRepo.update(tctx, id, { ...fields, path, orgId }, version)
    if (path !== unit.path || orgId !== unit.orgId) await rebuildSubtree(tx, String(unit.path), path, id)
    return row
  })
}

/** Rewrites descendants' paths after a move and recomputes every org boundary below `id`. */
async function rebuildSubtree(ctx: Ctx, oldPath: string, newPath: string, id: string) {
  const t = ctx.actor.tenantId
  await ctx.db
    .update(orgUnits)
    .set({ path: sql`${newPath} || substr(${orgUnits.path}, ${oldPath.length + 1})` })
    .where(and(eq(orgUnits.tenantId, t), like(orgUnits.path, `${oldPath}%`), sql`${orgUnits.id} <> ${id}`))
  const subtree = await ctx.db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, t), like(orgUnits.path, `${newPath}%`)))
    .orderBy(orgUnits.path)
  const orgOfUnit = new Map<string, string>()
  for (const u of subtree) {
    const parentOrg = u.id === id ? u.orgId : (orgOfUnit.get(u.parentId!) ?? u.orgId)
    const org = u.id === id ? u.orgId : orgOf(u.type, u.id, parentOrg)
    orgOfUnit.set(u.id, org)
    if (org !== u.orgId)
      await ctx.db
        .update(orgUnits)
        .set({ orgId: org })
        .where(and(eq(orgUnits.tenantId, t), eq(orgUnits.id, u.id)))
  }
  // Records owned anywhere in the moved subtree (the moved unit included) follow their unit's org boundary.
  await ctx.db.execute(sql`
    update ${leads} set org_id = u.org_id from ${orgUnits} u
    where ${leads.tenantId} = ${t} and u.tenant_id = ${t} and u.id = ${leads.unitId}
      and u.path like ${`${newPath}%`} and ${leads.orgId} <> u.org_id`)
}

/** Deletes an empty unit (no sub-units, users or records) into the recycle bin. */
export async function deleteUnit(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const unit = await unitsRepo.get(treeCtx(tx), id, { raw: true })
    if (!unit.parentId) throw new AppError(409, 'unit_not_empty')
    const t = tx.actor.tenantId
    const [usage] = await tx.db
      .execute<{ n: number }>(sql`
      select (select count(*) from ${orgUnits} where ${orgUnits.tenantId} = ${t} and ${orgUnits.parentId} = ${id})
           + (select count(*) from ${users} where ${users.tenantId} = ${t} and ${users.unitId} = ${id})
           + (select count(*) from ${leads} where ${leads.tenantId} = ${t} and (${leads.unitId} = ${id} or ${leads.orgId} = ${id})) as n`)
      .then((r) => r.rows)
    if (Number(usage?.n) > 0) throw new AppError(409, 'unit_not_empty')
    await unitsRepo.remove(treeCtx(tx), [id])
  })
}

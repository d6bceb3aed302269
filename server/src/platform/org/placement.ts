import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import type { FieldError } from '../http/errors.js'
import { orgUnits, users } from './schema.js'
import { unitInScope } from './units.service.js'

/**
 * Where an owned record (lead, customer, opportunity, order…) lives: its owner's unit unless a unit is given, and that unit's org boundary.
 * The caller may only place records inside its own data scope; problems are pushed to `errors`
 * (fields prefixed with `prefix`) and null returned.
 */
export async function placeRecord(
  ctx: Ctx,
  ownerId: string | null,
  unitId: string | undefined,
  errors: FieldError[],
  prefix: string,
) {
  let unit = unitId
  if (ownerId) {
    const [owner] = await ctx.db
      .select({ unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ownerId)))
    if (!owner) {
      errors.push({ field: `${prefix}ownerId`, code: 'invalid_user' })
      return null
    }
    unit ??= owner.unitId
  }
  unit ??= ctx.actor.unitId ?? undefined
  if (!unit) {
    errors.push({ field: `${prefix}unitId`, code: 'required' })
    return null
  }
  // Scope 'self' may only place records it owns, in its own unit; wider scopes anywhere inside the scope.
  if (ctx.actor.type !== 'system' && ctx.actor.dataScope === 'self' && ownerId !== ctx.actor.id) {
    errors.push({ field: `${prefix}ownerId`, code: 'invalid_user' })
    return null
  }
  const [row] = await ctx.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, unit)))
  const selfOk = ctx.actor.dataScope === 'self' && unit === ctx.actor.unitId
  if (!row || !(selfOk || (await unitInScope(ctx, unit)))) {
    errors.push({ field: `${prefix}${unitId ? 'unitId' : 'ownerId'}`, code: 'invalid_unit' })
    return null
  }
  return { unitId: unit, orgId: row.orgId }
}

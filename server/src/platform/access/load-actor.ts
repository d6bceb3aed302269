import { and, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../db/index.js'
import { orgUnits, roles, userRoles, users } from '../org/schema.js'
import type { Actor } from './actor.js'
import { widestScope } from './permissions.js'

async function unitInfo(db: Tx, tenantId: string, unitId: string | null) {
  if (!unitId) return { unitPath: null, orgId: null, orgPath: null }
  const [unit] = await db
    .select({ path: orgUnits.path, orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unitId)))
  if (!unit) return { unitPath: null, orgId: null, orgPath: null }
  const [org] = await db
    .select({ path: orgUnits.path })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, unit.orgId)))
  return { unitPath: unit.path, orgId: unit.orgId, orgPath: org?.path ?? null }
}

/** Builds the actor of a user: union of their roles' permissions, widest data scope. */
export async function loadUserActor(db: Tx, tenantId: string, userId: string): Promise<Actor | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
  if (!user || user.status !== 'active') return null
  const grants = await db
    .select({ permissions: roles.permissions, dataScope: roles.dataScope })
    .from(userRoles)
    .innerJoin(roles, and(eq(roles.tenantId, userRoles.tenantId), eq(roles.id, userRoles.roleId)))
    .where(and(eq(userRoles.tenantId, tenantId), eq(userRoles.userId, userId)))
  return {
    type: 'user',
    id: user.id,
    name: user.name,
    tenantId,
    unitId: user.unitId,
    ...(await unitInfo(db, tenantId, user.unitId)),
    permissions: new Set(grants.flatMap((g) => g.permissions)),
    dataScope: widestScope(grants.map((g) => g.dataScope)),
  }
}

/** Builds the actor of an API key: its role's permissions and scope, acting in its unit. */
export async function loadApiKeyActor(
  db: Tx,
  key: { tenantId: string; id: string; name: string; roleId: string; unitId: string },
): Promise<Actor | null> {
  const [role] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, key.tenantId), inArray(roles.id, [key.roleId])))
  if (!role) return null
  return {
    type: 'api_key',
    id: key.id,
    name: key.name,
    tenantId: key.tenantId,
    unitId: key.unitId,
    ...(await unitInfo(db, key.tenantId, key.unitId)),
    permissions: new Set(role.permissions),
    dataScope: role.dataScope,
  }
}

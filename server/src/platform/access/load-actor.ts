import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Tx } from '../db/index.js'
import type { DataScope } from '../org/schema.js'
import { orgUnits, roles } from '../org/schema.js'
import type { Actor } from './actor.js'
import { widestScope } from './permissions.js'

interface ActorRow {
  user_id: string
  name: string
  status: string
  unit_id: string
  unit_path: string | null
  org_id: string | null
  org_path: string | null
  grants: { p: string[]; s: DataScope }[] | null
  sessions_valid_after: Date | null
}

/**
 * Everything an actor needs, in ONE statement (it runs on every request): the user, their unit
 * and org boundary paths, and their roles' grants. `from` supplies `u` (users) and may join more.
 */
export function actorSelect(extraColumns: SQL, from: SQL, where: SQL): SQL {
  return sql`
    select ${extraColumns} u.id as user_id, u.name, u.status, u.unit_id, u.sessions_valid_after,
           unit.path as unit_path, unit.org_id, org.path as org_path,
           (select json_agg(json_build_object('p', r.permissions, 's', r.data_scope))
              from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
             where ur.tenant_id = u.tenant_id and ur.user_id = u.id) as grants
      ${from}
      left join org_units unit on unit.tenant_id = u.tenant_id and unit.id = u.unit_id
      left join org_units org on org.tenant_id = u.tenant_id and org.id = unit.org_id
     where ${where}`
}

export function actorFromRow(tenantId: string, row: ActorRow): Actor | null {
  if (row.status !== 'active') return null
  const grants = row.grants ?? []
  return {
    type: 'user',
    id: row.user_id,
    name: row.name,
    tenantId,
    unitId: row.unit_id,
    unitPath: row.unit_path,
    orgId: row.org_id,
    orgPath: row.org_path,
    permissions: new Set(grants.flatMap((g) => g.p)),
    dataScope: widestScope(grants.map((g) => g.s)),
  }
}

/** Builds the actor of a user: union of their roles' permissions, widest data scope. */
export async function loadUserActor(db: Tx, tenantId: string, userId: string): Promise<Actor | null> {
  const res = await db.execute<ActorRow & Record<string, unknown>>(
    actorSelect(sql``, sql`from users u`, sql`u.tenant_id = ${tenantId} and u.id = ${userId}`),
  )
  const row = res.rows[0]
  return row ? actorFromRow(tenantId, row) : null
}

async function unitInfo(db: Tx, tenantId: string, unitId: string) {
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

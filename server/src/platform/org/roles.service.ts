import { and, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { createRepository } from '../access/data-access.js'
import { ALL_PERMISSIONS } from '../access/permissions.js'
import { apiKeys } from '../auth/schema.js'
import { inTransaction } from '../db/tx.js'
import { AppError, validationFailed } from '../http/errors.js'
import { type DataScope, roles, userRoles } from './schema.js'

export const rolesRepo = createRepository({
  table: roles,
  objectType: 'role',
  sortable: ['name', 'createdAt'],
})

function checkPermissions(permissions: string[]) {
  const known = new Set(ALL_PERMISSIONS)
  const unknown = permissions.find((p) => !known.has(p))
  if (unknown)
    throw validationFailed([
      { field: 'permissions', code: 'unknown_permission', params: { permission: unknown } },
    ])
}

export async function listRoles(ctx: Ctx) {
  const counts = sql<number>`(select count(*)::int from ${userRoles} where ${userRoles.tenantId} = ${roles.tenantId} and ${userRoles.roleId} = ${roles.id})`
  return ctx.db
    .select({
      id: roles.id,
      key: roles.key,
      name: roles.name,
      description: roles.description,
      permissions: roles.permissions,
      dataScope: roles.dataScope,
      builtin: roles.builtin,
      version: roles.version,
      userCount: counts,
    })
    .from(roles)
    .where(rolesRepo.visible(ctx))
    .orderBy(sql`${roles.builtin} desc`, roles.createdAt)
}

export interface RoleInput {
  name: string
  description?: string | null
  permissions: string[]
  dataScope: DataScope
}

export async function createRole(ctx: Ctx, input: RoleInput) {
  checkPermissions(input.permissions)
  const [row] = await inTransaction(ctx, (tx) =>
    rolesRepo.insert(tx, [{ ...input, permissions: [...new Set(input.permissions)], builtin: false }]),
  )
  return row!
}

export async function updateRole(ctx: Ctx, id: string, patch: Partial<RoleInput> & { version?: number }) {
  if (patch.permissions) checkPermissions(patch.permissions)
  const { version, ...fields } = patch
  return inTransaction(ctx, (tx) => rolesRepo.update(tx, id, fields, version))
}

export async function deleteRole(ctx: Ctx, id: string) {
  await inTransaction(ctx, async (tx) => {
    const role = await rolesRepo.get(tx, id)
    if (role.builtin) throw new AppError(409, 'builtin_role')
    const t = tx.actor.tenantId
    const [u] = await tx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(userRoles)
      .where(and(eq(userRoles.tenantId, t), eq(userRoles.roleId, id)))
    const [k] = await tx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, t), eq(apiKeys.roleId, id)))
    if (u!.n + k!.n > 0) throw new AppError(409, 'role_in_use')
    await rolesRepo.remove(tx, [id])
  })
}

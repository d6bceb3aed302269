import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { createRepository } from '../access/data-access.js'
import { checkPasswordPolicy, hashPassword } from '../auth/password.js'
import { deleteUserSessions } from '../auth/sessions.js'
import { writeAudit } from '../audit/service.js'
import { inTransaction } from '../db/tx.js'
import { notFound, validationFailed } from '../http/errors.js'
import { tenants } from '../tenancy/schema.js'
import { roles, userRoles, users } from './schema.js'
import { assertUnitsVisible } from './units.service.js'

export const usersRepo = createRepository({
  table: users,
  objectType: 'user',
  scope: { unit: users.unitId },
  sortable: ['createdAt', 'name', 'email'],
  label: (r) => `${r.name} <${r.email}>`,
})

export interface UserInput {
  email: string
  name: string
  phone?: string | null
  unitId: string
  managerId?: string | null
  roleIds: string[]
  password?: string
}

type UserRow = typeof users.$inferSelect

/** The public shape of a user: never the password hash or lockout internals. */
export function presentUser(u: Record<string, unknown>, roleIds: string[]) {
  const r = u as UserRow
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    status: r.status,
    unitId: r.unitId,
    managerId: r.managerId,
    roleIds,
    locale: r.locale,
    lastLoginAt: r.lastLoginAt ? new Date(r.lastLoginAt).toISOString() : null,
    createdAt: new Date(r.createdAt).toISOString(),
    version: r.version,
  }
}

export async function roleIdsOf(ctx: Ctx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]))
  if (!userIds.length) return map
  const rows = await ctx.db
    .select({ userId: userRoles.userId, roleId: userRoles.roleId })
    .from(userRoles)
    .where(and(eq(userRoles.tenantId, ctx.actor.tenantId), inArray(userRoles.userId, userIds)))
  for (const r of rows) map.get(r.userId)?.push(r.roleId)
  return map
}

async function assertRoles(ctx: Ctx, roleIds: string[]) {
  if (!roleIds.length) return
  const found = await ctx.db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, ctx.actor.tenantId), inArray(roles.id, roleIds)))
  if (found.length !== new Set(roleIds).size) throw validationFailed([{ field: 'roleIds', code: 'invalid_option' }])
}

async function assertManager(ctx: Ctx, managerId: string | null | undefined) {
  if (!managerId) return
  const [m] = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, managerId)))
  if (!m) throw validationFailed([{ field: 'managerId', code: 'invalid_user' }])
}

async function settingsOf(ctx: Ctx) {
  const [t] = await ctx.db.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, ctx.actor.tenantId))
  return t?.settings ?? {}
}

/** Creates users (a batch; one is a batch of one) with their roles, in one transaction. */
export async function createUsers(ctx: Ctx, inputs: UserInput[]) {
  const settings = await settingsOf(ctx)
  const prepared = await Promise.all(
    inputs.map(async (i, n) => {
      const field = inputs.length > 1 ? `[${n}].password` : 'password'
      if (i.password !== undefined) checkPasswordPolicy(i.password, settings, i.email, field)
      return { ...i, passwordHash: i.password ? await hashPassword(i.password) : null }
    }),
  )
  return inTransaction(ctx, async (tx) => {
    await assertUnitsVisible(tx, prepared.map((p) => p.unitId), 'unitId')
    for (const p of prepared) {
      await assertRoles(tx, p.roleIds)
      await assertManager(tx, p.managerId)
    }
    const rows = await usersRepo.insert(
      tx,
      prepared.map((p) => ({
        email: p.email.trim(),
        name: p.name.trim(),
        phone: p.phone ?? null,
        unitId: p.unitId,
        managerId: p.managerId ?? null,
        passwordHash: p.passwordHash,
      })),
    )
    const links = rows.flatMap((r, n) => prepared[n]!.roleIds.map((roleId) => ({ tenantId: tx.actor.tenantId, userId: String(r.id), roleId })))
    if (links.length) await tx.db.insert(userRoles).values(links)
    return rows.map((r, n) => presentUser(r, prepared[n]!.roleIds))
  })
}

export interface UserPatch {
  name?: string
  phone?: string | null
  unitId?: string
  managerId?: string | null
  roleIds?: string[]
  status?: 'active' | 'disabled'
  version?: number
}

export async function updateUser(ctx: Ctx, id: string, patch: UserPatch) {
  return inTransaction(ctx, async (tx) => {
    const { roleIds, version, ...fields } = patch
    if (fields.unitId) await assertUnitsVisible(tx, [fields.unitId], 'unitId')
    if (fields.managerId === id) throw validationFailed([{ field: 'managerId', code: 'invalid_user' }])
    await assertManager(tx, fields.managerId)
    const row = await usersRepo.update(tx, id, fields, version)
    let current = (await roleIdsOf(tx, [id])).get(id) ?? []
    if (roleIds) {
      await assertRoles(tx, roleIds)
      if ([...roleIds].sort().join() !== [...current].sort().join()) {
        await tx.db.delete(userRoles).where(and(eq(userRoles.tenantId, tx.actor.tenantId), eq(userRoles.userId, id)))
        if (roleIds.length) await tx.db.insert(userRoles).values(roleIds.map((roleId) => ({ tenantId: tx.actor.tenantId, userId: id, roleId })))
        await writeAudit(tx, [{ action: 'update', objectType: 'user', objectId: id, summary: 'roles', before: { roleIds: current }, after: { roleIds } }])
        current = roleIds
      }
    }
    // Disabling someone ends their sessions at once.
    if (fields.status === 'disabled') await deleteUserSessions(tx.db, tx.actor.tenantId, id)
    return presentUser(row, current)
  })
}

export async function resetPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  const user = await usersRepo.get(ctx, userId, { raw: true })
  checkPasswordPolicy(password, await settingsOf(ctx), String(user.email))
  const passwordHash = await hashPassword(password)
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, sessionsValidAfter: new Date(), updatedAt: new Date() })
      .where(and(usersRepo.visible(tx), eq(users.id, userId)))
    await deleteUserSessions(tx.db, tx.actor.tenantId, userId)
    await writeAudit(tx, [{ action: 'password_reset', objectType: 'user', objectId: userId, summary: String(user.email) }])
  })
}

export async function deleteUser(ctx: Ctx, id: string): Promise<void> {
  if (id === ctx.actor.id) throw validationFailed([{ field: 'id', code: 'cannot_delete_self' }])
  const n = await inTransaction(ctx, async (tx) => {
    await usersRepo.get(tx, id)
    await tx.db.update(users).set({ managerId: null }).where(and(eq(users.tenantId, tx.actor.tenantId), eq(users.managerId, id)))
    await deleteUserSessions(tx.db, tx.actor.tenantId, id)
    return usersRepo.remove(tx, [id])
  })
  if (!n) throw notFound()
}

export const userSearch = (q: string) => sql`(${users.name} ilike ${`%${q}%`} or ${users.email} ilike ${`%${q}%`})`

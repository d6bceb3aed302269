import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { createRepository } from '../access/data-access.js'
import { writeAudit } from '../audit/service.js'
import { checkPasswordPolicy, hashPassword } from '../auth/password.js'
import { deleteUserSessions } from '../auth/sessions.js'
import { loadDefinitions } from '../custom-fields/definitions.service.js'
import { validateCustomValues } from '../custom-fields/validate.service.js'
import { inTransaction } from '../db/tx.js'
import { AppError, type FieldError, notFound, validationFailed } from '../http/errors.js'
import { tenants } from '../tenancy/schema.js'
import { roles, userRoles, users } from './schema.js'
import { assertUnitsVisible } from './units.service.js'
import './users.messages.js'

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
  /** Custom field values (object 'user'). */
  custom?: Record<string, unknown>
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
    custom: (r.custom ?? {}) as Record<string, unknown>,
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

export async function assertRoles(ctx: Ctx, roleIds: string[], field = 'roleIds') {
  if (!roleIds.length) return
  const found = await ctx.db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, ctx.actor.tenantId), inArray(roles.id, roleIds)))
  if (found.length !== new Set(roleIds).size) throw validationFailed([{ field, code: 'invalid_option' }])
}

/** A manager must be a user the caller can see (so a dealer cannot report to another dealer). */
async function assertManager(ctx: Ctx, managerId: string | null | undefined, field = 'managerId') {
  if (!managerId) return
  const [m] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(usersRepo.visible(ctx), eq(users.id, managerId)))
  if (!m) throw validationFailed([{ field, code: 'invalid_user' }])
}

/**
 * At least one active user must keep the ready-made admin role, or nobody could manage the
 * workspace any more. Called inside the transaction, after the change: throwing rolls it back.
 */
async function assertAdminRemains(ctx: Ctx) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.tenantId, users.tenantId), eq(userRoles.userId, users.id)))
    .innerJoin(roles, and(eq(roles.tenantId, userRoles.tenantId), eq(roles.id, userRoles.roleId)))
    .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.status, 'active'), eq(roles.key, 'admin')))
  if (!row?.n) throw new AppError(409, 'last_admin')
}

async function settingsOf(ctx: Ctx) {
  const [t] = await ctx.db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  return t?.settings ?? {}
}

/**
 * Creates users (a batch; one is a batch of one) with their roles, in one transaction. All or
 * nothing: every bad row is named (`[n].field` in a batch). `requireCustom: false` skips required
 * custom fields, for people who join by invitation and cannot fill them in themselves.
 */
export async function createUsers(ctx: Ctx, inputs: UserInput[], opts: { requireCustom?: boolean } = {}) {
  const settings = await settingsOf(ctx)
  const weak: FieldError[] = []
  for (const [n, i] of inputs.entries()) {
    try {
      if (i.password !== undefined)
        checkPasswordPolicy(i.password, settings, i.email, inputs.length > 1 ? `[${n}].password` : 'password')
    } catch (err) {
      weak.push(...(err as AppError).fields)
    }
  }
  if (weak.length) throw validationFailed(weak)
  // Hash before the transaction: it takes a while and must not hold the (single) connection.
  const prepared = await Promise.all(
    inputs.map(async (i) => ({ ...i, passwordHash: i.password ? await hashPassword(i.password) : null })),
  )
  return inTransaction(ctx, async (tx) => {
    const errors: FieldError[] = []
    const customs: Record<string, unknown>[] = []
    const definitions = await loadDefinitions(tx, 'user')
    // Validating against an empty "existing" record enforces types and uniqueness but not presence.
    const lenient = opts.requireCustom === false ? { existing: {} } : {}
    for (const [n, p] of prepared.entries()) {
      const prefix = prepared.length > 1 ? `[${n}].` : ''
      // Each check throws validation_failed; collect them so a batch names every bad row.
      const check = async (fn: () => Promise<unknown>) =>
        fn().catch((err) => {
          if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err
          errors.push(...err.fields.map((f) => ({ ...f, field: `${prefix}${f.field}` })))
        })
      await check(() => assertUnitsVisible(tx, [p.unitId], 'unitId'))
      await check(() => assertRoles(tx, p.roleIds))
      await check(() => assertManager(tx, p.managerId))
      await check(async () => {
        customs[n] = await validateCustomValues(tx, 'user', p.custom ?? {}, { definitions, ...lenient })
      })
    }
    if (errors.length) throw validationFailed(errors)
    const rows = await usersRepo.insert(
      tx,
      prepared.map((p, n) => ({
        email: p.email.trim(),
        name: p.name.trim(),
        phone: p.phone ?? null,
        unitId: p.unitId,
        managerId: p.managerId ?? null,
        passwordHash: p.passwordHash,
        custom: customs[n] ?? {},
      })),
    )
    const links = rows.flatMap((r, n) =>
      prepared[n]!.roleIds.map((roleId) => ({ tenantId: tx.actor.tenantId, userId: String(r.id), roleId })),
    )
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
  custom?: Record<string, unknown>
  version?: number
}

export async function updateUser(ctx: Ctx, id: string, patch: UserPatch) {
  return inTransaction(ctx, async (tx) => {
    const { roleIds, version, custom, ...fields } = patch
    const existing = await usersRepo.get(tx, id, { raw: true, forUpdate: true })
    if (fields.unitId) await assertUnitsVisible(tx, [fields.unitId], 'unitId')
    if (fields.managerId === id) throw validationFailed([{ field: 'managerId', code: 'invalid_user' }])
    if (fields.status === 'disabled' && id === tx.actor.id)
      throw validationFailed([{ field: 'status', code: 'cannot_disable_self' }])
    await assertManager(tx, fields.managerId)
    const nextCustom =
      custom === undefined
        ? undefined
        : await validateCustomValues(tx, 'user', custom, {
            existing: existing.custom as Record<string, unknown>,
            recordId: id,
          })
    const row = await usersRepo.update(
      tx,
      id,
      { ...fields, ...(nextCustom ? { custom: nextCustom } : {}) },
      version,
    )
    let current = (await roleIdsOf(tx, [id])).get(id) ?? []
    if (roleIds) {
      await assertRoles(tx, roleIds)
      if ([...roleIds].sort().join() !== [...current].sort().join()) {
        await tx.db
          .delete(userRoles)
          .where(and(eq(userRoles.tenantId, tx.actor.tenantId), eq(userRoles.userId, id)))
        if (roleIds.length)
          await tx.db
            .insert(userRoles)
            .values(roleIds.map((roleId) => ({ tenantId: tx.actor.tenantId, userId: id, roleId })))
        await writeAudit(tx, [
          {
            action: 'update',
            objectType: 'user',
            objectId: id,
            summary: 'roles',
            before: { roleIds: current },
            after: { roleIds },
          },
        ])
        current = roleIds
      }
    }
    if (fields.status === 'disabled' || roleIds) await assertAdminRemains(tx)
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
      .set({
        passwordHash,
        failedLogins: 0,
        lockedUntil: null,
        sessionsValidAfter: new Date(),
        updatedAt: new Date(),
      })
      .where(and(usersRepo.visible(tx), eq(users.id, userId)))
    await deleteUserSessions(tx.db, tx.actor.tenantId, userId)
    await writeAudit(tx, [
      { action: 'password_reset', objectType: 'user', objectId: userId, summary: String(user.email) },
    ])
  })
}

export async function deleteUser(ctx: Ctx, id: string): Promise<void> {
  if (id === ctx.actor.id) throw validationFailed([{ field: 'id', code: 'cannot_delete_self' }])
  const n = await inTransaction(ctx, async (tx) => {
    await usersRepo.get(tx, id)
    await tx.db
      .update(users)
      .set({ managerId: null })
      .where(and(eq(users.tenantId, tx.actor.tenantId), eq(users.managerId, id)))
    await deleteUserSessions(tx.db, tx.actor.tenantId, id)
    const removed = await usersRepo.remove(tx, [id])
    await assertAdminRemains(tx)
    return removed
  })
  if (!n) throw notFound()
}

export const userSearch = (q: string) =>
  sql`(${users.name} ilike ${`%${q}%`} or ${users.email} ilike ${`%${q}%`})`

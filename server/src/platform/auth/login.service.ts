import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { systemActor } from '../access/actor.js'
import { writeAudit } from '../audit/service.js'
import type { Db } from '../db/index.js'
import { AppError, validationFailed } from '../http/errors.js'
import type { Locale } from '../i18n/messages.js'
import { users } from '../org/schema.js'
import { tenants } from '../tenancy/schema.js'
import { dummyHash, verifyPassword } from './password.js'
import { phantomFailure, phantomKey, phantomLocked } from './phantom-lockout.js'
import { createSession } from './sessions.js'

export interface LoginInput {
  workspace?: string
  email: string
  password: string
  ip?: string
  userAgent?: string
  locale: Locale
}

/**
 * Checks a password sign-in. Unknown workspace, unknown email and wrong password all get the
 * same message and take the same time; repeated failures lock the account for a while.
 */
export async function login(db: Db, input: LoginInput) {
  const tenant = await resolveTenant(db, input.workspace)
  const [user] = tenant
    ? await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenant.id), sql`lower(${users.email}) = lower(${input.email.trim()})`))
    : []
  if (!tenant || !user?.passwordHash || user.status !== 'active') {
    await verifyPassword(await dummyHash(), input.password)
    // No account: answer exactly as a real account would, lockout included.
    const key = phantomKey(tenant?.id ?? input.workspace, input.email)
    if (phantomLocked(key)) throw new AppError(429, 'account_locked')
    const lock = phantomFailure(
      key,
      tenant?.settings.lockoutThreshold ?? 5,
      tenant?.settings.lockoutMinutes ?? 15,
    )
    throw new AppError(lock ? 429 : 401, lock ? 'account_locked' : 'invalid_credentials')
  }
  const settings = tenant.settings
  const audit = (action: string) =>
    writeAudit(
      {
        db,
        actor: { ...systemActor(tenant.id, []), type: 'user', id: user.id, name: user.name },
        locale: input.locale,
        ip: input.ip,
      } as Ctx,
      [{ action, objectType: 'user', objectId: user.id, summary: user.email }],
    )
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await verifyPassword(await dummyHash(), input.password)
    throw new AppError(429, 'account_locked')
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const threshold = settings.lockoutThreshold ?? 5
    const failed = user.failedLogins + 1
    const lock = failed >= threshold
    await db
      .update(users)
      .set({
        failedLogins: lock ? 0 : failed,
        lockedUntil: lock
          ? new Date(Date.now() + (settings.lockoutMinutes ?? 15) * 60_000)
          : user.lockedUntil,
      })
      .where(and(eq(users.tenantId, tenant.id), eq(users.id, user.id)))
    await audit(lock ? 'login_locked' : 'login_failed')
    throw new AppError(lock ? 429 : 401, lock ? 'account_locked' : 'invalid_credentials')
  }
  await db
    .update(users)
    .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() })
    .where(and(eq(users.tenantId, tenant.id), eq(users.id, user.id)))
  await audit('login')
  const session = await createSession(db, {
    tenantId: tenant.id,
    userId: user.id,
    ip: input.ip,
    userAgent: input.userAgent,
  })
  return { tenant, user, session }
}

async function resolveTenant(db: Db, slug: string | undefined) {
  if (slug) {
    const [t] = await db
      .select()
      .from(tenants)
      .where(and(eq(tenants.slug, slug.trim().toLowerCase()), isNull(tenants.deletedAt)))
    return t ?? null
  }
  // A deleted workspace neither signs in nor makes the workspace field necessary.
  const all = await db.select().from(tenants).where(isNull(tenants.deletedAt)).limit(2)
  if (all.length > 1) throw validationFailed([{ field: 'workspace', code: 'workspace_required' }])
  return all[0] ?? null
}

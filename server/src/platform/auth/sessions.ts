import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../db/index.js'
import { tenants } from '../tenancy/schema.js'
import { sessions } from './schema.js'
import { randomToken, sha256 } from './tokens.js'

/** Creates a session row and returns the cookie secret (never stored) and the CSRF token. */
export async function createSession(
  db: Db | Tx,
  input: { tenantId: string; userId: string; ip?: string; userAgent?: string },
): Promise<{ id: string; secret: string; csrfToken: string; expiresAt: Date }> {
  const [tenant] = await db
    .select({ settings: tenants.settings })
    .from(tenants)
    .where(eq(tenants.id, input.tenantId))
  const days = tenant?.settings.sessionDays ?? 14
  const secret = randomToken()
  const csrfToken = randomToken(24)
  const expiresAt = new Date(Date.now() + days * 86_400_000)
  const [row] = await db
    .insert(sessions)
    .values({
      tenantId: input.tenantId,
      userId: input.userId,
      tokenHash: sha256(secret),
      csrfToken,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    })
    .returning({ id: sessions.id })
  return { id: row!.id, secret, csrfToken, expiresAt }
}

export async function deleteSession(db: Db | Tx, tenantId: string, sessionId: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.id, sessionId)))
}

export async function deleteUserSessions(db: Db | Tx, tenantId: string, userId: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId)))
}

import { and, eq, gt, isNull } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Actor } from '../access/actor.js'
import { loadApiKeyActor, loadUserActor } from '../access/load-actor.js'
import type { Db } from '../db/index.js'
import { users } from '../org/schema.js'
import { apiKeys, sessions } from './schema.js'
import { SESSION_COOKIE, parseApiKey, parseSessionCookie, safeEqual, sha256 } from './tokens.js'

export interface Authentication {
  actor: Actor
  via: 'session' | 'api_key'
  sessionId: string | null
  csrfToken: string | null
}

/** Resolves the caller from the session cookie or a Bearer API key; null when neither is valid. */
export async function authenticate(req: FastifyRequest, db: Db): Promise<Authentication | null> {
  const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer) return authenticateApiKey(db, bearer)
  const cookie = parseSessionCookie(req.cookies?.[SESSION_COOKIE])
  if (!cookie) return null
  const [session] = await db
    .select({ id: sessions.id, userId: sessions.userId, csrfToken: sessions.csrfToken, createdAt: sessions.createdAt, validAfter: users.sessionsValidAfter })
    .from(sessions)
    .innerJoin(users, and(eq(users.tenantId, sessions.tenantId), eq(users.id, sessions.userId)))
    .where(
      and(
        eq(sessions.tenantId, cookie.tenantId),
        eq(sessions.tokenHash, sha256(cookie.secret)),
        gt(sessions.expiresAt, new Date()),
      ),
    )
  if (!session) return null
  if (session.validAfter && session.createdAt < session.validAfter) return null
  const actor = await loadUserActor(db, cookie.tenantId, session.userId)
  return actor ? { actor, via: 'session', sessionId: session.id, csrfToken: session.csrfToken } : null
}

async function authenticateApiKey(db: Db, token: string): Promise<Authentication | null> {
  const parsed = parseApiKey(token)
  if (!parsed) return null
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, parsed.tenantId), eq(apiKeys.id, parsed.keyId), isNull(apiKeys.revokedAt)))
  if (!key || !safeEqual(key.secretHash, sha256(parsed.secret))) return null
  if (key.expiresAt && key.expiresAt < new Date()) return null
  const actor = await loadApiKeyActor(db, key)
  return actor ? { actor, via: 'api_key', sessionId: null, csrfToken: null } : null
}

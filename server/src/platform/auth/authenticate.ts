import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Actor } from '../access/actor.js'
import { actorFromRow, actorSelect, loadApiKeyActor } from '../access/load-actor.js'
import type { Db } from '../db/index.js'
import { apiKeys } from './schema.js'
import { parseApiKey, parseSessionCookie, SESSION_COOKIE, safeEqual, sha256 } from './tokens.js'

export interface Authentication {
  actor: Actor
  via: 'session' | 'api_key'
  sessionId: string | null
  csrfToken: string | null
}

/**
 * A short-lived cache of resolved callers, keyed by credential hash. Every change to accounts,
 * roles, units or keys clears it in this process (see invalidateAuthCache); other processes see
 * such a change within AUTH_CACHE_MS. Expired sessions never outlive their own expiry.
 */
const AUTH_CACHE_MS = 2000
const cache = new Map<string, { auth: Authentication | null; until: number }>()
export function invalidateAuthCache(): void {
  cache.clear()
}

/** Resolves the caller from the session cookie or a Bearer API key; null when neither is valid. */
export async function authenticate(req: FastifyRequest, db: Db): Promise<Authentication | null> {
  const bearer = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const credential = bearer ?? req.cookies?.[SESSION_COOKIE]
  if (!credential) return null
  const key = sha256(credential)
  const now = Date.now()
  const hit = cache.get(key)
  if (hit && hit.until > now) return hit.auth
  const auth = bearer ? await authenticateApiKey(db, bearer) : await authenticateSession(db, credential)
  if (cache.size > 10_000) cache.clear()
  cache.set(key, { auth, until: now + AUTH_CACHE_MS })
  return auth
}

async function authenticateSession(db: Db, value: string): Promise<Authentication | null> {
  const cookie = parseSessionCookie(value)
  if (!cookie) return null
  // Session, user, unit paths and role grants in one round trip: this runs on every request.
  const res = await db.execute<Record<string, unknown>>(
    actorSelect(
      sql`s.id as session_id, s.csrf_token, s.created_at as session_created_at,`,
      sql`from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.user_id`,
      sql`s.tenant_id = ${cookie.tenantId} and s.token_hash = ${sha256(cookie.secret)} and s.expires_at > now()`,
    ),
  )
  const row = res.rows[0] as unknown as
    | (Parameters<typeof actorFromRow>[1] & {
        session_id: string
        csrf_token: string
        session_created_at: Date
      })
    | undefined
  if (!row) return null
  if (row.sessions_valid_after && new Date(row.session_created_at) < new Date(row.sessions_valid_after))
    return null
  const actor = actorFromRow(cookie.tenantId, row)
  return actor ? { actor, via: 'session', sessionId: row.session_id, csrfToken: row.csrf_token } : null
}

async function authenticateApiKey(db: Db, token: string): Promise<Authentication | null> {
  const parsed = parseApiKey(token)
  if (!parsed) return null
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(
      and(eq(apiKeys.tenantId, parsed.tenantId), eq(apiKeys.id, parsed.keyId), isNull(apiKeys.revokedAt)),
    )
  if (!key || !safeEqual(key.secretHash, sha256(parsed.secret))) return null
  if (key.expiresAt && key.expiresAt < new Date()) return null
  const actor = await loadApiKeyActor(db, key)
  if (!actor) return null
  // "Last used" to the minute is enough, and spares a write on every call of a busy integration.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000)
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiKeys.tenantId, key.tenantId),
          eq(apiKeys.id, key.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      )
  return { actor, via: 'api_key', sessionId: null, csrfToken: null }
}

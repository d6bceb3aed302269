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
 * such a change within AUTH_CACHE_MS. Expired sessions and keys never outlive their own expiry.
 * The entry is the lookup itself: concurrent requests of one caller share one query, and a
 * lookup still running when the cache is cleared is not put back with what it read before.
 */
const AUTH_CACHE_MS = 2000
interface Lookup {
  auth: Authentication | null
  /** When the credential itself expires (ms since epoch); null when it does not. */
  expiresAt: number | null
}
const cache = new Map<string, { lookup: Promise<Lookup>; until: number }>()
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
  if (hit && hit.until > now) return (await hit.lookup).auth
  if (cache.size > 10_000) cache.clear()
  const lookup = bearer ? authenticateApiKey(db, bearer) : authenticateSession(db, credential)
  const entry = { lookup, until: now + AUTH_CACHE_MS }
  cache.set(key, entry)
  try {
    const result = await lookup
    if (result.expiresAt !== null && result.expiresAt < entry.until) entry.until = result.expiresAt
    return result.auth
  } catch (err) {
    if (cache.get(key) === entry) cache.delete(key)
    throw err
  }
}

const none: Lookup = { auth: null, expiresAt: null }

async function authenticateSession(db: Db, value: string): Promise<Lookup> {
  const cookie = parseSessionCookie(value)
  if (!cookie) return none
  // Session, user, unit paths and role grants in one round trip: this runs on every request.
  const res = await db.execute<Record<string, unknown>>(
    actorSelect(
      sql`s.id as session_id, s.csrf_token, s.created_at as session_created_at, s.expires_at as session_expires_at,`,
      sql`from sessions s join users u on u.tenant_id = s.tenant_id and u.id = s.user_id`,
      sql`s.tenant_id = ${cookie.tenantId} and s.token_hash = ${sha256(cookie.secret)} and s.expires_at > now()`,
    ),
  )
  const row = res.rows[0] as unknown as
    | (Parameters<typeof actorFromRow>[1] & {
        session_id: string
        csrf_token: string
        session_created_at: Date
        session_expires_at: Date
      })
    | undefined
  if (!row) return none
  if (row.sessions_valid_after && new Date(row.session_created_at) < new Date(row.sessions_valid_after))
    return none
  const actor = actorFromRow(cookie.tenantId, row)
  if (!actor) return none
  return {
    auth: { actor, via: 'session', sessionId: row.session_id, csrfToken: row.csrf_token },
    expiresAt: new Date(row.session_expires_at).getTime(),
  }
}

async function authenticateApiKey(db: Db, token: string): Promise<Lookup> {
  const parsed = parseApiKey(token)
  if (!parsed) return none
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(
      and(eq(apiKeys.tenantId, parsed.tenantId), eq(apiKeys.id, parsed.keyId), isNull(apiKeys.revokedAt)),
    )
  if (!key || !safeEqual(key.secretHash, sha256(parsed.secret))) return none
  if (key.expiresAt && key.expiresAt < new Date()) return none
  const actor = await loadApiKeyActor(db, key)
  if (!actor) return none
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
  return {
    auth: { actor, via: 'api_key', sessionId: null, csrfToken: null },
    expiresAt: key.expiresAt?.getTime() ?? null,
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const SESSION_COOKIE = 'haina_sid'

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url')
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/** Session cookie value: `<tenantId>.<secret>`; the tenant part routes the lookup, the secret proves it. */
export const sessionCookieValue = (tenantId: string, secret: string) => `${tenantId}.${secret}`
export function parseSessionCookie(value: string | undefined): { tenantId: string; secret: string } | null {
  const m = value?.match(new RegExp(`^(${UUID})\\.([\\w-]{20,})$`))
  return m ? { tenantId: m[1]!, secret: m[2]! } : null
}

/** Invitation token: `<tenantId>.<secret>` like the session cookie; only its sha256 is stored. */
export const invitationToken = sessionCookieValue
export const parseInvitationToken = parseSessionCookie

/** API key: `hn_<tenantId>_<keyId>_<secret>`, shown once when created. */
export const apiKeyValue = (tenantId: string, keyId: string, secret: string) =>
  `hn_${tenantId}_${keyId}_${secret}`
export function parseApiKey(
  value: string | undefined,
): { tenantId: string; keyId: string; secret: string } | null {
  const m = value?.match(new RegExp(`^hn_(${UUID})_(${UUID})_([\\w-]{20,})$`))
  return m ? { tenantId: m[1]!, keyId: m[2]!, secret: m[3]! } : null
}

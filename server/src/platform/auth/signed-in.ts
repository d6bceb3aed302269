import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { users } from '../org/schema.js'
import type { tenants } from '../tenancy/schema.js'
import { SESSION_COOKIE, sessionCookieValue } from './tokens.js'

/** What every sign-in (setup, login, accepted invitation) answers, and sets as the session cookie. */
export const userOut = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  locale: z.string().nullable(),
  unitId: z.string(),
})
export const tenantOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string(),
})
export const signedIn = z.object({ user: userOut, tenant: tenantOut, csrfToken: z.string() })

export const pickUser = (u: typeof users.$inferSelect) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  phone: u.phone,
  locale: u.locale,
  unitId: u.unitId,
})
export const pickTenant = (t: typeof tenants.$inferSelect) => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  timezone: t.timezone,
  locale: t.locale,
})

/** HttpOnly, SameSite=Lax, Secure behind HTTPS; expires with the session row. */
export function setSessionCookie(
  reply: FastifyReply,
  secure: boolean,
  tenantId: string,
  s: { secret: string; expiresAt: Date },
): void {
  reply.setCookie(SESSION_COOKIE, sessionCookieValue(tenantId, s.secret), {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: s.expiresAt,
  })
}

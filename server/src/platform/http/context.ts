import type { FastifyRequest } from 'fastify'
import type { Actor, Ctx } from '../access/actor.js'
import { unauthenticated } from './errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: a permission ('leads.view'), 'authenticated' or 'public'. */
    permission?: string
    /** Cache the response under the caller's Idempotency-Key (creates an integration may retry). */
    idempotent?: boolean
  }
  interface FastifyRequest {
    actor: Actor | null
    /** How the caller authenticated; cookie sessions must pass the CSRF check on writes. */
    authVia: 'session' | 'api_key' | null
    sessionId: string | null
    csrfToken: string | null
    dbCtx: Ctx | null
  }
}

/** The service context of an authenticated request. */
export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.dbCtx) throw unauthenticated()
  return req.dbCtx
}

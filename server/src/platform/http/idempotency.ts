import { createHash } from 'node:crypto'
import { and, eq, lt } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/index.js'
import { idempotencyKeys } from '../events/schema.js'
import { AppError } from './errors.js'
import type { App, AppDeps } from './module.js'

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null
  }
}

const KEY = /^[\w.:-]{1,200}$/

/**
 * `Idempotency-Key` on routes marked `idempotent`: the first request claims the key and its
 * response is stored; a retry with the same key and body gets the same response back.
 */
export function registerIdempotency(app: App, deps: AppDeps): void {
  const db = deps.database.db
  app.decorateRequest('idempotencyKey', null)

  const claim = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key']
    if (typeof key !== 'string' || !req.actor?.id) return
    if (!KEY.test(key)) throw new AppError(400, 'bad_request')
    const tenantId = req.actor.tenantId
    const callerId = req.actor.id
    const route = `${req.method} ${req.routeOptions.url}`
    const requestHash = createHash('sha256')
      .update(route)
      .update(JSON.stringify(req.body ?? null))
      .digest('hex')
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ tenantId, callerId, key, route, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
    if (claimed.length) {
      req.idempotencyKey = key
      return
    }
    const [prior] = await db
      .select()
      .from(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.tenantId, tenantId),
          eq(idempotencyKeys.callerId, callerId),
          eq(idempotencyKeys.key, key),
        ),
      )
    if (!prior || prior.requestHash !== requestHash) throw new AppError(409, 'idempotency_mismatch')
    if (prior.statusCode === null) throw new AppError(409, 'idempotency_in_progress')
    return reply.status(prior.statusCode).header('idempotent-replayed', 'true').send(prior.response)
  }

  const store = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!req.idempotencyKey || !req.actor?.id) return payload
    const where = and(
      eq(idempotencyKeys.tenantId, req.actor.tenantId),
      eq(idempotencyKeys.callerId, req.actor.id),
      eq(idempotencyKeys.key, req.idempotencyKey),
    )
    if (reply.statusCode >= 500) {
      // A failed attempt must stay retryable.
      await db.delete(idempotencyKeys).where(where)
      return payload
    }
    let body: unknown = null
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null
    } catch {
      body = payload
    }
    await db.update(idempotencyKeys).set({ statusCode: reply.statusCode, response: body }).where(where)
    return payload
  }

  // Only routes marked `idempotent` carry the hooks: every other request skips them.
  app.addHook('onRoute', (route) => {
    if (!(route.config as { idempotent?: boolean } | undefined)?.idempotent) return
    const list = (h: unknown) => (h === undefined ? [] : Array.isArray(h) ? h : [h])
    route.preHandler = [claim, ...list(route.preHandler)]
    route.onSend = [store, ...list(route.onSend)]
  })
}

/** Keys are kept for a day; a maintenance job calls this. */
export async function purgeIdempotencyKeys(db: Db, olderThanHours = 24): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(Date.now() - olderThanHours * 3600_000)))
}

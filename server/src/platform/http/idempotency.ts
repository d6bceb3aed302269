import { createHash } from 'node:crypto'
import { and, eq, lt } from 'drizzle-orm'
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

  app.addHook('preHandler', async (req, reply) => {
    const key = req.headers['idempotency-key']
    if (!req.routeOptions.config.idempotent || typeof key !== 'string' || !req.actor?.id) return
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
  })

  app.addHook('onSend', async (req, reply, payload) => {
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
  })
}

/** Keys are kept for a day; a maintenance job calls this. */
export async function purgeIdempotencyKeys(db: Db, olderThanHours = 24): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(Date.now() - olderThanHours * 3600_000)))
}

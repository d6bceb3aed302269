import type { Ctx } from '../access/actor.js'
import type { Db } from './index.js'

/**
 * Runs `fn` in a transaction, joining the caller's one if there is one. Never open a second
 * connection inside a transaction: on PGlite (one connection) that would wait forever.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTx) return fn(ctx)
  return (ctx.db as Db).transaction((tx) => fn({ ...ctx, db: tx, inTx: true }))
}

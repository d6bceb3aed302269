import type { Ctx } from '../access/actor.js'
import { notifications } from './schema.js'

export interface NotificationInput {
  userId: string
  kind: string
  title: string
  body?: string | null
  link?: string | null
  subjectType?: string | null
  subjectId?: string | null
  /** Same user + same key = the same notification: producers may run twice safely. */
  dedupeKey?: string | null
}

/** Sends in-app notifications in the caller's transaction; duplicates by dedupeKey are skipped. */
export async function notify(ctx: Ctx, items: NotificationInput[]): Promise<number> {
  if (items.length === 0) return 0
  const rows = await ctx.db
    .insert(notifications)
    .values(items.map((n) => ({ ...n, tenantId: ctx.actor.tenantId })))
    .onConflictDoNothing()
    .returning({ id: notifications.id })
  return rows.length
}

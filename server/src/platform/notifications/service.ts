import { and, count, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { decodeCursor, encodeCursor, isUuid } from '../access/data-access.js'
import { writeAudit } from '../audit/service.js'
import { newId } from '../db/columns.js'
import { inTransaction } from '../db/tx.js'
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

/** Rows per INSERT: reminder and reclaim runs notify thousands at once. */
const CHUNK = 2000

/**
 * Sends in-app notifications in the caller's transaction; duplicates by dedupeKey are skipped.
 * Rows travel as ONE JSON parameter (jsonb_to_recordset): no bind-parameter limit, and several
 * times faster than a multi-row VALUES on the embedded database.
 */
export async function notify(ctx: Ctx, items: NotificationInput[]): Promise<number> {
  let sent = 0
  for (let i = 0; i < items.length; i += CHUNK) {
    const rows = items.slice(i, i + CHUNK).map((n) => ({
      id: newId(),
      user_id: n.userId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? null,
      link: n.link ?? null,
      subject_type: n.subjectType ?? null,
      subject_id: n.subjectId ?? null,
      dedupe_key: n.dedupeKey ?? null,
    }))
    const res = await ctx.db.execute(sql`
      insert into notifications (tenant_id, id, user_id, kind, title, body, link, subject_type, subject_id, dedupe_key)
      select ${ctx.actor.tenantId}::uuid, r.* from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
        id uuid, user_id uuid, kind text, title text, body text, link text, subject_type text, subject_id uuid, dedupe_key text)
      on conflict do nothing
      returning id`)
    sent += res.rows.length
  }
  return sent
}

/** What a person sees in their notification centre (their own notifications only). */
export type NotificationView = Omit<
  typeof notifications.$inferSelect,
  'tenantId' | 'userId' | 'dedupeKey' | 'emailedAt'
>

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/

/** Only people have notifications: API keys and the system see none and mark none. */
const own = (ctx: Ctx) =>
  ctx.actor.type === 'user' && ctx.actor.id
    ? and(eq(notifications.tenantId, ctx.actor.tenantId), eq(notifications.userId, ctx.actor.id))
    : sql`false`

/** The caller's notifications, newest first, keyset-paged; `unread` keeps the unread ones. */
export async function listNotifications(
  ctx: Ctx,
  q: { unread?: boolean; limit?: number; cursor?: string | null },
): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(q.limit ?? 20, 1), 200)
  const cur = q.cursor ? decodeCursor(q.cursor) : null
  const after =
    cur &&
    typeof cur[0] === 'string' &&
    TIMESTAMP.test(cur[0]) &&
    typeof cur[1] === 'string' &&
    isUuid(cur[1])
      ? sql`(${notifications.createdAt}, ${notifications.id}) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`
      : undefined
  const {
    tenantId: _t,
    userId: _u,
    dedupeKey: _d,
    emailedAt: _e,
    ...columns
  } = getTableColumns(notifications)
  const rows = await ctx.db
    .select({ ...columns, sortKey: sql<string>`${notifications.createdAt}::text` })
    .from(notifications)
    .where(and(own(ctx), q.unread ? isNull(notifications.readAt) : undefined, after))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1)
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  const last = items[items.length - 1]
  return {
    items: items.map(({ sortKey: _s, ...r }) => r),
    nextCursor: more && last ? encodeCursor([last.sortKey, last.id]) : null,
  }
}

export async function unreadCount(ctx: Ctx): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(own(ctx), isNull(notifications.readAt)))
  return Number(row?.n ?? 0)
}

/** Marks the caller's own notifications read: the given ones, or all. Answers how many changed. */
export async function markRead(ctx: Ctx, which: { ids?: string[]; all?: boolean }): Promise<number> {
  const ids = (which.ids ?? []).filter(isUuid)
  if (!which.all && ids.length === 0) return 0
  return inTransaction(ctx, async (tx) => {
    const rows = await tx.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(own(tx), isNull(notifications.readAt), which.all ? undefined : inArray(notifications.id, ids)),
      )
      .returning({ id: notifications.id })
    if (rows.length)
      await writeAudit(tx, [
        {
          action: 'read',
          objectType: 'notification',
          objectId: rows.length === 1 ? rows[0]!.id : null,
          summary: `${rows.length}`,
        },
      ])
    return rows.length
  })
}

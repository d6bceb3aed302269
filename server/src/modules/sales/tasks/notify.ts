import { and, eq, inArray } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { LOCALES, type Locale, translate } from '../../../platform/i18n/messages.js'
import { DEFAULT_TIMEZONE } from '../../../platform/jobs/cron.js'
import { type NotificationInput, notify } from '../../../platform/notifications/service.js'
import { users } from '../../../platform/org/schema.js'
import { tenants } from '../../../platform/tenancy/schema.js'
import './messages.js'

/** "MM/DD HH:mm" in the language and time zone given; ISO time when the zone is unknown. */
function shortTime(locale: Locale, timeZone: string): (d: Date) => string {
  const options = {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  } as const
  try {
    const f = new Intl.DateTimeFormat(locale, { ...options, timeZone })
    return (d) => f.format(d)
  } catch {
    return (d) => d.toISOString()
  }
}

/** What a task notification says about its task. */
export interface TaskNote {
  id: string
  title: string
  /** The moment it is about (start or due), shown in the recipient's language and time zone. */
  at: Date | string | null
}

/**
 * Builds notifications for task recipients, each in the recipient's language and the workspace's
 * time zone: one language and one formatter lookup per batch, not per notification.
 */
export async function taskNotifier(ctx: Ctx, userIds: string[]) {
  const ids = [...new Set(userIds.filter(Boolean))]
  const [ws] = await ctx.db
    .select({ locale: tenants.locale, timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  const valid = (l: string | null | undefined): l is Locale =>
    (LOCALES as readonly string[]).includes(l ?? '')
  const fallback: Locale = valid(ws?.locale) ? ws.locale : 'zh-CN'
  const people = ids.length
    ? await ctx.db
        .select({ id: users.id, locale: users.locale })
        .from(users)
        .where(
          and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, ids), eq(users.status, 'active')),
        )
    : []
  const locale = new Map(people.map((p) => [p.id, valid(p.locale) ? p.locale : fallback]))
  const timeZone = ws?.timezone || DEFAULT_TIMEZONE
  const formatters = new Map<Locale, (d: Date) => string>()
  const fmt = (d: Date | string, l: Locale) => {
    if (!formatters.has(l)) formatters.set(l, shortTime(l, timeZone))
    return formatters.get(l)!(new Date(d))
  }
  return {
    /**
     * One notification to `userId` about `task` (null for people not active); `params` fill the
     * title, a value '@code' being that message in the recipient's language.
     */
    item(
      userId: string,
      kind: string,
      task: TaskNote,
      dedupeKey: string,
      params: Record<string, unknown> = {},
    ): NotificationInput | null {
      const l = locale.get(userId)
      if (!l) return null
      const translated = Object.fromEntries(
        Object.entries(params).map(([k, v]) => [
          k,
          typeof v === 'string' && v.startsWith('@') ? translate(v.slice(1), l) : v,
        ]),
      )
      return {
        userId,
        kind,
        title: translate(`notify_${kind}_title`, l, { title: task.title, ...translated }),
        body: task.at ? translate('notify_task_time_body', l, { time: fmt(task.at, l) }) : null,
        link: `/tasks?id=${task.id}`,
        subjectType: 'task',
        subjectId: task.id,
        dedupeKey,
      }
    },
  }
}

/** Sends the non-null notifications in the caller's transaction (idempotent by dedupe key). */
export const sendAll = (ctx: Ctx, items: (NotificationInput | null)[]) =>
  notify(
    ctx,
    items.filter((i): i is NotificationInput => i !== null),
  )

import { sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { registerSchedule } from '../../../platform/jobs/cron.js'
import { registerJob } from '../../../platform/jobs/queue.js'
import { sendAll, taskNotifier } from './notify.js'

/**
 * Task reminders (日程提醒), every 5 minutes per workspace:
 *  (a) an open task whose reminder time (start or due − remindMinutesBefore) has come: its owner
 *      and every participant who has not declined, once — the UPDATE that sets reminded_at claims
 *      the tasks, so an overlapping run takes each task once;
 *  (b) an open task past its due time: its owner, once — the notification's dedupe key (task and
 *      due instant) is looked up per candidate, so a repeated run finds it sent.
 * Both are set-based statements; every notification carries a dedupe key.
 */
export interface TaskReminderOptions {
  now?: Date
  /** Older start or due times are not reminded of any more (a job down for a month). */
  lookbackDays?: number
}

const LOOKBACK_DAYS = 7
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`

interface Due {
  id: string
  title: string
  owner_id: string | null
  at: Date
  key: string
}

export async function runTaskReminders(ctx: Ctx, opts: TaskReminderOptions = {}) {
  const now = opts.now ?? new Date()
  const since = new Date(now.getTime() - (opts.lookbackDays ?? LOOKBACK_DAYS) * 86_400_000)
  const t = ctx.actor.tenantId
  const epochKey = (prefix: string, col: string) =>
    sql.raw(`'${prefix}:' || t.id || ':' || floor(extract(epoch from ${col}) * 1000)::bigint`)

  const reminded = await inTransaction(ctx, async (tx) => {
    const { rows } = await tx.db.execute(sql`
      update tasks t set reminded_at = ${now.toISOString()}::timestamptz
      where t.tenant_id = ${t} and t.remind_minutes_before is not null and t.reminded_at is null
        and t.status = 'open'
        and coalesce(t.start_at, t.due_at) - make_interval(mins => t.remind_minutes_before) <= ${now.toISOString()}::timestamptz
        and coalesce(t.start_at, t.due_at) > ${since.toISOString()}::timestamptz
      returning t.id, t.title, t.owner_id, coalesce(t.start_at, t.due_at) as at,
        ${epochKey('task_remind', 'coalesce(t.start_at, t.due_at)')} as key`)
    const due = rows as unknown as Due[]
    if (!due.length) return 0
    const { rows: invited } = await tx.db.execute(sql`
      select task_id, user_id from task_participants
      where tenant_id = ${t} and task_id = any(${uuids(due.map((d) => d.id))}) and response <> 'declined'`)
    const to = new Map(due.map((d) => [d.id, new Set(d.owner_id ? [d.owner_id] : [])]))
    for (const p of invited as { task_id: string; user_id: string }[]) to.get(p.task_id)?.add(p.user_id)
    const n = await taskNotifier(
      tx,
      [...to.values()].flatMap((s) => [...s]),
    )
    return sendAll(
      tx,
      due.flatMap((d) => [...to.get(d.id)!].map((u) => n.item(u, 'task_remind', d, d.key))),
    )
  })

  const overdue = await inTransaction(ctx, async (tx) => {
    // Per owner along tasks_owner_due_idx; the owner's notification is probed per candidate.
    const { rows } = await tx.db.execute(sql`
      select t.id, t.title, t.owner_id, t.due_at as at, k.key
      from users u
      cross join lateral (select t.id, t.title, t.owner_id, t.due_at from tasks t
        where t.tenant_id = u.tenant_id and t.owner_id = u.id and t.status = 'open'
          and t.due_at <= ${now.toISOString()}::timestamptz and t.due_at > ${since.toISOString()}::timestamptz) t
      cross join lateral (select ${epochKey('task_overdue', 't.due_at')} as key) k
      left join lateral (select 1 as hit from notifications n
        where n.tenant_id = u.tenant_id and n.user_id = u.id and n.dedupe_key = k.key limit 1) seen on true
      where u.tenant_id = ${t} and u.status = 'active' and seen.hit is null`)
    const late = rows as unknown as Due[]
    if (!late.length) return 0
    const n = await taskNotifier(
      tx,
      late.map((d) => d.owner_id!),
    )
    return sendAll(
      tx,
      late.map((d) => n.item(d.owner_id!, 'task_overdue', d, d.key)),
    )
  })
  return { reminded, overdue }
}

registerJob({
  type: 'sales.task-reminders',
  async run(job, tools) {
    const ctx: Ctx = { db: tools.db, actor: systemActor(job.tenantId!, ALL_PERMISSIONS), locale: 'zh-CN' }
    return runTaskReminders(ctx)
  },
})

registerSchedule({
  name: 'sales-task-reminders',
  pattern: '0 */5 * * * *',
  perTenant: true,
  jobType: 'sales.task-reminders',
})

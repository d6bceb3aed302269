import { eq, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../platform/access/permissions.js'
import { inTransaction } from '../../platform/db/tx.js'
import { LOCALES, type Locale, translate } from '../../platform/i18n/messages.js'
import { DEFAULT_TIMEZONE, registerSchedule } from '../../platform/jobs/cron.js'
import { registerJob } from '../../platform/jobs/queue.js'
import { type NotificationInput, notify } from '../../platform/notifications/service.js'
import { tenants } from '../../platform/tenancy/schema.js'
import './followups.messages.js'
import { OPEN_STATUSES } from './moves.service.js'
import { leadSettings } from './pools.schema.js'

/**
 * Follow-up supervision (跟进督导), every 5 minutes per workspace:
 *  (a) next-step reminders to the lead's owner when a pending next step is due within 15 minutes
 *      or already due;
 *  (b) overdue alerts to the owner AND their manager when a pending next step is more than an hour
 *      late (a later follow-up on the lead ends "pending");
 *  (c) first-contact SLA missed: an owned lead not contacted within lead_settings.firstContactSlaHours
 *      of its assignment → owner and manager.
 * Each is a few set-based statements; each follow-up is marked (reminded_at, overdue_alerted_at)
 * in the same transaction as its notifications, and every notification has a dedupe key: a run
 * repeated or overlapping notifies nobody twice.
 */
export interface ReminderOptions {
  now?: Date
  dueWithinMinutes?: number
  overdueAfterMinutes?: number
  /** Older next steps and assignments are not reminded of any more (a job down for a month). */
  lookbackDays?: number
}

export const REMINDER_DEFAULTS = { dueWithinMinutes: 15, overdueAfterMinutes: 60, lookbackDays: 30 }
const OPEN = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '))

interface Person {
  id: string
  name: string
  locale: Locale
}
interface Recipients {
  owner: Person | null
  manager: Person | null
}

/** Owners (active) and their managers (active, not themselves), with each one's language. */
async function recipientsOf(
  ctx: Ctx,
  ownerIds: string[],
  fallback: Locale,
): Promise<Map<string, Recipients>> {
  const out = new Map<string, Recipients>()
  const ids = [...new Set(ownerIds.filter(Boolean))]
  if (!ids.length) return out
  const { rows } = await ctx.db.execute<Record<string, string | null>>(sql`
    select u.id, u.name, u.locale, m.id as manager_id, m.name as manager_name, m.locale as manager_locale
    from users u
    left join users m on m.tenant_id = u.tenant_id and m.id = u.manager_id and m.status = 'active' and m.id <> u.id
    where u.tenant_id = ${ctx.actor.tenantId} and u.status = 'active'
      and u.id = any(${`{${ids.join(',')}}`}::uuid[])`)
  const lang = (l: string | null | undefined): Locale =>
    (LOCALES as readonly string[]).includes(l ?? '') ? (l as Locale) : fallback
  for (const r of rows)
    out.set(r.id!, {
      owner: { id: r.id!, name: r.name!, locale: lang(r.locale) },
      manager: r.manager_id
        ? { id: r.manager_id, name: r.manager_name!, locale: lang(r.manager_locale) }
        : null,
    })
  return out
}

interface StepRow {
  id: string
  next_at: Date
  next_step: string | null
  lead_id: string
  lead_name: string
  owner_id: string | null
}

/**
 * Pending next steps due before `before` (and after `since`) on open leads, not yet flagged in
 * `flag`; flags them and answers those this call flagged (a run overlapping another takes each once).
 * A step is pending while its follow-up is the latest on its subject. Both lookups are LATERAL
 * with a LIMIT (which keeps the planner from flattening them into a join), so each is an index
 * probe per candidate whatever the planner's statistics say: a new workspace has none yet, and
 * without them PostgreSQL picks nested loops that scan the whole workspace per candidate.
 */
async function claimSteps(
  ctx: Ctx,
  flag: 'reminded_at' | 'overdue_alerted_at',
  range: { before: string; since: string; at: string },
): Promise<StepRow[]> {
  const tenant = ctx.actor.tenantId
  const col = sql.raw(flag)
  const { rows } = await ctx.db.execute(sql`
    select f.id, f.next_at, f.next_step, l.id as lead_id, l.name as lead_name,
      coalesce(l.owner_id, f.owner_id) as owner_id
    from follow_ups f
    cross join lateral (select l.id, l.name, l.owner_id from leads l
      where l.tenant_id = f.tenant_id and l.id = f.subject_id and l.status in (${OPEN}) limit 1) l
    cross join lateral (select g.id from follow_ups g
      where g.tenant_id = f.tenant_id and g.subject_type = f.subject_type and g.subject_id = f.subject_id
      order by g.occurred_at desc, g.id desc limit 1) latest
    where f.tenant_id = ${tenant} and f.subject_type = 'lead' and f.${col} is null
      and f.next_at <= ${range.before}::timestamptz and f.next_at > ${range.since}::timestamptz
      and latest.id = f.id`)
  const steps = rows as unknown as StepRow[]
  if (!steps.length) return []
  const claimed = await ctx.db.execute(sql`
    update follow_ups set ${col} = ${range.at}::timestamptz
    where tenant_id = ${tenant} and id = any(${`{${steps.map((r) => r.id).join(',')}}`}::uuid[]) and ${col} is null
    returning id`)
  const mine = new Set(claimed.rows.map((r) => r.id as string))
  return steps.filter((r) => mine.has(r.id))
}

export async function runLeadReminders(
  ctx: Ctx,
  opts: ReminderOptions = {},
): Promise<{ due: number; overdue: number; slaMissed: number }> {
  const now = opts.now ?? new Date()
  const o = {
    dueWithinMinutes: opts.dueWithinMinutes ?? REMINDER_DEFAULTS.dueWithinMinutes,
    overdueAfterMinutes: opts.overdueAfterMinutes ?? REMINDER_DEFAULTS.overdueAfterMinutes,
    lookbackDays: opts.lookbackDays ?? REMINDER_DEFAULTS.lookbackDays,
  }
  const tenant = ctx.actor.tenantId
  const [ws] = await ctx.db
    .select({ timezone: tenants.timezone, locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, tenant))
  const fallback: Locale = (LOCALES as readonly string[]).includes(ws?.locale ?? '')
    ? (ws!.locale as Locale)
    : 'zh-CN'
  const timeZone = ws?.timezone || DEFAULT_TIMEZONE
  // One formatter per language (building one per notification is the slow part of a big run).
  const formatters = new Map<Locale, Intl.DateTimeFormat | null>()
  const fmt = (d: Date, locale: Locale) => {
    if (!formatters.has(locale)) {
      let f: Intl.DateTimeFormat | null = null
      try {
        f = new Intl.DateTimeFormat(locale, {
          timeZone,
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
        })
      } catch {
        // an unknown time zone: ISO time below
      }
      formatters.set(locale, f)
    }
    return formatters.get(locale)?.format(new Date(d)) ?? new Date(d).toISOString()
  }
  const at = now.toISOString()
  const since = new Date(now.getTime() - o.lookbackDays * 86_400_000).toISOString()
  const stepOf = (r: StepRow, l: Locale) => r.next_step || translate('notify_no_step', l)
  const lead = (r: { lead_id: string }) => ({
    link: `/leads/${r.lead_id}`,
    subjectType: 'lead',
    subjectId: r.lead_id,
  })

  // (a) next step due soon or due
  const due = await inTransaction(ctx, async (tx) => {
    const dueBy = new Date(now.getTime() + o.dueWithinMinutes * 60_000).toISOString()
    const steps = await claimSteps(tx, 'reminded_at', { before: dueBy, since, at })
    const people = await recipientsOf(
      tx,
      steps.map((s) => s.owner_id!),
      fallback,
    )
    const items: NotificationInput[] = []
    for (const s of steps) {
      const owner = people.get(s.owner_id ?? '')?.owner
      if (!owner) continue
      items.push({
        userId: owner.id,
        kind: 'followup_due',
        title: translate('notify_followup_due_title', owner.locale, { lead: s.lead_name }),
        body: translate('notify_followup_due_body', owner.locale, {
          step: stepOf(s, owner.locale),
          time: fmt(s.next_at, owner.locale),
        }),
        ...lead(s),
        dedupeKey: `followup_due:${s.id}:${new Date(s.next_at).getTime()}`,
      })
    }
    return notify(tx, items)
  })

  // (b) next step overdue: owner and manager
  const overdue = await inTransaction(ctx, async (tx) => {
    const lateBefore = new Date(now.getTime() - o.overdueAfterMinutes * 60_000).toISOString()
    const steps = await claimSteps(tx, 'overdue_alerted_at', { before: lateBefore, since, at })
    const people = await recipientsOf(
      tx,
      steps.map((s) => s.owner_id!),
      fallback,
    )
    const items: NotificationInput[] = []
    for (const s of steps) {
      const r = people.get(s.owner_id ?? '')
      if (!r?.owner) continue
      for (const to of [r.owner, r.manager]) {
        if (!to) continue
        items.push({
          userId: to.id,
          kind: 'followup_overdue',
          title: translate('notify_followup_overdue_title', to.locale, { lead: s.lead_name }),
          body: translate('notify_followup_overdue_body', to.locale, {
            owner: r.owner.name,
            step: stepOf(s, to.locale),
            time: fmt(s.next_at, to.locale),
          }),
          ...lead(s),
          dedupeKey: `followup_overdue:${s.id}:${new Date(s.next_at).getTime()}`,
        })
      }
    }
    return notify(tx, items)
  })

  // (c) first contact SLA missed: owner and manager. The key carries the assignment instant, so a
  // lead handed to someone else starts a new SLA; the owner's notification marks it handled.
  const slaMissed = await inTransaction(ctx, async (tx) => {
    const [setting] = await tx.db
      .select({ hours: leadSettings.firstContactSlaHours })
      .from(leadSettings)
      .where(eq(leadSettings.tenantId, tenant))
    const hours = setting?.hours ?? 24
    const deadline = new Date(now.getTime() - hours * 3_600_000).toISOString()
    const oldest = new Date(new Date(since).getTime() - hours * 3_600_000).toISOString()
    // The owner's notification is looked up per candidate (LATERAL: an index probe on
    // notifications_dedupe_key), not joined: no plan can turn it into a scan per lead.
    const { rows } = await tx.db.execute(sql`
      select l.id as lead_id, l.name as lead_name, l.owner_id, l.assigned_at, ${hours}::int as hours, k.dedupe_key
      from leads l
      cross join lateral (select 'sla_missed:' || l.id || ':' || floor(extract(epoch from l.assigned_at) * 1000)::bigint
        as dedupe_key) k
      left join lateral (select 1 as hit from notifications n
        where n.tenant_id = l.tenant_id and n.user_id = l.owner_id and n.dedupe_key = k.dedupe_key limit 1) seen on true
      where l.tenant_id = ${tenant} and l.owner_id is not null and l.first_contact_at is null
        and l.assigned_at <= ${deadline}::timestamptz and l.assigned_at > ${oldest}::timestamptz
        and l.status in (${OPEN}) and seen.hit is null`)
    const leads = rows as unknown as {
      lead_id: string
      lead_name: string
      owner_id: string
      assigned_at: Date
      hours: number
      dedupe_key: string
    }[]
    const people = await recipientsOf(
      tx,
      leads.map((l) => l.owner_id),
      fallback,
    )
    const items: NotificationInput[] = []
    for (const l of leads) {
      const r = people.get(l.owner_id)
      if (!r?.owner) continue
      for (const to of [r.owner, r.manager]) {
        if (!to) continue
        items.push({
          userId: to.id,
          kind: 'sla_missed',
          title: translate('notify_sla_missed_title', to.locale, { lead: l.lead_name }),
          body: translate('notify_sla_missed_body', to.locale, {
            owner: r.owner.name,
            time: fmt(l.assigned_at, to.locale),
            hours: l.hours,
          }),
          ...lead(l),
          dedupeKey: l.dedupe_key,
        })
      }
    }
    return notify(tx, items)
  })

  return { due, overdue, slaMissed }
}

registerJob({
  type: 'leads.reminders',
  async run(job, tools) {
    const ctx: Ctx = { db: tools.db, actor: systemActor(job.tenantId!, ALL_PERMISSIONS), locale: 'zh-CN' }
    const p = job.payload as { overdueAfterMinutes?: number; dueWithinMinutes?: number }
    return runLeadReminders(ctx, {
      overdueAfterMinutes: Number(p.overdueAfterMinutes) || undefined,
      dueWithinMinutes: Number(p.dueWithinMinutes) || undefined,
    })
  },
})

registerSchedule({
  name: 'leads-reminders',
  pattern: '0 */5 * * * *',
  perTenant: true,
  jobType: 'leads.reminders',
})

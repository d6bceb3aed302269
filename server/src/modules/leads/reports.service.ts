/**
 * Funnel and pool reports (issue #4 §9): the lead funnel from the master pool to conversion, pool
 * activity per day (claims, releases, reclaims, distributions, assignments) and time to first
 * contact per person or team against the first-contact SLA.
 *
 * Every report is restricted by the caller's data scope through `scopeCondition` — the same rule
 * the lead list applies — and counts days in the workspace's own time zone.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { type ScopeColumns, scopeCondition } from '../../platform/access/data-access.js'
import { isValidDate } from '../../platform/custom-fields/values.js'
import { inTransaction } from '../../platform/db/tx.js'
import { validationFailed } from '../../platform/http/errors.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { OPEN_STATUSES } from './moves.service.js'
import { leadPools, leadSettings } from './pools.schema.js'
import './reports.messages.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'

type Row = Record<string, unknown>

/** The lead's own scope columns (owner, unit, org): what the lead list filters by. */
const LEAD_SCOPE: ScopeColumns = leadsRepo.config.scope!

/** Longest range a report covers (pool activity has one row per day). */
export const MAX_RANGE_DAYS = 366
const DEFAULT_RANGE_DAYS = 30
const DEFAULT_SLA_HOURS = 24

export interface RangeQuery {
  /** First day, YYYY-MM-DD in the workspace time zone (default: 29 days before `to`). */
  from?: string
  /** Last day, inclusive (default: today). */
  to?: string
}

export interface Range {
  from: string
  to: string
  timezone: string
  /** The range's bounds as SQL: [fromAt, toAt) in absolute time. */
  fromAt: SQL
  toAt: SQL
}

const dayOf = (d: Date, timeZone: string) =>
  // en-CA formats as YYYY-MM-DD.
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000)

/** The report's day range in the workspace time zone; 400 naming the field on a bad date. */
export async function resolveRange(ctx: Ctx, q: RangeQuery, now = new Date()): Promise<Range> {
  const [tenant] = await ctx.db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  const timezone = tenant?.timezone || 'Asia/Shanghai'
  const errors = []
  for (const field of ['from', 'to'] as const) {
    const v = q[field]
    if (v !== undefined && !isValidDate(v)) errors.push({ field, code: 'invalid_date' })
  }
  if (errors.length) throw validationFailed(errors)
  const to = q.to ?? (q.from ? addDays(q.from, DEFAULT_RANGE_DAYS - 1) : dayOf(now, timezone))
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1))
  if (from > to) throw validationFailed([{ field: 'to', code: 'ends_before_start' }])
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    throw validationFailed([{ field: 'to', code: 'range_too_long', params: { max: MAX_RANGE_DAYS } }])
  return {
    from,
    to,
    timezone,
    // Local midnights of the first day and of the day after the last one.
    fromAt: sql`(${from}::date::timestamp at time zone ${timezone})`,
    toAt: sql`((${to}::date + 1)::timestamp at time zone ${timezone})`,
  }
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null)
const hours = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100)

/**
 * Runs a report statement with PostgreSQL's JIT off: the planner overestimates these aggregates
 * (a million-row guess for a few thousand rows) and compiling them cost more than running them
 * (1.6 of 3.3 s at 120,000 leads).
 */
async function report<T extends Row>(ctx: Ctx, query: SQL): Promise<T[]> {
  return inTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`set local jit = off`)
    return (await tx.db.execute<T>(query)).rows as T[]
  })
}

// ---------------------------------------------------------------------------------------------
// Funnel

/**
 * Funnel stages, in order. A lead counts in every stage up to the furthest it ever reached — from
 * its current columns and its whole move history — so a lead closed after qualifying still counts
 * as qualified. The sales issue (#5) appends `opportunity` and `order` after `converted` by adding
 * their "reached" condition to `stageRank` (see `PLANNED_STAGES`).
 */
export const FUNNEL_STAGES = [
  'master_pool',
  'sub_pool',
  'assigned',
  'following',
  'qualified',
  'converted',
] as const
export type FunnelStage = (typeof FUNNEL_STAGES)[number]
/** Stages that arrive with opportunities and orders (issue #5); reported as not yet available. */
export const PLANNED_STAGES = ['opportunity', 'order'] as const

const STAGE = Object.fromEntries(FUNNEL_STAGES.map((s, i) => [s, i])) as Record<FunnelStage, number>

/** The rank a status proves: assigned → 2 … converted → 5; new, closed and invalid prove nothing. */
const statusRank = (col: SQL) =>
  sql`(case ${col} when 'assigned' then ${sql.raw(String(STAGE.assigned))} when 'following' then ${sql.raw(String(STAGE.following))} when 'qualified' then ${sql.raw(String(STAGE.qualified))} when 'converted' then ${sql.raw(String(STAGE.converted))} else 0 end)`

export async function funnelReport(ctx: Ctx, q: RangeQuery) {
  const range = await resolveRange(ctx, q)
  const t = ctx.actor.tenantId
  const r = (s: FunnelStage) => sql.raw(String(STAGE[s]))
  const master = sql`(select ${leadPools.id} from ${leadPools} where ${leadPools.tenantId} = ${t} and ${leadPools.kind} = 'master')`
  // One row per (furthest stage, current pool) over the leads that arrived in the range. History
  // and follow-ups are aggregated once per lead and joined (not probed per lead): at a million
  // leads that is a few hash joins instead of two index lookups per lead.
  const rows = await report<{ stage: number; pool_id: string | null; n: number }>(
    ctx,
    sql`
    with master as (${master}),
    cohort as (
      select ${leads.id} as id, ${leads.poolId} as pool_id, greatest(
        ${statusRank(sql`${leads.status}`)},
        case when ${leads.poolId} is not null and ${leads.poolId} is distinct from (select id from master)
          then ${r('sub_pool')} else 0 end,
        case when ${leads.ownerId} is not null or ${leads.assignedAt} is not null then ${r('assigned')} else 0 end,
        case when ${leads.firstContactAt} is not null or ${leads.lastFollowUpAt} is not null
          then ${r('following')} else 0 end
      ) as stage
      from ${leads}
      where ${and(eq(leads.tenantId, t), scopeCondition(ctx, LEAD_SCOPE))}
        and ${leads.createdAt} >= ${range.fromAt} and ${leads.createdAt} < ${range.toAt}
    ),
    history as (
      select m.lead_id, max(greatest(
        ${statusRank(sql`m.to_status`)}, ${statusRank(sql`m.from_status`)},
        case when m.to_owner_id is not null or m.from_owner_id is not null then ${r('assigned')} else 0 end,
        case when m.kind = 'distribute'
          or (m.to_pool_id is not null and m.to_pool_id is distinct from (select id from master))
          or (m.from_pool_id is not null and m.from_pool_id is distinct from (select id from master))
          then ${r('sub_pool')} else 0 end)) as stage
      from lead_moves m
      where m.tenant_id = ${t} and m.lead_id in (select id from cohort)
      group by m.lead_id
    ),
    followed as (
      select distinct f.subject_id as id from follow_ups f
      where f.tenant_id = ${t} and f.subject_type = 'lead' and f.subject_id in (select id from cohort)
    )
    select greatest(c.stage, coalesce(h.stage, 0), case when f.id is not null then ${r('following')} else 0 end) as stage,
      c.pool_id, count(*)::int as n
    from cohort c
    left join history h on h.lead_id = c.id
    left join followed f on f.id = c.id
    group by 1, 2`,
  )

  const reached = FUNNEL_STAGES.map(() => 0)
  const byPool = new Map<string | null, { leads: number; assigned: number; converted: number }>()
  for (const row of rows) {
    const stage = Number(row.stage)
    const n = Number(row.n)
    for (let i = 0; i <= stage; i++) reached[i]! += n
    const p = byPool.get(row.pool_id) ?? { leads: 0, assigned: 0, converted: 0 }
    p.leads += n
    if (stage >= STAGE.assigned) p.assigned += n
    if (stage >= STAGE.converted) p.converted += n
    byPool.set(row.pool_id, p)
  }
  const poolIds = [...byPool.keys()].filter((id): id is string => id !== null)
  const pools = poolIds.length
    ? await ctx.db
        .select({
          id: leadPools.id,
          name: leadPools.name,
          kind: leadPools.kind,
          parentId: leadPools.parentId,
        })
        .from(leadPools)
        .where(
          and(eq(leadPools.tenantId, t), sql`${leadPools.id} = any(${`{${poolIds.join(',')}}`}::uuid[])`),
        )
    : []
  const poolById = new Map(pools.map((p) => [p.id, p]))
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    stages: FUNNEL_STAGES.map((key, i) => ({
      key,
      count: reached[i]!,
      /** Share of the previous stage that reached this one. */
      rate: i === 0 ? null : ratio(reached[i]!, reached[i - 1]!),
      /** Share of all leads of the range. */
      overallRate: ratio(reached[i]!, reached[0]!),
    })),
    plannedStages: [...PLANNED_STAGES],
    pools: [...byPool.entries()]
      .map(([poolId, c]) => {
        const p = poolId ? poolById.get(poolId) : undefined
        return {
          poolId,
          name: p?.name ?? null,
          kind: p?.kind ?? null,
          parentId: p?.parentId ?? null,
          leads: c.leads,
          assigned: c.assigned,
          converted: c.converted,
          conversionRate: ratio(c.converted, c.leads),
        }
      })
      .sort((a, b) => b.leads - a.leads),
  }
}

// ---------------------------------------------------------------------------------------------
// Pool activity

/** Move kinds counted per day, and the field each one is reported under. */
const ACTIVITY = {
  claim: 'claims',
  release: 'releases',
  reclaim: 'reclaims',
  distribute: 'distributions',
  assign: 'assignments',
} as const
type ActivityField = (typeof ACTIVITY)[keyof typeof ACTIVITY]
export type ActivityDay = { day: string } & Record<ActivityField, number>

/**
 * Claims, releases, reclaims, distributions and assignments per day (from lead_moves), over the
 * leads the caller can see now; `poolId` narrows it to moves into or out of one pool.
 */
export async function poolActivityReport(ctx: Ctx, q: RangeQuery & { poolId?: string }) {
  const range = await resolveRange(ctx, q)
  const t = ctx.actor.tenantId
  const kinds = Object.keys(ACTIVITY)
  const res = await ctx.db.execute<{ day: string; kind: keyof typeof ACTIVITY; n: number }>(sql`
    select to_char(m.at at time zone ${range.timezone}, 'YYYY-MM-DD') as day, m.kind, count(*)::int as n
    from lead_moves m
    join ${leads} on ${leads.tenantId} = m.tenant_id and ${leads.id} = m.lead_id
    where m.tenant_id = ${t} and ${and(eq(leads.tenantId, t), scopeCondition(ctx, LEAD_SCOPE))}
      and m.kind = any(${`{${kinds.join(',')}}`}::text[])
      and m.at >= ${range.fromAt} and m.at < ${range.toAt}
      ${q.poolId ? sql`and (m.from_pool_id = ${q.poolId} or m.to_pool_id = ${q.poolId})` : sql``}
    group by 1, 2`)
  const empty = () =>
    Object.fromEntries(Object.values(ACTIVITY).map((f) => [f, 0])) as Record<ActivityField, number>
  const byDay = new Map<string, ActivityDay>()
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) byDay.set(d, { day: d, ...empty() })
  const totals = empty()
  for (const row of res.rows) {
    const field = ACTIVITY[row.kind]
    const day = byDay.get(row.day)
    if (!field || !day) continue
    day[field] += Number(row.n)
    totals[field] += Number(row.n)
  }
  return { from: range.from, to: range.to, timezone: range.timezone, days: [...byDay.values()], totals }
}

// ---------------------------------------------------------------------------------------------
// Time to first contact

/**
 * A person's part in who sees whose numbers: the person (scope self), their unit (department,
 * tree) and its org. These are the scope columns a lead carries while that person owns it, so a
 * manager sees the first-contact record of everyone under them, and a salesperson their own,
 * including leads since reclaimed from them (their misses must not vanish with the lead).
 */
const PERSON_SCOPE: ScopeColumns = { owner: users.id, unit: users.unitId }

export async function firstContactSlaHours(ctx: Ctx): Promise<number> {
  const [row] = await ctx.db
    .select({ hours: leadSettings.firstContactSlaHours })
    .from(leadSettings)
    .where(eq(leadSettings.tenantId, ctx.actor.tenantId))
  return row?.hours ?? DEFAULT_SLA_HOURS
}

export interface FirstContactRow {
  id: string | null
  name: string | null
  /** groupBy=user: the person's unit. */
  unitId: string | null
  /** Assignments (an owner change to this person, by rule, hand, claim or handover) in the range. */
  assigned: number
  /** Of those, the ones with a follow-up while the person held the lead. */
  contacted: number
  medianHours: number | null
  avgHours: number | null
  /** Contacted within the SLA / assignments whose SLA has run out or that were contacted. */
  slaHitRate: number | null
  slaHits: number
  slaDue: number
  /** Still held by the person, open and never contacted; `overdue`: of those, past the SLA. */
  uncontacted: number
  overdue: number
}

/**
 * Time from assignment to first contact. An assignment is an owner change in lead_moves (assign,
 * claim, handover, distribution to a person), not the lead's `assignedAt` alone: that column only
 * keeps the current owner's clock, and would lose every earlier owner's record once a lead is
 * reassigned or reclaimed. The assignment lasts until the lead's next owner change; its first
 * contact is the earliest follow-up on the lead in that time (or the lead's `firstContactAt` for
 * the current owner). Leads given an owner outside the move history (imports, the demo) count from
 * their `assignedAt`.
 */
export async function firstContactReport(
  ctx: Ctx,
  q: RangeQuery & { groupBy?: 'user' | 'unit' },
  now = new Date(),
) {
  const range = await resolveRange(ctx, q, now)
  const groupBy = q.groupBy ?? 'user'
  const sla = await firstContactSlaHours(ctx)
  const t = ctx.actor.tenantId
  const at = now.toISOString()
  const open = `{${OPEN_STATUSES.join(',')}}`
  const due = sql`(s.started_at + make_interval(hours => ${sla}))`
  const key = groupBy === 'user' ? sql`s.user_id` : sql`s.unit_id`
  // Materialised steps: each is computed once, however the planner misjudges the sizes.
  const res = await report<Row>(
    ctx,
    sql`
    with people as materialized (
      select ${users.id} as id, ${users.unitId} as unit_id from ${users}
      where ${and(eq(users.tenantId, t), scopeCondition(ctx, PERSON_SCOPE))}
    ), owner_moves as (
      -- Owner changes since the range began; the next one ends an assignment.
      select m.lead_id, m.to_owner_id, m.at,
             lead(m.at) over (partition by m.lead_id order by m.at, m.id) as next_at
      from lead_moves m
      where m.tenant_id = ${t} and m.at >= ${range.fromAt} and m.to_owner_id is distinct from m.from_owner_id
    ), spells as (
      select lead_id, to_owner_id as user_id, at as started_at, next_at as ended_at
      from owner_moves where to_owner_id is not null and at < ${range.toAt}
      union all
      select ${leads.id}, ${leads.ownerId}, ${leads.assignedAt}, null
      from ${leads}
      where ${leads.tenantId} = ${t} and ${leads.ownerId} is not null
        and ${leads.assignedAt} >= ${range.fromAt} and ${leads.assignedAt} < ${range.toAt}
        and not exists (select 1 from lead_moves m where m.tenant_id = ${t} and m.lead_id = ${leads.id}
                         and m.to_owner_id = ${leads.ownerId} and m.at >= ${leads.assignedAt})
    ), contacts as materialized (
      select s.*, p.unit_id, ${leads.status} as status, least(
        (select min(f.occurred_at) from follow_ups f
          where f.tenant_id = ${t} and f.subject_type = 'lead' and f.subject_id = s.lead_id
            and f.occurred_at >= s.started_at and (s.ended_at is null or f.occurred_at < s.ended_at)),
        case when s.ended_at is null and ${leads.ownerId} = s.user_id and ${leads.firstContactAt} >= s.started_at
          then ${leads.firstContactAt} end
      ) as contact_at,
      s.ended_at is null and ${leads.ownerId} = s.user_id as holding
      from spells s
      join people p on p.id = s.user_id
      join ${leads} on ${leads.tenantId} = ${t} and ${leads.id} = s.lead_id
    )
    select ${key} as key,
      count(*)::int as assigned,
      count(s.contact_at)::int as contacted,
      percentile_cont(0.5) within group (order by extract(epoch from s.contact_at - s.started_at) / 3600)::float8 as median_hours,
      avg(extract(epoch from s.contact_at - s.started_at) / 3600)::float8 as avg_hours,
      count(*) filter (where s.contact_at <= ${due})::int as sla_hits,
      count(*) filter (where s.contact_at is not null or coalesce(s.ended_at, ${at}::timestamptz) >= ${due})::int as sla_due,
      count(*) filter (where s.contact_at is null and s.holding and s.status = any(${open}::text[]))::int as uncontacted,
      count(*) filter (where s.contact_at is null and s.holding and s.status = any(${open}::text[]) and ${at}::timestamptz >= ${due})::int as overdue,
      grouping(${key}) as is_total
    from contacts s
    group by grouping sets ((${key}), ())`,
  )

  const total = res.find((r) => Number(r.is_total) === 1)
  const rows = res.filter((r) => Number(r.is_total) !== 1)
  const ids = rows.map((r) => String(r.key))
  const names = new Map<string, { name: string; unitId: string | null }>()
  if (ids.length && groupBy === 'user') {
    const found = await ctx.db
      .select({ id: users.id, name: users.name, unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, t), sql`${users.id} = any(${`{${ids.join(',')}}`}::uuid[])`))
    for (const u of found) names.set(u.id, { name: u.name, unitId: u.unitId })
  } else if (ids.length) {
    const found = await ctx.db
      .select({ id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, t), sql`${orgUnits.id} = any(${`{${ids.join(',')}}`}::uuid[])`))
    for (const u of found) names.set(u.id, { name: u.name, unitId: u.id })
  }
  const shape = (r: Row | undefined, id: string | null): FirstContactRow => ({
    id,
    name: id ? (names.get(id)?.name ?? null) : null,
    unitId: id ? (names.get(id)?.unitId ?? null) : null,
    assigned: Number(r?.assigned ?? 0),
    contacted: Number(r?.contacted ?? 0),
    medianHours: hours(r?.median_hours),
    avgHours: hours(r?.avg_hours),
    slaHitRate: ratio(Number(r?.sla_hits ?? 0), Number(r?.sla_due ?? 0)),
    slaHits: Number(r?.sla_hits ?? 0),
    slaDue: Number(r?.sla_due ?? 0),
    uncontacted: Number(r?.uncontacted ?? 0),
    overdue: Number(r?.overdue ?? 0),
  })
  return {
    from: range.from,
    to: range.to,
    timezone: range.timezone,
    groupBy,
    slaHours: sla,
    rows: rows
      .map((r) => shape(r, String(r.key)))
      .sort((a, b) => b.assigned - a.assigned || (a.name ?? '').localeCompare(b.name ?? '')),
    total: shape(total, null),
  }
}

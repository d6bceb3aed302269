/**
 * Sales analytics (issue #5 §10): ABC analysis of customers by revenue, stage conversion and sales
 * velocity per pipeline, win rate by owner / source / campaign, and forecast vs actual by month.
 * Every report reads only the opportunities and orders the caller may see (`scopeCondition`, the
 * rule their lists apply) and counts days and months in the workspace's time zone.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid, scopeCondition } from '../../../platform/access/data-access.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { validationFailed } from '../../../platform/http/errors.js'
import { type RangeQuery, resolveRange } from '../../leads/reports.service.js'
import { pipelines } from '../opportunities/schema.js'
import { SALES_SCOPES } from '../tasks/subjects.js'

type Row = Record<string, unknown>

const num = (v: unknown) => Number(v ?? 0)
const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null)
const round = (v: number | null, digits = 2) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits

/** Orders that are revenue: confirmed, shipped or completed (refunds subtracted). */
const REVENUE = sql.raw(`('confirmed', 'shipped', 'completed')`)

const scopeOf = (ctx: Ctx, scope: Parameters<typeof scopeCondition>[1]) =>
  scopeCondition(ctx, scope) ?? sql`true`
const oppScope = (ctx: Ctx) => scopeOf(ctx, SALES_SCOPES.opportunity)
const orderScope = (ctx: Ctx) => scopeOf(ctx, SALES_SCOPES.order)

/**
 * Runs a report statement with PostgreSQL's JIT off (as the lead reports do: compiling these
 * aggregates costs more than running them).
 */
async function report<T extends Row>(ctx: Ctx, query: SQL): Promise<T[]> {
  return inTransaction(ctx, async (tx) => {
    await tx.db.execute(sql`set local jit = off`)
    return (await tx.db.execute<T>(query)).rows as T[]
  })
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/** The report's days (workspace time zone): `days` long ending `to` (default today) unless `from` is given. */
async function windowOf(ctx: Ctx, q: RangeQuery, days: number) {
  if (q.from && q.to) return resolveRange(ctx, q)
  const to = (await resolveRange(ctx, { to: q.to })).to
  return resolveRange(ctx, { from: q.from ?? addDays(to, -(days - 1)), to })
}

/** The pipeline asked for, else the default one (else the first); null when there is none. */
async function pipelineOf(ctx: Ctx, pipelineId: string | undefined) {
  const t = ctx.actor.tenantId
  if (pipelineId !== undefined) {
    const [p] = isUuid(pipelineId)
      ? await ctx.db
          .select({ id: pipelines.id, name: pipelines.name })
          .from(pipelines)
          .where(and(eq(pipelines.tenantId, t), eq(pipelines.id, pipelineId)))
      : []
    if (!p) throw validationFailed([{ field: 'pipelineId', code: 'invalid_option' }])
    return p
  }
  const [p] = await ctx.db
    .select({ id: pipelines.id, name: pipelines.name })
    .from(pipelines)
    .where(eq(pipelines.tenantId, t))
    .orderBy(desc(pipelines.isDefault), asc(pipelines.sort), asc(pipelines.createdAt))
    .limit(1)
  return p ?? null
}

// ---------------------------------------------------------------------------------------------
// ABC analysis

export const ABC_CLASSES = ['A', 'B', 'C'] as const

/**
 * ABC analysis (seed 004): customers ranked by revenue over the window (orders confirmed, shipped
 * or completed, refunds subtracted). A: the customers making the top 80% of revenue (a customer
 * starting below the 80% line is A), B: the next 15%, C: the last 5%. One statement with window
 * functions: ranks, running totals, classes, per-class sums and the top customers.
 */
export async function abcAnalysis(ctx: Ctx, q: RangeQuery & { top?: number }) {
  const range = await windowOf(ctx, q, 365)
  const t = ctx.actor.tenantId
  const top = Math.min(Math.max(q.top ?? 20, 1), 200)
  const [row] = await report<{ total: number; customers: number; classes: Row[] | null; top: Row[] | null }>(
    ctx,
    sql`
    with revenue as (
      select orders.customer_id, sum(orders.total - orders.refunded_total) as revenue, count(*)::int as orders
      from orders
      where orders.tenant_id = ${t} and ${orderScope(ctx)} and orders.status in ${REVENUE}
        and orders.ordered_at >= ${range.fromAt} and orders.ordered_at < ${range.toAt}
      group by orders.customer_id
      having sum(orders.total - orders.refunded_total) > 0
    ),
    ranked as (
      select customer_id, revenue, orders,
        row_number() over w as rank,
        coalesce(sum(revenue) over (w rows between unbounded preceding and 1 preceding), 0) as before,
        sum(revenue) over () as total
      from revenue
      window w as (order by revenue desc, customer_id)
    ),
    classed as (
      select *, case when before * 100 < total * 80 then 'A' when before * 100 < total * 95 then 'B' else 'C' end as class
      from ranked
    )
    select
      (select coalesce(sum(revenue), 0)::float8 from classed) as total,
      (select count(*)::int from classed) as customers,
      (select jsonb_agg(jsonb_build_object('class', class, 'customers', n, 'revenue', revenue) order by class)
        from (select class, count(*)::int as n, sum(revenue)::float8 as revenue from classed group by class) s) as classes,
      (select jsonb_agg(jsonb_build_object('customerId', k.customer_id, 'name', c.name, 'revenue', k.revenue::float8,
          'orders', k.orders, 'rank', k.rank, 'class', k.class,
          'cumulativeRevenue', (k.before + k.revenue)::float8) order by k.rank)
        from classed k join customers c on c.tenant_id = ${t} and c.id = k.customer_id
        where k.rank <= ${top}) as top`,
  )
  const total = num(row?.total)
  const byClass = new Map((row?.classes ?? []).map((c) => [c.class as string, c]))
  return {
    from: range.from,
    to: range.to,
    totalRevenue: total,
    customers: num(row?.customers),
    classes: ABC_CLASSES.map((cls) => {
      const c = byClass.get(cls)
      const revenue = num(c?.revenue)
      return { class: cls, customers: num(c?.customers), revenue, share: ratio(revenue, total) }
    }),
    top: (row?.top ?? []).map((c) => ({
      customerId: String(c.customerId),
      name: String(c.name),
      class: String(c.class),
      rank: num(c.rank),
      orders: num(c.orders),
      revenue: num(c.revenue),
      share: ratio(num(c.revenue), total),
      cumulativeShare: ratio(num(c.cumulativeRevenue), total),
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Stage conversion and velocity

export interface PipelineQuery extends RangeQuery {
  pipelineId?: string
}

const stagesOf = (ctx: Ctx, pipelineId: string) => sql`(select id, name, position, kind, probability
  from pipeline_stages where tenant_id = ${ctx.actor.tenantId} and pipeline_id = ${pipelineId})`

/**
 * How far the opportunities of a pipeline (created in the window, visible to the caller) got: an
 * opportunity counts in every open stage up to the furthest it ever reached (its current stage and
 * every stage in its history, lost stages aside) and in the won stage when won; lost ones are
 * counted apart. `rateToNext` is the share of a stage's opportunities that reached the next one.
 */
export async function stageConversion(ctx: Ctx, q: PipelineQuery) {
  const range = await windowOf(ctx, q, 365)
  const pipeline = await pipelineOf(ctx, q.pipelineId)
  if (!pipeline)
    return { from: range.from, to: range.to, pipeline: null, total: 0, won: 0, lost: 0, stages: [] }
  const t = ctx.actor.tenantId
  const rows = await report<{
    id: string
    name: string
    position: number
    kind: string
    probability: number
    reached: number
    total: number
    won: number
    lost: number
  }>(
    ctx,
    sql`
    with stages as ${stagesOf(ctx, pipeline.id)},
    opps as (
      select opportunities.id, opportunities.status, opportunities.stage_id from opportunities
      where opportunities.tenant_id = ${t} and opportunities.pipeline_id = ${pipeline.id} and ${oppScope(ctx)}
        and opportunities.created_at >= ${range.fromAt} and opportunities.created_at < ${range.toAt}
    ),
    -- Every stage each opportunity was ever in: its current one and both ends of each move.
    been as (
      select o.id, o.stage_id from opps o
      union all
      select h.opportunity_id, x.stage_id from opportunity_stage_history h
      join opps o on o.id = h.opportunity_id
      cross join lateral (values (h.to_stage_id), (h.from_stage_id)) x(stage_id)
      where h.tenant_id = ${t}
    ),
    furthest as (
      select b.id, max(s.position) as position from been b
      join stages s on s.id = b.stage_id and s.kind <> 'lost'
      group by b.id
    ),
    -- Materialized: read once, not once per stage.
    reached as materialized (select position, count(*) as n from furthest group by position),
    counts as (
      select count(*)::int as total, count(*) filter (where status = 'won')::int as won,
        count(*) filter (where status = 'lost')::int as lost
      from opps
    )
    select s.id, s.name, s.position, s.kind, s.probability,
      case s.kind
        when 'lost' then c.lost
        when 'won' then c.won
        else (select coalesce(sum(r.n), 0) from reached r where r.position >= s.position) end::int as reached,
      c.total, c.won, c.lost
    from stages s cross join counts c
    order by s.position`,
  )
  const flow = rows.filter((s) => s.kind !== 'lost')
  const total = num(rows[0]?.total)
  return {
    from: range.from,
    to: range.to,
    pipeline,
    total,
    won: num(rows[0]?.won),
    lost: num(rows[0]?.lost),
    stages: rows.map((s) => {
      const i = flow.indexOf(s)
      const next = i >= 0 ? flow[i + 1] : undefined
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        position: num(s.position),
        probability: num(s.probability),
        reached: num(s.reached),
        /** Share of this stage's opportunities that reached the next stage (null for the last, won and lost). */
        rateToNext: next ? ratio(num(next.reached), num(s.reached)) : null,
        /** Share of all opportunities of the window. */
        rateFromStart: ratio(num(s.reached), total),
      }
    }),
  }
}

/**
 * Sales velocity of a pipeline: average days spent in each stage (stage changes in the window),
 * and over the opportunities closed in the window: win rate, average won deal, average days from
 * creation to win; velocity = open opportunities × win rate × average deal ÷ average days to win
 * (expected revenue per day, minor units).
 */
export async function salesVelocity(ctx: Ctx, q: PipelineQuery) {
  const range = await windowOf(ctx, q, 365)
  const pipeline = await pipelineOf(ctx, q.pipelineId)
  const empty = { from: range.from, to: range.to, pipeline, stages: [] as never[] }
  if (!pipeline)
    return {
      ...empty,
      open: 0,
      won: 0,
      lost: 0,
      winRate: null,
      avgDealAmount: null,
      avgDaysToWin: null,
      velocityPerDay: null,
    }
  const t = ctx.actor.tenantId
  const visible = sql`opportunities.tenant_id = ${t} and opportunities.pipeline_id = ${pipeline.id} and ${oppScope(ctx)}`
  const [stages, [sums]] = await Promise.all([
    report<{ id: string; name: string; kind: string; moves: number; avg_seconds: number | null }>(
      ctx,
      sql`
      select s.id, s.name, s.kind, count(h.id)::int as moves, avg(h.seconds_in_stage)::float8 as avg_seconds
      from ${stagesOf(ctx, pipeline.id)} s
      left join (opportunity_stage_history h join opportunities
          on opportunities.tenant_id = h.tenant_id and opportunities.id = h.opportunity_id and ${visible})
        on h.tenant_id = ${t} and h.from_stage_id = s.id and h.seconds_in_stage is not null
          and h.at >= ${range.fromAt} and h.at < ${range.toAt}
      where s.kind = 'open'
      group by s.id, s.name, s.kind, s.position
      order by s.position`,
    ),
    report<{ open: number; won: number; lost: number; avg_deal: number | null; avg_days: number | null }>(
      ctx,
      sql`
      select
        (select count(*)::int from opportunities where ${visible} and opportunities.status = 'open') as open,
        count(*) filter (where opportunities.status = 'won')::int as won,
        count(*) filter (where opportunities.status = 'lost')::int as lost,
        avg(opportunities.amount) filter (where opportunities.status = 'won')::float8 as avg_deal,
        (avg(extract(epoch from opportunities.closed_at - opportunities.created_at))
          filter (where opportunities.status = 'won') / 86400)::float8 as avg_days
      from opportunities
      where ${visible} and opportunities.status in ('won', 'lost')
        and opportunities.closed_at >= ${range.fromAt} and opportunities.closed_at < ${range.toAt}`,
    ),
  ])
  const won = num(sums?.won)
  const lost = num(sums?.lost)
  const open = num(sums?.open)
  const winRate = ratio(won, won + lost)
  const avgDeal = sums?.avg_deal === null || sums?.avg_deal === undefined ? null : Number(sums.avg_deal)
  const avgDays = sums?.avg_days === null || sums?.avg_days === undefined ? null : Number(sums.avg_days)
  // A cycle shorter than a day counts as one day: deals won the day they were made would otherwise
  // divide by almost nothing and report an absurd velocity.
  const velocity =
    winRate !== null && avgDeal !== null && avgDays !== null
      ? Math.round((open * (won / (won + lost)) * avgDeal) / Math.max(avgDays, 1))
      : null
  return {
    from: range.from,
    to: range.to,
    pipeline,
    stages: stages.map((s) => ({
      id: s.id,
      name: s.name,
      moves: num(s.moves),
      avgDays: s.avg_seconds === null ? null : round(Number(s.avg_seconds) / 86_400),
    })),
    open,
    won,
    lost,
    winRate,
    avgDealAmount: avgDeal === null ? null : Math.round(avgDeal),
    avgDaysToWin: round(avgDays),
    velocityPerDay: velocity,
  }
}

// ---------------------------------------------------------------------------------------------
// Win rate

export const WIN_RATE_BY = ['owner', 'source', 'campaign'] as const
export type WinRateBy = (typeof WIN_RATE_BY)[number]

/** Win rate of the opportunities closed (won or lost) in the window, by owner, source or first campaign. */
export async function winRate(ctx: Ctx, q: RangeQuery & { by: WinRateBy; pipelineId?: string }) {
  const range = await windowOf(ctx, q, 365)
  const pipeline = q.pipelineId !== undefined ? await pipelineOf(ctx, q.pipelineId) : null
  const t = ctx.actor.tenantId
  const key = {
    owner: sql`opportunities.owner_id::text`,
    source: sql`nullif(opportunities.source, '')`,
    campaign: sql`opportunities.first_campaign_id::text`,
  }[q.by]
  const label = {
    owner: sql`(select name from users where tenant_id = ${t} and id = g.key::uuid)`,
    source: sql`g.key`,
    campaign: sql`(select name from campaigns where tenant_id = ${t} and id = g.key::uuid)`,
  }[q.by]
  const rows = await report<{
    key: string | null
    label: string | null
    won: number
    lost: number
    won_amount: number
  }>(
    ctx,
    sql`
    select g.key, ${label} as label, g.won, g.lost, g.won_amount from (
      select ${key} as key,
        count(*) filter (where opportunities.status = 'won')::int as won,
        count(*) filter (where opportunities.status = 'lost')::int as lost,
        coalesce(sum(opportunities.amount) filter (where opportunities.status = 'won'), 0)::float8 as won_amount
      from opportunities
      where opportunities.tenant_id = ${t} and ${oppScope(ctx)} and opportunities.status in ('won', 'lost')
        and opportunities.closed_at >= ${range.fromAt} and opportunities.closed_at < ${range.toAt}
        ${pipeline ? sql`and opportunities.pipeline_id = ${pipeline.id}` : sql``}
      group by 1) g
    order by g.won desc, g.lost asc, g.key nulls last`,
  )
  return {
    from: range.from,
    to: range.to,
    by: q.by,
    rows: rows.map((r) => ({
      key: r.key,
      label: r.label,
      won: num(r.won),
      lost: num(r.lost),
      closed: num(r.won) + num(r.lost),
      winRate: ratio(num(r.won), num(r.won) + num(r.lost)),
      wonAmount: num(r.won_amount),
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Forecast vs actual

const monthStart = (day: string) => `${day.slice(0, 7)}-01`
const addMonths = (day: string, n: number) => {
  const d = new Date(`${monthStart(day)}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + n)
  return d.toISOString().slice(0, 10)
}

/**
 * By month: the weighted forecast of the opportunities expected to close in the month (amount ×
 * probability; a closed one at the probability of the open stage it closed from — what the
 * forecast said before the outcome), against the amount won (closed in the month) and order
 * revenue (ordered in the month). Default: the last 6 months and the next 6.
 */
export async function forecastVsActual(ctx: Ctx, q: RangeQuery & { pipelineId?: string }) {
  const today = (await resolveRange(ctx, {})).to
  const range = await resolveRange(ctx, {
    from: q.from ?? addMonths(today, -5),
    to: q.to ?? addDays(addMonths(today, 7), -1),
  })
  const pipeline = q.pipelineId !== undefined ? await pipelineOf(ctx, q.pipelineId) : null
  const t = ctx.actor.tenantId
  const tz = range.timezone
  const inPipeline = pipeline ? sql`and opportunities.pipeline_id = ${pipeline.id}` : sql``
  const rows = await report<{
    month: string
    count: number
    pipeline: number
    forecast: number
    won_count: number
    won: number
    orders: number
  }>(
    ctx,
    sql`
    with months as (
      select to_char(m, 'YYYY-MM') as month
      from generate_series(date_trunc('month', ${range.from}::date), ${range.to}::date, interval '1 month') m
    ),
    expected as (
      select to_char(opportunities.expected_close_date, 'YYYY-MM') as month, count(*)::int as count,
        sum(opportunities.amount)::float8 as pipeline,
        sum(opportunities.amount * case when opportunities.status = 'open' then opportunities.probability
          else coalesce((select s.probability from opportunity_stage_history h
            join pipeline_stages s on s.tenant_id = h.tenant_id and s.id = h.from_stage_id and s.kind = 'open'
            where h.tenant_id = ${t} and h.opportunity_id = opportunities.id
            order by h.at desc limit 1), opportunities.probability) end / 100.0)::float8 as forecast
      from opportunities
      where opportunities.tenant_id = ${t} and ${oppScope(ctx)} ${inPipeline}
        and opportunities.expected_close_date >= ${range.from}::date
        and opportunities.expected_close_date <= ${range.to}::date
      group by 1
    ),
    won as (
      select to_char(opportunities.closed_at at time zone ${tz}, 'YYYY-MM') as month, count(*)::int as won_count,
        sum(opportunities.amount)::float8 as won
      from opportunities
      where opportunities.tenant_id = ${t} and ${oppScope(ctx)} ${inPipeline} and opportunities.status = 'won'
        and opportunities.closed_at >= ${range.fromAt} and opportunities.closed_at < ${range.toAt}
      group by 1
    ),
    revenue as (
      select to_char(orders.ordered_at at time zone ${tz}, 'YYYY-MM') as month,
        sum(orders.total - orders.refunded_total)::float8 as orders
      from orders
      where orders.tenant_id = ${t} and ${orderScope(ctx)} and orders.status in ${REVENUE}
        and orders.ordered_at >= ${range.fromAt} and orders.ordered_at < ${range.toAt}
      group by 1
    )
    select m.month, coalesce(e.count, 0) as count, coalesce(e.pipeline, 0) as pipeline,
      coalesce(e.forecast, 0) as forecast, coalesce(w.won_count, 0) as won_count, coalesce(w.won, 0) as won,
      coalesce(r.orders, 0) as orders
    from months m
    left join expected e on e.month = m.month
    left join won w on w.month = m.month
    left join revenue r on r.month = m.month
    order by m.month`,
  )
  const months = rows.map((r) => ({
    month: r.month,
    count: num(r.count),
    pipelineAmount: Math.round(num(r.pipeline)),
    forecast: Math.round(num(r.forecast)),
    wonCount: num(r.won_count),
    wonAmount: Math.round(num(r.won)),
    orderRevenue: Math.round(num(r.orders)),
  }))
  const sum = (k: 'forecast' | 'wonAmount' | 'orderRevenue' | 'pipelineAmount') =>
    months.reduce((s, m) => s + m[k], 0)
  return {
    from: range.from,
    to: range.to,
    pipeline,
    months,
    totals: {
      pipelineAmount: sum('pipelineAmount'),
      forecast: sum('forecast'),
      wonAmount: sum('wonAmount'),
      orderRevenue: sum('orderRevenue'),
    },
  }
}

/**
 * The weighted forecast (销售预测) by month, owner or unit (team): per group, the open pipeline
 * (opportunities expected to close in the range: count, amount, weighted amount) and what was
 * won in the range (closed in it, by the workspace's calendar). Scoped like the opportunity list.
 *
 * One statement, two index range scans: open ones on opportunities_forecast_idx (tenant,
 * expected close date; open only), won ones on opportunities_closed_idx (tenant, status, closed at).
 * Open opportunities without an expected close date are not in any month, so not in the forecast.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { translate } from '../../../platform/i18n/messages.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { resolveRange } from '../../leads/reports.service.js'
import './messages.js'
import { opportunities } from './schema.js'
import { opportunitiesRepo, weightedAmount } from './service.js'

export const FORECAST_GROUPS = ['month', 'owner', 'unit'] as const
export type ForecastGroup = (typeof FORECAST_GROUPS)[number]

export interface ForecastQuery {
  from?: string
  to?: string
  groupBy?: ForecastGroup
  pipelineId?: string
}

export interface ForecastRow {
  key: string
  label: string
  count: number
  amount: number
  weightedAmount: number
  wonCount: number
  wonAmount: number
}

const UNASSIGNED = 'unassigned'
const monthStart = (day: string) => `${day.slice(0, 7)}-01`
/** The last day of the month `n` months after the one `day` is in. */
function monthEnd(day: string, n: number) {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) + n, 0))
  return d.toISOString().slice(0, 10)
}
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = monthStart(from); d <= to; d = monthStart(monthEnd(d, 1))) out.push(d.slice(0, 7))
  return out
}

/** Default range: this month and the five after it, in the workspace's time zone. */
async function rangeOf(ctx: Ctx, q: ForecastQuery) {
  if (q.from || q.to) return resolveRange(ctx, q)
  const today = (await resolveRange(ctx, {})).to
  return resolveRange(ctx, { from: monthStart(today), to: monthEnd(today, 5) })
}

export async function forecast(ctx: Ctx, q: ForecastQuery) {
  const range = await rangeOf(ctx, q)
  const groupBy = q.groupBy ?? 'month'
  const o = opportunities
  const tz = range.timezone
  // Each branch groups by a raw key (a month's first day, or a uuid); the outer query names it.
  const keyOf = (won: boolean): SQL =>
    groupBy === 'month'
      ? won
        ? sql`date_trunc('month', ${o.closedAt} at time zone ${tz})::date`
        : sql`date_trunc('month', ${o.expectedCloseDate})::date`
      : groupBy === 'owner'
        ? sql`${o.ownerId}`
        : sql`${o.unitId}`
  const label = groupBy === 'month' ? sql`to_char(key, 'YYYY-MM')` : sql`coalesce(key::text, ${UNASSIGNED})`
  const common = and(
    opportunitiesRepo.visible(ctx),
    q.pipelineId ? eq(o.pipelineId, q.pipelineId) : undefined,
  )
  const { rows } = await ctx.db.execute<{
    key: string
    count: number
    amount: number
    weighted: number
    wonCount: number
    wonAmount: number
  }>(sql`
    select ${label} as key, sum(n)::int as "count", sum(amount)::float8 as "amount", sum(weighted)::float8 as "weighted",
      sum(won_n)::int as "wonCount", sum(won_amount)::float8 as "wonAmount"
    from (
      select ${keyOf(false)} as key, count(*) as n, sum(${o.amount}) as amount, sum(${weightedAmount}) as weighted,
        0 as won_n, 0 as won_amount
      from ${o}
      where ${common} and ${o.status} = 'open'
        and ${o.expectedCloseDate} between ${range.from}::date and ${range.to}::date
      group by 1
      union all
      select ${keyOf(true)}, 0, 0, 0, count(*), sum(${o.amount})
      from ${o}
      where ${common} and ${o.status} = 'won'
        and ${o.closedAt} >= ${range.fromAt} and ${o.closedAt} < ${range.toAt}
      group by 1
    ) f
    group by f.key
    order by 1`)
  const byKey = new Map(rows.map((r) => [r.key, r]))
  const keys = groupBy === 'month' ? monthsBetween(range.from, range.to) : rows.map((r) => r.key)
  const labels = await labelsOf(ctx, groupBy, keys)
  const items: ForecastRow[] = keys.map((key) => {
    const r = byKey.get(key)
    return {
      key,
      label: labels.get(key) ?? key,
      count: r?.count ?? 0,
      amount: Number(r?.amount ?? 0),
      weightedAmount: Number(r?.weighted ?? 0),
      wonCount: r?.wonCount ?? 0,
      wonAmount: Number(r?.wonAmount ?? 0),
    }
  })
  const sum = (k: keyof ForecastRow) => items.reduce((s, r) => s + (r[k] as number), 0)
  return {
    from: range.from,
    to: range.to,
    timezone: tz,
    groupBy,
    rows: items,
    totals: {
      count: sum('count'),
      amount: sum('amount'),
      weightedAmount: sum('weightedAmount'),
      wonCount: sum('wonCount'),
      wonAmount: sum('wonAmount'),
    },
  }
}

async function labelsOf(ctx: Ctx, groupBy: ForecastGroup, keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((k) => k !== UNASSIGNED)
  const out = new Map<string, string>([[UNASSIGNED, translate('forecast_unassigned', ctx.locale)]])
  if (groupBy === 'month' || ids.length === 0) return out
  const t = groupBy === 'owner' ? users : orgUnits
  const rows = await ctx.db
    .select({ id: t.id, name: t.name })
    .from(t)
    .where(and(eq(t.tenantId, ctx.actor.tenantId), inArray(t.id, ids)))
  for (const r of rows) out.set(r.id, r.name)
  return out
}

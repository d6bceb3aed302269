import { eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { sqlArray } from '../../quality/bulk.js'
import { type GroupMedians, salesSettings } from '../settings.schema.js'
import { getSalesSettings, SALES_DEFAULTS } from '../settings.service.js'

/** Orders that count for the groups: confirmed and beyond, not cancelled or refunded. */
export const GROUP_ORDER_STATUSES = ['confirmed', 'shipped', 'completed'] as const

export interface GroupResult {
  /** Customers whose group was (re)computed. */
  computed: number
  /** Of those, the ones whose group changed (audited). */
  changed: number
  /** The thresholds used: average order value (minor units) and orders in the window. */
  highValue: number | null
  highFrequency: number
}

const AUDIT_CHUNK = 2000

/**
 * Seed 001's customer groups (客单价 × 下单频次), set-based over the orders table: over the last
 * `windowDays` (sales settings), a customer's confirmed/shipped/completed orders give its order
 * count and average order value. A: no such order; B: low value, low frequency; C: frequent, low
 * value; D: high value, infrequent; E: high value and frequent. "High" is at or above the
 * configured threshold, or — when it is null — the workspace median over customers with orders
 * (frequency: at least 2). `customerIds` limits what is written (after an order changed); the
 * medians are always the workspace's. Group changes are audited; the version is not bumped (the
 * group is computed, not edited).
 */
export async function recomputeCustomerGroups(ctx: Ctx, customerIds?: string[]): Promise<GroupResult> {
  const rule = (await getSalesSettings(ctx)).customerGroups
  const t = ctx.actor.tenantId
  const only = customerIds ? sql`and c.id = any(${sqlArray(customerIds, 'uuid')})` : sql``
  // A few customers after an order changed: their own orders, and the medians of the last full
  // run (same window) — not an aggregate over every order of the workspace on each change.
  const cached = customerIds ? await cachedMedians(ctx, rule.windowDays) : null
  const partial =
    customerIds !== undefined && (cached !== null || (rule.highValue !== null && rule.highFrequency !== null))
  const ordersOf = partial ? sql`and o.customer_id = any(${sqlArray(customerIds!, 'uuid')})` : sql``
  const median = (column: 'value' | 'n', cachedValue: number | null | undefined) =>
    partial
      ? sql`${cachedValue ?? null}::float8`
      : sql`(select percentile_cont(0.5) within group (order by ${sql.raw(column)}) from stats)`
  return inTransaction(ctx, async (tx) => {
    const res = await tx.db.execute<{
      id: string
      name: string
      before: string
      after: string
      hv: number | null
      hf: number
      mv: number | null
      mf: number
    }>(sql`with stats as (
        select o.customer_id, count(*)::float8 as n, avg(o.total)::float8 as value
          from orders o
         where o.tenant_id = ${t}::uuid and o.status = any(${sqlArray([...GROUP_ORDER_STATUSES], 'text')})
           and o.ordered_at > now() - make_interval(days => ${rule.windowDays}::int) ${ordersOf}
         group by o.customer_id),
      medians as (
        select ${median('value', cached?.value)} as mv, greatest(2, coalesce(${median('n', cached?.frequency)}, 2)) as mf),
      limits as (
        select coalesce(${rule.highValue}::float8, m.mv) as hv, coalesce(${rule.highFrequency}::float8, m.mf) as hf,
               m.mv, m.mf
          from medians m),
      next as (
        select c.id, c.customer_group as before,
               case when s.customer_id is null then 'A'
                    when s.value >= l.hv and s.n >= l.hf then 'E'
                    when s.value >= l.hv then 'D'
                    when s.n >= l.hf then 'C'
                    else 'B' end as after
          from customers c cross join limits l
          left join stats s on s.customer_id = c.id
         where c.tenant_id = ${t}::uuid ${only}
         for update of c),
      written as (
        update customers c set customer_group = n.after, group_computed_at = now()
          from next n where c.tenant_id = ${t}::uuid and c.id = n.id
        returning c.id, c.name, n.before, n.after)
      select w.*, l.hv, l.hf, l.mv, l.mf from written w cross join limits l`)
    if (!partial && res.rows[0])
      await storeMedians(tx, {
        value: res.rows[0].mv == null ? null : Number(res.rows[0].mv),
        frequency: Number(res.rows[0].mf),
        windowDays: rule.windowDays,
        computedAt: new Date().toISOString(),
      })
    const changed = res.rows.filter((r) => r.before !== r.after)
    for (let i = 0; i < changed.length; i += AUDIT_CHUNK)
      await writeAudit(
        tx,
        changed.slice(i, i + AUDIT_CHUNK).map((r) => ({
          action: 'update',
          objectType: 'customer',
          objectId: r.id,
          summary: `${r.name} (${r.before} → ${r.after})`,
          before: { customerGroup: r.before },
          after: { customerGroup: r.after },
        })),
      )
    const limits = res.rows[0]
    return {
      computed: res.rows.length,
      changed: changed.length,
      highValue: limits?.hv == null ? null : Number(limits.hv),
      highFrequency: Number(limits?.hf ?? rule.highFrequency ?? 2),
    }
  })
}

async function cachedMedians(ctx: Ctx, windowDays: number): Promise<GroupMedians | null> {
  const [row] = await ctx.db
    .select({ m: salesSettings.groupMedians })
    .from(salesSettings)
    .where(eq(salesSettings.tenantId, ctx.actor.tenantId))
  return row?.m && row.m.windowDays === windowDays ? row.m : null
}

/** Keeps the medians of a full run for the partial runs after it (the settings row may not exist yet). */
async function storeMedians(ctx: Ctx, medians: GroupMedians) {
  await ctx.db
    .insert(salesSettings)
    .values({ ...SALES_DEFAULTS, version: 1, tenantId: ctx.actor.tenantId, groupMedians: medians })
    .onConflictDoUpdate({ target: salesSettings.tenantId, set: { groupMedians: medians } })
}

import { sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { sqlArray } from '../../quality/bulk.js'
import { GROUP_ORDER_STATUSES, recomputeCustomerGroups } from '../customers/groups.service.js'
import type { OrderStatus } from './schema.js'

/** Orders that count for a customer's totals and group: confirmed, shipped, completed. */
export const COUNTED_STATUSES: readonly OrderStatus[] = GROUP_ORDER_STATUSES
export const counts = (status: string) => (COUNTED_STATUSES as readonly string[]).includes(status)

/**
 * Keeps customers.orderCount / orderTotal / firstOrderAt / lastOrderAt equal to their counted
 * orders, with ONE set-based UPDATE for every affected customer: orderTotal is the net amount
 * (total − refunded). Then their A–E group is recomputed. Derived columns: no version bump (a
 * person editing the customer is not made stale by an order), no audit (the orders are audited).
 */
export async function refreshCustomerTotals(ctx: Ctx, customerIds: (string | null | undefined)[]) {
  const ids = [...new Set(customerIds.filter((id): id is string => !!id))]
  if (!ids.length) return
  const t = ctx.actor.tenantId
  await ctx.db.execute(sql`
    update customers c
       set order_count = s.n, order_total = s.net, first_order_at = s.first, last_order_at = s.last
      from (select x.id, count(o.id)::int as n, coalesce(sum(o.total - o.refunded_total), 0)::bigint as net,
                   min(o.ordered_at) as first, max(o.ordered_at) as last
              from unnest(${sqlArray(ids, 'uuid')}) as x(id)
              left join orders o on o.tenant_id = ${t}::uuid and o.customer_id = x.id
                    and o.status = any(${sqlArray([...COUNTED_STATUSES], 'text')})
             group by x.id) s
     where c.tenant_id = ${t}::uuid and c.id = s.id`)
  await recomputeCustomerGroups(ctx, ids)
}

/**
 * Receivables (应收): confirmed, shipped or completed orders in the caller's scope with an open
 * balance, how many days each is overdue (from its payment due date, in the workspace's time
 * zone), and the sums over all of them.
 */
import { and, inArray, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { sqlArray } from '../../quality/bulk.js'
import { customers } from '../customers/schema.js'
import { daysBetween, workspaceToday } from '../quotes/refs.js'
import { COUNTED_STATUSES } from './customer-totals.js'
import { orders } from './schema.js'
import { balanceOf, type Order, ordersRepo } from './service.js'

const open = sql`${orders.status} = any(${sqlArray([...COUNTED_STATUSES], 'text')})
  and ${orders.total} - ${orders.paidTotal} + ${orders.refundedTotal} > 0`

export interface ReceivablesQuery {
  where?: SQL
  sort?: { column: string; dir: 'asc' | 'desc' }
  limit?: number
  cursor?: string | null
  overdueOnly?: boolean
}

export async function listReceivables(ctx: Ctx, q: ReceivablesQuery) {
  const { today } = await workspaceToday(ctx)
  const overdue = sql`${orders.paymentDueDate} < ${today}::date`
  const where = and(open, q.where, q.overdueOnly ? overdue : undefined)!
  const [page, [sums]] = await Promise.all([
    ordersRepo.list(ctx, { where, sort: q.sort, limit: q.limit, cursor: q.cursor }),
    ctx.db
      .select({
        count: sql<number>`count(*)::int`,
        balance: sql<number>`coalesce(sum(${orders.total} - ${orders.paidTotal} + ${orders.refundedTotal}), 0)::float8`,
        overdueCount: sql<number>`(count(*) filter (where ${overdue}))::int`,
        overdueBalance: sql<number>`coalesce(sum(${orders.total} - ${orders.paidTotal} + ${orders.refundedTotal}) filter (where ${overdue}), 0)::float8`,
      })
      .from(orders)
      .where(and(ordersRepo.visible(ctx), where)),
  ])
  const rows = page.items as Order[]
  const ids = [...new Set(rows.map((r) => r.customerId))]
  const names = ids.length
    ? await ctx.db
        .select({ id: customers.id, name: customers.name })
        .from(customers)
        .where(and(sql`${customers.tenantId} = ${ctx.actor.tenantId}`, inArray(customers.id, ids)))
    : []
  const nameOf = new Map(names.map((n) => [n.id, n.name]))
  return {
    items: rows.map((o) => ({
      id: o.id,
      number: o.number,
      customerId: o.customerId,
      customerName: nameOf.get(o.customerId) ?? null,
      ownerId: o.ownerId,
      status: o.status,
      orderedAt: o.orderedAt,
      currency: o.currency,
      total: o.total,
      paidTotal: o.paidTotal,
      refundedTotal: o.refundedTotal,
      balance: balanceOf(o),
      paymentDueDate: o.paymentDueDate,
      overdueDays: o.paymentDueDate ? Math.max(0, daysBetween(o.paymentDueDate, today)) : 0,
    })),
    nextCursor: page.nextCursor,
    totals: sums!,
    asOf: today,
  }
}

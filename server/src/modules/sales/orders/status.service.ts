/**
 * An order's life: draft → confirmed → shipped → completed; cancelled from draft or confirmed;
 * refunded (from confirmed, shipped or completed) once everything paid was refunded. Anything
 * else is 409 order_transition with from/to. Customer totals follow, events go to the outbox.
 */
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { publish } from '../../../platform/events/outbox.js'
import { AppError } from '../../../platform/http/errors.js'
import { badTransition, changeRecord, checkVersion } from '../quotes/transition.js'
import { counts, refreshCustomerTotals } from './customer-totals.js'
import type { OrderStatus } from './schema.js'
import { linesOf, loadOrder, type Order, ordersRepo } from './service.js'

export const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled', 'refunded'],
  shipped: ['completed', 'refunded'],
  completed: ['refunded'],
  refunded: [],
  cancelled: [],
}

/** When each state was entered. */
const STAMP: Partial<Record<OrderStatus, keyof Order>> = {
  confirmed: 'confirmedAt',
  shipped: 'shippedAt',
  completed: 'completedAt',
  cancelled: 'cancelledAt',
}

/** Fully refunded: something was paid and all of it went back. */
export const fullyRefunded = (o: Pick<Order, 'paidTotal' | 'refundedTotal'>) =>
  o.paidTotal > 0 && o.refundedTotal >= o.paidTotal

/** The outbox event of an order (loyalty and RFM consume them): enough to act without a read. */
export function orderEvent(type: string, o: Order, extra: Record<string, unknown> = {}) {
  return {
    type,
    aggregateType: 'order',
    aggregateId: o.id,
    payload: {
      orderId: o.id,
      number: o.number,
      customerId: o.customerId,
      personId: o.personId,
      source: o.source,
      status: o.status,
      currency: o.currency,
      total: o.total,
      paidTotal: o.paidTotal,
      refundedTotal: o.refundedTotal,
      orderedAt: o.orderedAt,
      ...extra,
    },
  }
}

export async function setOrderStatus(ctx: Ctx, id: string, status: OrderStatus, version?: number) {
  return inTransaction(ctx, async (tx) => {
    const order = (await ordersRepo.get(tx, id, { raw: true, forUpdate: true })) as Order
    checkVersion(tx, ordersRepo, order, version)
    if (!NEXT[order.status].includes(status)) throw badTransition('order_transition', order.status, status)
    if (status === 'refunded' && !fullyRefunded(order))
      throw badTransition('order_transition', order.status, status, {
        paidTotal: order.paidTotal,
        refundedTotal: order.refundedTotal,
      })
    if (status === 'confirmed' && (await linesOf(tx, id)).length === 0)
      throw new AppError(422, 'order_totals', {}, [{ field: 'lines', code: 'required' }])
    const stamp = STAMP[status]
    const after = (await changeRecord(
      tx,
      ordersRepo,
      order,
      { status, ...(stamp ? { [stamp]: new Date() } : {}) },
      'status',
      `${order.number} ${order.status} → ${status}`,
    )) as Order
    // order.refunded is published per refund (payments.service.ts), so money is never counted twice.
    // A cancelled confirmed order no longer counts (profiles re-evaluate order conditions).
    if (status === 'confirmed' || status === 'completed' || (status === 'cancelled' && counts(order.status)))
      await publish(tx, [orderEvent(`order.${status}`, after, { from: order.status })])
    if (counts(order.status) || counts(status)) await refreshCustomerTotals(tx, [order.customerId])
    return loadOrder(tx, id)
  })
}

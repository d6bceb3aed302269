/**
 * Payments and refunds of an order (回款 / 退款): append-only rows, with the order's paidTotal and
 * refundedTotal kept equal to them in the same transaction while the order row is locked — so two
 * refunds at once cannot together exceed what was paid.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { publish } from '../../../platform/events/outbox.js'
import { changeRecord, salesError } from '../quotes/transition.js'
import { counts, refreshCustomerTotals } from './customer-totals.js'
import { orderPayments, type PAYMENT_METHODS } from './schema.js'
import { balanceOf, type Order, ordersRepo } from './service.js'
import { fullyRefunded, orderEvent } from './status.service.js'
import { moneyText } from './totals.js'

export interface PaymentInput {
  kind: 'payment' | 'refund'
  /** Positive minor units. */
  amount: number
  method?: (typeof PAYMENT_METHODS)[number]
  paidAt?: string | Date | null
  reference?: string | null
  note?: string | null
}

/** States in which money can still come in (refunds are possible in any state). */
const OPEN_FOR_PAYMENT = ['draft', 'confirmed', 'shipped', 'completed']

export async function recordPayment(ctx: Ctx, orderId: string, input: PaymentInput) {
  return inTransaction(ctx, async (tx) => {
    const order = (await ordersRepo.get(tx, orderId, { raw: true, forUpdate: true })) as Order
    const refund = input.kind === 'refund'
    if (!refund && !OPEN_FOR_PAYMENT.includes(order.status))
      throw salesError(409, 'order_closed', { status: order.status })
    const max = refund ? order.paidTotal - order.refundedTotal : balanceOf(order)
    if (input.amount > max) {
      const code = refund ? 'exceeds_refundable' : 'exceeds_balance'
      // max stays in minor units for clients; maxText is what the message shows.
      const params = { max, maxText: moneyText(max, order.currency) }
      throw salesError(422, code, params, [{ field: 'amount', code, params }])
    }
    const [payment] = await tx.db
      .insert(orderPayments)
      .values({
        tenantId: tx.actor.tenantId,
        orderId,
        kind: input.kind,
        amount: input.amount,
        method: input.method ?? 'bank_transfer',
        ...(input.paidAt ? { paidAt: new Date(input.paidAt) } : {}),
        reference: input.reference ?? null,
        note: input.note ?? null,
        createdBy: tx.actor.id,
      })
      .returning()
    const after = (await changeRecord(
      tx,
      ordersRepo,
      order,
      refund
        ? { refundedTotal: order.refundedTotal + input.amount }
        : { paidTotal: order.paidTotal + input.amount },
      input.kind,
      `${order.number} ${refund ? '-' : '+'}${moneyText(input.amount, order.currency)}`,
    )) as Order
    if (refund) {
      await publish(tx, [
        orderEvent('order.refunded', after, {
          paymentId: payment!.id,
          amount: input.amount,
          full: fullyRefunded(after),
        }),
      ])
      if (counts(after.status)) await refreshCustomerTotals(tx, [after.customerId])
    }
    return { payment: payment!, order: ordersRepo.present(tx, after) as Order }
  })
}

export async function listPayments(ctx: Ctx, orderId: string) {
  await ordersRepo.get(ctx, orderId)
  return ctx.db
    .select()
    .from(orderPayments)
    .where(and(eq(orderPayments.tenantId, ctx.actor.tenantId), eq(orderPayments.orderId, orderId)))
    .orderBy(asc(orderPayments.paidAt), asc(orderPayments.id))
}

/**
 * The order of a won opportunity (SC-2's last step): its lines are those of the opportunity's
 * accepted quote (latest accepted revision), else its product lines; it lives where the
 * opportunity lives. One live order per opportunity.
 */
import { and, eq, ne } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { lineAmount, lineGross } from '../money.js'
import { opportunityLines } from '../opportunities/schema.js'
import { visibleOpportunity } from '../quotes/refs.js'
import { quotes } from '../quotes/schema.js'
import { type Quote, linesOf as quoteLinesOf, quotesRepo } from '../quotes/service.js'
import { salesError } from '../quotes/transition.js'
import { orders } from './schema.js'
import { createOrder, type OrderInput, type OrderLineIn, ordersRepo } from './service.js'

export type FromOpportunityInput = Pick<
  OrderInput,
  'orderedAt' | 'paymentDueDate' | 'shippingFee' | 'shippingAddress' | 'notes' | 'contactId' | 'custom'
>

interface PctLine {
  productId: string | null
  name: string
  quantity: number
  unitPrice: number
  discountPct: number
}
/** A percentage-discounted line as an order line (discount in minor units, same rounding). */
const asOrderLine = (l: PctLine): OrderLineIn => ({
  productId: l.productId,
  name: l.name,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  discount: lineGross(l.quantity, l.unitPrice) - lineAmount(l.quantity, l.unitPrice, l.discountPct),
})

export async function orderFromOpportunity(
  ctx: Ctx,
  opportunityId: string,
  input: FromOpportunityInput = {},
) {
  return inTransaction(ctx, async (tx) => {
    // Locked: two clicks at once make one order.
    const opp = await visibleOpportunity(tx, opportunityId, true)
    if (opp.status !== 'won') throw salesError(409, 'opportunity_not_won', { status: opp.status })
    const [existing] = (
      await ordersRepo.list(tx, {
        where: and(eq(orders.opportunityId, opp.id), ne(orders.status, 'cancelled')),
        limit: 1,
        // The opportunity is visible to the caller; its order may have been placed elsewhere since.
        bypassScope: true,
      })
    ).items
    if (existing)
      throw salesError(409, 'opportunity_already_ordered', { orderId: existing.id, number: existing.number })
    const [quote] = (
      await quotesRepo.list(tx, {
        where: and(eq(quotes.opportunityId, opp.id), eq(quotes.status, 'accepted')),
        sort: { column: 'updatedAt', dir: 'desc' },
        limit: 1,
        bypassScope: true,
      })
    ).items as Quote[]
    let lines: OrderLineIn[]
    let headerDiscount = 0
    if (quote) {
      const ql = await quoteLinesOf(tx, quote.id)
      lines = ql.map(asOrderLine)
      headerDiscount = ql.reduce((s, l) => s + l.amount, 0) - quote.total
    } else {
      const ol = await tx.db
        .select()
        .from(opportunityLines)
        .where(
          and(eq(opportunityLines.tenantId, tx.actor.tenantId), eq(opportunityLines.opportunityId, opp.id)),
        )
        .orderBy(opportunityLines.position)
      lines = ol.map(asOrderLine)
    }
    return createOrder(
      tx,
      {
        ...input,
        customerId: opp.customerId,
        contactId: input.contactId ?? quote?.contactId ?? opp.contactId,
        opportunityId: opp.id,
        quoteId: quote?.id ?? null,
        currency: opp.currency,
        lines,
        headerDiscount,
      },
      { source: 'opportunity', scope: { ownerId: opp.ownerId, unitId: opp.unitId, orgId: opp.orgId } },
    )
  })
}

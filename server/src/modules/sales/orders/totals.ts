/**
 * Order amounts (minor units): each line is quantity × unit price − its discount; the order's
 * subtotal is Σ line gross, discountTotal Σ line discount + the order-level (header) discount,
 * total = subtotal − discountTotal + shippingFee. Amounts a client sends must agree: a pure
 * function, so the rule is tested on its own.
 */
import type { FieldError } from '../../../platform/http/errors.js'
import { lineGross } from '../money.js'
import { formatYuan } from '../quotes/format.js'
import { salesError } from '../quotes/transition.js'

/** Money for a message: 13550000 → "¥135,500.00" (other currencies by their code: "USD 1.00"). */
export const moneyText = (minor: number, currency = 'CNY') =>
  `${currency === 'CNY' ? '¥' : `${currency} `}${formatYuan(minor)}`

export interface OrderLineInput {
  productId?: string | null
  sku?: string | null
  name: string
  quantity: number
  unitPrice: number
  /** Discount on the line in minor units. */
  discount?: number
  /** When given, must equal quantity × unitPrice − discount. */
  amount?: number | null
}

export interface OrderAmountsInput {
  shippingFee?: number
  /** Discount on the whole order (minor units), on top of line discounts. */
  headerDiscount?: number | null
  /** When given: Σ line discounts + header discount (the header discount is derived from it when not sent). */
  discountTotal?: number | null
  subtotal?: number | null
  total?: number | null
}

export interface PricedOrder<L> {
  lines: (L & { position: number; discount: number; amount: number })[]
  subtotal: number
  discountTotal: number
  headerDiscount: number
  shippingFee: number
  total: number
}

const mismatch = (field: string, expected: number, code = 'total_mismatch'): FieldError => ({
  field,
  code,
  params: { expected, expectedText: moneyText(expected) },
})

/** Totals of an order from its lines; every disagreement is a field error (422 order_totals). */
export function orderTotals<L extends OrderLineInput>(lines: L[], a: OrderAmountsInput = {}): PricedOrder<L> {
  const errors: FieldError[] = []
  let subtotal = 0
  let lineDiscounts = 0
  const priced = lines.map((l, position) => {
    const gross = lineGross(l.quantity, l.unitPrice)
    const discount = l.discount ?? 0
    if (discount > gross)
      errors.push({ field: `lines[${position}].discount`, code: 'too_big', params: { max: gross } })
    const amount = gross - discount
    if (l.amount != null && l.amount !== amount)
      errors.push(mismatch(`lines[${position}].amount`, amount, 'amount_mismatch'))
    subtotal += gross
    lineDiscounts += discount
    return { ...l, position, discount, amount }
  })
  const shippingFee = a.shippingFee ?? 0
  let headerDiscount = a.headerDiscount ?? 0
  if (a.headerDiscount == null && a.discountTotal != null) {
    headerDiscount = a.discountTotal - lineDiscounts
    if (headerDiscount < 0) errors.push(mismatch('discountTotal', lineDiscounts))
  } else if (a.discountTotal != null && a.discountTotal !== lineDiscounts + headerDiscount)
    errors.push(mismatch('discountTotal', lineDiscounts + headerDiscount))
  if (headerDiscount > subtotal - lineDiscounts)
    errors.push({
      field: a.headerDiscount == null ? 'discountTotal' : 'headerDiscount',
      code: 'too_big',
      params: { max: a.headerDiscount == null ? subtotal : subtotal - lineDiscounts },
    })
  const discountTotal = lineDiscounts + Math.max(0, headerDiscount)
  const total = subtotal - discountTotal + shippingFee
  if (a.subtotal != null && a.subtotal !== subtotal) errors.push(mismatch('subtotal', subtotal))
  if (a.total != null && a.total !== total) errors.push(mismatch('total', total))
  if (errors.length) throw salesError(422, 'order_totals', {}, errors)
  return {
    lines: priced,
    subtotal,
    discountTotal,
    headerDiscount: Math.max(0, headerDiscount),
    shippingFee,
    total,
  }
}

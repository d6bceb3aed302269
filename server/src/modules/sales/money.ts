/**
 * Money in sales: integer minor units (分) everywhere; quantities may be fractional (3 decimals),
 * discounts are percentages (2 decimals) on quotes and opportunity lines, amounts on order lines.
 * Rounding is half away from zero to the fen, once per line, so totals equal the sum of lines.
 */

/** Gross amount of a line: quantity × unit price. */
export const lineGross = (quantity: number, unitPrice: number) => Math.round(quantity * unitPrice)

/** A line's amount after a percentage discount. */
export function lineAmount(quantity: number, unitPrice: number, discountPct = 0): number {
  const gross = lineGross(quantity, unitPrice)
  return gross - Math.round((gross * discountPct) / 100)
}

export interface PricedLine {
  quantity: number
  unitPrice: number
  discountPct?: number
}

/**
 * Totals of percentage-discounted lines, with an optional discount on the whole (header) on top:
 * subtotal (gross), discountTotal, total, and the effective largest discount in percent (what
 * approval thresholds compare with).
 */
export function priceLines(lines: PricedLine[], headerDiscountPct = 0) {
  let subtotal = 0
  let afterLines = 0
  let maxLinePct = 0
  for (const l of lines) {
    subtotal += lineGross(l.quantity, l.unitPrice)
    afterLines += lineAmount(l.quantity, l.unitPrice, l.discountPct ?? 0)
    maxLinePct = Math.max(maxLinePct, l.discountPct ?? 0)
  }
  const total = afterLines - Math.round((afterLines * headerDiscountPct) / 100)
  const overallPct = subtotal > 0 ? Math.round(((subtotal - total) * 10000) / subtotal) / 100 : 0
  return {
    subtotal,
    discountTotal: subtotal - total,
    total,
    maxDiscountPct: Math.max(maxLinePct, overallPct),
  }
}

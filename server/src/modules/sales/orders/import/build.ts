/**
 * From the rows of one external order to an order: rows read and checked, identical repeats set
 * aside as duplicates, lines priced with the same rules as orders entered by hand (totals.ts), the
 * status, dates and what was paid / refunded. Pure: no database.
 */

import { AppError } from '../../../../platform/http/errors.js'
import type { Row } from '../../../intake/import/file/index.js'
import type { OrderStatus } from '../schema.js'
import { orderTotals } from '../totals.js'
import { type ImportMapping, type OrderRowValues, type RowIssue, readOrderRow } from './rows.js'

export interface ReadRow {
  row: Row
  values: OrderRowValues
}

export interface GroupReading {
  /** The rows that make the order (identical repeats removed). */
  kept: ReadRow[]
  /** Repeats of a kept row, cell for cell. */
  repeats: Row[]
  /** Problems per row number; a group with any is refused whole. */
  problems: Map<number, RowIssue[]>
}

/** Reads the rows of one order (see readOrderRow). */
export function readGroup(
  rows: Row[],
  mapping: ImportMapping,
  timeZone: string,
  phoneRegion: string,
): GroupReading {
  const kept: ReadRow[] = []
  const repeats: Row[] = []
  const problems = new Map<number, RowIssue[]>()
  const seen = new Set<string>()
  for (const row of rows) {
    if (row.problem) {
      problems.set(row.rowNumber, [{ field: 'row', code: row.problem }])
      continue
    }
    const same = JSON.stringify(row.cells)
    if (seen.has(same)) {
      repeats.push(row)
      continue
    }
    seen.add(same)
    const { values, issues } = readOrderRow(row.cells, mapping, timeZone, phoneRegion)
    if (issues.length) problems.set(row.rowNumber, issues)
    kept.push({ row, values })
  }
  return { kept, repeats, problems }
}

const first = <K extends keyof OrderRowValues>(rows: ReadRow[], key: K): OrderRowValues[K] | null =>
  rows.find((r) => r.values[key] !== null && r.values[key] !== undefined)?.values[key] ?? null

/** States in which the customer paid (unless a paid amount says otherwise). */
const PAID: readonly OrderStatus[] = ['confirmed', 'shipped', 'completed', 'refunded']
/** States reached on the way to each state, with the timestamp column of each. */
const REACHED: Record<OrderStatus, ('confirmedAt' | 'shippedAt' | 'completedAt' | 'cancelledAt')[]> = {
  draft: [],
  confirmed: ['confirmedAt'],
  shipped: ['confirmedAt', 'shippedAt'],
  completed: ['confirmedAt', 'shippedAt', 'completedAt'],
  refunded: ['confirmedAt'],
  cancelled: ['cancelledAt'],
}

export interface BuiltOrder {
  status: OrderStatus
  orderedAt: Date
  stamps: Partial<Record<'confirmedAt' | 'shippedAt' | 'completedAt' | 'cancelledAt', Date>>
  lines: ReturnType<typeof orderTotals>['lines']
  subtotal: number
  discountTotal: number
  shippingFee: number
  total: number
  paid: number
  refunded: number
  shippingAddress: string | null
  notes: string | null
}

/**
 * The order of checked rows; product ids come from `products` (code → product) by SKU. Amount
 * disagreements are problems of the row (or of the first row for order-level amounts).
 */
export function buildOrder(
  kept: ReadRow[],
  products: Map<string, { id: string; name: string }>,
  now: Date,
): { order: BuiltOrder } | { problems: Map<number, RowIssue[]> } {
  const problems = new Map<number, RowIssue[]>()
  const lines = kept.map(({ row, values: v }) => {
    const product = v.sku ? products.get(v.sku) : undefined
    if (!v.productName && !product) problems.set(row.rowNumber, [{ field: 'productName', code: 'required' }])
    // Only an amount given: the unit price is what it implies (the amount is then not checked).
    const unitPrice = v.unitPrice ?? Math.round(((v.lineAmount ?? 0) + v.lineDiscount) / v.quantity)
    return {
      productId: product?.id ?? null,
      sku: v.sku,
      name: v.productName ?? product?.name ?? '',
      quantity: v.quantity,
      unitPrice,
      discount: v.lineDiscount,
      amount: v.unitPrice === null ? null : v.lineAmount,
    }
  })
  if (problems.size) return { problems }
  const firstRow = kept[0]!.row.rowNumber
  let priced: ReturnType<typeof orderTotals>
  try {
    priced = orderTotals(lines, {
      shippingFee: first(kept, 'shippingFee') ?? 0,
      headerDiscount: first(kept, 'orderDiscount') ?? 0,
    })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    for (const f of err.fields) {
      const m = /^lines\[(\d+)\]\.(\w+)$/.exec(f.field)
      const at = m ? kept[Number(m[1])]!.row.rowNumber : firstRow
      const field = m ? (m[2] === 'amount' ? 'lineAmount' : 'lineDiscount') : 'orderDiscount'
      problems.set(at, [...(problems.get(at) ?? []), { field, code: f.code }])
    }
    return { problems }
  }
  const status = first(kept, 'status') ?? 'completed'
  const orderedAt = first(kept, 'orderedAt') ?? now
  const paid = first(kept, 'paidAmount') ?? (PAID.includes(status) ? priced.total : 0)
  if (paid > priced.total)
    return { problems: new Map([[firstRow, [{ field: 'paidAmount', code: 'too_big' }]]]) }
  return {
    order: {
      status,
      orderedAt,
      stamps: Object.fromEntries(REACHED[status].map((k) => [k, orderedAt])),
      lines: priced.lines,
      subtotal: priced.subtotal,
      discountTotal: priced.discountTotal,
      shippingFee: priced.shippingFee,
      total: priced.total,
      paid,
      refunded: status === 'refunded' ? paid : 0,
      shippingAddress: first(kept, 'shippingAddress'),
      notes: first(kept, 'notes'),
    },
  }
}

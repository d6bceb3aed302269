/**
 * One row of an order import read through its mapping: yuan amounts to minor units, dates in the
 * workspace's time zone, Chinese marketplace statuses to ours. Problems are named per field.
 */
import { normalisePhone } from '../../../../platform/custom-fields/values.js'
import type { OrderStatus } from '../schema.js'

export type ImportMapping = Record<string, string>
export interface RowIssue {
  field: string
  code: string
}

export interface OrderRowValues {
  orderNo: string | null
  orderedAt: Date | null
  status: OrderStatus | null
  customerName: string | null
  creditCode: string | null
  contactName: string | null
  mobile: string | null
  sku: string | null
  productName: string | null
  quantity: number
  unitPrice: number | null
  lineDiscount: number
  lineAmount: number | null
  shippingFee: number | null
  orderDiscount: number | null
  paidAmount: number | null
  shippingAddress: string | null
  notes: string | null
}

const STATUS_WORDS: [OrderStatus, string[]][] = [
  [
    'completed',
    [
      '交易成功',
      '已完成',
      '完成',
      '已签收',
      '交易完成',
      '已完成交易',
      'completed',
      'complete',
      'success',
      'done',
    ],
  ],
  ['shipped', ['已发货', '卖家已发货', '待收货', '已發貨', 'shipped', 'delivering']],
  ['confirmed', ['已付款', '待发货', '买家已付款', '已确认', '已付款待发货', '已付款', 'confirmed', 'paid']],
  [
    'cancelled',
    ['交易关闭', '已关闭', '已取消', '取消', '交易關閉', '已取消', 'cancelled', 'canceled', 'closed'],
  ],
  ['refunded', ['已退款', '退款成功', '全额退款', '交易关闭退款', 'refunded']],
  ['draft', ['待付款', '等待买家付款', '未付款', '待付款', 'unpaid', 'pending', 'draft']],
]
const STATUS = new Map(STATUS_WORDS.flatMap(([s, words]) => words.map((w) => [w.toLowerCase(), s])))

/** Yuan text ("¥1,234.5", "12元") as minor units; null when empty, NaN when not an amount. */
export function parseYuan(raw: string | undefined): number | null {
  const s = (raw ?? '').normalize('NFKC').replace(/[¥￥,\s元]|CNY|RMB/gi, '')
  if (!s) return null
  const m = /^(\d+)(?:\.(\d{1,2})\d*)?$/.exec(s)
  if (!m) return Number.NaN
  // Cents from the digits (no float): a third decimal is dropped, as marketplaces round to the fen.
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

function parseQuantity(raw: string | undefined): number {
  const s = (raw ?? '').normalize('NFKC').replace(/[,\s件个套台]/g, '')
  if (!s) return 1
  const n = Number(s)
  return /^\d+(\.\d{1,3})?$/.test(s) && n > 0 ? n : Number.NaN
}

/** The UTC instant of a wall-clock time in `timeZone`. */
function zonedTime(parts: number[], timeZone: string): Date {
  const [y, mo, d, h = 0, mi = 0, s = 0] = parts
  const guess = Date.UTC(y!, mo! - 1, d!, h, mi, s)
  const shown = new Date(guess).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T')
  const offset = Date.parse(`${shown}Z`) - guess
  return new Date(guess - offset)
}

/**
 * A date or date-time as a person wrote it (2024-11-11, 2024/11/11 10:05, Excel's ISO text) in
 * the workspace's time zone. Undefined when empty, null when not a date.
 */
export function parseWhen(raw: string | undefined, timeZone: string): Date | null | undefined {
  const s = (raw ?? '').normalize('NFKC').trim()
  if (!s) return undefined
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(s)
  if (!m) return null
  const parts = m
    .slice(1)
    .filter((p) => p !== undefined)
    .map(Number)
  const d = zonedTime(parts, timeZone)
  return Number.isNaN(d.getTime()) || parts[1]! > 12 || parts[2]! > 31 ? null : d
}

const textOf = (v: string | undefined, max = 500) => {
  const t = (v ?? '').trim()
  return t ? t.slice(0, max) : null
}

/** The mapped values of one row and the problems with them (times in `timeZone`, phones read in `phoneRegion`). */
export function readOrderRow(
  cells: string[],
  mapping: ImportMapping,
  timeZone: string,
  phoneRegion: string,
): { values: OrderRowValues; issues: RowIssue[] } {
  const raw: Record<string, string | undefined> = {}
  for (const [col, target] of Object.entries(mapping)) raw[target] = cells[Number(col)]
  const issues: RowIssue[] = []
  const money = (key: string) => {
    const v = parseYuan(raw[key])
    if (Number.isNaN(v)) {
      issues.push({ field: key, code: 'invalid_number' })
      return null
    }
    return v
  }
  const quantity = parseQuantity(raw.quantity)
  if (Number.isNaN(quantity)) issues.push({ field: 'quantity', code: 'invalid_number' })
  const when = parseWhen(raw.orderedAt, timeZone)
  if (when === null) issues.push({ field: 'orderedAt', code: 'invalid_date' })
  const statusText = textOf(raw.status)
  const status = statusText ? (STATUS.get(statusText.toLowerCase()) ?? null) : null
  if (statusText && !status) issues.push({ field: 'status', code: 'invalid_status' })
  const mobileText = textOf(raw.mobile, 40)
  const mobile = mobileText ? normalisePhone(mobileText, phoneRegion) : null
  if (mobileText && !mobile) issues.push({ field: 'mobile', code: 'invalid_phone' })
  const values: OrderRowValues = {
    orderNo: textOf(raw.orderNo, 100),
    orderedAt: when ?? null,
    status,
    customerName: textOf(raw.customerName, 200),
    creditCode: textOf(raw.creditCode, 40),
    contactName: textOf(raw.contactName, 100),
    mobile,
    sku: textOf(raw.sku, 100),
    productName: textOf(raw.productName, 200),
    quantity: Number.isNaN(quantity) ? 1 : quantity,
    unitPrice: money('unitPrice'),
    lineDiscount: money('lineDiscount') ?? 0,
    lineAmount: money('lineAmount'),
    shippingFee: money('shippingFee'),
    orderDiscount: money('orderDiscount'),
    paidAmount: money('paidAmount'),
    shippingAddress: textOf(raw.shippingAddress),
    notes: textOf(raw.notes, 2000),
  }
  if (!values.orderNo) issues.push({ field: 'orderNo', code: 'missing_external_id' })
  if (!values.customerName && !values.mobile && !values.creditCode && !mobileText)
    issues.push({ field: 'customerName', code: 'required' })
  if (!values.productName && !values.sku) issues.push({ field: 'productName', code: 'required' })
  if (values.unitPrice === null && values.lineAmount === null && !issues.some((i) => i.field === 'unitPrice'))
    issues.push({ field: 'unitPrice', code: 'required' })
  return { values, issues }
}

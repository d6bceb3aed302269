import { or, sql } from 'drizzle-orm'
import { customerNameKey } from './duplicates.service.js'
import { customers } from './schema.js'

/** Filterable fields of the customer list (base columns; custom.<key> and q come on top). */
export const CUSTOMER_FILTERS = {
  name: customers.name,
  kind: customers.kind,
  industry: customers.industry,
  size: customers.size,
  level: customers.level,
  customerGroup: customers.customerGroup,
  regionCode: customers.regionCode,
  creditCode: customers.creditCode,
  source: customers.source,
  status: customers.status,
  ownerId: customers.ownerId,
  unitId: customers.unitId,
  orgId: customers.orgId,
  parentId: customers.parentId,
  poolId: customers.poolId,
  orderCount: customers.orderCount,
  orderTotal: customers.orderTotal,
  lastOrderAt: customers.lastOrderAt,
  lastFollowUpAt: customers.lastFollowUpAt,
  nextFollowUpAt: customers.nextFollowUpAt,
  createdAt: customers.createdAt,
  updatedAt: customers.updatedAt,
}
export const CUSTOMER_SORTS = ['createdAt', 'updatedAt', 'name', 'orderTotal', 'lastOrderAt']

/**
 * The digits of a number as typed, without the trunk prefix: `(021) 6888 1234` and `0912 345 678`
 * are stored as +86216888… and +886912…, which hold the digits after the leading 0.
 */
export const phoneDigits = (q: string) => q.replace(/\D/g, '').replace(/^0+/, '')

/** `q`: name (and its matching key), credit code, or the digits of a phone number — not the fields a pool hides. */
export function customerSearch(q: string, hidden: Set<string> = new Set()) {
  const digits = phoneDigits(q)
  const key = customerNameKey(q)
  return or(
    sql`${customers.name} ilike ${`%${q}%`}`,
    key ? sql`${customers.nameKey} like ${`%${key}%`}` : undefined,
    hidden.has('creditCode') ? undefined : sql`${customers.creditCode} = ${q.trim().toUpperCase()}`,
    digits.length >= 4 && !hidden.has('phone') ? sql`${customers.phone} like ${`%${digits}%`}` : undefined,
  )!
}

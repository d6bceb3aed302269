import { getTableColumns } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { leads } from '../../modules/leads/schema.js'
import { contacts, customers } from '../../modules/sales/customers/schema.js'
import { opportunities } from '../../modules/sales/opportunities/schema.js'
import { orders } from '../../modules/sales/orders/schema.js'
import { products } from '../../modules/sales/products/schema.js'
import type { Locale } from '../i18n/messages.js'
import { users } from '../org/schema.js'

/** An object (record type) that carries custom fields in its `custom` jsonb column. */
export interface CustomFieldObject {
  key: string
  label: Record<Locale, string>
  /** The table holding the records; it must have `tenantId`, `id` and `custom` columns. */
  table: PgTable
}

/**
 * Objects with custom fields. The foundation registers leads and users; later modules add
 * theirs (customer, contact…) with `registerCustomFieldObject` when their module loads.
 */
export const CUSTOM_FIELD_OBJECTS = new Map<string, CustomFieldObject>()

export function registerCustomFieldObject(obj: CustomFieldObject): void {
  const cols = getTableColumns(obj.table) as Record<string, AnyPgColumn>
  if (!cols.tenantId || !cols.id || !cols.custom)
    throw new Error(`${obj.key}: table needs tenantId, id and custom`)
  CUSTOM_FIELD_OBJECTS.set(obj.key, obj)
}

registerCustomFieldObject({
  key: 'lead',
  label: { 'zh-CN': '线索', 'zh-TW': '線索', en: 'Lead' },
  table: leads,
})
registerCustomFieldObject({
  key: 'user',
  label: { 'zh-CN': '用户', 'zh-TW': '使用者', en: 'User' },
  table: users,
})

registerCustomFieldObject({
  key: 'customer',
  label: { 'zh-CN': '客户', 'zh-TW': '客戶', en: 'Customer' },
  table: customers,
})
registerCustomFieldObject({
  key: 'contact',
  label: { 'zh-CN': '联系人', 'zh-TW': '聯絡人', en: 'Contact' },
  table: contacts,
})
registerCustomFieldObject({
  key: 'opportunity',
  label: { 'zh-CN': '商机', 'zh-TW': '商機', en: 'Opportunity' },
  table: opportunities,
})
registerCustomFieldObject({
  key: 'order',
  label: { 'zh-CN': '订单', 'zh-TW': '訂單', en: 'Order' },
  table: orders,
})
registerCustomFieldObject({
  key: 'product',
  label: { 'zh-CN': '产品', 'zh-TW': '產品', en: 'Product' },
  table: products,
})

export function customFieldObject(key: string): CustomFieldObject | undefined {
  return CUSTOM_FIELD_OBJECTS.get(key)
}

/** The `custom` jsonb column of an object's table. */
export function customColumnOf(table: PgTable): AnyPgColumn {
  return (getTableColumns(table) as Record<string, AnyPgColumn>).custom!
}

export function tenantColumnOf(table: PgTable): AnyPgColumn {
  return (getTableColumns(table) as Record<string, AnyPgColumn>).tenantId!
}

export function idColumnOf(table: PgTable): AnyPgColumn {
  return (getTableColumns(table) as Record<string, AnyPgColumn>).id!
}

/**
 * Names a custom key may not take: the table's columns (property and SQL names), so a custom
 * field can never be confused with a base field in forms, filters, import mapping or export.
 */
export function baseFieldNames(table: PgTable): Set<string> {
  const names = new Set<string>()
  for (const [prop, column] of Object.entries(getTableColumns(table) as Record<string, AnyPgColumn>)) {
    names.add(prop.toLowerCase())
    names.add(column.name)
  }
  return names
}

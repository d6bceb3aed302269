import { sql } from 'drizzle-orm'
import {
  bigint,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, custom, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'
import { ownedRecordKeys } from '../../../platform/db/owned.js'
import { contacts, customers } from '../customers/schema.js'
import { opportunities } from '../opportunities/schema.js'
import { products } from '../products/schema.js'
import { quotes } from '../quotes/schema.js'

/** draft → confirmed → shipped → completed, or refunded / cancelled. */
export const ORDER_STATUSES = ['draft', 'confirmed', 'shipped', 'completed', 'refunded', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]
export const ORDER_SOURCES = ['opportunity', 'direct', 'import', 'ecommerce'] as const

/**
 * The order library (订单库): the top of the pyramid, read later by loyalty, RFM warnings,
 * profiles and reports. Totals are kept equal to the lines; paid/refunded to the payments.
 */
export const orders = pgTable(
  'orders',
  {
    tenantId: tenantId(),
    id: id(),
    number: text('number').notNull(),
    customerId: uuid('customer_id').notNull(),
    contactId: uuid('contact_id'),
    opportunityId: uuid('opportunity_id'),
    quoteId: uuid('quote_id'),
    /** The person identity (profiles, loyalty): the customer's or the contact's. */
    personId: uuid('person_id'),
    source: text('source').$type<(typeof ORDER_SOURCES)[number]>().notNull().default('direct'),
    /** The store's own order number (e-commerce imports): re-importing the same order is a no-op. */
    externalId: text('external_id'),
    channelId: uuid('channel_id'),
    importId: uuid('import_id'),
    status: text('status').$type<OrderStatus>().notNull().default('draft'),
    orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull().defaultNow(),
    currency: text('currency').notNull().default('CNY'),
    /** Minor units: subtotal (lines before discount), discount, total = subtotal − discount + shipping. */
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    shippingFee: bigint('shipping_fee', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    paidTotal: bigint('paid_total', { mode: 'number' }).notNull().default(0),
    refundedTotal: bigint('refunded_total', { mode: 'number' }).notNull().default(0),
    /** When the balance (total − paid + refunded) is due: receivables and overdue alerts. */
    paymentDueDate: date('payment_due_date'),
    shippingAddress: text('shipping_address'),
    regionCode: text('region_code'),
    notes: text('notes'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    custom: custom(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ...ownedRecordKeys('orders', t),
    uniqueIndex('orders_number_key').on(t.tenantId, t.number),
    uniqueIndex('orders_external_key')
      .on(t.tenantId, t.source, t.externalId)
      .where(sql`${t.externalId} is not null`),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }),
    foreignKey({
      columns: [t.tenantId, t.opportunityId],
      foreignColumns: [opportunities.tenantId, opportunities.id],
    }),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [quotes.tenantId, quotes.id] }),
    index('orders_customer_idx').on(t.tenantId, t.customerId, t.orderedAt.desc()),
    index('orders_person_idx').on(t.tenantId, t.personId, t.orderedAt.desc()),
    // Order conditions of profiles (count and amount in a window) read only counted orders, from
    // the index alone.
    index('orders_person_counted_idx')
      .on(t.tenantId, t.personId, t.orderedAt, t.total, t.refundedTotal)
      .where(sql`${t.status} in ('confirmed', 'shipped', 'completed') and ${t.personId} is not null`),
    index('orders_ordered_idx').on(t.tenantId, t.orderedAt),
    index('orders_opportunity_idx')
      .on(t.tenantId, t.opportunityId)
      .where(sql`${t.opportunityId} is not null`),
    index('orders_import_idx').on(t.tenantId, t.importId).where(sql`${t.importId} is not null`),
    index('orders_custom_idx').using('gin', t.custom),
  ],
)

export const orderLines = pgTable(
  'order_lines',
  {
    tenantId: tenantId(),
    id: id(),
    orderId: uuid('order_id').notNull(),
    position: integer('position').notNull().default(0),
    productId: uuid('product_id'),
    sku: text('sku'),
    name: text('name').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3, mode: 'number' }).notNull().default(1),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull().default(0),
    discount: bigint('discount', { mode: 'number' }).notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    index('order_lines_order_idx').on(t.tenantId, t.orderId),
    index('order_lines_product_idx').on(t.tenantId, t.productId),
  ],
)

export const PAYMENT_METHODS = ['bank_transfer', 'wechat_pay', 'alipay', 'cash', 'card', 'other'] as const

/** Payments and refunds of an order (回款 / 退款). Append-only; a mistaken entry is reversed. */
export const orderPayments = pgTable(
  'order_payments',
  {
    tenantId: tenantId(),
    id: id(),
    orderId: uuid('order_id').notNull(),
    kind: text('kind').$type<'payment' | 'refund'>().notNull(),
    /** Positive minor units. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    method: text('method').$type<(typeof PAYMENT_METHODS)[number]>().notNull().default('bank_transfer'),
    paidAt: timestamp('paid_at', { withTimezone: true }).notNull().defaultNow(),
    reference: text('reference'),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete(
      'cascade',
    ),
    index('order_payments_order_idx').on(t.tenantId, t.orderId, t.paidAt),
    index('order_payments_paid_idx').on(t.tenantId, t.paidAt),
  ],
)

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
import { createdAt, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { contacts, customers } from '../customers/schema.js'
import { opportunities } from '../opportunities/schema.js'
import { priceBooks, products } from '../products/schema.js'

export const QUOTE_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'sent',
  'accepted',
  'declined',
  'superseded',
] as const
export type QuoteStatus = (typeof QUOTE_STATUSES)[number]

/**
 * Quotes (报价). A quote number has revisions: revising copies the latest into revision n+1 and
 * marks the old one superseded, so what was sent stays as it was. A discount above the workspace
 * threshold needs approval before the quote can be sent.
 */
export const quotes = pgTable(
  'quotes',
  {
    tenantId: tenantId(),
    id: id(),
    number: text('number').notNull(),
    revision: integer('revision').notNull().default(1),
    title: text('title').notNull(),
    opportunityId: uuid('opportunity_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    contactId: uuid('contact_id'),
    priceBookId: uuid('price_book_id'),
    status: text('status').$type<QuoteStatus>().notNull().default('draft'),
    currency: text('currency').notNull().default('CNY'),
    /** Minor units: sum of list amounts, discounts given, and what the customer pays. */
    subtotal: bigint('subtotal', { mode: 'number' }).notNull().default(0),
    discountTotal: bigint('discount_total', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }).notNull().default(0),
    /** The largest line or overall discount in percent: compared with the approval threshold. */
    maxDiscountPct: numeric('max_discount_pct', { precision: 5, scale: 2, mode: 'number' })
      .notNull()
      .default(0),
    /** Discount on the whole quote (percent), on top of line discounts. */
    headerDiscountPct: numeric('header_discount_pct', { precision: 5, scale: 2, mode: 'number' })
      .notNull()
      .default(0),
    validUntil: date('valid_until'),
    terms: text('terms'),
    notes: text('notes'),
    submittedBy: uuid('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionComment: text('decision_comment'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('quotes_number_revision_key').on(t.tenantId, t.number, t.revision),
    foreignKey({
      columns: [t.tenantId, t.opportunityId],
      foreignColumns: [opportunities.tenantId, opportunities.id],
    }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }),
    foreignKey({
      columns: [t.tenantId, t.priceBookId],
      foreignColumns: [priceBooks.tenantId, priceBooks.id],
    }),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('quotes_opportunity_idx').on(t.tenantId, t.opportunityId),
    index('quotes_customer_idx').on(t.tenantId, t.customerId),
    index('quotes_tenant_created_idx').on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('quotes_status_idx').on(t.tenantId, t.status),
  ],
)

export const quoteLines = pgTable(
  'quote_lines',
  {
    tenantId: tenantId(),
    id: id(),
    quoteId: uuid('quote_id').notNull(),
    position: integer('position').notNull().default(0),
    productId: uuid('product_id'),
    name: text('name').notNull(),
    description: text('description'),
    quantity: numeric('quantity', { precision: 14, scale: 3, mode: 'number' }).notNull().default(1),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull().default(0),
    discountPct: numeric('discount_pct', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.quoteId], foreignColumns: [quotes.tenantId, quotes.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    index('quote_lines_quote_idx').on(t.tenantId, t.quoteId),
  ],
)

import { integer, jsonb, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { updatedAt, version } from '../../platform/db/columns.js'

/** How customers fall into the A–E groups of seed 001 (客单价 × 下单频次) over a window. */
export interface CustomerGroupRule {
  /** Orders counted: completed/confirmed ones in the last N days. */
  windowDays: number
  /** Average order value (minor units) at or above which a customer is "high value"; null = the workspace median. */
  highValue: number | null
  /** Orders in the window at or above which a customer is "frequent"; null = the workspace median (min 2). */
  highFrequency: number | null
}

export interface GroupMedians {
  /** Median average order value and median order count (at least 2) over `windowDays`. */
  value: number | null
  frequency: number
  windowDays: number
  computedAt: string
}

/** Sales settings of a workspace (one row per tenant). */
export const salesSettings = pgTable('sales_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  /** Quotes whose largest discount exceeds this percentage need approval before sending. */
  quoteApprovalDiscountPct: numeric('quote_approval_discount_pct', { precision: 5, scale: 2, mode: 'number' })
    .notNull()
    .default(15),
  quoteValidDays: integer('quote_valid_days').notNull().default(30),
  quoteNumberPrefix: text('quote_number_prefix').notNull().default('Q'),
  orderNumberPrefix: text('order_number_prefix').notNull().default('SO'),
  /** Reasons offered when an opportunity is lost or won. */
  lostReasons: jsonb('lost_reasons').$type<string[]>().notNull().default([]),
  wonReasons: jsonb('won_reasons').$type<string[]>().notNull().default([]),
  customerGroups: jsonb('customer_groups')
    .$type<CustomerGroupRule>()
    .notNull()
    .default({ windowDays: 365, highValue: null, highFrequency: null }),
  /**
   * The workspace medians the last full A–E run used for null thresholds: recomputing one
   * customer after an order changed uses them instead of aggregating every order again.
   */
  groupMedians: jsonb('group_medians').$type<GroupMedians | null>(),
  updatedAt: updatedAt(),
  version: version(),
})

/** Gap-free document numbers per workspace and key ('quote:2026', 'order:2026'): one row per counter. */
export const salesCounters = pgTable(
  'sales_counters',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    value: integer('value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
)

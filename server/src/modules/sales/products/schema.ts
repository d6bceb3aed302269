import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, custom, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'

/** The product catalogue (产品目录). Prices in minor units (分). Workspace-wide configuration. */
export const products = pgTable(
  'products',
  {
    tenantId: tenantId(),
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    category: text('category'),
    /** Unit of sale: 件, 套, 年… */
    unit: text('unit'),
    listPrice: bigint('list_price', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    description: text('description'),
    active: boolean('active').notNull().default(true),
    custom: custom(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('products_code_key').on(t.tenantId, t.code),
    index('products_category_idx').on(t.tenantId, t.category),
  ],
)

/** Price books (价格表): per channel, region or customer level; one is the default. */
export const priceBooks = pgTable(
  'price_books',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    currency: text('currency').notNull().default('CNY'),
    isDefault: boolean('is_default').notNull().default(false),
    active: boolean('active').notNull().default(true),
    validFrom: date('valid_from'),
    validTo: date('valid_to'),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('price_books_name_key').on(t.tenantId, t.name),
  ],
)

export const priceBookEntries = pgTable(
  'price_book_entries',
  {
    tenantId: tenantId(),
    priceBookId: uuid('price_book_id').notNull(),
    productId: uuid('product_id').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.priceBookId, t.productId] }),
    foreignKey({
      columns: [t.tenantId, t.priceBookId],
      foreignColumns: [priceBooks.tenantId, priceBooks.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.productId],
      foreignColumns: [products.tenantId, products.id],
    }).onDelete('cascade'),
  ],
)

/** Competitors (竞争对手), tracked per opportunity. */
export const competitors = pgTable(
  'competitors',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    website: text('website'),
    strengths: text('strengths'),
    weaknesses: text('weaknesses'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('competitors_name_key').on(t.tenantId, t.name),
  ],
)

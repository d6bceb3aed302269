import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository, isUuid } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { validateCustomValues } from '../../../platform/custom-fields/validate.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, conflict, type FieldError, validationFailed } from '../../../platform/http/errors.js'
import './messages.js'
import { competitors, priceBookEntries, priceBooks, products } from './schema.js'

/** The product catalogue, price books and competitors: workspace configuration, no data scope. */
export const productsRepo = createRepository({
  table: products,
  objectType: 'product',
  label: (r) => `${r.code} ${r.name}`,
  sortable: ['createdAt', 'updatedAt', 'code', 'name', 'listPrice'],
})
export const priceBooksRepo = createRepository({
  table: priceBooks,
  objectType: 'price_book',
  sortable: ['createdAt', 'name'],
})
export const competitorsRepo = createRepository({
  table: competitors,
  objectType: 'competitor',
  sortable: ['createdAt', 'name'],
})

export type Product = typeof products.$inferSelect
export type PriceBook = typeof priceBooks.$inferSelect
type Row = Record<string, unknown>

export interface ProductInput {
  code: string
  name: string
  category?: string | null
  unit?: string | null
  listPrice?: number
  currency?: string
  description?: string | null
  active?: boolean
  custom?: Record<string, unknown>
}

/** A taken product code is a 409 naming the code (the repository's generic duplicate names the field only). */
function codeTaken(code: string) {
  return (err: unknown): never => {
    if (err instanceof AppError && err.code === 'duplicate' && err.params.field === 'code')
      throw new AppError(409, 'product_code_taken', { code }, [{ field: 'code', code: 'not_unique' }])
    throw err
  }
}

async function customOf(ctx: Ctx, input: unknown, current?: Row) {
  return validateCustomValues(ctx, 'product', input ?? {}, {
    existing: current ? (current.custom as Row) : undefined,
    recordId: current?.id as string | undefined,
  })
}

export async function createProduct(ctx: Ctx, input: ProductInput) {
  return inTransaction(ctx, async (tx) => {
    const custom = await customOf(tx, input.custom)
    const [row] = await productsRepo
      .insert(tx, [{ ...input, code: input.code.trim(), custom }])
      .catch(codeTaken(input.code.trim()))
    return row!
  })
}

export async function updateProduct(
  ctx: Ctx,
  id: string,
  patch: Partial<ProductInput> & { version?: number },
) {
  return inTransaction(ctx, async (tx) => {
    const { version, custom, ...fields } = patch
    const current = await productsRepo.get(tx, id, { raw: true, forUpdate: true })
    if (version !== undefined && current.version !== version) throw conflict(current)
    const values: Row = { ...fields }
    if (fields.code !== undefined) values.code = fields.code.trim()
    if (custom !== undefined) values.custom = await customOf(tx, custom, current)
    return productsRepo.update(tx, id, values).catch(codeTaken(String(values.code ?? current.code)))
  })
}

export interface PriceBookInput {
  name: string
  currency?: string
  isDefault?: boolean
  active?: boolean
  validFrom?: string | null
  validTo?: string | null
  description?: string | null
}

function checkValidity(input: Partial<PriceBookInput>, current?: Row) {
  const from = input.validFrom === undefined ? current?.validFrom : input.validFrom
  const to = input.validTo === undefined ? current?.validTo : input.validTo
  if (from && to && String(from) > String(to))
    throw validationFailed([{ field: 'validTo', code: 'invalid_value' }])
}

/** Only one default price book: making one the default clears the flag of the others. */
async function clearOtherDefaultBooks(ctx: Ctx, keep: string | null) {
  const others = await ctx.db
    .select({ id: priceBooks.id })
    .from(priceBooks)
    .where(
      and(
        priceBooksRepo.visible(ctx),
        eq(priceBooks.isDefault, true),
        keep ? ne(priceBooks.id, keep) : undefined,
      ),
    )
  for (const o of others) await priceBooksRepo.update(ctx, o.id, { isDefault: false })
}

export async function createPriceBook(ctx: Ctx, input: PriceBookInput) {
  checkValidity(input)
  return inTransaction(ctx, async (tx) => {
    if (input.isDefault) await clearOtherDefaultBooks(tx, null)
    const [row] = await priceBooksRepo.insert(tx, [{ ...input }])
    return row!
  })
}

export async function updatePriceBook(
  ctx: Ctx,
  id: string,
  patch: Partial<PriceBookInput> & { version?: number },
) {
  return inTransaction(ctx, async (tx) => {
    const { version, ...fields } = patch
    const current = await priceBooksRepo.get(tx, id, { raw: true, forUpdate: true })
    if (version !== undefined && current.version !== version) throw conflict(current)
    checkValidity(fields, current)
    if (fields.isDefault && !current.isDefault) await clearOtherDefaultBooks(tx, id)
    return priceBooksRepo.update(tx, id, fields)
  })
}

export interface PriceBookEntry {
  productId: string
  unitPrice: number
}

export async function priceBookEntriesOf(ctx: Ctx, priceBookId: string) {
  return ctx.db
    .select({
      productId: priceBookEntries.productId,
      unitPrice: priceBookEntries.unitPrice,
      code: products.code,
      name: products.name,
      listPrice: products.listPrice,
    })
    .from(priceBookEntries)
    .innerJoin(
      products,
      and(eq(products.tenantId, priceBookEntries.tenantId), eq(products.id, priceBookEntries.productId)),
    )
    .where(
      and(eq(priceBookEntries.tenantId, ctx.actor.tenantId), eq(priceBookEntries.priceBookId, priceBookId)),
    )
    .orderBy(asc(products.code))
}

/**
 * Field errors for a list of references (`<list>[i].<key>`): unknown ones (`code`) and repeats
 * (`not_unique`) — one entry per referenced record.
 */
export function checkRefs<T extends Record<K, string>, K extends string>(
  list: T[],
  listName: string,
  key: K,
  exists: (id: string) => boolean,
  code: string,
): FieldError[] {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  for (const [i, item] of list.entries()) {
    const id = item[key]
    if (!exists(id)) errors.push({ field: `${listName}[${i}].${key}`, code })
    else if (seen.has(id)) errors.push({ field: `${listName}[${i}].${key}`, code: 'not_unique' })
    seen.add(id)
  }
  return errors
}

/** Products among `ids` that exist in the workspace (active only when `activeOnly`). */
export async function existingProducts(
  ctx: Ctx,
  ids: string[],
  activeOnly = false,
): Promise<Map<string, Product>> {
  const valid = [...new Set(ids.filter(isUuid))]
  if (valid.length === 0) return new Map()
  const rows = (await ctx.db
    .select()
    .from(products)
    .where(
      and(
        productsRepo.visible(ctx),
        inArray(products.id, valid),
        activeOnly ? eq(products.active, true) : undefined,
      ),
    )) as Product[]
  return new Map(rows.map((p) => [p.id, p]))
}

/**
 * Replaces a price book's entries (one price per product). The change is audited on the price
 * book with the entries before and after; its version moves on.
 */
export async function replacePriceBookEntries(ctx: Ctx, id: string, entries: PriceBookEntry[]) {
  return inTransaction(ctx, async (tx) => {
    await priceBooksRepo.get(tx, id, { raw: true, forUpdate: true })
    const known = await existingProducts(
      tx,
      entries.map((e) => e.productId),
    )
    const errors = checkRefs(entries, 'entries', 'productId', (id) => known.has(id), 'invalid_product')
    if (errors.length) throw validationFailed(errors)
    const before = await priceBookEntriesOf(tx, id)
    await tx.db
      .delete(priceBookEntries)
      .where(and(eq(priceBookEntries.tenantId, tx.actor.tenantId), eq(priceBookEntries.priceBookId, id)))
    if (entries.length)
      await tx.db
        .insert(priceBookEntries)
        .values(entries.map((e) => ({ tenantId: tx.actor.tenantId, priceBookId: id, ...e })))
    const book = await priceBooksRepo.update(tx, id, {})
    const pick = (list: PriceBookEntry[]) =>
      list.map((e) => ({ productId: e.productId, unitPrice: e.unitPrice }))
    await writeAudit(tx, [
      {
        action: 'update',
        objectType: 'price_book',
        objectId: id,
        summary: String(book.name),
        before: { entries: pick(before) },
        after: { entries: pick(entries) },
      },
    ])
    return { ...book, entries: await priceBookEntriesOf(tx, id) }
  })
}

/** The workspace's default price book (active), if any; the latest changed wins should two claim it. */
export async function defaultPriceBook(ctx: Ctx): Promise<PriceBook | null> {
  const [row] = await ctx.db
    .select()
    .from(priceBooks)
    .where(and(priceBooksRepo.visible(ctx), eq(priceBooks.isDefault, true), eq(priceBooks.active, true)))
    .orderBy(desc(priceBooks.updatedAt))
    .limit(1)
  return (row as PriceBook) ?? null
}

/** An active price book of the workspace, or null. */
export async function activePriceBook(ctx: Ctx, id: string): Promise<PriceBook | null> {
  if (!isUuid(id)) return null
  const [row] = await ctx.db
    .select()
    .from(priceBooks)
    .where(and(priceBooksRepo.visible(ctx), eq(priceBooks.id, id), eq(priceBooks.active, true)))
  return (row as PriceBook) ?? null
}

/**
 * Unit prices of products from a price book (the given one, else the default one), falling back
 * to each product's list price when the book has no entry for it.
 */
export async function unitPrices(
  ctx: Ctx,
  priceBookId: string | null,
  productIds: string[],
): Promise<Map<string, number>> {
  const ids = [...new Set(productIds.filter(isUuid))]
  if (ids.length === 0) return new Map()
  const book = priceBookId ?? (await defaultPriceBook(ctx))?.id ?? null
  const rows = await ctx.db
    .select({
      id: products.id,
      price: book
        ? sql<number>`coalesce((select ${priceBookEntries.unitPrice} from ${priceBookEntries}
            where ${priceBookEntries.tenantId} = ${products.tenantId} and ${priceBookEntries.productId} = ${products.id}
              and ${priceBookEntries.priceBookId} = ${book}), ${products.listPrice})`.mapWith(Number)
        : products.listPrice,
    })
    .from(products)
    .where(and(productsRepo.visible(ctx), inArray(products.id, ids)))
  return new Map(rows.map((r) => [r.id, Number(r.price)]))
}

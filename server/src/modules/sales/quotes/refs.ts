/**
 * Reads of the sales records quotes and orders refer to (opportunities, customers, contacts,
 * products, price books): scoped records through their modules' repositories (what the caller
 * cannot see is 404, as everywhere), catalogue rows by tenant. Shared by quotes and orders.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { type FieldError, notFound } from '../../../platform/http/errors.js'
import { tenants } from '../../../platform/tenancy/schema.js'
import { customersRepo } from '../customers/repo.js'
import { contacts, customers } from '../customers/schema.js'
import type { opportunities } from '../opportunities/schema.js'
import { opportunitiesRepo } from '../opportunities/service.js'
import { priceBookEntries, priceBooks, products } from '../products/schema.js'

export type Opportunity = typeof opportunities.$inferSelect
export type Customer = typeof customers.$inferSelect
export type Contact = typeof contacts.$inferSelect

/** An opportunity the caller can see (404 otherwise), optionally locked. */
export const visibleOpportunity = async (ctx: Ctx, id: string, forUpdate = false) =>
  (await opportunitiesRepo.get(ctx, id, { raw: true, forUpdate })) as Opportunity
/**
 * A customer the caller can see (404 otherwise). `through` names a record the caller can see
 * that authorises the customer instead (an order made from a visible opportunity): then the
 * customer's own scope is not applied.
 */
export async function visibleCustomer(ctx: Ctx, id: string, through?: 'opportunity'): Promise<Customer> {
  if (!through) return (await customersRepo.get(ctx, id, { raw: true })) as Customer
  const page = await customersRepo.list(ctx, { where: eq(customers.id, id), limit: 1, bypassScope: true })
  if (!page.items[0]) throw notFound()
  return page.items[0] as Customer
}

/** The customer's contact, or a field error: a contact of another customer is not accepted. */
export async function contactOf(
  ctx: Ctx,
  customerId: string,
  contactId: string | null | undefined,
  errors: FieldError[],
): Promise<Contact | null> {
  if (!contactId) return null
  const [row] = isUuid(contactId)
    ? await ctx.db
        .select()
        .from(contacts)
        .where(
          and(
            eq(contacts.tenantId, ctx.actor.tenantId),
            eq(contacts.id, contactId),
            eq(contacts.customerId, customerId),
          ),
        )
    : []
  if (!row) errors.push({ field: 'contactId', code: 'invalid_contact' })
  return row ?? null
}

export interface CatalogLine {
  productId?: string | null
  name?: string | null
  unitPrice?: number | null
}

/**
 * Fills what a line leaves out from the catalogue: the product's name (and code), and its unit
 * price from the price book (the given one, else the opportunity's, else the workspace default)
 * or the product's list price. Unknown products are field errors `<prefix>[i].productId`.
 */
export async function fromCatalog<L extends CatalogLine>(
  ctx: Ctx,
  lines: L[],
  priceBookId: string | null,
  errors: FieldError[],
  prefix = 'lines',
): Promise<(L & { name: string; unitPrice: number; productCode: string | null })[]> {
  const ids = [...new Set(lines.map((l) => l.productId).filter((p): p is string => !!p && isUuid(p)))]
  const t = ctx.actor.tenantId
  const found = ids.length
    ? await ctx.db
        .select({
          id: products.id,
          code: products.code,
          name: products.name,
          listPrice: products.listPrice,
          bookPrice: priceBookEntries.unitPrice,
        })
        .from(products)
        .leftJoin(
          priceBookEntries,
          and(
            eq(priceBookEntries.tenantId, products.tenantId),
            eq(priceBookEntries.productId, products.id),
            priceBookId
              ? eq(priceBookEntries.priceBookId, priceBookId)
              : sql`${priceBookEntries.priceBookId} = (select ${priceBooks.id} from ${priceBooks} where ${priceBooks.tenantId} = ${t} and ${priceBooks.isDefault} and ${priceBooks.active} limit 1)`,
          ),
        )
        .where(and(eq(products.tenantId, t), inArray(products.id, ids)))
    : []
  const byId = new Map(found.map((p) => [p.id, p]))
  return lines.map((l, i) => {
    const p = l.productId ? byId.get(l.productId) : undefined
    if (l.productId && !p) errors.push({ field: `${prefix}[${i}].productId`, code: 'invalid_product' })
    const name = l.name?.trim() || p?.name || ''
    if (!name && (p || !l.productId)) errors.push({ field: `${prefix}[${i}].name`, code: 'required' })
    return {
      ...l,
      name,
      unitPrice: l.unitPrice ?? p?.bookPrice ?? p?.listPrice ?? 0,
      productCode: p?.code ?? null,
    }
  })
}

/** A price book of the workspace, or a field error. */
export async function checkPriceBook(ctx: Ctx, id: string | null | undefined, errors: FieldError[]) {
  if (!id) return
  const [row] = isUuid(id)
    ? await ctx.db
        .select({ id: priceBooks.id })
        .from(priceBooks)
        .where(and(eq(priceBooks.tenantId, ctx.actor.tenantId), eq(priceBooks.id, id)))
    : []
  if (!row) errors.push({ field: 'priceBookId', code: 'invalid_price_book' })
}

/** The workspace's name, time zone and today's date there (validity, overdue days, print). */
export async function workspaceToday(ctx: Ctx): Promise<{ name: string; timezone: string; today: string }> {
  const [row] = await ctx.db
    .select({
      name: tenants.name,
      timezone: tenants.timezone,
      today: sql<string>`to_char(now() at time zone ${tenants.timezone}, 'YYYY-MM-DD')`,
    })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  return row ?? { name: '', timezone: 'Asia/Shanghai', today: new Date().toISOString().slice(0, 10) }
}

/** `date` + `days` as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

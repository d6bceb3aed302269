import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository } from '../../../platform/access/data-access.js'
import { customMasker, validateCustomValues } from '../../../platform/custom-fields/validate.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { placeRecord } from '../../../platform/org/placement.js'
import { users } from '../../../platform/org/schema.js'
import { contacts, customers } from '../customers/schema.js'
import { nextNumber } from '../numbers.js'
import { opportunities } from '../opportunities/schema.js'
import { contactOf, fromCatalog, visibleCustomer, visibleOpportunity } from '../quotes/refs.js'
import { quotesRepo } from '../quotes/service.js'
import { checkVersion, salesError } from '../quotes/transition.js'
import { getSalesSettings } from '../settings.service.js'
import { refreshCustomerTotals } from './customer-totals.js'
import './messages.js'
import { orderLines, orderPayments, orders } from './schema.js'
import { moneyText, type OrderAmountsInput, type OrderLineInput, orderTotals } from './totals.js'

export const ordersRepo = createRepository({
  table: orders,
  objectType: 'order',
  scope: { owner: orders.ownerId, unit: orders.unitId, org: orders.orgId },
  sortable: ['createdAt', 'updatedAt', 'orderedAt', 'total', 'number'],
  label: (r) => String(r.number),
  dependents: [
    { table: orderLines, column: orderLines.orderId },
    { table: orderPayments, column: orderPayments.orderId },
  ],
})

export type Order = typeof orders.$inferSelect
export type OrderLine = typeof orderLines.$inferSelect

export interface OrderLineIn extends Omit<OrderLineInput, 'name' | 'unitPrice'> {
  /** Defaults to the product's name. */
  name?: string | null
  /** Defaults from the default price book or the product's list price. */
  unitPrice?: number | null
}

export interface OrderInput extends OrderAmountsInput {
  customerId: string
  contactId?: string | null
  opportunityId?: string | null
  quoteId?: string | null
  orderedAt?: string | Date | null
  lines: OrderLineIn[]
  paymentDueDate?: string | null
  shippingAddress?: string | null
  regionCode?: string | null
  notes?: string | null
  currency?: string
  ownerId?: string | null
  unitId?: string
  custom?: Record<string, unknown>
}

/** Lines completed from the catalogue (name, sku, price) and priced with the order's amounts. */
async function priceOrder(ctx: Ctx, lines: OrderLineIn[], amounts: OrderAmountsInput, errors: FieldError[]) {
  const filled = await fromCatalog(ctx, lines, null, errors)
  if (errors.length) throw validationFailed(errors)
  return orderTotals(
    filled.map((l) => ({ ...l, sku: l.sku ?? l.productCode })),
    amounts,
  )
}

async function writeLines(ctx: Ctx, orderId: string, lines: ReturnType<typeof orderTotals>['lines']) {
  const t = ctx.actor.tenantId
  await ctx.db.delete(orderLines).where(and(eq(orderLines.tenantId, t), eq(orderLines.orderId, orderId)))
  if (lines.length)
    await ctx.db.insert(orderLines).values(
      lines.map((l) => ({
        tenantId: t,
        orderId,
        position: l.position,
        productId: l.productId ?? null,
        sku: l.sku ?? null,
        name: l.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discount: l.discount,
        amount: l.amount,
      })),
    )
}

/** The opportunity and quote an order refers to must be the customer's. */
async function checkOrigin(ctx: Ctx, input: OrderInput, errors: FieldError[]) {
  if (input.opportunityId) {
    const opp = await visibleOpportunity(ctx, input.opportunityId).catch(() => null)
    if (!opp || opp.customerId !== input.customerId)
      errors.push({ field: 'opportunityId', code: 'invalid_opportunity' })
  }
  if (input.quoteId) {
    const [q] = await quotesRepo.findMany(ctx, [input.quoteId]).catch(() => [])
    if (
      !q ||
      q.customerId !== input.customerId ||
      (input.opportunityId && q.opportunityId !== input.opportunityId)
    )
      errors.push({ field: 'quoteId', code: 'invalid_quote' })
  }
}

export interface CreateOrderOptions {
  source?: 'direct' | 'opportunity'
  /** Scope to copy (an order made from an opportunity lives where the opportunity lives). */
  scope?: { ownerId: string | null; unitId: string; orgId: string }
}

/**
 * A draft order for a customer the caller can see: lines completed from the catalogue, amounts
 * checked (422 order_totals naming each one that does not add up), placed in the caller's scope
 * (owner default: the caller) unless a scope is given, the person taken from the customer or
 * contact, numbered from the workspace's order counter.
 */
export async function createOrder(ctx: Ctx, input: OrderInput, opts: CreateOrderOptions = {}) {
  return inTransaction(ctx, async (tx) => {
    const customer = await visibleCustomer(tx, input.customerId, opts.scope ? 'opportunity' : undefined)
    const errors: FieldError[] = []
    const contact = await contactOf(tx, customer.id, input.contactId, errors)
    // An order made from an opportunity got its origin from it; a direct one is checked.
    if (!opts.scope) await checkOrigin(tx, input, errors)
    const ownerId =
      input.ownerId === undefined
        ? tx.actor.type === 'user'
          ? tx.actor.id
          : customer.ownerId
        : input.ownerId
    const place = opts.scope ?? (await placeRecord(tx, ownerId, input.unitId, errors, ''))
    const custom = await validateCustomValues(tx, 'order', input.custom ?? {}).catch((err) => {
      errors.push(...(err.fields ?? []))
      return {}
    })
    const priced = await priceOrder(tx, input.lines, input, errors)
    if (errors.length || !place) throw validationFailed(errors)
    const settings = await getSalesSettings(tx)
    const [order] = await ordersRepo.insert(tx, [
      {
        number: await nextNumber(tx, 'order', settings.orderNumberPrefix),
        customerId: customer.id,
        contactId: contact?.id ?? null,
        opportunityId: input.opportunityId ?? null,
        quoteId: input.quoteId ?? null,
        personId: customer.personId ?? contact?.personId ?? null,
        source: opts.source ?? 'direct',
        status: 'draft',
        ...(input.orderedAt ? { orderedAt: new Date(input.orderedAt) } : {}),
        currency: input.currency ?? 'CNY',
        subtotal: priced.subtotal,
        discountTotal: priced.discountTotal,
        shippingFee: priced.shippingFee,
        total: priced.total,
        paymentDueDate: input.paymentDueDate ?? null,
        shippingAddress: input.shippingAddress ?? null,
        regionCode: input.regionCode ?? null,
        notes: input.notes ?? null,
        ownerId: opts.scope ? opts.scope.ownerId : ownerId,
        ...place,
        custom,
        createdBy: tx.actor.id,
      },
    ])
    await writeLines(tx, String(order!.id), priced.lines)
    return loadOrder(tx, String(order!.id))
  })
}

/** What can change once an order is confirmed: everything but its lines and amounts. */
const ALWAYS_EDITABLE = ['contactId', 'paymentDueDate', 'shippingAddress', 'regionCode', 'notes', 'custom']

export type OrderPatch = Partial<Omit<OrderInput, 'customerId' | 'opportunityId' | 'quoteId'>> & {
  version: number
}

/**
 * Changes an order (send version; stale → 409). Lines and amounts only while it is a draft (409
 * order_locked after), and never below what was paid net; notes, due date, address, contact and
 * custom fields at any time.
 */
export async function updateOrder(ctx: Ctx, id: string, patch: OrderPatch) {
  return inTransaction(ctx, async (tx) => {
    const current = (await ordersRepo.get(tx, id, { raw: true, forUpdate: true })) as Order
    checkVersion(tx, ordersRepo, current, patch.version)
    const {
      version: _v,
      lines,
      custom,
      headerDiscount,
      discountTotal,
      subtotal,
      total,
      shippingFee,
      ...fields
    } = patch
    const amounts = { headerDiscount, discountTotal, subtotal, total, shippingFee }
    const touchesAmounts = lines !== undefined || Object.values(amounts).some((v) => v !== undefined)
    const other = Object.keys(fields).filter((k) => !ALWAYS_EDITABLE.includes(k))
    if (current.status !== 'draft' && (touchesAmounts || other.length))
      throw salesError(409, 'order_locked', { status: current.status })
    const errors: FieldError[] = []
    if (fields.contactId !== undefined) await contactOf(tx, current.customerId, fields.contactId, errors)
    if (fields.ownerId !== undefined || fields.unitId !== undefined) {
      const place = await placeRecord(
        tx,
        fields.ownerId === undefined ? current.ownerId : fields.ownerId,
        fields.unitId,
        errors,
        '',
      )
      if (place) Object.assign(fields, place)
    }
    const nextCustom =
      custom === undefined
        ? undefined
        : await validateCustomValues(tx, 'order', custom, { existing: current.custom, recordId: id }).catch(
            (err) => {
              errors.push(...(err.fields ?? []))
              return undefined
            },
          )
    let money = {}
    if (touchesAmounts) {
      const stored = await linesOf(tx, id)
      // The order-level discount stays as it was unless the client sends one (or the discount total).
      const currentHeader = current.discountTotal - stored.reduce((s, l) => s + l.discount, 0)
      const priced = await priceOrder(
        tx,
        lines ?? stored,
        {
          shippingFee: shippingFee ?? current.shippingFee,
          headerDiscount: headerDiscount ?? (discountTotal == null ? currentHeader : undefined),
          discountTotal,
          subtotal,
          total,
        },
        errors,
      )
      const netPaid = current.paidTotal - current.refundedTotal
      if (priced.total < netPaid)
        throw salesError(422, 'order_totals', {}, [
          { field: 'total', code: 'below_paid', params: { min: netPaid, minText: moneyText(netPaid) } },
        ])
      if (lines) await writeLines(tx, id, priced.lines)
      money = {
        subtotal: priced.subtotal,
        discountTotal: priced.discountTotal,
        shippingFee: priced.shippingFee,
        total: priced.total,
      }
    }
    if (errors.length) throw validationFailed(errors)
    const { orderedAt, ...rest } = fields
    await ordersRepo.update(tx, id, {
      ...rest,
      ...(orderedAt ? { orderedAt: new Date(orderedAt) } : {}),
      ...money,
      ...(nextCustom ? { custom: nextCustom } : {}),
    })
    return loadOrder(tx, id)
  })
}

/** Deletes a draft or cancelled order that received no payment (to the recycle bin). */
export async function deleteOrder(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const current = (await ordersRepo.get(tx, id, { raw: true, forUpdate: true })) as Order
    if (!['draft', 'cancelled'].includes(current.status) || current.paidTotal > 0)
      throw salesError(409, 'order_not_deletable', { status: current.status })
    const n = await ordersRepo.remove(tx, [id])
    await refreshCustomerTotals(tx, [current.customerId])
    return n
  })
}

export async function linesOf(ctx: Ctx, orderId: string): Promise<OrderLine[]> {
  return ctx.db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, ctx.actor.tenantId), eq(orderLines.orderId, orderId)))
    .orderBy(asc(orderLines.position))
}

/** Open balance: what the customer still owes. */
export const balanceOf = (o: Pick<Order, 'total' | 'paidTotal' | 'refundedTotal'>) =>
  o.total - o.paidTotal + o.refundedTotal

/** One order as the API shows it: lines, names around it, balance, custom fields masked. */
export async function loadOrder(ctx: Ctx, id: string) {
  const order = (await ordersRepo.get(ctx, id)) as Order
  const t = ctx.actor.tenantId
  const [names] = await ctx.db
    .select({ customerName: customers.name, contactName: contacts.name, opportunityName: opportunities.name })
    .from(customers)
    .leftJoin(contacts, and(eq(contacts.tenantId, t), eq(contacts.id, sql`${order.contactId}::uuid`)))
    .leftJoin(
      opportunities,
      and(eq(opportunities.tenantId, t), eq(opportunities.id, sql`${order.opportunityId}::uuid`)),
    )
    .where(and(eq(customers.tenantId, t), eq(customers.id, order.customerId)))
  const lines = await linesOf(ctx, id)
  const mask = await customMasker(ctx, 'order')
  return {
    ...order,
    custom: mask(order.custom),
    customerName: names?.customerName ?? null,
    contactName: names?.contactName ?? null,
    opportunityName: names?.opportunityName ?? null,
    headerDiscount: order.discountTotal - lines.reduce((s, l) => s + l.discount, 0),
    balance: balanceOf(order),
    lines,
  }
}
export type OrderDetail = Awaited<ReturnType<typeof loadOrder>>

/**
 * A page of orders with the names a list shows (customer, owner): one query for the whole page,
 * customers and users together.
 */
export async function withListNames<T extends Pick<Order, 'customerId' | 'ownerId'>>(ctx: Ctx, items: T[]) {
  if (!items.length) return []
  const t = ctx.actor.tenantId
  const customerIds = [...new Set(items.map((o) => o.customerId))]
  const ownerIds = [...new Set(items.map((o) => o.ownerId).filter((id): id is string => !!id))]
  const rows = await ctx.db
    .select({ kind: sql<string>`'customer'`, id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.tenantId, t), inArray(customers.id, customerIds)))
    .unionAll(
      ctx.db
        .select({ kind: sql<string>`'user'`, id: users.id, name: users.name })
        .from(users)
        .where(and(eq(users.tenantId, t), inArray(users.id, ownerIds))),
    )
  const name = new Map(rows.map((r) => [`${r.kind}:${r.id}`, r.name]))
  return items.map((o) => ({
    ...o,
    customerName: name.get(`customer:${o.customerId}`) ?? null,
    ownerName: o.ownerId ? (name.get(`user:${o.ownerId}`) ?? null) : null,
  }))
}

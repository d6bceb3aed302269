import { and, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { ctxOf } from '../../../platform/http/context.js'
import { exportQuerySchema, listExport, sendDownload } from '../../../platform/http/list-export.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { registerRecordRoutes } from '../quotes/record-routes.js'
import { ORDER_EXPORT } from './export.js'
import { orderFromOpportunity } from './from-opportunity.service.js'
import { registerOrderImportRoutes } from './import/import.routes.js'
import { listPayments, recordPayment } from './payments.service.js'
import { listReceivables } from './receivables.service.js'
import { ORDER_STATUSES, orders, PAYMENT_METHODS } from './schema.js'
import {
  createOrder,
  deleteOrder,
  loadOrder,
  type Order,
  ordersRepo,
  updateOrder,
  withListNames,
} from './service.js'
import { setOrderStatus } from './status.service.js'

const tags = ['orders']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const minor = z.number().int().min(0).max(1e14)

const lineIn = z.object({
  productId: z.string().uuid().nullable().optional(),
  sku: text(100),
  name: z.string().trim().max(200).nullable().optional().describe('Defaults to the product name'),
  quantity: z.number().positive().max(1e9),
  unitPrice: minor.nullable().optional().describe('Minor units (分); defaults to the product price'),
  discount: minor.optional().describe('Discount on the line, minor units'),
  amount: minor.nullable().optional().describe('When sent, must equal quantity × unitPrice − discount'),
})
const amountsIn = {
  shippingFee: minor.optional(),
  headerDiscount: minor.nullable().optional().describe('Order-level discount on top of line discounts'),
  discountTotal: minor
    .nullable()
    .optional()
    .describe('When sent: Σ line discounts + header discount (the header discount is derived from it)'),
  subtotal: minor.nullable().optional().describe('When sent, must equal Σ line gross'),
  total: minor.nullable().optional().describe('When sent, must equal subtotal − discountTotal + shippingFee'),
}
const orderIn = z.object({
  customerId: z.string().uuid(),
  contactId: z.string().uuid().nullable().optional(),
  opportunityId: z.string().uuid().nullable().optional(),
  quoteId: z.string().uuid().nullable().optional(),
  orderedAt: time.nullable().optional(),
  lines: z.array(lineIn).max(1000),
  ...amountsIn,
  paymentDueDate: day.nullable().optional(),
  shippingAddress: text(500),
  regionCode: text(12),
  notes: text(5000),
  ownerId: z.string().uuid().nullable().optional(),
  unitId: z.string().uuid().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
})
const orderOut = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  contactId: z.string().nullable(),
  opportunityId: z.string().nullable(),
  quoteId: z.string().nullable(),
  personId: z.string().nullable(),
  source: z.string(),
  externalId: z.string().nullable(),
  importId: z.string().nullable(),
  status: z.string(),
  orderedAt: time,
  currency: z.string(),
  subtotal: z.number(),
  discountTotal: z.number(),
  shippingFee: z.number(),
  total: z.number(),
  paidTotal: z.number(),
  refundedTotal: z.number(),
  paymentDueDate: z.string().nullable(),
  shippingAddress: z.string().nullable(),
  regionCode: z.string().nullable(),
  notes: z.string().nullable(),
  confirmedAt: time.nullable(),
  shippedAt: time.nullable(),
  completedAt: time.nullable(),
  cancelledAt: time.nullable(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  custom: z.record(z.string(), z.unknown()),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
type OrderOut = z.infer<typeof orderOut>
/** A list row: the order with the names a list shows. */
const listItemOut = orderOut.extend({ customerName: z.string().nullable(), ownerName: z.string().nullable() })
const detailOut = orderOut.extend({
  customerName: z.string().nullable(),
  contactName: z.string().nullable(),
  opportunityName: z.string().nullable(),
  headerDiscount: z.number(),
  balance: z.number(),
  lines: z.array(
    z.object({
      id: z.string(),
      position: z.number(),
      productId: z.string().nullable(),
      sku: z.string().nullable(),
      name: z.string(),
      quantity: z.number(),
      unitPrice: z.number(),
      discount: z.number(),
      amount: z.number(),
    }),
  ),
})
const paymentOut = z.object({
  id: z.string(),
  orderId: z.string(),
  kind: z.string(),
  amount: z.number(),
  method: z.string(),
  paidAt: time,
  reference: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: time,
})

/** `q`: the order number or the store's external id containing the text. */
function orderSearch(q: unknown) {
  if (typeof q !== 'string' || q === '') return undefined
  return sql`(${orders.number} ilike ${`%${q}%`} or ${orders.externalId} ilike ${`%${q}%`})`
}

/** The order list's condition and sort (shared by the list and its export). */
async function orderListQuery(ctx: Ctx, query: { filter?: string; sort?: string; q?: string }) {
  const built = await buildListQuery(query, {
    columns: {
      number: orders.number,
      externalId: orders.externalId,
      status: orders.status,
      source: orders.source,
      customerId: orders.customerId,
      opportunityId: orders.opportunityId,
      ownerId: orders.ownerId,
      unitId: orders.unitId,
      importId: orders.importId,
      orderedAt: orders.orderedAt,
      total: orders.total,
      paymentDueDate: orders.paymentDueDate,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
    },
    sortable: ['createdAt', 'updatedAt', 'orderedAt', 'total', 'number'],
    object: 'order',
    ctx,
    // The web sends q inside ?filter, integrations as ?q=: both search the number and external id.
    extra: { q: orderSearch },
  })
  return { where: and(built.where, orderSearch(query.q)), sort: built.sort }
}

/** The order library (订单库): orders, their states, payments and refunds, receivables, the import. */
export const ordersModule: HainaModule = {
  name: 'orders',
  async routes(app, deps) {
    app.get(
      '/api/v1/orders',
      {
        config: { permission: 'orders.view' },
        schema: {
          tags,
          summary:
            'Orders in the caller’s scope, each with customerName and ownerName (filters: q [number / external id], status, source, customerId, opportunityId, ownerId, unitId, orderedAt, total, paymentDueDate, createdAt, importId, custom.<key>; sort createdAt|updatedAt|orderedAt|total|number)',
          querystring: listQuerySchema.extend({ q: z.string().max(100).optional() }),
          response: { 200: z.object({ items: z.array(listItemOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const query = await orderListQuery(ctx, req.query)
        const [page, mask] = await Promise.all([
          ordersRepo.list(ctx, {
            ...query,
            limit: req.query.limit,
            cursor: req.query.cursor,
          }),
          customMasker(ctx, 'order'),
        ])
        return {
          items: await withListNames(
            ctx,
            (page.items as Order[]).map((o) => ({ ...o, custom: mask(o.custom) }) as OrderOut),
          ),
          nextCursor: page.nextCursor,
        }
      },
    )
    app.get(
      '/api/v1/orders/export',
      {
        config: { permission: 'orders.export' },
        schema: {
          tags,
          summary:
            'Download the order list as XLSX (default) or CSV (UTF-8 with BOM): the list’s filters (incl. q) and sort, every matching order in the caller’s scope with customer and owner names, amounts in major units (元), custom fields as columns, headers in the caller’s language, formula-safe; audited',
          querystring: exportQuerySchema.extend({ q: z.string().max(100).optional() }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const query = await orderListQuery(ctx, req.query)
        const spec = { ...ORDER_EXPORT, repo: ordersRepo, query, request: req.query }
        return sendDownload(reply, await listExport(ctx, spec, req.query.format))
      },
    )
    registerRecordRoutes(app, {
      path: '/api/v1/orders',
      module: 'orders',
      tags,
      createBody: orderIn,
      patchBody: orderIn
        .omit({ customerId: true, opportunityId: true, quoteId: true })
        .partial()
        .extend({ version: z.number().int() }),
      detail: detailOut,
      summary: {
        create:
          'Enter an order directly (a draft). Amounts must add up: each line amount = quantity × unitPrice − discount, total = Σ gross − discountTotal + shippingFee; any that does not is 422 order_totals naming the field',
        get: 'One order with its lines, balance and names',
        patch:
          'Change an order (send version; stale → 409). Lines and amounts only while draft (409 order_locked after); notes, due date, address, contact and custom fields at any time',
        delete: 'Delete a draft or cancelled order without payments (to the recycle bin)',
      },
      create: createOrder,
      get: loadOrder,
      update: updateOrder,
      remove: deleteOrder,
    })
    app.post(
      '/api/v1/orders/:id/status',
      {
        config: { permission: 'orders.edit' },
        schema: {
          tags,
          summary:
            'Move an order: draft → confirmed → shipped → completed; cancelled from draft/confirmed; refunded once fully refunded. Others: 409 order_transition with params from/to',
          params: idParams,
          body: z.object({ status: z.enum(ORDER_STATUSES), version: z.number().int().optional() }),
          response: { 200: detailOut },
        },
      },
      async (req) => setOrderStatus(ctxOf(req), req.params.id, req.body.status, req.body.version),
    )
    app.get(
      '/api/v1/orders/:id/payments',
      {
        config: { permission: 'orders.view' },
        schema: {
          tags,
          summary: 'Payments and refunds of an order, oldest first',
          params: idParams,
          response: { 200: z.object({ items: z.array(paymentOut) }) },
        },
      },
      async (req) => ({ items: await listPayments(ctxOf(req), req.params.id) }),
    )
    app.post(
      '/api/v1/orders/:id/payments',
      {
        config: { permission: 'orders.edit', idempotent: true },
        schema: {
          tags,
          summary:
            'Record a payment (≤ the open balance) or a refund (≤ paid − refunded); otherwise 422 naming amount. Append-only: a mistake is reversed by a refund',
          params: idParams,
          body: z.object({
            kind: z.enum(['payment', 'refund']),
            amount: z.number().int().positive().max(1e14),
            method: z.enum(PAYMENT_METHODS).optional(),
            paidAt: time.nullable().optional(),
            reference: text(200),
            note: text(2000),
          }),
          response: { 201: z.object({ payment: paymentOut, order: orderOut }) },
        },
      },
      async (req, reply) => {
        const res = await recordPayment(ctxOf(req), req.params.id, req.body)
        return reply.status(201).send(res as never)
      },
    )
    app.get(
      '/api/v1/receivables',
      {
        config: { permission: 'orders.view' },
        schema: {
          tags,
          summary:
            'Receivables: confirmed/shipped/completed orders in your scope with an open balance, days overdue from the payment due date, and sums (filters: customerId, ownerId, unitId, paymentDueDate, orderedAt; overdueOnly)',
          querystring: listQuerySchema.extend({ overdueOnly: z.coerce.boolean().optional() }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  number: z.string(),
                  customerId: z.string(),
                  customerName: z.string().nullable(),
                  ownerId: z.string().nullable(),
                  status: z.string(),
                  orderedAt: time,
                  currency: z.string(),
                  total: z.number(),
                  paidTotal: z.number(),
                  refundedTotal: z.number(),
                  balance: z.number(),
                  paymentDueDate: z.string().nullable(),
                  overdueDays: z.number(),
                }),
              ),
              nextCursor: z.string().nullable(),
              totals: z.object({
                count: z.number(),
                balance: z.number(),
                overdueCount: z.number(),
                overdueBalance: z.number(),
              }),
              asOf: z.string(),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const query = await buildListQuery(req.query, {
          columns: {
            customerId: orders.customerId,
            ownerId: orders.ownerId,
            unitId: orders.unitId,
            paymentDueDate: orders.paymentDueDate,
            orderedAt: orders.orderedAt,
            createdAt: orders.createdAt,
            total: orders.total,
          },
          sortable: ['createdAt', 'orderedAt', 'total'],
          ctx,
        })
        return listReceivables(ctx, {
          ...query,
          limit: req.query.limit,
          cursor: req.query.cursor,
          overdueOnly: req.query.overdueOnly,
        })
      },
    )
    app.post(
      '/api/v1/opportunities/:id/order',
      {
        config: { permission: 'orders.create', idempotent: true },
        schema: {
          tags,
          summary:
            'Make the order of a won opportunity (409 opportunity_not_won otherwise; 409 opportunity_already_ordered when it has one): lines of its accepted quote, else its product lines',
          params: idParams,
          body: z
            .object({
              orderedAt: time.nullable().optional(),
              paymentDueDate: day.nullable().optional(),
              shippingFee: minor.optional(),
              shippingAddress: text(500),
              contactId: z.string().uuid().nullable().optional(),
              notes: text(5000),
              custom: z.record(z.string(), z.unknown()).optional(),
            })
            .nullish(),
          response: { 201: detailOut },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await orderFromOpportunity(ctxOf(req), req.params.id, req.body ?? {})),
    )
    await registerOrderImportRoutes(app, deps)
  },
}

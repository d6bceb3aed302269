import { and, isNotNull } from 'drizzle-orm'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { ctxOf } from '../../../platform/http/context.js'
import type { FieldError } from '../../../platform/http/errors.js'
import { exportQuerySchema, listExport, sendDownload } from '../../../platform/http/list-export.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { App } from '../../../platform/http/module.js'
import { enqueue } from '../../../platform/jobs/queue.js'
import { DEFAULT_PHONE_REGION, workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { findDuplicates } from './duplicates.service.js'
import { CUSTOMER_EXPORT } from './export.js'
import { creditCodeField, phoneField } from './fields.js'
import { CUSTOMER_FILTERS, CUSTOMER_SORTS, customerSearch } from './list.js'
import { customersRepo } from './repo.js'
import { CUSTOMER_KINDS, customers } from './schema.js'
import {
  type CustomerOut,
  candidateOut,
  customerBody,
  customerColumns,
  customerOut,
  idParams,
} from './schemas.js'
import {
  createCustomer,
  customerHierarchy,
  deleteCustomer,
  getCustomer,
  presentCustomers,
  updateCustomer,
} from './service.js'

const tags = ['customers']

/** The customer list's condition and sort (shared by the list and its export). */
async function customerListQuery(ctx: Ctx, query: { filter?: string; sort?: string; q?: string }) {
  const q = await buildListQuery(query, {
    columns: CUSTOMER_FILTERS,
    sortable: CUSTOMER_SORTS,
    object: 'customer',
    ctx,
    extra: { q: (v) => customerSearch(String(v)) },
  })
  // A keyset page cannot step over NULLs: sorting by the last order lists customers that have one.
  const sorted = q.sort?.column === 'lastOrderAt' ? isNotNull(customers.lastOrderAt) : undefined
  return { where: and(q.where, query.q ? customerSearch(query.q) : undefined, sorted), sort: q.sort }
}

export function registerCustomerRoutes(app: App) {
  app.get(
    '/api/v1/customers',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary:
          'Customers in the caller’s data scope. Filters: q (name / credit code / phone), kind, industry, level, customerGroup, regionCode, ownerId, unitId, parentId, status, createdAt, custom.<key>… Sort: createdAt, updatedAt, name, orderTotal, lastOrderAt (customers with orders only)',
        querystring: listQuerySchema.extend({ q: z.string().trim().max(100).optional() }),
        response: { 200: z.object({ items: z.array(customerOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const q = await customerListQuery(ctx, req.query)
      const page = await customersRepo.list(ctx, {
        where: q.where,
        sort: q.sort,
        limit: req.query.limit,
        cursor: req.query.cursor,
        columns: customerColumns,
      })
      return {
        items: (await presentCustomers(ctx, page.items)) as CustomerOut[],
        nextCursor: page.nextCursor,
      }
    },
  )
  app.get(
    '/api/v1/customers/export',
    {
      config: { permission: 'customers.export' },
      schema: {
        tags,
        summary:
          'Download the customer list as XLSX (default) or CSV (UTF-8 with BOM): the list’s filters (incl. q) and sort, every matching customer in the caller’s data scope, custom fields as columns, headers in the caller’s language, PII masked without pii.view, formula-safe; audited',
        querystring: exportQuerySchema.extend({ q: z.string().trim().max(100).optional() }),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const query = await customerListQuery(ctx, req.query)
      const spec = {
        ...CUSTOMER_EXPORT,
        repo: customersRepo,
        query,
        select: customerColumns,
        request: req.query,
      }
      return sendDownload(reply, await listExport(ctx, spec, req.query.format))
    },
  )
  app.get(
    '/api/v1/customers/duplicates',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary:
          'Customers the caller may see that may be the one described: same credit code, a name key equal or ≥ 80 % trigram-similar, or the phone / a contact mobile',
        querystring: z.object({
          name: z.string().trim().max(200).optional(),
          kind: z.enum(CUSTOMER_KINDS).optional(),
          creditCode: z.string().trim().max(30).optional(),
          mobile: z.string().trim().max(30).optional(),
        }),
        response: { 200: z.object({ items: z.array(candidateOut) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const ignored: FieldError[] = []
      const q = req.query
      const phoneRegion = q.mobile
        ? await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
        : DEFAULT_PHONE_REGION
      const items = await findDuplicates(
        ctx,
        {
          name: q.name || null,
          kind: q.kind,
          creditCode: creditCodeField(q.creditCode, 'creditCode', ignored) ?? null,
          mobiles: [phoneField(q.mobile, 'mobile', ignored, phoneRegion)],
        },
        customersRepo.visible(ctx),
      )
      return { items }
    },
  )
  app.get(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers.view' },
      schema: { tags, summary: 'One customer', params: idParams, response: { 200: customerOut } },
    },
    async (req) => (await getCustomer(ctxOf(req), req.params.id)) as CustomerOut,
  )
  app.get(
    '/api/v1/customers/:id/hierarchy',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary:
          'Group structure: the parent chain (top of the group first) and the direct subsidiaries; ones outside your scope show id and name only',
        params: idParams,
        response: {
          200: z.object({
            customer: z.object({ id: z.string(), name: z.string() }),
            parents: z.array(z.object({ id: z.string(), name: z.string(), visible: z.boolean() })),
            children: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                kind: z.string().optional(),
                customerGroup: z.string().optional(),
                orderTotal: z.number().optional(),
                ownerId: z.string().nullable().optional(),
                childCount: z.number(),
                visible: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => customerHierarchy(ctxOf(req), req.params.id),
  )
  app.post(
    '/api/v1/customers',
    {
      config: { permission: 'customers.create', idempotent: true },
      schema: {
        tags,
        summary:
          'Create a customer. 409 customer_duplicate with params.candidates [{id, name, creditCode, ownerName, matchedBy, visible}] unless allowDuplicate: true. Send Idempotency-Key when retrying.',
        body: customerBody.extend({ allowDuplicate: z.boolean().optional() }),
        response: { 201: customerOut },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const { allowDuplicate, ...input } = req.body
      const row = await createCustomer(ctx, input, { allowDuplicate })
      return reply.status(201).send((await presentCustomers(ctx, [row]))[0] as CustomerOut)
    },
  )
  app.patch(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary:
          'Change a customer (send version; a stale one gets 409 with the current row). A new owner or unit moves its contacts too',
        params: idParams,
        body: customerBody.partial().extend({ version: z.number().int() }),
        response: { 200: customerOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const row = await updateCustomer(ctx, req.params.id, req.body)
      return (await presentCustomers(ctx, [row]))[0] as CustomerOut
    },
  )
  app.delete(
    '/api/v1/customers/:id',
    {
      config: { permission: 'customers.delete' },
      schema: {
        tags,
        summary:
          'Delete a customer and its contacts (recycle bin). 409 customer_in_use while it has orders, opportunities, subsidiaries or a lead conversion (params name them)',
        params: idParams,
      },
    },
    async (req, reply) => {
      await deleteCustomer(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
  app.post(
    '/api/v1/customers/groups/recompute',
    {
      config: { permission: 'customers.configure' },
      schema: {
        tags,
        summary: 'Recompute the A–E customer groups now (a job; it also runs daily)',
        response: { 202: z.object({ jobId: z.string() }) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const [job] = await enqueue(ctx, {
        type: 'sales.customer-groups',
        tenantId: ctx.actor.tenantId,
        maxAttempts: 3,
      })
      return reply.status(202).send({ jobId: job!.id })
    },
  )
}

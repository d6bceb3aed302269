import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { ctxOf } from '../../../platform/http/context.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { customers } from '../customers/schema.js'
import { opportunities } from '../opportunities/schema.js'
import { getSalesSettings } from '../settings.service.js'
import { answerQuote, decideQuote, type QuoteStep, sendQuote, submitQuote } from './approval.service.js'
import { printQuote } from './print.js'
import { registerRecordRoutes } from './record-routes.js'
import { quoteRevisions, reviseQuote } from './revisions.service.js'
import { quotes } from './schema.js'
import { createQuote, deleteQuote, loadQuote, quotesRepo, updateQuote } from './service.js'

const tags = ['quotes']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const pct = z.number().min(0).max(100)

const lineIn = z.object({
  productId: z.string().uuid().nullable().optional(),
  name: z.string().trim().max(200).nullable().optional().describe('Defaults to the product name'),
  description: text(2000),
  quantity: z.number().positive().max(1e9),
  unitPrice: z
    .number()
    .int()
    .min(0)
    .nullable()
    .optional()
    .describe('Minor units (分); defaults from the price book entry or the product list price'),
  discountPct: pct.optional(),
})
const quoteIn = z.object({
  opportunityId: z.string().uuid(),
  title: z.string().trim().min(1).max(200),
  contactId: z.string().uuid().nullable().optional(),
  priceBookId: z.string().uuid().nullable().optional(),
  lines: z.array(lineIn).max(500),
  headerDiscountPct: pct.optional(),
  validUntil: day.nullable().optional(),
  terms: text(10_000),
  notes: text(5000),
})
const quoteOut = z.object({
  id: z.string(),
  number: z.string(),
  revision: z.number(),
  title: z.string(),
  opportunityId: z.string(),
  customerId: z.string(),
  contactId: z.string().nullable(),
  priceBookId: z.string().nullable(),
  status: z.string(),
  currency: z.string(),
  subtotal: z.number(),
  discountTotal: z.number(),
  total: z.number(),
  maxDiscountPct: z.number(),
  headerDiscountPct: z.number(),
  validUntil: z.string().nullable(),
  terms: z.string().nullable(),
  notes: z.string().nullable(),
  submittedBy: z.string().nullable(),
  submittedAt: time.nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  decisionComment: z.string().nullable(),
  sentAt: time.nullable(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  createdBy: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
type QuoteOut = z.infer<typeof quoteOut>
const lineOut = z.object({
  id: z.string(),
  position: z.number(),
  productId: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  quantity: z.number(),
  unitPrice: z.number(),
  discountPct: z.number(),
  amount: z.number(),
})
/** A list row: the quote with the names a list shows and whether it needs approval. */
const listItemOut = quoteOut.extend({
  customerName: z.string().nullable(),
  opportunityName: z.string().nullable(),
  needsApproval: z.boolean(),
})
const detailOut = quoteOut.extend({
  lines: z.array(lineOut),
  customerName: z.string().nullable(),
  opportunityName: z.string().nullable(),
  contactName: z.string().nullable(),
  submittedByName: z.string().nullable(),
  decidedByName: z.string().nullable(),
  needsApproval: z.boolean().describe('Its largest discount exceeds the workspace approval threshold'),
  approvalThresholdPct: z.number(),
})
const stepIn = z
  .object({
    version: z.number().int().optional(),
    comment: z.string().trim().max(2000).nullable().optional(),
  })
  .nullish()

/** The action routes of a quote: POST /quotes/:id/<action>. */
const ACTIONS: {
  action: string
  permission: string
  summary: string
  run: (ctx: ReturnType<typeof ctxOf>, id: string, step: QuoteStep) => Promise<unknown>
}[] = [
  {
    action: 'submit',
    permission: 'quotes.edit',
    summary:
      'Submit a draft (or rejected) quote: approved at once when its largest discount is within the threshold, else pending_approval and its approvers are notified',
    run: submitQuote,
  },
  {
    action: 'approve',
    permission: 'quotes.approve',
    summary: 'Approve a pending quote (not the person who submitted it: 403 quote_self_approval)',
    run: (ctx, id, step) => decideQuote(ctx, id, 'approve', step),
  },
  {
    action: 'reject',
    permission: 'quotes.approve',
    summary:
      'Reject a pending quote with a comment (not the submitter); it can be edited and submitted again',
    run: (ctx, id, step) => decideQuote(ctx, id, 'reject', step),
  },
  {
    action: 'send',
    permission: 'quotes.edit',
    summary: 'Mark an approved quote as sent to the customer (409 quote_expired after its validity)',
    run: sendQuote,
  },
  {
    action: 'accept',
    permission: 'quotes.edit',
    summary:
      'The customer accepted the sent quote; the opportunity’s amount becomes the quote’s total (unless it was lost)',
    run: (ctx, id, step) => answerQuote(ctx, id, 'accept', step),
  },
  {
    action: 'decline',
    permission: 'quotes.edit',
    summary: 'The customer declined the sent quote',
    run: (ctx, id, step) => answerQuote(ctx, id, 'decline', step),
  },
]

/** Quotes (报价): line items, discounts with approval, revisions and a printable page. */
export const quotesModule: HainaModule = {
  name: 'quotes',
  routes(app) {
    app.get(
      '/api/v1/quotes',
      {
        config: { permission: 'quotes.view' },
        schema: {
          tags,
          summary:
            'Quotes in the caller’s scope (filters: q [number/title], status, opportunityId, customerId, ownerId, unitId, validUntil, total, maxDiscountPct, createdAt). Superseded revisions are left out unless includeSuperseded or a status filter asks for them',
          querystring: listQuerySchema.extend({
            q: z.string().max(100).optional(),
            includeSuperseded: z.coerce.boolean().optional(),
          }),
          response: { 200: z.object({ items: z.array(listItemOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const query = await buildListQuery(req.query, {
          columns: {
            number: quotes.number,
            title: quotes.title,
            status: quotes.status,
            opportunityId: quotes.opportunityId,
            customerId: quotes.customerId,
            ownerId: quotes.ownerId,
            unitId: quotes.unitId,
            validUntil: quotes.validUntil,
            total: quotes.total,
            maxDiscountPct: quotes.maxDiscountPct,
            createdAt: quotes.createdAt,
            updatedAt: quotes.updatedAt,
          },
          sortable: ['createdAt', 'updatedAt', 'number', 'total', 'validUntil'],
          ctx,
        })
        const hideSuperseded = !req.query.includeSuperseded && !req.query.filter?.includes('"status"')
        const where = sql.join(
          [
            query.where ?? sql`true`,
            hideSuperseded ? sql`${quotes.status} <> 'superseded'` : sql`true`,
            req.query.q
              ? sql`(${quotes.number} ilike ${`%${req.query.q}%`} or ${quotes.title} ilike ${`%${req.query.q}%`})`
              : sql`true`,
          ],
          sql` and `,
        )
        const page = await quotesRepo.list(ctx, {
          where,
          sort: query.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
        })
        return { items: await withListNames(ctx, page.items as QuoteOut[]), nextCursor: page.nextCursor }
      },
    )
    registerRecordRoutes(app, {
      path: '/api/v1/quotes',
      module: 'quotes',
      tags,
      createBody: quoteIn,
      patchBody: quoteIn.omit({ opportunityId: true }).partial().extend({ version: z.number().int() }),
      detail: detailOut,
      summary: {
        create:
          'Create a draft quote for an opportunity you can see (its customer and scope are copied); unit prices default from the price book, validUntil from the settings',
        get: 'One quote with its lines, approval information and needsApproval',
        patch:
          'Change a draft or rejected quote (409 quote_locked otherwise); send version (stale → 409). Lines, when sent, replace all lines',
        delete: 'Delete a draft or rejected quote (to the recycle bin)',
      },
      create: createQuote,
      get: loadQuote,
      update: updateQuote,
      remove: deleteQuote,
    })
    for (const a of ACTIONS)
      app.post(
        `/api/v1/quotes/:id/${a.action}`,
        {
          config: { permission: a.permission },
          schema: { tags, summary: a.summary, params: idParams, body: stepIn, response: { 200: detailOut } },
        },
        async (req) => a.run(ctxOf(req), req.params.id, req.body ?? {}) as never,
      )
    app.post(
      '/api/v1/quotes/:id/revise',
      {
        config: { permission: 'quotes.edit' },
        schema: {
          tags,
          summary:
            'Revise a quote: the latest revision of its number is copied into a new draft revision n+1 and marked superseded',
          params: idParams,
          response: { 201: detailOut },
        },
      },
      async (req, reply) => reply.status(201).send(await reviseQuote(ctxOf(req), req.params.id)),
    )
    app.get(
      '/api/v1/quotes/:id/revisions',
      {
        config: { permission: 'quotes.view' },
        schema: {
          tags,
          summary: 'Every revision of the quote’s number, oldest first',
          params: idParams,
          response: { 200: z.object({ items: z.array(quoteOut) }) },
        },
      },
      async (req) => ({ items: (await quoteRevisions(ctxOf(req), req.params.id)) as QuoteOut[] }),
    )
    app.get(
      '/api/v1/quotes/:id/print',
      {
        config: { permission: 'quotes.view' },
        schema: {
          tags,
          summary:
            'The printable quote (报价单) as a self-contained HTML page (text/html; print it from the browser)',
          params: idParams,
        },
      },
      async (req, reply) =>
        reply.type('text/html; charset=utf-8').send(await printQuote(ctxOf(req), req.params.id)),
    )
  },
}

/** Names of the quotes' customers and opportunities (one query each) and the approval flag. */
async function withListNames(ctx: Ctx, items: QuoteOut[]) {
  const t = ctx.actor.tenantId
  const ids = (key: 'customerId' | 'opportunityId') => [...new Set(items.map((q) => q[key]))]
  const names = async (table: typeof customers | typeof opportunities, list: string[]) =>
    list.length
      ? new Map(
          (
            await ctx.db
              .select({ id: table.id, name: table.name })
              .from(table)
              .where(and(eq(table.tenantId, t), inArray(table.id, list)))
          ).map((r) => [r.id, r.name]),
        )
      : new Map<string, string>()
  const [customerNames, opportunityNames, settings] = [
    await names(customers, ids('customerId')),
    await names(opportunities, ids('opportunityId')),
    await getSalesSettings(ctx),
  ]
  return items.map((q) => ({
    ...q,
    customerName: customerNames.get(q.customerId) ?? null,
    opportunityName: opportunityNames.get(q.opportunityId) ?? null,
    needsApproval: q.maxDiscountPct > settings.quoteApprovalDiscountPct,
  }))
}

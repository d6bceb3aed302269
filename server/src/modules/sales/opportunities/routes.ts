import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { ctxOf } from '../../../platform/http/context.js'
import { exportQuerySchema, listExport, sendDownload } from '../../../platform/http/list-export.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { App, HainaModule } from '../../../platform/http/module.js'
import { withSearch } from '../products/query.js'
import { salesSettingsRoutes } from '../settings.routes.js'
import { board, boardStage } from './board.service.js'
import { OPPORTUNITY_EXPORT } from './export.js'
import { FORECAST_GROUPS, forecast } from './forecast.service.js'
import './followups.js'
import { assignOpportunities } from './owners.service.js'
import { pipelineOut, pipelineRoutes, stageOut } from './pipelines.routes.js'
import { OPPORTUNITY_STATUSES, opportunities } from './schema.js'
import {
  COMPETITOR_THREATS,
  createOpportunity,
  deleteOpportunities,
  namesFor,
  opportunitiesRepo,
  opportunityDetail,
  opportunitySearch,
  replaceCompetitors,
  replaceLines,
  updateOpportunity,
} from './service.js'
import { closeOpportunity, moveStage, reopenOpportunity, stageHistory } from './stage.service.js'

const tags = ['opportunities']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const uuid = z.string().uuid()
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const money = z.number().int().min(0).max(1e15)
const version = z.number().int()

const meddicBody = z
  .object({
    metrics: text(2000),
    economicBuyer: text(2000),
    economicBuyerContactId: uuid.nullable().optional(),
    decisionCriteria: text(2000),
    decisionProcess: text(2000),
    identifyPain: text(2000),
    champion: text(2000),
    championContactId: uuid.nullable().optional(),
  })
  .strict()
const editable = {
  name: z.string().trim().min(1).max(200),
  contactId: uuid.nullable().optional(),
  amount: money.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  probability: z.number().int().min(0).max(100).optional(),
  expectedCloseDate: day.nullable().optional(),
  priceBookId: uuid.nullable().optional(),
  source: text(60),
  ownerId: uuid.nullable().optional(),
  unitId: uuid.optional(),
  meddic: meddicBody.optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
}
const createBody = z.object({
  ...editable,
  customerId: uuid,
  pipelineId: uuid.optional(),
  stageId: uuid.optional(),
})
const patchBody = z.object(editable).partial().extend({ version: version.optional() })

export const opportunityOut = z.object({
  id: z.string(),
  name: z.string(),
  customerId: z.string(),
  contactId: z.string().nullable(),
  pipelineId: z.string(),
  stageId: z.string(),
  status: z.enum(OPPORTUNITY_STATUSES),
  amount: z.number(),
  currency: z.string(),
  probability: z.number(),
  expectedCloseDate: z.string().nullable(),
  priceBookId: z.string().nullable(),
  meddic: z.record(z.string(), z.string()),
  meddicScore: z.number(),
  source: z.string().nullable(),
  leadId: z.string().nullable(),
  channelId: z.string().nullable(),
  firstCampaignId: z.string().nullable(),
  lastCampaignId: z.string().nullable(),
  stageEnteredAt: time,
  closedAt: time.nullable(),
  closeReason: z.string().nullable(),
  closeNote: z.string().nullable(),
  lastFollowUpAt: time.nullable(),
  nextFollowUpAt: time.nullable(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  custom: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
const names = {
  customerName: z.string().nullable(),
  contactName: z.string().nullable(),
  pipelineName: z.string().nullable(),
  stageName: z.string().nullable(),
  stageKind: z.string().nullable(),
  ownerName: z.string().nullable(),
}
const listItem = opportunityOut.extend(names)
type ListItem = z.infer<typeof listItem>
const lineOut = z.object({
  id: z.string(),
  position: z.number(),
  productId: z.string().nullable(),
  name: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  discountPct: z.number(),
  amount: z.number(),
})
const competitorOut = z.object({
  competitorId: z.string(),
  name: z.string(),
  threat: z.string(),
  notes: z.string().nullable(),
})
const detailOut = listItem.extend({
  stage: stageOut.nullable(),
  lines: z.array(lineOut),
  competitors: z.array(competitorOut),
})
const closeBody = z.object({
  reason: z.string().trim().min(1).max(60),
  note: text(2000),
  version: version.optional(),
})
const boardQuery = z.object({
  pipelineId: uuid.optional(),
  ownerId: uuid.optional(),
  unitId: uuid.optional(),
  q: z.string().max(100).optional(),
})
const cardOut = z.object({
  id: z.string(),
  name: z.string(),
  stageId: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  amount: z.number(),
  currency: z.string(),
  probability: z.number(),
  weightedAmount: z.number(),
  expectedCloseDate: z.string().nullable(),
  meddicScore: z.number(),
  stageEnteredAt: time,
  nextFollowUpAt: time.nullable(),
  version: z.number(),
})
const cardsOut = z.object({ items: z.array(cardOut), nextCursor: z.string().nullable() })
const totalsOut = {
  count: z.number(),
  amount: z.number(),
  weightedAmount: z.number(),
  wonCount: z.number(),
  wonAmount: z.number(),
}

/** Opportunities as the API shows them: with names beside the ids, custom values masked. */
async function present(ctx: Ctx, rows: Record<string, unknown>[]) {
  const [nameOf, mask] = [await namesFor(ctx, rows), await customMasker(ctx, 'opportunity')]
  return rows.map((r) => ({ ...r, ...nameOf(r), custom: mask(r.custom as Record<string, unknown>) }))
}
const one = async (ctx: Ctx, row: Record<string, unknown>) =>
  (await present(ctx, [row]))[0] as unknown as ListItem

/** A change of one opportunity (opportunities.edit), answered with the opportunity as lists show it. */
function changeRoute<B extends z.ZodObject>(
  app: App,
  method: 'POST' | 'PATCH',
  path: string,
  summary: string,
  body: B,
  run: (ctx: Ctx, id: string, body: z.infer<B>) => Promise<Record<string, unknown>>,
) {
  app.route({
    method,
    url: `/api/v1/opportunities/:id${path}`,
    config: { permission: 'opportunities.edit' },
    schema: { tags, summary, params: idParams, body, response: { 200: listItem } },
    handler: async (req) => {
      const ctx = ctxOf(req)
      return one(ctx, await run(ctx, (req.params as { id: string }).id, req.body as z.infer<B>))
    },
  })
}

/** The opportunity list's condition and sort (shared by the list and its export). */
async function opportunityListQuery(ctx: Ctx, query: { filter?: string; sort?: string; q?: string }) {
  const built = await buildListQuery(query, {
    columns: {
      name: opportunities.name,
      pipelineId: opportunities.pipelineId,
      stageId: opportunities.stageId,
      status: opportunities.status,
      customerId: opportunities.customerId,
      contactId: opportunities.contactId,
      ownerId: opportunities.ownerId,
      unitId: opportunities.unitId,
      orgId: opportunities.orgId,
      leadId: opportunities.leadId,
      source: opportunities.source,
      expectedCloseDate: opportunities.expectedCloseDate,
      amount: opportunities.amount,
      probability: opportunities.probability,
      meddicScore: opportunities.meddicScore,
      closedAt: opportunities.closedAt,
      stageEnteredAt: opportunities.stageEnteredAt,
      createdAt: opportunities.createdAt,
      updatedAt: opportunities.updatedAt,
    },
    sortable: ['createdAt', 'updatedAt', 'name', 'amount', 'stageEnteredAt'],
    object: 'opportunity',
    ctx,
    extra: { q: (v) => opportunitySearch(v, ctx.actor.tenantId) },
  })
  return withSearch(built, opportunitySearch(query.q, ctx.actor.tenantId))
}

/** Opportunities (商机): pipelines, MEDDIC, stage gates, kanban, forecast, won/lost; and the sales settings. */
export const opportunitiesModule: HainaModule = {
  name: 'opportunities',
  routes(app) {
    pipelineRoutes(app)
    salesSettingsRoutes(app)

    app.get(
      '/api/v1/opportunities',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary:
            'Opportunities in the caller’s data scope (filter: q, pipelineId, stageId, status, customerId, ownerId, unitId, expectedCloseDate, amount, createdAt, custom.<key>)',
          querystring: listQuerySchema.extend({ q: z.string().max(100).optional() }),
          response: { 200: z.object({ items: z.array(listItem), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const query = await opportunityListQuery(ctx, req.query)
        const page = await opportunitiesRepo.list(ctx, {
          ...query,
          limit: req.query.limit,
          cursor: req.query.cursor,
        })
        return { items: (await present(ctx, page.items)) as never, nextCursor: page.nextCursor }
      },
    )
    app.get(
      '/api/v1/opportunities/export',
      {
        config: { permission: 'opportunities.export' },
        schema: {
          tags,
          summary:
            'Download the opportunity list as XLSX (default) or CSV (UTF-8 with BOM): the list’s filters (incl. q) and sort, every matching opportunity in the caller’s data scope with customer, pipeline and stage names, custom fields as columns, headers in the caller’s language, formula-safe; audited',
          querystring: exportQuerySchema.extend({ q: z.string().max(100).optional() }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const query = await opportunityListQuery(ctx, req.query)
        const spec = { ...OPPORTUNITY_EXPORT, present, repo: opportunitiesRepo, query, request: req.query }
        return sendDownload(reply, await listExport(ctx, spec, req.query.format))
      },
    )
    app.get(
      '/api/v1/opportunities/board',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary:
            'Kanban: per stage count, amount, weighted amount (Σ amount × probability / 100) and the first 50 cards (biggest first) of the open opportunities you see; filter by owner, unit (with sub-units) or q',
          querystring: boardQuery,
          response: {
            200: z.object({
              pipeline: pipelineOut,
              stages: z.array(
                stageOut.omit({ position: true }).extend({
                  count: z.number(),
                  amount: z.number(),
                  weightedAmount: z.number(),
                  items: z.array(cardOut),
                  nextCursor: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => (await board(ctxOf(req), req.query)) as never,
    )
    app.get(
      '/api/v1/opportunities/board/stage',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary:
            'More cards of one kanban stage, after the cursor the board (or the previous page) returned',
          querystring: boardQuery.extend({
            stageId: uuid,
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
          }),
          response: { 200: cardsOut },
        },
      },
      async (req) => (await boardStage(ctxOf(req), req.query)) as never,
    )
    app.get(
      '/api/v1/opportunities/forecast',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary:
            'Weighted forecast by month (expected close date; won by close date in the workspace time zone), owner or unit: open count, amount, weighted amount, won amount. Default range: this month and the next five',
          querystring: z.object({
            from: day.optional(),
            to: day.optional(),
            groupBy: z.enum(FORECAST_GROUPS).optional(),
            pipelineId: uuid.optional(),
          }),
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              timezone: z.string(),
              groupBy: z.enum(FORECAST_GROUPS),
              rows: z.array(z.object({ key: z.string(), label: z.string(), ...totalsOut })),
              totals: z.object(totalsOut),
            }),
          },
        },
      },
      async (req) => forecast(ctxOf(req), req.query),
    )
    app.post(
      '/api/v1/opportunities/assign',
      {
        config: { permission: 'opportunities.assign' },
        schema: {
          tags,
          summary:
            'Give opportunities to another person in your scope (they move to the owner’s unit); the owner is notified',
          body: z.object({ ids: z.array(uuid).min(1).max(500), ownerId: uuid }),
          response: { 200: z.object({ moved: z.number() }) },
        },
      },
      async (req) => assignOpportunities(ctxOf(req), req.body),
    )
    app.get(
      '/api/v1/opportunities/:id',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary: 'One opportunity with names, MEDDIC and score, product lines and competitors',
          params: idParams,
          response: { 200: detailOut },
        },
      },
      async (req) => (await opportunityDetail(ctxOf(req), req.params.id)) as never,
    )
    app.post(
      '/api/v1/opportunities',
      {
        config: { permission: 'opportunities.create', idempotent: true },
        schema: {
          tags,
          summary:
            'Create an opportunity for a customer you see: default pipeline and its first open stage unless given (the gates up to the stage apply: 422 stage_gate)',
          body: createBody,
          response: { 201: listItem },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        return reply.status(201).send(await one(ctx, await createOpportunity(ctx, req.body)))
      },
    )
    changeRoute(
      app,
      'PATCH',
      '',
      'Change an opportunity (send version; stale → 409). MEDDIC merges letter by letter; the amount follows the product lines while there are any; probability overrides the stage’s until the next stage change',
      patchBody,
      updateOpportunity,
    )
    app.delete(
      '/api/v1/opportunities/:id',
      {
        config: { permission: 'opportunities.delete' },
        schema: { tags, summary: 'Delete an opportunity (to the recycle bin)', params: idParams },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        if (!(await deleteOpportunities(ctx, [req.params.id])))
          await opportunitiesRepo.get(ctx, req.params.id)
        return reply.status(204).send()
      },
    )
    changeRoute(
      app,
      'POST',
      '/stage',
      'Move to another open stage of the pipeline. Forward: the target’s gate and those of the stages skipped over; back: the target’s. Missing fields → 422 stage_gate with fields',
      z.object({ stageId: uuid, version: version.optional() }),
      (ctx, id, b) => moveStage(ctx, id, b.stageId, b.version),
    )
    for (const outcome of ['won', 'lost'] as const)
      changeRoute(
        app,
        'POST',
        `/${outcome}`,
        `Mark the opportunity ${outcome}: reason from the sales settings’ ${outcome} reasons, or "other" with a note; publishes opportunity.${outcome}`,
        closeBody,
        (ctx, id, b) => closeOpportunity(ctx, id, outcome, b),
      )
    changeRoute(
      app,
      'POST',
      '/reopen',
      'Reopen a won or lost opportunity into the stage it was closed from (or stageId)',
      z.object({ version: version.optional(), stageId: uuid.optional() }),
      reopenOpportunity,
    )
    app.put(
      '/api/v1/opportunities/:id/lines',
      {
        config: { permission: 'opportunities.edit' },
        schema: {
          tags,
          summary:
            'Replace the product lines; unitPrice omitted → the opportunity’s price book (else the default one, else the list price). The amount becomes their sum',
          params: idParams,
          body: z.object({
            lines: z
              .array(
                z.object({
                  productId: uuid.nullable().optional(),
                  name: text(200),
                  quantity: z.number().positive().max(1e9),
                  unitPrice: money.nullable().optional(),
                  discountPct: z.number().min(0).max(100).optional(),
                }),
              )
              .max(200),
            version: version.optional(),
          }),
          response: { 200: listItem.extend({ lines: z.array(lineOut) }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const { lines, ...row } = await replaceLines(ctx, req.params.id, req.body.lines, req.body.version)
        return { ...(await one(ctx, row)), lines } as never
      },
    )
    app.put(
      '/api/v1/opportunities/:id/competitors',
      {
        config: { permission: 'opportunities.edit' },
        schema: {
          tags,
          summary: 'Replace the competitors in the deal, each with a threat level and notes',
          params: idParams,
          body: z.object({
            competitors: z
              .array(
                z.object({
                  competitorId: uuid,
                  threat: z.enum(COMPETITOR_THREATS).optional(),
                  notes: text(2000),
                }),
              )
              .max(50),
            version: version.optional(),
          }),
          response: { 200: listItem.extend({ competitors: z.array(competitorOut) }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const { competitors, ...row } = await replaceCompetitors(
          ctx,
          req.params.id,
          req.body.competitors,
          req.body.version,
        )
        return { ...(await one(ctx, row)), competitors } as never
      },
    )
    app.get(
      '/api/v1/opportunities/:id/stage-history',
      {
        config: { permission: 'opportunities.view' },
        schema: {
          tags,
          summary: 'Stage changes, oldest first, with the seconds spent in the stage left',
          params: idParams,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  fromStageId: z.string().nullable(),
                  fromStageName: z.string().nullable(),
                  toStageId: z.string(),
                  toStageName: z.string().nullable(),
                  toStageKind: z.string().nullable(),
                  secondsInStage: z.number().nullable(),
                  actorId: z.string().nullable(),
                  actorName: z.string().nullable(),
                  at: time,
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ items: await stageHistory(ctxOf(req), req.params.id) }),
    )
  },
}

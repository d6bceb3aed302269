import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import { buildListQuery, listQuerySchema } from '../../platform/http/list-query.js'
import type { HainaModule } from '../../platform/http/module.js'
import { campaignStats, campaignTrend } from './attribution.service.js'
import { campaignMembers } from './members.service.js'
import './messages.js'
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES, campaigns } from './schema.js'
import { type Campaign, campaignsRepo, createCampaign, deleteCampaign, updateCampaign } from './service.js'

const tags = ['campaigns']
const idParams = z.object({ id: z.string() })
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable()
  .optional()
const money = z.number().int().min(0).max(1e13).describe('Amount in 分 (1/100 yuan)')
const campaignBody = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(CAMPAIGN_KINDS),
  code: z.string().trim().min(1).max(64).describe('Carried by links and forms as utm_campaign'),
  channelId: z.string().uuid().nullable().optional(),
  startsOn: day,
  endsOn: day,
  budget: money.optional(),
  actualCost: money.optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  ownerId: z.string().uuid().nullable().optional(),
  unitId: z.string().uuid(),
  notes: z.string().max(5000).nullable().optional(),
})
const stats = z.object({
  firstTouchLeads: z.number(),
  lastTouchLeads: z.number(),
  qualifiedLeads: z.number(),
  convertedLeads: z.number(),
  intents: z.number(),
  members: z.number(),
  costPerLead: z.number().nullable(),
  costPerQualifiedLead: z.number().nullable(),
})
const campaignOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  code: z.string(),
  channelId: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  budget: z.number(),
  actualCost: z.number(),
  currency: z.string(),
  status: z.string(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  notes: z.string().nullable(),
  createdAt: z.date().or(z.string()),
  version: z.number(),
  stats,
})

async function withStats(req: Parameters<typeof ctxOf>[0], rows: Campaign[]) {
  const all = await campaignStats(ctxOf(req), rows)
  return rows.map((c) => ({ ...c, stats: all.get(c.id)! }))
}

/** 运营推广 (OC-2): campaigns with cost, codes carried by links and forms, and their attribution. */
export const campaignsModule: HainaModule = {
  name: 'campaigns',
  routes(app) {
    app.get(
      '/api/v1/campaigns',
      {
        config: { permission: 'campaigns.view' },
        schema: {
          tags,
          summary:
            'Campaigns in the caller’s scope, each with first/last-touch leads, cost per lead and per qualified lead',
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(campaignOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const q = await buildListQuery(req.query, {
          columns: {
            name: campaigns.name,
            kind: campaigns.kind,
            code: campaigns.code,
            status: campaigns.status,
            channelId: campaigns.channelId,
            unitId: campaigns.unitId,
            startsOn: campaigns.startsOn,
          },
          sortable: ['createdAt', 'name', 'startsOn'],
          ctx,
        })
        const page = await campaignsRepo.list(ctx, {
          where: q.where,
          sort: q.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
        })
        return { items: await withStats(req, page.items as Campaign[]), nextCursor: page.nextCursor }
      },
    )
    app.get(
      '/api/v1/campaigns/:id',
      {
        config: { permission: 'campaigns.view' },
        schema: {
          tags,
          summary: 'One campaign with its attribution',
          params: idParams,
          response: { 200: campaignOut },
        },
      },
      async (req) => {
        const row = (await campaignsRepo.get(ctxOf(req), req.params.id)) as Campaign
        return (await withStats(req, [row]))[0]!
      },
    )
    app.post(
      '/api/v1/campaigns',
      {
        config: { permission: 'campaigns.create', idempotent: true },
        schema: { tags, summary: 'Create a campaign', body: campaignBody, response: { 201: campaignOut } },
      },
      async (req, reply) => {
        const row = await createCampaign(ctxOf(req), req.body)
        return reply.status(201).send((await withStats(req, [row]))[0]!)
      },
    )
    app.patch(
      '/api/v1/campaigns/:id',
      {
        config: { permission: 'campaigns.edit' },
        schema: {
          tags,
          summary: 'Change a campaign (cost, period, status…); send version',
          params: idParams,
          body: campaignBody.partial().extend({ version: z.number().int().optional() }),
          response: { 200: campaignOut },
        },
      },
      async (req) => {
        const row = await updateCampaign(ctxOf(req), req.params.id, req.body)
        return (await withStats(req, [row]))[0]!
      },
    )
    app.delete(
      '/api/v1/campaigns/:id',
      {
        config: { permission: 'campaigns.delete' },
        schema: {
          tags,
          summary: 'Delete a campaign (recycle bin); its leads keep their history',
          params: idParams,
        },
      },
      async (req, reply) => {
        await deleteCampaign(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
    app.get(
      '/api/v1/campaigns/:id/members',
      {
        config: { permission: 'campaigns.view' },
        schema: {
          tags,
          summary: 'Campaign members: the leads it brought or touched, latest response first',
          params: idParams,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z.string().max(1000).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  leadId: z.string(),
                  name: z.string(),
                  company: z.string().nullable(),
                  status: z.string(),
                  grade: z.string().nullable(),
                  ownerId: z.string().nullable(),
                  firstTouch: z.boolean(),
                  intents: z.number(),
                  firstAt: z.date(),
                  lastAt: z.date(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        await campaignsRepo.get(ctx, req.params.id)
        return campaignMembers(ctx, req.params.id, req.query)
      },
    )
    app.get(
      '/api/v1/campaigns/:id/trend',
      {
        config: { permission: 'campaigns.view' },
        schema: {
          tags,
          summary: 'Responses and distinct leads per day (workspace time zone)',
          params: idParams,
          querystring: z.object({ days: z.coerce.number().int().min(1).max(730).default(90) }),
          response: {
            200: z.object({
              items: z.array(z.object({ day: z.string(), intents: z.number(), members: z.number() })),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        await campaignsRepo.get(ctx, req.params.id)
        return { items: await campaignTrend(ctx, req.params.id, req.query.days) }
      },
    )
  },
}

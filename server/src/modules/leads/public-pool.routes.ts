import { and, ilike, like, or } from 'drizzle-orm'
import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import { validationFailed } from '../../platform/http/errors.js'
import { buildListQuery, listQuerySchema, parseFilter } from '../../platform/http/list-query.js'
import type { App } from '../../platform/http/module.js'
import { claimablePool, claimLead, claimLeads, publicPoolLeads, releaseLeads } from './public-pool.service.js'
import { leadOut, listColumns, presentLeads } from './routes.js'
import { leads } from './schema.js'

const tags = ['public pool']
const idParams = z.object({ id: z.string() })
const ids = z.array(z.string().uuid()).min(1).max(200)
const releaseBody = {
  reason: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe('Why (one of the release reasons in the lead settings, or free text)'),
  poolId: z
    .string()
    .uuid()
    .nullable()
    .optional()
    .describe(
      'Public pool to release to; default: the lead pool’s reclaim pool, the default public pool, the first one',
    ),
}
const releaseOut = z.object({ released: z.number(), poolIds: z.array(z.string()) })

/** Filterable fields of a public pool's list; the fields the pool hides are neither shown nor searchable. */
const FILTERABLE = {
  name: leads.name,
  mobile: leads.mobile,
  email: leads.email,
  company: leads.company,
  source: leads.source,
  status: leads.status,
  category: leads.category,
  grade: leads.grade,
  score: leads.score,
  regionCode: leads.regionCode,
  channelId: leads.channelId,
  createdAt: leads.createdAt,
  poolEnteredAt: leads.poolEnteredAt,
}

export function registerPublicPoolRoutes(app: App) {
  app.get(
    '/api/v1/public-pools/:id/leads',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary:
          'Unclaimed leads of a public pool open to the caller; hidden fields are null, claimableAt is the end of the protection interval (null: claimable now), lockedUntil the caller’s own lock',
        params: idParams,
        querystring: listQuerySchema.extend({ q: z.string().trim().max(100).optional() }),
        response: {
          200: z.object({
            items: z.array(
              leadOut.extend({
                claimableAt: z.date().nullable(),
                lockedUntil: z.date().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const pool = await claimablePool(ctx, req.params.id)
      const hidden = new Set(pool.settings.hiddenFields ?? [])
      const hiddenFilters = Object.keys(parseFilter(req.query.filter)).filter((f) => hidden.has(f))
      if (hiddenFilters.length)
        throw validationFailed(
          hiddenFilters.map((f) => ({ field: `filter.${f}`, code: 'unknown_filter_field' })),
        )
      const columns = Object.fromEntries(Object.entries(FILTERABLE).filter(([k]) => !hidden.has(k)))
      const search = (v: unknown) => {
        const text = `%${String(v)}%`
        const digits = String(v).replace(/\D/g, '')
        return or(
          ilike(leads.name, text),
          hidden.has('company') ? undefined : ilike(leads.company, text),
          hidden.has('mobile') || !digits ? undefined : like(leads.mobile, `%${digits}%`),
        )
      }
      const q = await buildListQuery(req.query, {
        columns,
        sortable: ['createdAt', 'name', 'score'],
        object: 'lead',
        ctx,
        extra: { q: search },
      })
      const page = await publicPoolLeads(
        ctx,
        pool,
        {
          where: and(q.where, req.query.q ? search(req.query.q) : undefined),
          sort: q.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
        },
        listColumns,
      )
      const shown = await presentLeads(ctx, page.items)
      return {
        items: shown.map((l, i) => ({
          ...l,
          claimableAt: page.items[i]!.claimableAt,
          lockedUntil: page.items[i]!.lockedUntil,
        })),
        nextCursor: page.nextCursor,
      }
    },
  )
  app.post(
    '/api/v1/leads/:id/claim',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary:
          'Claim a lead of a public pool. 409 codes: already_claimed, claim_protected, claim_locked, claim_daily_limit, claim_holding_cap, claim_unit_cap (params.limit)',
        params: idParams,
        response: { 200: leadOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const lead = await claimLead(ctx, req.params.id)
      return (await presentLeads(ctx, [lead]))[0]!
    },
  )
  app.post(
    '/api/v1/leads/claim',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary:
          'Claim several leads, one by one in the order given: each answered ok or with its refusal code',
        body: z.object({ ids }),
        response: {
          200: z.object({
            results: z.array(
              z.object({
                id: z.string(),
                ok: z.boolean(),
                code: z.string().optional(),
                params: z.record(z.string(), z.unknown()).optional(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ results: await claimLeads(ctxOf(req), req.body.ids) }),
  )
  app.post(
    '/api/v1/leads/:id/release',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary: 'Release a lead to a public pool with a reason (400 no_public_pool when there is none)',
        params: idParams,
        body: z.object(releaseBody),
        response: { 200: releaseOut },
      },
    },
    async (req) => releaseLeads(ctxOf(req), [req.params.id], req.body.reason, req.body.poolId),
  )
  app.post(
    '/api/v1/leads/bulk/release',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary: 'Release several leads to public pools with one reason (all or none)',
        body: z.object({ ids, ...releaseBody }),
        response: { 200: releaseOut },
      },
    },
    async (req) => releaseLeads(ctxOf(req), req.body.ids, req.body.reason, req.body.poolId),
  )
}

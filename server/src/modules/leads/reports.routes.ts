import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { HainaModule } from '../../platform/http/module.js'
import {
  FUNNEL_STAGES,
  firstContactReport,
  funnelReport,
  PLANNED_STAGES,
  poolActivityReport,
} from './reports.service.js'

const tags = ['lead-reports']
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
const rangeQuery = z.object({
  from: day.describe('First day, YYYY-MM-DD in the workspace time zone (default: 29 days before `to`)'),
  to: day.describe('Last day, inclusive (default: today); at most 366 days after `from`'),
})
const rangeOut = { from: z.string(), to: z.string(), timezone: z.string() }
const rate = z.number().nullable()

const funnelOut = z.object({
  ...rangeOut,
  stages: z.array(
    z.object({
      key: z.enum(FUNNEL_STAGES),
      count: z.number(),
      rate: rate.describe('Share of the previous stage'),
      overallRate: rate.describe('Share of the first stage'),
    }),
  ),
  plannedStages: z
    .array(z.enum(PLANNED_STAGES))
    .describe('Stages added when opportunities and orders exist (sales, issue #5); not counted yet'),
  pools: z.array(
    z.object({
      poolId: z.string().nullable(),
      name: z.string().nullable(),
      kind: z.string().nullable(),
      parentId: z.string().nullable(),
      leads: z.number(),
      assigned: z.number(),
      converted: z.number(),
      conversionRate: rate,
    }),
  ),
})

const activityCounts = {
  claims: z.number(),
  releases: z.number(),
  reclaims: z.number(),
  distributions: z.number(),
  assignments: z.number(),
}
const activityOut = z.object({
  ...rangeOut,
  days: z.array(z.object({ day: z.string(), ...activityCounts })),
  totals: z.object(activityCounts),
})

const contactRow = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  unitId: z.string().nullable(),
  assigned: z.number(),
  contacted: z.number(),
  medianHours: z.number().nullable(),
  avgHours: z.number().nullable(),
  slaHitRate: rate,
  slaHits: z.number(),
  slaDue: z.number(),
  uncontacted: z.number(),
  overdue: z.number(),
})
const contactOut = z.object({
  ...rangeOut,
  groupBy: z.enum(['user', 'unit']),
  slaHours: z.number(),
  rows: z.array(contactRow),
  total: contactRow,
})

/** Funnel and pool reports (issue #4 §9): all within the caller's data scope. */
export const leadReportsModule: HainaModule = {
  name: 'lead-reports',
  routes(app) {
    app.get(
      '/api/v1/lead-reports/funnel',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary:
            'Lead funnel of the leads that arrived in the range: master pool → sub-pools → assigned → following → qualified → converted, each lead counted up to the furthest stage it reached; with the conversion rate of each step and a breakdown by current pool',
          querystring: rangeQuery,
          response: { 200: funnelOut },
        },
      },
      async (req) => funnelReport(ctxOf(req), req.query),
    )
    app.get(
      '/api/v1/lead-reports/pool-activity',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary:
            'Claims, releases, reclaims, distributions and assignments per day (workspace time zone) of the leads in your scope; poolId: moves into or out of that pool only',
          querystring: rangeQuery.extend({ poolId: z.string().uuid().optional() }),
          response: { 200: activityOut },
        },
      },
      async (req) => poolActivityReport(ctxOf(req), req.query),
    )
    app.get(
      '/api/v1/lead-reports/first-contact',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary:
            'Time from assignment to first follow-up per person or team (groupBy=user|unit) for assignments made in the range: median and average hours, hit rate against the first-contact SLA, leads still uncontacted',
          querystring: rangeQuery.extend({ groupBy: z.enum(['user', 'unit']).default('user') }),
          response: { 200: contactOut },
        },
      },
      async (req) => firstContactReport(ctxOf(req), req.query),
    )
  },
}

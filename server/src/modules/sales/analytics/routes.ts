import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { ctxOf } from '../../../platform/http/context.js'
import type { App, HainaModule } from '../../../platform/http/module.js'
import { tagViewOut } from '../../profiles/tags/schemas.js'
import { taskOut } from '../tasks/routes.js'
import { customer360 } from './customer360.service.js'
import {
  abcAnalysis,
  forecastVsActual,
  salesVelocity,
  stageConversion,
  WIN_RATE_BY,
  winRate,
} from './service.js'

const time = z.date().or(z.string())
const str = z.string().nullable()
const day = z.string().max(10).optional().describe('YYYY-MM-DD in the workspace time zone')
const range = { from: day, to: day }
const pipelineId = z.string().max(100).optional().describe('Default: the default pipeline')
const named = z.object({ id: z.string(), name: str }).nullable()
const ratio = z.number().nullable()

/** Placement and bookkeeping columns every owned sales record has. */
const recordTail = {
  unitId: z.string(),
  orgId: z.string(),
  custom: z.record(z.string(), z.unknown()),
  createdBy: str,
  createdAt: time,
  updatedAt: time,
  version: z.number(),
}

const customerOut = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  parentId: str,
  industry: str,
  size: str,
  regionCode: str,
  address: str,
  creditCode: str,
  phone: str,
  email: str,
  website: str,
  source: str,
  level: str,
  customerGroup: z.string(),
  groupComputedAt: time.nullable(),
  status: z.string(),
  orderCount: z.number(),
  orderTotal: z.number(),
  firstOrderAt: time.nullable(),
  lastOrderAt: time.nullable(),
  personId: str,
  leadId: str,
  channelId: str,
  firstCampaignId: str,
  lastCampaignId: str,
  poolId: str,
  poolEnteredAt: time.nullable(),
  assignedAt: time.nullable(),
  lastFollowUpAt: time.nullable(),
  nextFollowUpAt: time.nullable(),
  ownerId: str,
  ownerName: str,
  unitName: str,
  ...recordTail,
})

const contactOut = z.object({
  id: z.string(),
  customerId: z.string(),
  name: z.string(),
  title: str,
  department: str,
  dealRole: str,
  reportsToId: str,
  mobile: str,
  email: str,
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  wechatIds: z.array(z.string()),
  birthday: str,
  preferences: str,
  isPrimary: z.boolean(),
  personId: str,
  leadId: str,
  ownerId: str,
  ...recordTail,
})
type ContactNode = z.infer<typeof contactOut> & { children: ContactNode[] }
/** Recursive, so it needs an id: the OpenAPI document refers to it in components.schemas. */
const contactNode: z.ZodType<ContactNode> = contactOut
  .extend({
    get children() {
      return z.array(contactNode)
    },
  })
  .meta({ id: 'Customer360ContactNode' })

const c360Out = z.object({
  customer: customerOut,
  hierarchy: z.object({
    parents: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('From the top of the group down'),
    children: z.array(
      z.object({ id: z.string(), name: z.string(), customerGroup: z.string(), orderTotal: z.number() }),
    ),
  }),
  contactsTree: z.array(contactNode),
  opportunities: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      amount: z.number(),
      currency: z.string(),
      probability: z.number(),
      expectedCloseDate: str,
      pipelineId: z.string(),
      pipelineName: str,
      stageId: z.string(),
      stageName: str,
      stageProbability: z.number().nullable(),
      stageKind: str,
      meddicScore: z.number(),
      ownerId: str,
      ownerName: str,
      closedAt: time.nullable(),
      closeReason: str,
      createdAt: time,
    }),
  ),
  quotes: z
    .array(
      z.object({
        id: z.string(),
        number: z.string(),
        revision: z.number(),
        title: z.string(),
        status: z.string(),
        opportunityId: z.string(),
        currency: z.string(),
        total: z.number(),
        maxDiscountPct: z.number(),
        validUntil: str,
        sentAt: time.nullable(),
        createdAt: time,
      }),
    )
    .describe('The latest revision of each quote number'),
  orders: z
    .object({
      recent: z.array(
        z.object({
          id: z.string(),
          number: z.string(),
          status: z.string(),
          source: z.string(),
          currency: z.string(),
          total: z.number(),
          paidTotal: z.number(),
          refundedTotal: z.number(),
          balance: z.number(),
          orderedAt: time,
          paymentDueDate: str,
          opportunityId: str,
        }),
      ),
      count: z.number(),
      amount: z.number(),
      paid: z.number(),
      refunded: z.number(),
    })
    .nullable()
    .describe(
      'The latest 20 and totals over all (confirmed, shipped, completed, refunded); null without orders.view',
    ),
  receivable: z
    .object({ balance: z.number(), overdue: z.number(), openOrders: z.number() })
    .nullable()
    .describe('Owed on confirmed/shipped/completed orders; null without orders.view'),
  followUps: z.array(
    z.object({
      id: z.string(),
      subjectType: z.string(),
      subjectId: z.string(),
      type: z.string(),
      content: z.string(),
      outcome: str,
      occurredAt: z.string(),
      nextAt: str,
      nextStep: str,
      ownerId: str,
      authorName: str,
    }),
  ),
  timeline: z.array(
    z.object({
      kind: z.literal('event'),
      id: z.string(),
      personId: z.string(),
      type: z.string(),
      at: z.string(),
      channelId: str,
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  tags: z.array(tagViewOut).describe('The tags the customer’s person carries'),
  intents: z.array(
    z.object({
      id: z.string(),
      leadId: z.string(),
      outcome: z.string(),
      at: z.string(),
      channelId: str,
      channelName: str,
      campaignId: str,
      campaignName: str,
    }),
  ),
  attribution: z.object({ source: str, channel: named, firstCampaign: named, lastCampaign: named }),
  tasks: z.array(
    taskOut.pick({
      id: true,
      kind: true,
      title: true,
      status: true,
      priority: true,
      startAt: true,
      endAt: true,
      dueAt: true,
      allDay: true,
      subjectType: true,
      subjectId: true,
      ownerId: true,
    }),
  ),
  audit: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actorId: str,
      actorName: str,
      action: z.string(),
      objectType: z.string(),
      objectId: z.string(),
      summary: str,
      changes: z.array(z.string()).describe('Fields an update changed (values are not shown)'),
    }),
  ),
})

const pipelineOut = z.object({ id: z.string(), name: z.string() }).nullable()
/** What every report answers about its window. */
const windowOut = { from: z.string(), to: z.string() }

const abcOut = z.object({
  ...windowOut,
  totalRevenue: z.number(),
  customers: z.number(),
  classes: z.array(z.object({ class: z.string(), customers: z.number(), revenue: z.number(), share: ratio })),
  top: z.array(
    z.object({
      customerId: z.string(),
      name: z.string(),
      class: z.string(),
      rank: z.number(),
      orders: z.number(),
      revenue: z.number(),
      share: ratio,
      cumulativeShare: ratio,
    }),
  ),
})
const stageConversionOut = z.object({
  ...windowOut,
  pipeline: pipelineOut,
  total: z.number(),
  won: z.number(),
  lost: z.number(),
  stages: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      position: z.number(),
      probability: z.number(),
      reached: z.number(),
      rateToNext: ratio,
      rateFromStart: ratio,
    }),
  ),
})
const velocityOut = z.object({
  ...windowOut,
  pipeline: pipelineOut,
  stages: z.array(
    z.object({ id: z.string(), name: z.string(), moves: z.number(), avgDays: z.number().nullable() }),
  ),
  open: z.number(),
  won: z.number(),
  lost: z.number(),
  winRate: ratio,
  avgDealAmount: z.number().nullable(),
  avgDaysToWin: z.number().nullable(),
  velocityPerDay: z.number().nullable(),
})
const winRateOut = z.object({
  ...windowOut,
  by: z.string(),
  rows: z.array(
    z.object({
      key: str,
      label: str,
      won: z.number(),
      lost: z.number(),
      closed: z.number(),
      winRate: ratio,
      wonAmount: z.number(),
    }),
  ),
})
const money = {
  pipelineAmount: z.number(),
  forecast: z.number(),
  wonAmount: z.number(),
  orderRevenue: z.number(),
}
const forecastOut = z.object({
  ...windowOut,
  pipeline: pipelineOut,
  months: z.array(z.object({ month: z.string(), count: z.number(), wonCount: z.number(), ...money })),
  totals: z.object(money),
})

/** Registers one report: GET /api/v1/sales/analytics/<path>, for whoever sees opportunities. */
function report<Q extends z.ZodObject, R extends z.ZodType>(
  app: App,
  path: string,
  summary: string,
  querystring: Q,
  response: R,
  run: (ctx: Ctx, q: z.infer<Q>) => Promise<z.infer<R>>,
) {
  // The handler is typed here (by `run`): the provider cannot infer through the generic schemas.
  const handler = async (req: FastifyRequest) => run(ctxOf(req), req.query as z.infer<Q>)
  app.get(
    `/api/v1/sales/analytics/${path}`,
    {
      config: { permission: 'opportunities.view' },
      schema: { tags: ['sales-analytics'], summary, querystring, response: { 200: response } },
    },
    handler as never,
  )
}

/** Sales: the customer 360 and sales analytics (issue #5). */
export const salesAnalyticsModule: HainaModule = {
  name: 'salesAnalytics',
  routes(app) {
    app.get(
      '/api/v1/customers/:id/360',
      {
        config: { permission: 'customers.view' },
        schema: {
          tags: ['customers'],
          summary:
            'Customer 360: profile (PII masked without pii.view), hierarchy, contacts tree, opportunities, quotes, orders and receivables, follow-ups, behaviour timeline, tags, intents, attribution, open tasks and audit trail; parts of other modules need their view permission',
          params: z.object({ id: z.string() }),
          response: { 200: c360Out },
        },
      },
      async (req) => (await customer360(ctxOf(req), req.params.id)) as z.infer<typeof c360Out>,
    )
    report(
      app,
      'abc',
      'ABC analysis of customers by revenue (confirmed/shipped/completed orders in the window, refunds subtracted; default: the last 365 days): A = top 80% of revenue, B = next 15%, C = last 5%',
      z.object({ ...range, top: z.coerce.number().int().min(1).max(200).optional() }),
      abcOut,
      abcAnalysis,
    )
    report(
      app,
      'stage-conversion',
      'Stage conversion of a pipeline: opportunities created in the window that reached each stage, and the rate to the next (default: the last 365 days)',
      z.object({ ...range, pipelineId }),
      stageConversionOut,
      stageConversion,
    )
    report(
      app,
      'velocity',
      'Sales velocity of a pipeline: average days per stage, win rate, average won deal, average days to win, and open × win rate × average deal ÷ days to win (per day)',
      z.object({ ...range, pipelineId }),
      velocityOut,
      salesVelocity,
    )
    report(
      app,
      'win-rate',
      'Win rate of opportunities closed in the window by owner, source or campaign (first campaign)',
      z.object({
        ...range,
        by: z.enum(WIN_RATE_BY).default('owner'),
        pipelineId: pipelineId.describe('Default: every pipeline'),
      }),
      winRateOut,
      winRate,
    )
    report(
      app,
      'forecast-vs-actual',
      'By month: weighted forecast of opportunities expected to close in the month against the amount won and order revenue in the month (default: 6 months back and 6 ahead)',
      z.object({ ...range, pipelineId: pipelineId.describe('Default: every pipeline') }),
      forecastOut,
      forecastVsActual,
    )
  },
}

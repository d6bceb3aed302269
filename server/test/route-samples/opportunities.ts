import { insertContact, insertCustomer } from '../../src/modules/sales/opportunities/fixture.js'
import {
  createPipeline,
  ensureDefaultPipeline,
} from '../../src/modules/sales/opportunities/pipelines.service.js'
import { createOpportunity } from '../../src/modules/sales/opportunities/service.js'
import { closeOpportunity } from '../../src/modules/sales/opportunities/stage.service.js'
import { createProduct } from '../../src/modules/sales/products/service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
/** A pipeline no opportunity uses (deletable). */
const pipeline = async (ws: Workspace) =>
  (
    await createPipeline(ws.sys, {
      name: `样例流程${n++}-${Date.now()}`,
      stages: [
        { name: '接洽', probability: 10, kind: 'open' },
        { name: '赢单', probability: 100, kind: 'won' },
        { name: '输单', probability: 0, kind: 'lost' },
      ],
    })
  ).id
/** An open opportunity in the default pipeline's first stage, with a contact and an amount (需求确认's gate). */
const opportunity = async (ws: Workspace) => {
  const customerId = await insertCustomer(ws)
  const contactId = await insertContact(ws, customerId)
  return createOpportunity(ws.sys, {
    name: `样例商机${n++}`,
    customerId,
    contactId,
    amount: 10000,
    ownerId: ws.adminId,
  })
}
const opportunityId = async (ws: Workspace) => (await opportunity(ws)).id

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/pipelines/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await pipeline(ws) } }),
  },
  {
    route: 'POST /api/v1/pipelines',
    audits: 'pipeline',
    prepare: async () => ({
      body: {
        name: `新流程${n++}-${Date.now()}`,
        stages: [
          { name: '接洽', probability: 10, kind: 'open', requiredFields: ['amount'] },
          { name: '赢单', probability: 100, kind: 'won' },
          { name: '输单', probability: 0, kind: 'lost' },
        ],
      },
    }),
  },
  {
    route: 'PATCH /api/v1/pipelines/:id',
    audits: 'pipeline',
    prepare: async (_k, ws) => ({ params: { id: await pipeline(ws) }, body: { businessLine: '渠道' } }),
  },
  {
    route: 'DELETE /api/v1/pipelines/:id',
    audits: 'pipeline',
    prepare: async (_k, ws) => ({ params: { id: await pipeline(ws) } }),
  },
  {
    route: 'PATCH /api/v1/sales/settings',
    audits: 'sales_settings',
    prepare: async () => ({ body: { quoteValidDays: 20 + (n++ % 10) } }),
  },
  {
    route: 'POST /api/v1/opportunities',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({
      body: { name: `新商机${n++}`, customerId: await insertCustomer(ws), amount: 5000 },
    }),
  },
  {
    route: 'GET /api/v1/opportunities/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await opportunityId(ws) } }),
  },
  {
    route: 'PATCH /api/v1/opportunities/:id',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({
      params: { id: await opportunityId(ws) },
      body: { expectedCloseDate: '2026-12-31', meddic: { metrics: '降本' } },
    }),
  },
  {
    route: 'DELETE /api/v1/opportunities/:id',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({ params: { id: await opportunityId(ws) } }),
  },
  {
    route: 'POST /api/v1/opportunities/:id/stage',
    audits: 'opportunity',
    prepare: async (_k, ws) => {
      const opp = await opportunity(ws)
      const def = await ensureDefaultPipeline(ws.sys)
      return { params: { id: opp.id }, body: { stageId: def.stages[1]!.id, version: opp.version } }
    },
  },
  {
    route: 'POST /api/v1/opportunities/:id/won',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({ params: { id: await opportunityId(ws) }, body: { reason: '产品匹配' } }),
  },
  {
    route: 'POST /api/v1/opportunities/:id/lost',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({
      params: { id: await opportunityId(ws) },
      body: { reason: 'other', note: '项目取消' },
    }),
  },
  {
    route: 'POST /api/v1/opportunities/:id/reopen',
    audits: 'opportunity',
    prepare: async (_k, ws) => {
      const id = await opportunityId(ws)
      await closeOpportunity(ws.sys, id, 'lost', { reason: '价格' })
      return { params: { id }, body: {} }
    },
  },
  {
    route: 'PUT /api/v1/opportunities/:id/lines',
    audits: 'opportunity',
    prepare: async (_k, ws) => {
      const product = await createProduct(ws.sys, {
        code: `S-${n++}-${Date.now()}`,
        name: '样例产品',
        listPrice: 990,
      })
      return {
        params: { id: await opportunityId(ws) },
        body: { lines: [{ productId: product.id, quantity: 2 }] },
      }
    },
  },
  {
    route: 'PUT /api/v1/opportunities/:id/competitors',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({ params: { id: await opportunityId(ws) }, body: { competitors: [] } }),
  },
  {
    route: 'GET /api/v1/opportunities/:id/stage-history',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await opportunityId(ws) } }),
  },
  {
    route: 'POST /api/v1/opportunities/assign',
    audits: 'opportunity',
    prepare: async (_k, ws) => ({ body: { ids: [await opportunityId(ws)], ownerId: await make.user(ws) } }),
  },
]

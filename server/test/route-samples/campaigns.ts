import { createCampaign } from '../../src/modules/campaigns/service.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
const campaign = async (ws: Workspace) =>
  (
    await createCampaign(ws.sys, {
      name: `活动${n}`,
      kind: 'ads',
      code: `c${n++}-${Date.now()}`,
      unitId: ws.rootUnitId,
    })
  ).id

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/campaigns/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await campaign(ws) } }),
  },
  {
    route: 'GET /api/v1/campaigns/:id/members',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await campaign(ws) } }),
  },
  {
    route: 'GET /api/v1/campaigns/:id/trend',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await campaign(ws) } }),
  },
  {
    route: 'POST /api/v1/campaigns',
    audits: 'campaign',
    prepare: async (_k, ws) => ({
      body: { name: '样例活动', kind: 'sms', code: `s${n++}-${Date.now()}`, unitId: ws.rootUnitId },
    }),
  },
  {
    route: 'PATCH /api/v1/campaigns/:id',
    audits: 'campaign',
    prepare: async (_k, ws) => ({ params: { id: await campaign(ws) }, body: { actualCost: 12_000 } }),
  },
  {
    route: 'DELETE /api/v1/campaigns/:id',
    audits: 'campaign',
    prepare: async (_k, ws) => ({ params: { id: await campaign(ws) } }),
  },
]

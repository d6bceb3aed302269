import { make } from './helpers.js'
import type { RouteSample } from './types.js'

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/leads/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'POST /api/v1/leads',
    audits: 'lead',
    prepare: async () => ({
      body: { name: '陈静', mobile: '+86 139 0013 9000', company: '上海某某科技有限公司' },
    }),
  },
  {
    route: 'PATCH /api/v1/leads/:id',
    audits: 'lead',
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) }, body: { status: 'following' } }),
  },
  {
    route: 'DELETE /api/v1/leads/:id',
    audits: 'lead',
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
]

import { make } from './helpers.js'
import type { RouteSample } from './types.js'

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/org-units',
    audits: 'org_unit',
    prepare: async (_k, ws) => ({ body: { parentId: ws.rootUnitId, type: 'team', name: '新团队' } }),
  },
  {
    route: 'PATCH /api/v1/org-units/:id',
    audits: 'org_unit',
    prepare: async (_k, ws) => ({ params: { id: await make.unit(ws) }, body: { name: '改名部门' } }),
  },
  {
    route: 'DELETE /api/v1/org-units/:id',
    audits: 'org_unit',
    prepare: async (_k, ws) => ({ params: { id: await make.unit(ws) } }),
  },
  {
    route: 'GET /api/v1/roles/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.role(ws) } }),
  },
  {
    route: 'POST /api/v1/roles',
    audits: 'role',
    prepare: async () => ({
      body: { name: '渠道经理', permissions: ['leads.view', 'pii.view'], dataScope: 'department' },
    }),
  },
  {
    route: 'PATCH /api/v1/roles/:id',
    audits: 'role',
    prepare: async (_k, ws) => ({
      params: { id: await make.role(ws) },
      body: { dataScope: 'department_tree' },
    }),
  },
  {
    route: 'DELETE /api/v1/roles/:id',
    audits: 'role',
    prepare: async (_k, ws) => ({ params: { id: await make.role(ws) } }),
  },
]

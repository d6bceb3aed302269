import { moveLeads } from '../../src/modules/leads/moves.service.js'
import { createPool } from '../../src/modules/leads/pools.service.js'
import { createSavedView } from '../../src/modules/leads/saved-views.service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
const pool = async (ws: Workspace, kind: 'sub' | 'public' = 'sub') =>
  (await createPool(ws.sys, { name: `样例池${n++}-${Date.now()}`, kind })).id
/** A lead waiting in a fresh public pool (no owner). */
const waiting = async (ws: Workspace) => {
  const poolId = await pool(ws, 'public')
  const id = await make.lead(ws)
  await moveLeads(ws.sys, [id], { poolId, ownerId: null }, { kind: 'pool' })
  return { id, poolId }
}
const view = async (ws: Workspace) =>
  (await createSavedView({ ...ws.sys, actor: { ...ws.sys.actor, id: ws.adminId } }, { name: `视图${n++}` }))
    .id

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/lead-pools/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await pool(ws) } }),
  },
  {
    route: 'POST /api/v1/lead-pools',
    audits: 'lead_pool',
    prepare: async () => ({ body: { name: `新子池${n++}-${Date.now()}`, kind: 'sub' } }),
  },
  {
    route: 'PATCH /api/v1/lead-pools/:id',
    audits: 'lead_pool',
    prepare: async (_k, ws) => ({ params: { id: await pool(ws) }, body: { description: '华东区域' } }),
  },
  {
    route: 'DELETE /api/v1/lead-pools/:id',
    audits: 'lead_pool',
    prepare: async (_k, ws) => ({ params: { id: await pool(ws) } }),
  },
  {
    route: 'PUT /api/v1/lead-pools/:id/members',
    audits: 'lead_pool',
    prepare: async (_k, ws) => ({
      params: { id: await pool(ws) },
      body: { members: [{ userId: await make.user(ws), role: 'member' }] },
    }),
  },
  {
    route: 'GET /api/v1/public-pools/:id/leads',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await waiting(ws)).poolId } }),
  },
  {
    route: 'POST /api/v1/leads/:id/claim',
    audits: 'lead',
    prepare: async (_k, ws) => ({ params: { id: (await waiting(ws)).id } }),
  },
  {
    route: 'POST /api/v1/leads/claim',
    audits: 'lead',
    prepare: async (_k, ws) => ({ body: { ids: [(await waiting(ws)).id] } }),
  },
  {
    route: 'POST /api/v1/leads/:id/release',
    audits: 'lead',
    prepare: async (_k, ws) => {
      await pool(ws, 'public')
      return { params: { id: await make.lead(ws) }, body: { reason: '暂无需求' } }
    },
  },
  {
    route: 'POST /api/v1/leads/bulk/release',
    audits: 'lead',
    prepare: async (_k, ws) => ({
      body: { ids: [await make.lead(ws)], reason: '其他', poolId: await pool(ws, 'public') },
    }),
  },
  {
    route: 'POST /api/v1/leads/:id/status',
    audits: 'lead',
    prepare: async (_k, ws) => ({
      params: { id: await make.lead(ws) },
      body: { status: 'invalid', closeReason: 'invalid_number' },
    }),
  },
  {
    route: 'POST /api/v1/leads/bulk/move',
    audits: 'lead',
    prepare: async (_k, ws) => ({ body: { ids: [await make.lead(ws)], poolId: await pool(ws) } }),
  },
  {
    route: 'PUT /api/v1/leads/:id/collaborators',
    audits: 'lead',
    prepare: async (_k, ws) => ({
      params: { id: await make.lead(ws) },
      body: { userIds: [await make.user(ws)] },
    }),
  },
  {
    route: 'GET /api/v1/leads/:id/moves',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'PUT /api/v1/lead-settings',
    audits: 'lead_settings',
    prepare: async () => ({ body: { firstContactSlaHours: 100 + n++ } }),
  },
  {
    route: 'POST /api/v1/saved-views',
    audits: 'saved_view',
    prepare: async () => ({
      body: { name: '我的华东线索', query: { filter: { grade: 'A' } }, shared: true },
    }),
  },
  {
    route: 'PATCH /api/v1/saved-views/:id',
    audits: 'saved_view',
    prepare: async (_k, ws) => ({ params: { id: await view(ws) }, body: { layout: 'board' } }),
  },
  {
    route: 'DELETE /api/v1/saved-views/:id',
    audits: 'saved_view',
    prepare: async (_k, ws) => ({ params: { id: await view(ws) } }),
  },
]

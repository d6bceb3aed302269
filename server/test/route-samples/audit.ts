import type { Kit, Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

/** Deletes a fresh lead and returns its recycle-bin entry id. */
async function binned(kit: Kit, ws: Workspace) {
  const id = await make.lead(ws)
  await kit.req(ws.admin, { method: 'DELETE', url: `/api/v1/leads/${id}` })
  const { rows } = await kit.haina.database.pool.query(
    'select id from recycle_bin where tenant_id = $1 and object_id = $2',
    [ws.tenantId, id],
  )
  return String(rows[0].id)
}

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/recycle-bin/:id/restore',
    audits: 'lead',
    prepare: async (kit, ws) => ({ params: { id: await binned(kit, ws) } }),
  },
  {
    route: 'DELETE /api/v1/recycle-bin/:id',
    audits: 'lead',
    prepare: async (kit, ws) => ({ params: { id: await binned(kit, ws) } }),
  },
]

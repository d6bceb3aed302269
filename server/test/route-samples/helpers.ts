import { createLeads } from '../../src/modules/leads/service.js'
import { createRole } from '../../src/platform/org/roles.service.js'
import { createUnits } from '../../src/platform/org/units.service.js'
import { createUsers } from '../../src/platform/org/users.service.js'
import type { Kit, Workspace } from '../kit.js'

let n = 0
/** Small arrangers shared by the route samples: each makes a fresh record in `ws`. */
export const make = {
  async unit(ws: Workspace) {
    const [u] = await createUnits(ws.sys, [
      { parentId: ws.rootUnitId, type: 'department', name: `部门${n++}` },
    ])
    return String(u!.id)
  },
  async role(ws: Workspace) {
    const r = await createRole(ws.sys, { name: `角色${n++}`, permissions: ['leads.view'], dataScope: 'self' })
    return String(r.id)
  },
  async user(ws: Workspace) {
    const [u] = await createUsers(ws.sys, [
      {
        email: `u${n++}-${Date.now()}@sample.test`,
        name: `用户${n}`,
        unitId: ws.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    ])
    return u!.id
  },
  async lead(ws: Workspace) {
    const [l] = await createLeads(ws.sys, [
      { name: `线索${n++}`, mobile: '13900139000', ownerId: ws.adminId },
    ])
    return String(l!.id)
  },
  /** A user with the admin role, signed in: for routes that end or change the caller's own session. */
  async adminSession(kit: Kit, ws: Workspace) {
    const { rows } = await kit.haina.database.pool.query(
      `select id from roles where tenant_id = $1 and key = 'admin'`,
      [ws.tenantId],
    )
    const [u] = await createUsers(ws.sys, [
      {
        email: `s${n++}-${Date.now()}@sample.test`,
        name: '会话',
        unitId: ws.rootUnitId,
        roleIds: [rows[0].id],
        password: 'Passw0rd!',
      },
    ])
    return kit.login(ws.tenantId, u!.id)
  },
}

import { createPool } from '../../src/modules/leads/pools.service.js'
import { createContact } from '../../src/modules/sales/customers/contacts.service.js'
import { convertLead } from '../../src/modules/sales/customers/conversion.service.js'
import { moveCustomers } from '../../src/modules/sales/customers/moves.js'
import { createCustomer } from '../../src/modules/sales/customers/service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
/** A customer of the workspace's admin. */
const customer = async (ws: Workspace) =>
  String(
    (
      await createCustomer(
        ws.sys,
        { name: `样例客户${n++}-${Date.now()}`, ownerId: ws.adminId },
        { allowDuplicate: true },
      )
    ).id,
  )
const contact = async (ws: Workspace) =>
  String((await createContact(ws.sys, { customerId: await customer(ws), name: `样例联系人${n++}` })).id)
const publicPool = async (ws: Workspace) =>
  (await createPool(ws.sys, { name: `样例客户公海${n++}-${Date.now()}`, kind: 'public' })).id
/** A customer waiting (no owner) in a fresh public pool. */
const waiting = async (ws: Workspace) => {
  const poolId = await publicPool(ws)
  const id = await customer(ws)
  await moveCustomers(ws.sys, [id], { poolId, ownerId: null, unitId: ws.rootUnitId }, { kind: 'release' })
  return { id, poolId }
}
const convertBody = () => ({
  customer: { mode: 'new', name: `转化客户${n++}-${Date.now()}`, allowDuplicate: true },
  contact: {},
  opportunity: null,
})

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/customers/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await customer(ws) } }),
  },
  {
    route: 'GET /api/v1/customers/:id/hierarchy',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await customer(ws) } }),
  },
  {
    route: 'POST /api/v1/customers',
    audits: 'customer',
    prepare: async () => ({
      body: { name: `新客户${n++}-${Date.now()}`, industry: '软件', allowDuplicate: true },
    }),
  },
  {
    route: 'PATCH /api/v1/customers/:id',
    audits: 'customer',
    prepare: async (_k, ws) => ({ params: { id: await customer(ws) }, body: { level: 'key', version: 1 } }),
  },
  {
    route: 'DELETE /api/v1/customers/:id',
    audits: 'customer',
    prepare: async (_k, ws) => ({ params: { id: await customer(ws) } }),
  },
  { route: 'POST /api/v1/customers/groups/recompute', audits: null, prepare: async () => ({}) },
  {
    route: 'GET /api/v1/public-pools/:id/customers',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await waiting(ws)).poolId } }),
  },
  {
    route: 'POST /api/v1/customers/:id/claim',
    audits: 'customer',
    prepare: async (_k, ws) => ({ params: { id: (await waiting(ws)).id } }),
  },
  {
    route: 'POST /api/v1/customers/claim',
    audits: 'customer',
    prepare: async (_k, ws) => ({ body: { ids: [(await waiting(ws)).id] } }),
  },
  {
    route: 'POST /api/v1/customers/:id/release',
    audits: 'customer',
    prepare: async (_k, ws) => ({
      params: { id: await customer(ws) },
      body: { reason: '暂无需求', poolId: await publicPool(ws) },
    }),
  },
  {
    route: 'POST /api/v1/customers/assign',
    audits: 'customer',
    prepare: async (_k, ws) => ({ body: { ids: [await customer(ws)], ownerId: await make.user(ws) } }),
  },
  {
    route: 'GET /api/v1/contacts/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await contact(ws) } }),
  },
  {
    route: 'GET /api/v1/customers/:id/contacts/tree',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await customer(ws) } }),
  },
  {
    route: 'POST /api/v1/contacts',
    audits: 'contact',
    prepare: async (_k, ws) => ({
      body: { customerId: await customer(ws), name: '张老师', mobile: '13800138000', dealRole: 'influencer' },
    }),
  },
  {
    route: 'PATCH /api/v1/contacts/:id',
    audits: 'contact',
    prepare: async (_k, ws) => ({ params: { id: await contact(ws) }, body: { title: '主任', version: 1 } }),
  },
  {
    route: 'DELETE /api/v1/contacts/:id',
    audits: 'contact',
    prepare: async (_k, ws) => ({ params: { id: await contact(ws) } }),
  },
  {
    route: 'GET /api/v1/leads/:id/convert/preview',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'POST /api/v1/leads/:id/convert',
    audits: 'lead',
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) }, body: convertBody() }),
  },
  {
    route: 'GET /api/v1/leads/:id/conversion',
    audits: null,
    prepare: async (_k, ws) => {
      const id = await make.lead(ws)
      await convertLead(ws.sys, id, convertBody() as Parameters<typeof convertLead>[2])
      return { params: { id } }
    },
  },
]

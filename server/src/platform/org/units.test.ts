/** Org tree over HTTP: typed units, materialised paths, org boundaries on move, guarded deletes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { createLeads } from '../../modules/leads/service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

type Unit = {
  id: string
  parentId: string | null
  type: string
  name: string
  orgId: string
  path: string
  version: number
}
const post = async (body: object) =>
  kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/org-units', payload: body })
const create = async (parentId: string, type: string, name: string) => {
  const res = await post({ parentId, type, name })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as Unit
}
const tree = async () =>
  (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/org-units' })).json().items as Unit[]
const byId = async (id: string) => (await tree()).find((u) => u.id === id)!

describe('org units', () => {
  it('starts with exactly one root company and keeps paths and org boundaries', async () => {
    const roots = (await tree()).filter((u) => !u.parentId)
    expect(roots).toEqual([
      expect.objectContaining({
        id: kit.a.rootUnitId,
        type: 'company',
        orgId: kit.a.rootUnitId,
        path: `/${kit.a.rootUnitId}/`,
      }),
    ])
    const region = await create(kit.a.rootUnitId, 'region', '华南大区')
    const dealer = await create(region.id, 'dealer', '广州经销商')
    const team = await create(dealer.id, 'team', '广州一组')
    expect(region).toMatchObject({ orgId: kit.a.rootUnitId, path: `/${kit.a.rootUnitId}/${region.id}/` })
    expect(dealer.orgId).toBe(dealer.id)
    expect(team).toMatchObject({ orgId: dealer.id, path: `${dealer.path}${team.id}/` })
    // B never sees A's tree.
    const fromB = (await kit.req(kit.b.admin, { method: 'GET', url: '/api/v1/org-units' })).json()
      .items as Unit[]
    expect(fromB.map((u) => u.id)).not.toContain(region.id)
  })

  it('moves a subtree: rewrites descendant paths, org ids and the org of records in it', async () => {
    const r1 = await create(kit.a.rootUnitId, 'region', '华北大区')
    const d1 = await create(r1.id, 'dealer', '北京经销商')
    const d2 = await create(r1.id, 'dealer', '天津经销商')
    const dept = await create(d1.id, 'department', '销售部')
    const team = await create(dept.id, 'team', '一组')
    const [lead] = await createLeads(kit.a.sys, [{ name: '移动线索', ownerId: null, unitId: team.id }])
    expect(lead!.orgId).toBe(d1.id)
    const res = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${dept.id}`,
      payload: { parentId: d2.id, version: dept.version },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ parentId: d2.id, orgId: d2.id, path: `${d2.path}${dept.id}/` })
    expect(await byId(team.id)).toMatchObject({ orgId: d2.id, path: `${d2.path}${dept.id}/${team.id}/` })
    const moved = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads/${lead!.id}` })).json()
    expect(moved.orgId).toBe(d2.id)
    // Retyping the department into a dealer makes it the boundary of everything below.
    const retyped = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${dept.id}`,
      payload: { type: 'dealer' },
    })
    expect(retyped.json().orgId).toBe(dept.id)
    expect((await byId(team.id)).orgId).toBe(dept.id)
    // The move and the retype are audited.
    const audit = (
      await kit.req(kit.a.admin, {
        method: 'GET',
        url: `/api/v1/audit-log?filter=${encodeURIComponent(JSON.stringify({ objectId: dept.id }))}`,
      })
    ).json().items
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create'])
  })

  it('refuses cycles, moving the root, stale versions and unknown parents', async () => {
    const a = await create(kit.a.rootUnitId, 'department', '甲')
    const b = await create(a.id, 'team', '乙')
    const cycle = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${a.id}`,
      payload: { parentId: b.id },
    })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.json().errors).toEqual([expect.objectContaining({ field: 'parentId', code: 'unit_cycle' })])
    const self = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${a.id}`,
      payload: { parentId: a.id },
    })
    expect(self.json().errors?.[0]?.code).toBe('unit_cycle')
    const root = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${kit.a.rootUnitId}`,
      payload: { parentId: a.id },
    })
    expect(root.json().errors?.[0]?.code).toBe('root_unit_fixed')
    const stale = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/org-units/${a.id}`,
      payload: { name: '丙', version: a.version + 5 },
    })
    expect(stale.statusCode).toBe(409)
    const foreignParent = await post({ parentId: kit.b.rootUnitId, type: 'team', name: 'x' })
    expect(foreignParent.statusCode).toBe(400)
    expect(foreignParent.json().errors).toEqual([
      expect.objectContaining({ field: 'parentId', code: 'invalid_unit' }),
    ])
    expect((await byId(a.id)).parentId).toBe(kit.a.rootUnitId)
  })

  it('refuses to delete a unit with children, users or leads (409), the root included', async () => {
    const parent = await create(kit.a.rootUnitId, 'department', '待删部门')
    const child = await create(parent.id, 'team', '待删小组')
    const del = (id: string) => kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/org-units/${id}` })
    const busy = await del(parent.id)
    expect(busy.statusCode).toBe(409)
    expect(busy.json().code).toBe('unit_not_empty')
    expect((await del(kit.a.rootUnitId)).statusCode).toBe(409)
    const [lead] = await createLeads(kit.a.sys, [{ name: '占位', ownerId: null, unitId: child.id }])
    expect((await del(child.id)).statusCode).toBe(409)
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/leads/${lead!.id}` })).statusCode,
    ).toBe(204)
    // A user in the unit also blocks it.
    const user = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'unit-user@a.test',
        name: '单元用户',
        unitId: child.id,
        roleIds: [],
        password: 'Passw0rd!2026',
      },
    })
    expect(user.statusCode, user.body).toBe(201)
    expect((await del(child.id)).statusCode).toBe(409)
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/users/${user.json().id}` })).statusCode,
    ).toBe(204)
    expect((await del(child.id)).statusCode).toBe(204)
    expect((await del(parent.id)).statusCode).toBe(204)
    expect((await tree()).map((u) => u.id)).not.toContain(parent.id)
  })

  it('needs org.* permissions', async () => {
    const { rows } = await kit.haina.database.pool.query(
      `select id from roles where tenant_id = $1 and key = 'salesperson'`,
      [kit.a.tenantId],
    )
    const u = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'sales-org@a.test',
        name: '销售',
        unitId: kit.a.rootUnitId,
        roleIds: [rows[0].id],
        password: 'Passw0rd!2026',
      },
    })
    const s = await kit.login(kit.a.tenantId, u.json().id)
    expect((await kit.req(s, { method: 'GET', url: '/api/v1/org-units' })).statusCode).toBe(200)
    const denied = await kit.req(s, {
      method: 'POST',
      url: '/api/v1/org-units',
      payload: { parentId: kit.a.rootUnitId, type: 'team', name: 'x' },
    })
    expect(denied.statusCode).toBe(403)
  })
})

/**
 * The data-scope matrix on leads: self / department / department tree / org / all, for list,
 * get, update and delete, over an org tree HQ → 华东大区 → two dealers → teams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLeads, type LeadInput } from '../src/modules/leads/service.js'
import { createRole } from '../src/platform/org/roles.service.js'
import type { DataScope } from '../src/platform/org/schema.js'
import { createUnits } from '../src/platform/org/units.service.js'
import { createUsers } from '../src/platform/org/users.service.js'
import { createKit, type Kit, type TestSession } from './kit.js'

let kit: Kit
const unit: Record<string, string> = {}
const lead: Record<string, string> = {}
const as: Record<string, TestSession> = {}

beforeAll(async () => {
  kit = await createKit()
  const sys = kit.a.sys
  const [east] = await createUnits(sys, [{ parentId: kit.a.rootUnitId, type: 'region', name: '华东大区' }])
  const [d1, d2] = await createUnits(sys, [
    { parentId: String(east!.id), type: 'dealer', name: '上海经销商' },
    { parentId: String(east!.id), type: 'dealer', name: '杭州经销商' },
  ])
  const [t1, t2, t3] = await createUnits(sys, [
    { parentId: String(d1!.id), type: 'team', name: '上海一组' },
    { parentId: String(d1!.id), type: 'team', name: '上海二组' },
    { parentId: String(d2!.id), type: 'team', name: '杭州一组' },
  ])
  Object.assign(unit, { east: east!.id, d1: d1!.id, d2: d2!.id, t1: t1!.id, t2: t2!.id, t3: t3!.id })
  const pii = ['leads.view', 'leads.create', 'leads.edit', 'leads.delete']
  const role = async (scope: DataScope, withPii = false) =>
    String(
      (
        await createRole(sys, {
          name: `r-${scope}-${withPii}`,
          permissions: withPii ? [...pii, 'pii.view'] : pii,
          dataScope: scope,
        })
      ).id,
    )
  const people: [string, string, DataScope][] = [
    ['self', unit.t1!, 'self'],
    ['dept', unit.t1!, 'department'],
    ['tree', unit.d1!, 'department_tree'],
    ['org', unit.t2!, 'org'],
    ['dealerAll', unit.t1!, 'all'],
    ['hqAll', kit.a.rootUnitId, 'all'],
  ]
  for (const [key, unitId, scope] of people) {
    const [u] = await createUsers(sys, [
      {
        email: `${key}@a.test`,
        name: key,
        unitId,
        roleIds: [await role(scope, key === 'hqAll')],
        password: 'Passw0rd!',
      },
    ])
    as[key] = await kit.login(kit.a.tenantId, u!.id)
  }
  // One lead per place: owned by `self`; in team 1 (other owner); in team 2; at dealer 1; at dealer 2; at HQ.
  const put = async (key: string, input: Omit<LeadInput, 'name'>) => {
    const [l] = await createLeads(sys, [{ mobile: '13800138000', ...input, name: key }])
    lead[key] = String(l!.id)
  }
  await put('mine', { ownerId: as.self!.userId })
  await put('team1', { ownerId: null, unitId: unit.t1 })
  await put('team2', { ownerId: null, unitId: unit.t2 })
  await put('dealer1', { ownerId: null, unitId: unit.d1 })
  await put('dealer2', { ownerId: null, unitId: unit.t3 })
  await put('hq', { ownerId: null, unitId: kit.a.rootUnitId })
})
afterAll(() => kit.close())

const expected: Record<string, string[]> = {
  self: ['mine'],
  dept: ['mine', 'team1'],
  tree: ['dealer1', 'mine', 'team1', 'team2'],
  org: ['dealer1', 'mine', 'team1', 'team2'],
  dealerAll: ['dealer1', 'mine', 'team1', 'team2'],
  hqAll: ['dealer1', 'dealer2', 'hq', 'mine', 'team1', 'team2'],
}

describe('data-scope matrix on leads', () => {
  for (const [who, visible] of Object.entries(expected)) {
    it(`${who}: list, get, update and delete reach exactly ${visible.join(', ')}`, async () => {
      const list = await kit.req(as[who]!, { method: 'GET', url: '/api/v1/leads?limit=200' })
      expect(list.statusCode).toBe(200)
      expect(
        list
          .json()
          .items.map((l: { name: string }) => l.name)
          .sort(),
      ).toEqual(visible)
      for (const name of Object.keys(lead)) {
        const inScope = visible.includes(name)
        const get = await kit.req(as[who]!, { method: 'GET', url: `/api/v1/leads/${lead[name]}` })
        expect(get.statusCode, `get ${name}`).toBe(inScope ? 200 : 404)
        const patch = await kit.req(as[who]!, {
          method: 'PATCH',
          url: `/api/v1/leads/${lead[name]}`,
          payload: { notes: `by ${who}` },
        })
        expect(patch.statusCode, `update ${name}`).toBe(inScope ? 200 : 404)
        if (!inScope) {
          const del = await kit.req(as[who]!, { method: 'DELETE', url: `/api/v1/leads/${lead[name]}` })
          expect(del.statusCode, `delete ${name}`).toBe(404)
        }
      }
      // Deleting in scope: a fresh lead of the caller's own, gone afterwards (the fixtures stay for the others).
      const [own] = await createLeads(kit.a.sys, [{ name: `del-${who}`, ownerId: as[who]!.userId }])
      expect(
        (await kit.req(as[who]!, { method: 'DELETE', url: `/api/v1/leads/${own!.id}` })).statusCode,
      ).toBe(204)
      expect((await kit.req(as[who]!, { method: 'GET', url: `/api/v1/leads/${own!.id}` })).statusCode).toBe(
        404,
      )
    })
  }

  it('masks phone numbers unless the role may see them', async () => {
    const masked = (await kit.req(as.self!, { method: 'GET', url: `/api/v1/leads/${lead.mine}` })).json()
    expect(masked.mobile).toBe('138****8000')
    const full = (await kit.req(as.hqAll!, { method: 'GET', url: `/api/v1/leads/${lead.mine}` })).json()
    expect(full.mobile).toBe('+8613800138000')
  })

  it('deletes in scope into the recycle bin, and restores from it', async () => {
    const del = await kit.req(as.self!, { method: 'DELETE', url: `/api/v1/leads/${lead.mine}` })
    expect(del.statusCode).toBe(204)
    expect((await kit.req(as.hqAll!, { method: 'GET', url: `/api/v1/leads/${lead.mine}` })).statusCode).toBe(
      404,
    )
    const bin = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/recycle-bin' })).json().items
    const entry = bin.find((b: { objectId: string }) => b.objectId === lead.mine)
    expect(entry).toMatchObject({ objectType: 'lead', label: 'mine' })
    expect(
      (await kit.req(kit.b.admin, { method: 'POST', url: `/api/v1/recycle-bin/${entry.id}/restore` }))
        .statusCode,
    ).toBe(404)
    expect(
      (await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/recycle-bin/${entry.id}/restore` }))
        .statusCode,
    ).toBe(204)
    const back = await kit.req(as.self!, { method: 'GET', url: `/api/v1/leads/${lead.mine}` })
    expect(back.json()).toMatchObject({ name: 'mine', ownerId: as.self!.userId })
  })

  it('refuses to place a lead outside the caller’s scope (400 invalid_unit), defaulting to the caller’s unit', async () => {
    const outside = await kit.req(as.tree!, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'x', unitId: unit.t3 },
    })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().errors).toEqual([
      expect.objectContaining({ field: 'unitId', code: 'invalid_unit' }),
    ])
    const foreign = await kit.req(as.tree!, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'x', unitId: kit.b.rootUnitId },
    })
    expect(foreign.statusCode).toBe(400)
    const inside = await kit.req(as.tree!, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: '树内线索', unitId: unit.t2 },
    })
    expect(inside.statusCode, inside.body).toBe(201)
    expect(inside.json()).toMatchObject({ unitId: unit.t2, orgId: unit.d1, ownerId: as.tree!.userId })
    const dflt = (
      await kit.req(as.self!, { method: 'POST', url: '/api/v1/leads', payload: { name: '默认线索' } })
    ).json()
    expect(dflt).toMatchObject({ ownerId: as.self!.userId, unitId: unit.t1, orgId: unit.d1 })
    const moveOut = await kit.req(as.tree!, {
      method: 'PATCH',
      url: `/api/v1/leads/${inside.json().id}`,
      payload: { unitId: unit.t3 },
    })
    expect(moveOut.statusCode).toBe(400)
    await kit.req(as.tree!, { method: 'DELETE', url: `/api/v1/leads/${inside.json().id}` })
    await kit.req(as.self!, { method: 'DELETE', url: `/api/v1/leads/${dflt.id}` })
    const admin = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'x', unitId: unit.t3, mobile: '12345', email: 'nope' },
    })
    expect(admin.statusCode).toBe(400)
    expect(admin.json().errors).toEqual([
      expect.objectContaining({ field: 'mobile', code: 'invalid_phone' }),
      expect.objectContaining({ field: 'email', code: 'invalid_email' }),
    ])
  })

  it('rejects a stale save with 409 carrying the current version', async () => {
    const cur = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads/${lead.hq}` })).json()
    const ok = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/leads/${lead.hq}`,
      payload: { notes: 'v+1', version: cur.version },
    })
    expect(ok.statusCode).toBe(200)
    const stale = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/leads/${lead.hq}`,
      payload: { notes: 'lost', version: cur.version },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current).toMatchObject({ notes: 'v+1', version: cur.version + 1 })
  })
})

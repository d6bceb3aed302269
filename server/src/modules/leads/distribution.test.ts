/**
 * Distribution (分发): rules from the master pool to dealers and sub-pools, first match wins; HQ
 * leads only; dealers never see each other's leads; manual (re)distribution with history and
 * scope checks; arrival through the 'lead.created' consumer.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { dispatchNow } from '../../platform/events/outbox.js'
import { roles } from '../../platform/org/schema.js'
import { createUnits } from '../../platform/org/units.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { runFactory } from '../quality/factory.service.js'
import { distributeLeads } from './distribution.service.js'
import { leadMovesOf } from './moves.service.js'
import { leadPools, leadSettings } from './pools.schema.js'
import { distributionRules } from './routing.schema.js'
import { leads } from './schema.js'

let kit: Kit
const unit: Record<string, string> = {}
const as: Record<string, TestSession> = {}
let subPool = ''

const api = (s: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(s, { method: method as 'POST', url: `/api/v1${url}`, payload: payload as object })

/** Unowned leads waiting at HQ (or in `unitId`), with routing fields set directly. */
async function put(rows: Record<string, unknown>[], unitId = kit.a.rootUnitId, orgId = kit.a.rootUnitId) {
  const inserted = await kit.a.sys.db
    .insert(leads)
    .values(rows.map((r) => ({ tenantId: kit.a.tenantId, unitId, orgId, name: 'x', ...r })))
    .returning({ id: leads.id })
  return inserted.map((r) => r.id)
}
const lead = async (id: string) =>
  (
    await kit.a.sys.db
      .select()
      .from(leads)
      .where(and(eq(leads.tenantId, kit.a.tenantId), eq(leads.id, id)))
  )[0]!
const rule = async (body: Record<string, unknown>) => {
  const res = await api(kit.a.admin, 'POST', '/distribution-rules', body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; sort: number }
}

beforeAll(async () => {
  kit = await createKit()
  const sys = kit.a.sys
  const [d1, d2] = await createUnits(sys, [
    { parentId: kit.a.rootUnitId, type: 'dealer', name: '上海经销商' },
    { parentId: kit.a.rootUnitId, type: 'dealer', name: '杭州经销商' },
  ])
  const [t1] = await createUnits(sys, [{ parentId: String(d1!.id), type: 'team', name: '上海一组' }])
  Object.assign(unit, { d1: d1!.id, d2: d2!.id, t1: t1!.id })
  const roleId = async (key: string) =>
    (
      await sys.db
        .select({ id: roles.id })
        .from(roles)
        .where(and(eq(roles.tenantId, kit.a.tenantId), eq(roles.key, key)))
    )[0]!.id
  const people: [string, string, string][] = [
    ['sales1', unit.t1!, 'salesperson'],
    ['manager1', unit.d1!, 'sales_manager'],
  ]
  for (const [key, unitId, role] of people) {
    const [u] = await createUsers(sys, [
      { email: `${key}@a.test`, name: key, unitId, roleIds: [await roleId(role)], password: 'Passw0rd!' },
    ])
    as[key] = await kit.login(kit.a.tenantId, u!.id)
  }
  const [pool] = await sys.db
    .insert(leadPools)
    .values({
      tenantId: kit.a.tenantId,
      name: '华南子池',
      kind: 'sub',
      unitId: kit.a.rootUnitId,
      orgId: kit.a.rootUnitId,
    })
    .returning()
  subPool = pool!.id
})
afterAll(() => kit.close())

describe('distribution', () => {
  it('changes nothing while no rule exists', async () => {
    const [id] = await put([{ name: '无规则', regionCode: '310101' }])
    const out = await distributeLeads(kit.a.sys, [id!])
    expect(out.moved.size).toBe(0)
    expect(await lead(id!)).toMatchObject({ orgId: kit.a.rootUnitId, poolId: null, routingNote: null })
  })

  it('validates rules, naming each bad field', async () => {
    const bad = await api(kit.a.admin, 'POST', '/distribution-rules', {
      name: '坏规则',
      conditions: [
        { field: 'regionCode', op: 'prefix', value: '31' },
        { field: 'nope', op: 'eq', value: 1 },
      ],
      targetPoolId: '00000000-0000-4000-8000-000000000000',
    })
    expect(bad.statusCode).toBe(400)
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['conditions[1].field', 'targetPoolId'])
    const none = await api(kit.a.admin, 'POST', '/distribution-rules', { name: '无目标' })
    expect(none.statusCode).toBe(400)
    expect(none.json().errors[0].field).toBe('targetPoolId')
    const mismatch = await api(kit.a.admin, 'POST', '/distribution-rules', {
      name: '池与组织不符',
      targetPoolId: subPool,
      targetUnitId: unit.d1,
    })
    expect(mismatch.json().errors[0]).toMatchObject({
      field: 'targetPoolId',
      code: 'routing_pool_org_mismatch',
    })
  })

  it('moves HQ leads by the first matching rule; dealer leads stay with their dealer', async () => {
    const shanghai = await rule({
      name: '上海',
      conditions: [{ field: 'regionCode', op: 'prefix', value: '31' }],
      targetUnitId: unit.d1,
    })
    const suv = await rule({
      name: 'SUV 到杭州',
      conditions: [{ field: 'category', op: 'eq', value: 'SUV' }],
      targetUnitId: unit.d2,
    })
    await rule({
      name: 'A 级到子池',
      conditions: [{ field: 'grade', op: 'eq', value: 'A' }],
      targetPoolId: subPool,
    })
    const [sh, hz, south, other] = await put([
      { name: '上海客户', regionCode: '310101', category: 'SUV' },
      { name: '杭州 SUV', regionCode: '330100', category: 'SUV' },
      { name: '广州 A', regionCode: '440100', grade: 'A' },
      { name: '无匹配', regionCode: '510100' },
    ])
    // Collected by dealer 2 itself: not HQ's to distribute.
    const [ownId] = await put([{ name: '经销商自有', regionCode: '310101' }], unit.d2!, unit.d2!)
    const out = await distributeLeads(kit.a.sys, [sh!, hz!, south!, other!, ownId!])
    expect(out.moved.get(sh!)).toBe(shanghai.id)
    expect(out.moved.get(hz!)).toBe(suv.id)
    expect(out.unmatched).toEqual([other])
    expect(await lead(sh!)).toMatchObject({ orgId: unit.d1, unitId: unit.d1, poolId: null, ownerId: null })
    expect(await lead(hz!)).toMatchObject({ orgId: unit.d2, unitId: unit.d2 })
    expect(await lead(south!)).toMatchObject({ orgId: kit.a.rootUnitId, poolId: subPool })
    expect(await lead(ownId!)).toMatchObject({ orgId: unit.d2, poolId: null })
    const [move] = await leadMovesOf(kit.a.sys, sh!)
    expect(move).toMatchObject({
      kind: 'distribute',
      ruleId: shanghai.id,
      fromOrgId: kit.a.rootUnitId,
      toOrgId: unit.d1,
      reason: '上海',
    })
    // Idempotent: run again, nothing more moves.
    const again = await distributeLeads(kit.a.sys, [sh!, hz!, south!])
    expect(again.moved.size).toBe(0)
  })

  it('keeps dealers apart: dealer 1 people cannot list or get dealer 2 leads', async () => {
    const [mine] = await put([{ name: '沪一', regionCode: '310105' }])
    const [theirs] = await put([{ name: '杭一', regionCode: '330105', category: 'SUV' }])
    await distributeLeads(kit.a.sys, [mine!, theirs!])
    expect((await lead(theirs!)).orgId).toBe(unit.d2)
    for (const who of ['sales1', 'manager1']) {
      const got = await api(as[who]!, 'GET', `/leads/${theirs}`)
      expect(got.statusCode, who).toBe(404)
      const list = await api(as[who]!, 'GET', '/leads?limit=200')
      expect(list.statusCode).toBe(200)
      expect(list.json().items.map((l: { id: string }) => l.id)).not.toContain(theirs)
    }
    // The dealer 1 manager sees its own dealer's distributed lead.
    expect((await api(as.manager1!, 'GET', `/leads/${mine}`)).statusCode).toBe(200)
  })

  it('redistributes manually with history; refuses leads and targets outside the scope', async () => {
    const [id] = await put([{ name: '例外', regionCode: '999999' }])
    const res = await api(kit.a.admin, 'POST', '/leads/distribute', {
      ids: [id],
      unitId: unit.d1,
      reason: '大客户',
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ moved: 1, leads: [{ id, orgId: unit.d1, ownerId: null }] })
    const back = await api(kit.a.admin, 'POST', '/leads/distribute', {
      ids: [id],
      unitId: unit.d2,
      reason: '转给杭州',
    })
    expect(back.statusCode).toBe(200)
    const moves = await leadMovesOf(kit.a.sys, id!)
    expect(moves.map((m) => [m.kind, m.fromOrgId, m.toOrgId, m.reason])).toEqual([
      ['distribute', kit.a.rootUnitId, unit.d1, '大客户'],
      ['distribute', unit.d1, unit.d2, '转给杭州'],
    ])
    // Dealer 1's manager: a lead of dealer 2 is not theirs (404); dealer 2 is no target of theirs (400).
    const notMine = await api(as.manager1!, 'POST', '/leads/distribute', { ids: [id], unitId: unit.t1 })
    expect(notMine.statusCode).toBe(404)
    const [own] = await put([{ name: '一组的' }], unit.t1!, unit.d1!)
    const outside = await api(as.manager1!, 'POST', '/leads/distribute', { ids: [own], unitId: unit.d2 })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().errors[0].field).toBe('unitId')
    const inside = await api(as.manager1!, 'POST', '/leads/distribute', { ids: [own], unitId: unit.d1 })
    expect(inside.statusCode, inside.body).toBe(200)
    // Within the org, to another unit: that unit assigns it, so the owner is cleared.
    const [owned] = await put([{ name: '有主', ownerId: kit.a.adminId }])
    const [dept] = await createUnits(kit.a.sys, [
      { parentId: kit.a.rootUnitId, type: 'department', name: '市场部' },
    ])
    const toDept = await api(kit.a.admin, 'POST', '/leads/distribute', { ids: [owned], unitId: dept!.id })
    expect(toDept.json().leads[0]).toMatchObject({ unitId: dept!.id, orgId: kit.a.rootUnitId, ownerId: null })
    // Workspace B's lead: 404.
    const other = await api(kit.b.admin, 'POST', '/leads/distribute', { ids: [id], unitId: kit.b.rootUnitId })
    expect(other.statusCode).toBe(404)
    const noTarget = await api(kit.a.admin, 'POST', '/leads/distribute', { ids: [id] })
    expect(noTarget.json().errors[0].field).toBe('poolId')
  })

  it('reorders rules and respects disabled ones', async () => {
    const list = (await api(kit.a.admin, 'GET', '/distribution-rules')).json() as {
      id: string
      name: string
    }[]
    const reversed = list.map((r) => r.id).reverse()
    const res = await api(kit.a.admin, 'POST', '/distribution-rules/reorder', { ids: reversed })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().map((r: { id: string }) => r.id)).toEqual(reversed)
    const unknown = await api(kit.a.admin, 'POST', '/distribution-rules/reorder', {
      ids: ['00000000-0000-4000-8000-000000000000'],
    })
    expect(unknown.json().errors[0].field).toBe('ids[0]')
    // Restore the order, then disable the Shanghai rule: the SUV rule takes a Shanghai SUV lead.
    await api(kit.a.admin, 'POST', '/distribution-rules/reorder', { ids: list.map((r) => r.id) })
    const sh = list.find((r) => r.name === '上海')!
    const patched = await api(kit.a.admin, 'PATCH', `/distribution-rules/${sh.id}`, { enabled: false })
    expect(patched.statusCode, patched.body).toBe(200)
    const [id] = await put([{ name: '沪 SUV', regionCode: '310101', category: 'SUV' }])
    await distributeLeads(kit.a.sys, [id!])
    expect((await lead(id!)).orgId).toBe(unit.d2)
    await api(kit.a.admin, 'PATCH', `/distribution-rules/${sh.id}`, { enabled: true })
  })

  it('distributes arrivals through the lead.created consumer, unless the workspace turned it off', async () => {
    const arrive = (name: string) =>
      runFactory(
        kit.a.sys,
        {
          channelId: null,
          campaignId: null,
          importId: null,
          unitId: kit.a.rootUnitId,
          orgId: kit.a.rootUnitId,
          source: '官网',
        },
        [
          {
            lead: {
              name,
              mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
              regionCode: '310104',
            },
          },
        ],
      )
    const [r1] = await arrive('到达一')
    await dispatchNow(kit.haina.database.db)
    const first = await lead(r1!.leadId!)
    expect(first.orgId).toBe(unit.d1)
    await kit.a.sys.db
      .insert(leadSettings)
      .values({ tenantId: kit.a.tenantId, autoDistribute: false, autoAssign: false })
    const [r2] = await arrive('到达二')
    await dispatchNow(kit.haina.database.db)
    expect((await lead(r2!.leadId!)).orgId).toBe(kit.a.rootUnitId)
    await kit.a.sys.db.delete(leadSettings).where(eq(leadSettings.tenantId, kit.a.tenantId))
  })

  it('sorts master-pool leads into nested sub-pools of their own org by criteria', async () => {
    const t = kit.a.tenantId
    const pool = async (
      name: string,
      orgUnit: string,
      criteria: unknown[],
      parentId: string | null = null,
      sort = 0,
    ) =>
      (
        await kit.a.sys.db
          .insert(leadPools)
          .values({
            tenantId: t,
            name,
            kind: 'sub',
            unitId: orgUnit,
            orgId: orgUnit,
            criteria: criteria as [],
            parentId,
            sort,
          })
          .returning({ id: leadPools.id })
      )[0]!.id
    const east = await pool('华东池', kit.a.rootUnitId, [{ field: 'regionCode', op: 'prefix', value: '32' }])
    const nanjing = await pool(
      '南京池',
      kit.a.rootUnitId,
      [{ field: 'regionCode', op: 'prefix', value: '3201' }],
      east,
    )
    // A dealer's own sub-pool: only that dealer's leads go there.
    const dealerPool = await pool('经销商 MPV', unit.d2!, [{ field: 'category', op: 'eq', value: 'MPV' }])
    const [nj, sz, hqMpv] = await put([
      { name: '南京', regionCode: '320105' },
      { name: '苏州', regionCode: '320505' },
      { name: '总部 MPV', regionCode: '650100', category: 'MPV' },
    ])
    const [dealerMpv] = await put([{ name: '经销商 MPV', category: 'MPV' }], unit.d2!, unit.d2!)
    const out = await distributeLeads(kit.a.sys, [nj!, sz!, hqMpv!, dealerMpv!])
    expect(out.pooled.get(nj!)).toBe(nanjing)
    expect(out.pooled.get(sz!)).toBe(east)
    expect(out.pooled.get(dealerMpv!)).toBe(dealerPool)
    expect(out.pooled.has(hqMpv!)).toBe(false)
    expect(out.unmatched).toEqual([hqMpv])
    expect(await lead(nj!)).toMatchObject({ poolId: nanjing, orgId: kit.a.rootUnitId })
    expect((await leadMovesOf(kit.a.sys, nj!))[0]).toMatchObject({ kind: 'distribute', toPoolId: nanjing })
    await kit.a.sys.db.update(leadPools).set({ enabled: false }).where(eq(leadPools.tenantId, t))
    await kit.a.sys.db.update(leadPools).set({ enabled: true }).where(eq(leadPools.id, subPool))
  })

  it('leaves a note on HQ leads no rule matches, and deletes rules', async () => {
    const [id] = await put([{ name: '无人认领', regionCode: '650100' }])
    const res = await api(kit.a.admin, 'POST', '/leads/auto-route', { ids: [id] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results[0].note).toMatch(/^no_distribution_rule/)
    const rows = await kit.a.sys.db
      .select()
      .from(distributionRules)
      .where(eq(distributionRules.tenantId, kit.a.tenantId))
    for (const r of rows)
      expect((await api(kit.a.admin, 'DELETE', `/distribution-rules/${r.id}`)).statusCode).toBe(204)
    expect((await api(kit.a.admin, 'GET', '/distribution-rules')).json()).toEqual([])
  })
})

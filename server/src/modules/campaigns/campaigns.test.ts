import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { runFactory } from '../quality/factory.service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const as = (method: string, url: string, payload?: unknown) =>
  kit.req(kit.a.admin, { method: method as 'GET', url, payload: payload as Record<string, unknown> })
const create = async (body: Record<string, unknown>) => {
  const res = await as('POST', '/api/v1/campaigns', { kind: 'ads', unitId: kit.a.rootUnitId, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; version: number }
}
/** Leads arriving through the data factory with a campaign, as a form or link with utm_campaign would. */
const arrive = (campaignId: string, ...leads: Record<string, unknown>[]) =>
  runFactory(
    kit.a.sys,
    {
      channelId: null,
      campaignId,
      importId: null,
      unitId: kit.a.rootUnitId,
      orgId: kit.a.rootUnitId,
      source: '广告',
    },
    leads.map((lead) => ({ lead })),
  )

describe('campaigns', () => {
  it('refuses bad input naming the field', async () => {
    const bad = await as('POST', '/api/v1/campaigns', {
      name: '双十一',
      kind: 'ads',
      code: 'bad code!',
      startsOn: '2026-11-11',
      endsOn: '2026-11-01',
      budget: -5,
      unitId: kit.a.rootUnitId,
    })
    expect(bad.statusCode).toBe(400)
    const fields = bad.json().errors.map((e: { field: string }) => e.field)
    expect(fields).toContain('budget') // the schema refuses a negative amount first
    const bad2 = await as('POST', '/api/v1/campaigns', {
      name: '双十一',
      kind: 'ads',
      code: 'bad code!',
      startsOn: '2026-11-11',
      endsOn: '2026-11-01',
      unitId: kit.a.rootUnitId,
    })
    expect(bad2.json().errors.map((e: { field: string }) => e.field)).toEqual(['code', 'endsOn'])
    await create({ name: '原活动', code: 'dup-code' })
    const dup = await as('POST', '/api/v1/campaigns', {
      name: '重复',
      kind: 'ads',
      code: 'dup-code',
      unitId: kit.a.rootUnitId,
    })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().errors[0].field).toBe('code')
  })

  it('attributes leads first-touch and last-touch, with cost per (qualified) lead', async () => {
    const spring = await create({ name: '春季投放', code: 'spring-ads', budget: 1_000_000 })
    const autumn = await create({ name: '秋季直播', kind: 'live_stream', code: 'autumn-live' })
    const [a, b] = await arrive(
      spring.id,
      { name: '甲', mobile: '13900000001' },
      { name: '乙', mobile: '13900000002' },
    )
    // 甲 comes back through the autumn campaign: still spring's first touch, now autumn's last touch.
    const [again] = await arrive(autumn.id, { name: '甲', mobile: '13900000001' })
    expect(again!.leadId).toBe(a!.leadId)
    await kit.haina.database.pool.query(`update leads set status = 'qualified' where id = $1`, [b!.leadId])
    const patched = await as('PATCH', `/api/v1/campaigns/${spring.id}`, {
      actualCost: 300_000,
      version: spring.version,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const s = patched.json().stats
    expect(s).toMatchObject({
      firstTouchLeads: 2,
      lastTouchLeads: 1,
      qualifiedLeads: 1,
      intents: 2,
      members: 2,
      costPerLead: 150_000,
      costPerQualifiedLead: 300_000,
    })
    const au = (await as('GET', `/api/v1/campaigns/${autumn.id}`)).json().stats
    expect(au).toMatchObject({ firstTouchLeads: 0, lastTouchLeads: 1, members: 1, costPerLead: null })
  })

  it('lists members newest response first, page by page, and a trend', async () => {
    const c = await create({ name: '线下沙龙', kind: 'event', code: 'salon' })
    for (const [i, name] of ['丙', '丁', '戊'].entries())
      await arrive(c.id, { name, mobile: `1390000010${i}` })
    const first = (await as('GET', `/api/v1/campaigns/${c.id}/members?limit=2`)).json()
    expect(first.items.map((m: { name: string }) => m.name)).toEqual(['戊', '丁'])
    expect(first.items[0].firstTouch).toBe(true)
    const rest = (
      await as('GET', `/api/v1/campaigns/${c.id}/members?limit=2&cursor=${first.nextCursor}`)
    ).json()
    expect(rest.items.map((m: { name: string }) => m.name)).toEqual(['丙'])
    expect(rest.nextCursor).toBeNull()
    const trend = (await as('GET', `/api/v1/campaigns/${c.id}/trend`)).json().items
    expect(trend.reduce((s: number, d: { intents: number }) => s + d.intents, 0)).toBe(3)
  })

  it('answers 404 to another workspace and keeps a stale save from overwriting', async () => {
    const c = await create({ name: '隔离', code: 'iso' })
    const other = await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/campaigns/${c.id}` })
    expect(other.statusCode).toBe(404)
    expect(
      (await as('PATCH', `/api/v1/campaigns/${c.id}`, { name: '一', version: c.version })).statusCode,
    ).toBe(200)
    const stale = await as('PATCH', `/api/v1/campaigns/${c.id}`, { name: '二', version: c.version })
    expect(stale.statusCode).toBe(409)
    expect((await as('GET', `/api/v1/campaigns/${c.id}`)).json().name).toBe('一')
  })
})

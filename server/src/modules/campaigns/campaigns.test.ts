import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { createRole } from '../../platform/org/roles.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { runFactory } from '../quality/factory.service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const as = (method: string, url: string, payload?: unknown) =>
  kit.req(kit.a.admin, { method: method as 'GET', url, payload: payload as Record<string, unknown> })
type Member = { leadId: string; name: string; intents: number; firstAt: string; lastAt: string }
/** Every page of a campaign's members as `who`, `limit` at a time. */
const allMembers = async (campaignId: string, limit: number, who: TestSession = kit.a.admin) => {
  const pages: Member[][] = []
  let cursor: string | null = null
  do {
    const res = await kit.req(who, {
      method: 'GET',
      url: `/api/v1/campaigns/${campaignId}/members?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    })
    expect(res.statusCode, res.body).toBe(200)
    const page: { items: Member[]; nextCursor: string | null } = res.json()
    pages.push(page.items)
    cursor = page.nextCursor
  } while (cursor)
  return pages
}
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
    // 甲 is a member of autumn too, but autumn was not its first touch.
    const [member] = (await as('GET', `/api/v1/campaigns/${autumn.id}/members`)).json().items
    expect(member).toMatchObject({ leadId: a!.leadId, firstTouch: false, intents: 1 })
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
    expect(trend.reduce((s: number, d: { members: number }) => s + d.members, 0)).toBe(3)
    for (const d of trend) expect(d.day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
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

  it('pages through responses that share one time, each lead once at its newest response', async () => {
    const c = await create({ name: '扫码送礼', kind: 'event', code: 'same-time' })
    const people = Array.from({ length: 9 }, (_, i) => ({ name: `同时${i}`, mobile: `1391000000${i}` }))
    // One batch is one transaction: its responses share one time to the microsecond, and the first
    // person comes twice in it (merged into one lead: two responses at the same time).
    const batch = await arrive(c.id, ...people, { name: '同时0', mobile: '13910000000' })
    expect(batch[9]!.leadId).toBe(batch[0]!.leadId)
    // The factory stamps a batch in milliseconds; a set-based insert stamps now(), in microseconds.
    await kit.haina.database.pool.query(
      `update lead_intents set received_at = received_at + interval '417 microseconds'
       where tenant_id = $1 and campaign_id = $2`,
      [kit.a.tenantId, c.id],
    )
    const times = await kit.haina.database.pool.query(
      `select count(distinct received_at)::int as n, count(*)::int as intents from lead_intents
       where tenant_id = $1 and campaign_id = $2`,
      [kit.a.tenantId, c.id],
    )
    expect(times.rows[0]).toEqual({ n: 1, intents: 10 })
    // Two of them respond again later: they come first, once each, with both responses counted.
    await arrive(c.id, people[3]!, people[6]!)
    const pages = await allMembers(c.id, 2)
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1])
    const members = pages.flat()
    expect(new Set(members.map((m) => m.leadId)).size).toBe(9)
    expect(new Set(members.map((m) => m.name))).toEqual(new Set(people.map((p) => p.name)))
    expect(
      members
        .slice(0, 2)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['同时3', '同时6'])
    for (const m of members.slice(0, 2)) {
      expect(m.intents).toBe(2)
      expect(Date.parse(m.firstAt)).toBeLessThan(Date.parse(m.lastAt))
    }
    const twice = members.find((m) => m.name === '同时0')!
    expect(twice).toMatchObject({ intents: 2, firstAt: twice.lastAt })
    for (const m of members.slice(2)) expect(m.lastAt).toBe(members[2]!.lastAt)
    // The figures agree with the list.
    const stats = (await as('GET', `/api/v1/campaigns/${c.id}`)).json().stats
    expect(stats).toMatchObject({ intents: 12, members: 9, firstTouchLeads: 9 })
  })

  it('shows a salesperson only their own members, in full pages', async () => {
    const role = await createRole(kit.a.sys, {
      name: '销售（看活动）',
      permissions: ['campaigns.view', 'leads.view'],
      dataScope: 'self',
    })
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'seller@campaigns.test',
        name: '销售',
        unitId: kit.a.rootUnitId,
        roleIds: [String(role.id)],
        password: 'Passw0rd!',
      },
    ])
    const seller = await kit.login(kit.a.tenantId, u!.id)
    // The salesperson may open the campaign they own; its members are counted over their leads.
    const c = await create({ name: '门店活动', kind: 'event', code: 'scoped', ownerId: u!.id })
    const made = []
    for (let i = 0; i < 10; i++)
      made.push(...(await arrive(c.id, { name: `范围${i}`, mobile: `1392000000${i}` })))
    // Every third lead is theirs, so most responses on the way are someone else's.
    const mine = made.filter((_, i) => i % 3 === 0).map((r) => r!.leadId!)
    await kit.haina.database.pool.query(`update leads set owner_id = $1 where id = any($2::uuid[])`, [
      u!.id,
      mine,
    ])
    const pages = await allMembers(c.id, 2, seller)
    expect(pages.map((p) => p.length)).toEqual([2, 2])
    expect(pages.flat().map((m) => m.name)).toEqual(['范围9', '范围6', '范围3', '范围0'])
    expect(
      (await kit.req(seller, { method: 'GET', url: `/api/v1/campaigns/${c.id}` })).json().stats,
    ).toMatchObject({ intents: 4, members: 4 })
    // The admin sees all ten.
    expect((await allMembers(c.id, 4)).flat()).toHaveLength(10)
  })

  it('answers a cursor that is not one of ours with 400 naming it', async () => {
    const c = await create({ name: '游标', code: 'cursor-check' })
    await arrive(c.id, { name: '游标甲', mobile: '13930000001' })
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const id = '0192f2a0-0000-7000-8000-000000000000'
    for (const forged of [
      'not-a-cursor',
      b64(['yesterday', id]),
      b64(['2026-02-31T10:00:00.123456Z', id]),
      b64(['2026-03-01T10:00:00.123456Z', 'x']),
      b64([1_767_225_600_000, id]),
    ]) {
      const res = await as('GET', `/api/v1/campaigns/${c.id}/members?cursor=${forged}`)
      expect(res.statusCode, forged).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json().errors[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' })
    }
  })
})

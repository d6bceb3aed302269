/**
 * The person directory and the profile (画像) over HTTP: who sees which person (through leads and
 * customers in the data scope; merged-away persons never; another workspace's never), every filter,
 * keyset paging, masking without pii.view, and the profile's figures against a hand-built person.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { newId } from '../../../platform/db/columns.js'
import { hasMessage, translate } from '../../../platform/i18n/messages.js'
import { createRole } from '../../../platform/org/roles.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { type SalesData, type SalesTeam, salesData, salesTeam } from '../../sales/analytics/sales.fixture.js'
import { personTags, segmentMembers, segments, tagGroups, tags } from '../schema.js'
import { ago, channel, events, intent, seen } from './fixture.js'

// biome-ignore lint/suspicious/noExplicitAny: API answers read loosely in tests
type Loose = any

let kit: Kit
let team: SalesTeam
let data: SalesData
let masked: TestSession
const id: Record<string, string> = {}
const now = Date.now()

const get = (as: TestSession, url: string) => kit.req(as, { method: 'GET', url: `/api/v1${url}` })
const list = async (as: TestSession, query: Record<string, string> = {}) => {
  const res = await get(as, `/persons?${new URLSearchParams({ limit: '50', ...query })}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { items: Loose[]; nextCursor: string | null }
}
const names = async (as: TestSession, query: Record<string, string> = {}) =>
  (await list(as, query)).items.map((p) => p.name).sort()

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  data = salesData(kit.a)
  const ws = kit.a
  const web = await channel(ws, '官网表单')
  const douyin = await channel(ws, '抖音线索', 'third_party')
  id.web = web
  id.douyin = douyin

  // 张伟: the seller's lead from the website 40 days ago, again from 抖音 3 days ago (same mobile: one person).
  const zw = await intent(
    ws,
    {
      name: '张伟',
      mobile: '13800138001',
      email: 'ZhangWei@Example.com',
      address: '上海市浦东新区世纪大道100号',
    },
    { channelId: web, ownerId: team.user.seller, at: ago(40, now) },
  )
  const again = await intent(
    ws,
    { name: '张伟', mobile: '+86 138 0013 8001' },
    { channelId: douyin, ownerId: team.user.seller, at: ago(3, now) },
  )
  expect(again.personId).toBe(zw.personId)
  id.zw = zw.personId
  id.zwLead = zw.leadId
  // 李娜 (seller2, 北京), 王芳 (another team's salesperson, 广州) and 赵敏 merged into 张伟.
  id.ln = (
    await intent(
      ws,
      { name: '李娜', mobile: '13900139002', address: '北京市朝阳区建国路1号' },
      { ownerId: team.user.seller2 },
    )
  ).personId
  const wf = await intent(
    ws,
    { name: '王芳', mobile: '13700137003', address: '广东省广州市天河区体育西路1号' },
    { ownerId: team.user.outsider },
  )
  id.wf = wf.personId
  id.zm = (await intent(ws, { name: '赵敏', mobile: '13600136004' }, { ownerId: team.user.seller })).personId
  await ws.sys.db.execute(
    sql`update persons set merged_into_id = ${id.zw} where tenant_id = ${ws.tenantId} and id = ${id.zm}`,
  )

  // Customers: 张伟's (the seller's), 王芳's kept by the seller too, and 华星科技 with no lead at all.
  id.zwCustomer = await data.customer({
    name: '张伟',
    kind: 'individual',
    personId: id.zw,
    ownerId: team.user.seller,
    level: 'key',
    customerGroup: 'B',
  })
  id.wfCustomer = await data.customer({
    name: '王芳',
    kind: 'individual',
    personId: id.wf,
    ownerId: team.user.seller,
  })
  const hx = newId()
  await ws.sys.db.execute(sql`insert into persons (tenant_id, id, kind, name, company, region_code)
    values (${ws.tenantId}, ${hx}, 'organisation', '华星科技', '华星科技有限公司', '440305')`)
  id.hx = hx
  id.hxCustomer = await data.customer({ name: '华星科技有限公司', personId: hx, ownerId: team.user.seller })

  // 张伟's orders: completed ¥1000, shipped ¥500 with ¥200 refunded; cancelled and draft ones do not count.
  const order = (v: Record<string, unknown>) =>
    data.order({ customerId: id.zwCustomer!, personId: id.zw, ownerId: team.user.seller, ...v })
  id.o1 = await order({ status: 'completed', total: 100_000, orderedAt: ago(60, now) })
  id.o2 = await order({ status: 'shipped', total: 50_000, refundedTotal: 20_000, orderedAt: ago(10, now) })
  id.o3 = await order({ status: 'cancelled', total: 99_999, orderedAt: ago(5, now) })
  id.o4 = await order({ status: 'draft', total: 1_000, orderedAt: ago(1, now) })
  // Another person's order is not 张伟's.
  await data.order({
    customerId: id.wfCustomer!,
    personId: id.wf,
    status: 'completed',
    total: 7_700,
    ownerId: team.user.seller,
  })

  // Behaviour: product page views today and yesterday, a click two days ago, an old view.
  await events(ws, id.zw, [
    ['view', new Date(now - 60_000), { page: 'product' }],
    ['view', ago(1, now), { page: 'product' }],
    ['click', ago(2, now), { button: 'buy' }],
    ['view', ago(45, now), { page: 'home' }],
  ])

  // A tag and a segment on 张伟.
  const t = ws.tenantId
  const [g] = await ws.sys.db
    .insert(tagGroups)
    .values({ tenantId: t, name: '人生阶段', exclusive: true })
    .returning()
  const [tag] = await ws.sys.db
    .insert(tags)
    .values({ tenantId: t, groupId: g!.id, name: '母婴', color: 'pink' })
    .returning()
  const [other] = await ws.sys.db
    .insert(tags)
    .values({ tenantId: t, groupId: g!.id, name: '学龄' })
    .returning()
  id.tag = tag!.id
  id.otherTag = other!.id
  await ws.sys.db
    .insert(personTags)
    .values({ tenantId: t, personId: id.zw, tagId: id.tag, source: 'manual', addedBy: ws.adminId })
  const [seg] = await ws.sys.db
    .insert(segments)
    .values({ tenantId: t, name: '上海高价值', kind: 'static' })
    .returning()
  id.segment = seg!.id
  await ws.sys.db.insert(segmentMembers).values({ tenantId: t, segmentId: id.segment, personId: id.zw })

  // Directory order: 张伟, 华星科技, 王芳 and 李娜 (these two seen at the same instant: id breaks the tie).
  const tie = new Date(now - 7 * 86_400_000)
  await seen(ws, { [id.zw]: new Date(now - 1000), [id.hx]: ago(1, now), [id.wf]: tie, [id.ln]: tie })

  // Someone who may see every person but not personal data.
  const role = await createRole(ws.sys, {
    name: '画像只读',
    permissions: ['profiles.view'],
    dataScope: 'all',
  })
  const [user] = await createUsers(ws.sys, [
    {
      email: `viewer-${now}@persons.test`,
      name: '只读',
      unitId: ws.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!2026',
    },
  ])
  masked = await kit.login(ws.tenantId, user!.id)

  // Workspace B has a person of its own.
  id.other = (await intent(kit.b, { name: '张伟', mobile: '13800138001' })).personId
}, 120_000)
afterAll(() => kit.close())

describe('person directory', () => {
  it('has its filter errors in zh-CN, zh-TW and en', () => {
    for (const code of ['unknown_tag', 'unknown_segment'])
      for (const locale of ['zh-CN', 'zh-TW', 'en'] as const) {
        expect(hasMessage(code)).toBe(true)
        expect(translate(code, locale)).not.toBe(code)
      }
  })

  it('lists the persons of the workspace last seen first, merged-away ones never', async () => {
    const page = await list(kit.a.admin)
    const [first, second, ...rest] = page.items
    expect(first).toMatchObject({
      id: id.zw,
      name: '张伟',
      kind: 'person',
      regionCode: '310115',
      regionName: '上海市 / 浦东新区',
      mobile: '+8613800138001',
      tags: [{ id: id.tag, name: '母婴', color: 'pink' }],
      orderTotal: 130_000,
      leadIds: [id.zwLead],
      customerIds: [id.zwCustomer],
    })
    expect(second).toMatchObject({
      id: id.hx,
      company: '华星科技有限公司',
      regionName: '广东省 / 深圳市 / 南山区',
      mobile: null,
    })
    // Same last_seen_at: the larger id first.
    expect(rest.map((p) => p.id)).toEqual([id.wf, id.ln].sort().reverse())
    expect(page.items.map((p) => p.id)).not.toContain(id.zm)
    expect(page.items.map((p) => p.id)).not.toContain(id.other)
    expect(page.nextCursor).toBeNull()
  })

  it('pages by keyset without gaps or repeats, ties included', async () => {
    const seenIds: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await list(kit.a.admin, { limit: '1', ...(cursor ? { cursor } : {}) })
      seenIds.push(...page.items.map((p) => p.id))
      cursor = page.nextCursor
      pages++
    } while (cursor && pages < 10)
    expect(seenIds).toEqual((await list(kit.a.admin)).items.map((p) => p.id))
    expect(seenIds).toHaveLength(4)
  })

  it('shows a salesperson only the persons of their own leads and customers', async () => {
    // The seller: 张伟 (lead + customer), 王芳 (customer only), 华星科技 (customer only); not 赵敏 (merged).
    expect(await names(team.as.seller)).toEqual(['华星科技', '张伟', '王芳'].sort())
    expect(await names(team.as.seller2)).toEqual(['李娜'])
    expect(await names(team.as.outsider)).toEqual(['王芳'])
    // The leads and customers listed are the caller's: 王芳's lead belongs to the outsider.
    const wf = (await list(team.as.seller)).items.find((p) => p.id === id.wf)
    expect(wf).toMatchObject({ leadIds: [], customerIds: [id.wfCustomer] })
    // The manager's tree holds both salespeople.
    expect(await names(team.as.manager)).toEqual(['华星科技', '张伟', '李娜', '王芳'].sort())
  })

  it('searches name, company, pinyin, phone in any notation and email', async () => {
    expect(await names(kit.a.admin, { q: '张' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { q: '华星' })).toEqual(['华星科技'])
    expect(await names(kit.a.admin, { q: 'zw' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { q: 'ZhangWei' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { q: 'lin' })).toEqual(['李娜'])
    for (const phone of ['13800138001', '138 0013 8001', '+86-138-0013-8001', '008613800138001'])
      expect(await names(kit.a.admin, { q: phone }), phone).toEqual(['张伟'])
    expect(await names(kit.a.admin, { q: ' zhangwei@EXAMPLE.com ' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { q: '13900000000' })).toEqual([])
    // LIKE wildcards are text.
    expect(await names(kit.a.admin, { q: '%' })).toEqual([])
    // Search stays inside the scope.
    expect(await names(team.as.seller2, { q: '张伟' })).toEqual([])
  })

  it('filters by tag, segment and region (a province or city holds its districts)', async () => {
    expect(await names(kit.a.admin, { tagId: id.tag })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { tagId: id.otherTag })).toEqual([])
    expect(await names(kit.a.admin, { segmentId: id.segment })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { regionCode: '31' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { regionCode: '3101' })).toEqual(['张伟'])
    expect(await names(kit.a.admin, { regionCode: '44' })).toEqual(['华星科技', '王芳'].sort())
    expect(await names(kit.a.admin, { regionCode: '4403' })).toEqual(['华星科技'])
    expect(await names(kit.a.admin, { regionCode: '11', q: '李' })).toEqual(['李娜'])
    expect(await names(team.as.seller, { tagId: id.tag, regionCode: '31' })).toEqual(['张伟'])
  })

  it('answers 400 naming the parameter for a malformed or unknown tag, segment or region', async () => {
    const bad = async (query: Record<string, string>, field: string, code: string) => {
      const res = await get(kit.a.admin, `/persons?${new URLSearchParams(query)}`)
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().errors ?? res.json().fields).toEqual([expect.objectContaining({ field, code })])
    }
    await bad({ tagId: 'x' }, 'tagId', 'invalid_value')
    await bad({ tagId: newId() }, 'tagId', 'unknown_tag')
    await bad({ segmentId: newId() }, 'segmentId', 'unknown_segment')
    await bad({ regionCode: '99' }, 'regionCode', 'invalid_region')
    await bad({ regionCode: 'abc' }, 'regionCode', 'invalid_region')
    // Another workspace's tag is unknown here.
    const [g] = await kit.b.sys.db
      .insert(tagGroups)
      .values({ tenantId: kit.b.tenantId, name: 'B组' })
      .returning()
    const [bTag] = await kit.b.sys.db
      .insert(tags)
      .values({ tenantId: kit.b.tenantId, groupId: g!.id, name: 'B' })
      .returning()
    await bad({ tagId: bTag!.id }, 'tagId', 'unknown_tag')
  })

  it('masks mobiles without pii.view and needs profiles.view', async () => {
    const row = (await list(masked)).items.find((p) => p.id === id.zw)
    expect(row.mobile).toBe('138****8001')
    expect((await get(team.as.service, '/persons')).statusCode).toBe(403)
  })
})

describe('person profile', () => {
  it('adds up the person: identities, tags, scores, channels, behaviour, orders, customers, segments', async () => {
    const res = await get(kit.a.admin, `/persons/${id.zw}/profile`)
    expect(res.statusCode, res.body).toBe(200)
    const p = res.json()
    expect(p.person).toMatchObject({
      id: id.zw,
      name: '张伟',
      regionCode: '310115',
      regionName: '上海市 / 浦东新区',
    })
    expect(p.identities).toEqual(
      expect.arrayContaining([
        { kind: 'mobile', namespace: '', value: '+8613800138001' },
        { kind: 'email', namespace: '', value: 'zhangwei@example.com' },
      ]),
    )
    expect(p.tags).toEqual([
      expect.objectContaining({
        id: id.tag,
        name: '母婴',
        groupName: '人生阶段',
        source: 'manual',
        auto: false,
        addedBy: kit.a.adminId,
        addedByName: 'Alpha 管理员',
      }),
    ])
    expect(p.scores).toEqual([
      expect.objectContaining({ leadId: id.zwLead, name: '张伟', status: 'assigned' }),
    ])
    expect(typeof p.scores[0].score).toBe('number')
    expect(p.leads).toEqual([{ id: id.zwLead, name: '张伟', status: 'assigned' }])
    // Two intents, one per channel, newest channel first.
    expect(p.channels).toEqual([
      expect.objectContaining({ channelId: id.douyin, name: '抖音线索', intents: 1 }),
      expect.objectContaining({ channelId: id.web, name: '官网表单', intents: 1 }),
    ])
    expect(new Date(p.channels[1].firstAt).getTime()).toBe(ago(40, now).getTime())

    const b = p.behaviour
    expect(b.total).toBe(4)
    expect(b.counts).toEqual([
      { type: 'view', count: 3, lastAt: new Date(now - 60_000).toISOString() },
      { type: 'click', count: 1, lastAt: ago(2, now).toISOString() },
    ])
    expect(b.firstSeenAt).toBe(ago(45, now).toISOString())
    expect(b.lastSeenAt).toBe(new Date(now - 60_000).toISOString())
    expect(b.last30Days).toHaveLength(30)
    // The 45-day-old view is outside the window; today's view is the last day's.
    expect(b.last30Days.reduce((s: number, d: Loose) => s + d.count, 0)).toBe(3)
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    expect(b.last30Days.at(-1)).toEqual({ date: today, count: expect.any(Number) })
    expect(b.last30Days.at(-1).count).toBeGreaterThanOrEqual(1)
    const dates = b.last30Days.map((d: Loose) => d.date)
    expect([...dates].sort()).toEqual(dates)

    // Cancelled and draft orders do not count; the refund comes off the lifetime value.
    expect(p.orders).toMatchObject({
      count: 2,
      total: 150_000,
      lifetimeValue: 130_000,
      averageValue: 65_000,
      firstOrderAt: ago(60, now).toISOString(),
      lastOrderAt: ago(10, now).toISOString(),
    })
    expect(p.orders.recent.map((o: Loose) => [o.id, o.status, o.total])).toEqual([
      [id.o4, 'draft', 1_000],
      [id.o3, 'cancelled', 99_999],
      [id.o2, 'shipped', 50_000],
      [id.o1, 'completed', 100_000],
    ])
    expect(p.customers).toEqual([{ id: id.zwCustomer, name: '张伟', customerGroup: 'B', level: 'key' }])
    expect(p.segments).toEqual([{ id: id.segment, name: '上海高价值' }])
  })

  it('answers an empty profile for a person with nothing yet', async () => {
    const p = (await get(kit.a.admin, `/persons/${id.hx}/profile`)).json()
    expect(p.person).toMatchObject({ kind: 'organisation', company: '华星科技有限公司' })
    expect(p.identities).toEqual([])
    expect(p.channels).toEqual([])
    expect(p.behaviour).toMatchObject({ total: 0, counts: [], firstSeenAt: null, lastSeenAt: null })
    expect(p.behaviour.last30Days.every((d: Loose) => d.count === 0)).toBe(true)
    expect(p.orders).toMatchObject({
      count: 0,
      total: 0,
      lifetimeValue: 0,
      averageValue: null,
      firstOrderAt: null,
      recent: [],
    })
    expect(p.customers).toEqual([
      { id: id.hxCustomer, name: '华星科技有限公司', customerGroup: 'A', level: null },
    ])
  })

  it('lists only the records in the caller’s scope; the figures are the person’s', async () => {
    // The seller sees 王芳 through a customer; her lead is the outsider's.
    const p = (await get(team.as.seller, `/persons/${id.wf}/profile`)).json()
    expect(p.leads).toEqual([])
    expect(p.scores).toEqual([])
    expect(p.customers.map((c: Loose) => c.id)).toEqual([id.wfCustomer])
    expect(p.orders).toMatchObject({ count: 1, lifetimeValue: 7_700 })
    const outsider = (await get(team.as.outsider, `/persons/${id.wf}/profile`)).json()
    expect(outsider.leads).toHaveLength(1)
    expect(outsider.customers).toEqual([])
    expect(outsider.orders).toMatchObject({ count: 1, lifetimeValue: 7_700, recent: [] })
  })

  it('masks phones and emails without pii.view', async () => {
    const p = (await get(masked, `/persons/${id.zw}/profile`)).json()
    expect(p.identities).toEqual(
      expect.arrayContaining([
        { kind: 'mobile', namespace: '', value: '138****8001' },
        { kind: 'email', namespace: '', value: 'z***@example.com' },
      ]),
    )
    expect(JSON.stringify(p)).not.toContain('13800138001')
  })

  it('is 404 for persons out of scope, merged away, unknown or of another workspace', async () => {
    const status = async (as: TestSession, personId: string) =>
      (await get(as, `/persons/${personId}/profile`)).statusCode
    expect(await status(team.as.seller2, id.zw)).toBe(404)
    expect(await status(team.as.seller, id.ln)).toBe(404)
    expect(await status(kit.a.admin, id.zm)).toBe(404)
    expect(await status(kit.a.admin, newId())).toBe(404)
    expect(await status(kit.a.admin, 'not-a-uuid')).toBe(404)
    expect(await status(kit.a.admin, id.other)).toBe(404)
    expect(await status(kit.b.admin, id.zw)).toBe(404)
    expect(await status(kit.b.admin, id.other)).toBe(200)
    expect(await status(team.as.service, id.zw)).toBe(403)
  })
})

import { readFileSync } from 'node:fs'
import type { Browser, Locator, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, shot, signIn } from './browser.js'
import { apiSession, type RunningServer, setupWorkspace, startServer } from './server.js'

// Issue #6 in the browser: a marketing user builds the segment "Shanghai, tagged 母婴, ≥ 2 orders in
// 90 days, viewed the product page in the last 7 days" with the condition builder, watches the live
// count narrow with each condition, saves it, reads its members, exports them as CSV (formula-safe,
// mobiles masked) and opens a member's profile, where an automatic tag explains itself condition by
// condition and a manual one says who added it. Everything else is arranged through the API: leads
// and behaviour events pushed with a channel key, customers and confirmed orders, tags and a rule.
const ADMIN = { email: 'admin@profiles.test', password: 'Haina-e2e-2026!', name: '孙管理' }
const MARKETING = { email: 'lin@profiles.test', password: 'Lin-Marketing-2026!', name: '林运营' }
const SEGMENT = '上海母婴复购·近 7 天看过产品页'

const DAY = 86_400_000
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString()

interface Arranged {
  name: string
  company: string
  mobile: string
  regionCode: string
  /** 人生阶段 / 母婴 (tagged by hand). */
  baby: boolean
  /** Confirmed orders, by how many days ago they were placed. */
  orders: number[]
  /** `view` events: days ago and the page. */
  views: { days: number; page: string }[]
}

// Eight persons; each of the last six misses exactly one condition (or all of them).
const PEOPLE: Arranged[] = [
  {
    name: '王丽华',
    company: '静安母婴生活馆',
    mobile: '13916000001',
    regionCode: '310106',
    baby: true,
    orders: [10, 30, 60],
    views: [
      { days: 2, page: 'product' },
      { days: 1, page: 'home' },
    ],
  },
  {
    // In the segment, with a company that a spreadsheet would run as a formula.
    name: '赵雅婷',
    company: '=1+2',
    mobile: '13916000002',
    regionCode: '310115',
    baby: true,
    orders: [5, 45],
    views: [{ days: 1, page: 'product' }],
  },
  {
    // Viewed the product page, but 20 days ago.
    name: '陈思远',
    company: '徐汇亲子乐园',
    mobile: '13916000003',
    regionCode: '310104',
    baby: true,
    orders: [15, 50],
    views: [{ days: 20, page: 'product' }],
  },
  {
    // Two orders, but one of them 120 days ago.
    name: '刘佳怡',
    company: '长宁宝贝屋',
    mobile: '13916000004',
    regionCode: '310105',
    baby: true,
    orders: [20, 120],
    views: [{ days: 3, page: 'product' }],
  },
  {
    // Not tagged 母婴.
    name: '孙晓梅',
    company: '黄浦文具店',
    mobile: '13916000005',
    regionCode: '310101',
    baby: false,
    orders: [8, 25],
    views: [{ days: 2, page: 'product' }],
  },
  {
    // Beijing.
    name: '周雨桐',
    company: '朝阳童趣坊',
    mobile: '13801000006',
    regionCode: '110105',
    baby: true,
    orders: [12, 40],
    views: [{ days: 2, page: 'product' }],
  },
  {
    // Viewed the home page only.
    name: '吴建军',
    company: '闵行童装城',
    mobile: '13916000007',
    regionCode: '310112',
    baby: true,
    orders: [18, 70],
    views: [{ days: 2, page: 'home' }],
  },
  {
    // Shenzhen, nothing else.
    name: '郑国强',
    company: '南山电子科技',
    mobile: '13802000008',
    regionCode: '440305',
    baby: false,
    orders: [],
    views: [],
  },
]

// What the conditions leave, one after the other (computed from PEOPLE, not typed in).
const within = (days: number) => (d: number) => d <= days
const shanghai = PEOPLE.filter((p) => p.regionCode.startsWith('31'))
const tagged = shanghai.filter((p) => p.baby)
const buyers = tagged.filter((p) => p.orders.filter(within(90)).length >= 2)
const members = buyers.filter((p) => p.views.some((v) => v.days <= 7 && v.page === 'product'))
// The automatic tag 活跃度 / 复购活跃: viewed anything in 7 days and ≥ 2 orders in 365 days.
const active = (p: Arranged) => p.views.some((v) => v.days <= 7) && p.orders.filter(within(365)).length >= 2

let server: RunningServer
let browser: Browser
let page: Page
const pageErrors: string[] = []
const personOf = new Map<string, string>()
const made = { babyTagId: '', autoTagId: '', segmentId: '' }

/** The next answer to `method` on a path ending with `path`. */
const answer = (p: Page, method: string, path: string): Promise<Response> =>
  p.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(path))
/** The <input> of an antd InputNumber / Input, wherever its test id landed. */
const inputOf = (l: Locator) => l.locator('xpath=descendant-or-self::input').first()
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
/** Opens an antd Select, optionally types to filter it, and picks the option labelled exactly `label`. */
async function choose(select: Locator, label: string, search?: string) {
  await select.click()
  if (search) await page.keyboard.type(search)
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: exactly(label) })
    .click()
}
/** The live count as shown ('' while there is none). */
const liveCount = () =>
  page
    .locator('[data-testid=segment-count] .ant-statistic-content-value')
    .textContent({ timeout: 1_000 })
    .catch(() => '')
const countIs = (n: number) => expect.poll(liveCount, { timeout: 15_000 }).toBe(String(n))
/** Waits for the success toasts to go (they would cover the screenshot). */
const quiet = () =>
  expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0)

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, {
    workspaceName: '海纳画像测试',
    workspaceSlug: 'profiles-e2e',
    adminName: ADMIN.name,
    email: ADMIN.email,
    password: ADMIN.password,
  })
  const admin = await apiSession(server, ADMIN)
  const roles = await admin.call<{ items: { id: string; key: string | null }[] }>('GET', '/roles')
  const units = await admin.call<{ items: { id: string; parentId: string | null }[] }>('GET', '/org-units')
  const root = units.items.find((u) => !u.parentId)!.id
  await admin.call('POST', '/users', {
    email: MARKETING.email,
    name: MARKETING.name,
    unitId: root,
    roleIds: [roles.items.find((r) => r.key === 'marketing')!.id],
    password: MARKETING.password,
  })

  // The shop's mini program pushes its leads and its visitors' behaviour with the channel key.
  const channel = await admin.call<{ key: string }>('POST', '/channels', {
    kind: 'mini_program',
    name: '母婴商城小程序',
    code: 'baby-shop',
    unitId: root,
  })
  const push = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${path} → ${res.status}: ${await res.text()}`)
    return (await res.json()) as T
  }
  const ingest = await push<{
    results: { outcome: string; leadId: string; personId: string }[]
  }>('/intake/leads', {
    records: PEOPLE.map((p) => ({
      name: p.name,
      company: p.company,
      mobile: p.mobile,
      regionCode: p.regionCode,
    })),
  })
  expect(ingest.results.map((r) => r.outcome)).toEqual(PEOPLE.map(() => 'created'))
  for (const [i, p] of PEOPLE.entries()) personOf.set(p.name, ingest.results[i]!.personId)
  const events = await push<{ results: { status: string; personId: string }[] }>('/intake/events', {
    events: PEOPLE.flatMap((p) =>
      p.views.map((v) => ({
        type: 'view',
        occurredAt: daysAgo(v.days),
        identity: { mobile: p.mobile },
        properties: { page: v.page },
      })),
    ),
  })
  expect(events.results.map((r) => [r.status, r.personId])).toEqual(
    PEOPLE.flatMap((p) => p.views.map(() => ['stored', personOf.get(p.name)])),
  )

  // Buyers become customers (their person carries the orders); orders are confirmed.
  for (const [i, p] of PEOPLE.entries()) {
    if (!p.orders.length) continue
    const { customerId } = await admin.call<{ customerId: string }>(
      'POST',
      `/leads/${ingest.results[i]!.leadId}/convert`,
      { customer: { mode: 'new' }, contact: null, opportunity: null },
    )
    for (const days of p.orders) {
      const order = await admin.call<{ id: string; personId: string | null }>('POST', '/orders', {
        customerId,
        orderedAt: daysAgo(days),
        lines: [{ name: '有机婴儿米粉', quantity: 2, unitPrice: 8_800 }],
      })
      expect(order.personId).toBe(personOf.get(p.name))
      await admin.call('POST', `/orders/${order.id}/status`, { status: 'confirmed' })
    }
  }

  // 人生阶段 / 母婴 by hand: one person alone (manual), the others in one go (bulk).
  const stage = await admin.call<{ id: string }>('POST', '/tag-groups', {
    name: '人生阶段',
    color: 'magenta',
  })
  const baby = await admin.call<{ id: string }>('POST', '/tags', {
    groupId: stage.id,
    name: '母婴',
    description: '家有 0–3 岁宝宝',
  })
  made.babyTagId = baby.id
  const [first, ...rest] = PEOPLE.filter((p) => p.baby).map((p) => personOf.get(p.name)!)
  for (const ids of [[first!], rest]) {
    const r = await admin.call<{ updated: number }>('POST', '/tagging', {
      subjectType: 'person',
      ids,
      add: [baby.id],
    })
    expect(r.updated).toBe(ids.length)
  }

  // 活跃度 / 复购活跃: an automatic tag, its rule run now.
  const activity = await admin.call<{ id: string }>('POST', '/tag-groups', { name: '活跃度', color: 'green' })
  const auto = await admin.call<{ id: string }>('POST', '/tags', {
    groupId: activity.id,
    name: '复购活跃',
    color: 'green',
    ruleEnabled: true,
    rule: {
      match: 'all',
      conditions: [
        { field: 'events.count', op: 'gte', value: 1, params: { eventType: 'view', days: 7 } },
        { field: 'orders.count', op: 'gte', value: 2, params: { days: 365 } },
      ],
    },
  })
  made.autoTagId = auto.id
  const run = await admin.call<{ matched: number }>('POST', `/tags/${auto.id}/run`)
  expect(run.matched).toBe(PEOPLE.filter(active).length)

  browser = await launch()
  page = await newPage(browser, server.url)
  page.on('pageerror', (e) => pageErrors.push(e.message))
}, 240_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('profiles journey in the browser', () => {
  it('arranged a segment of two out of eight', () => {
    // The data must narrow at every step, or the live count would prove nothing.
    expect([PEOPLE, shanghai, tagged, buyers, members].map((s) => s.length)).toEqual([8, 6, 5, 4, 2])
    expect(members.map((p) => p.name)).toEqual(['王丽华', '赵雅婷'])
  })

  it('builds the segment with a live count that narrows with each condition', async () => {
    await signIn(page, MARKETING)
    await page.goto('/segments')
    await page.getByTestId('segment-new-dynamic').click()
    await page.waitForURL('**/segments/new?kind=dynamic')
    await page.getByTestId('segment-name').fill(SEGMENT)
    await page.getByTestId('segment-count-hint').waitFor()
    const leaf = (i: number) =>
      page.locator(`[data-testid=condition-leaf][data-path="conditions.conditions[${i}]"]`)
    const add = async (i: number) => {
      await page.getByTestId('condition-add').first().click()
      await leaf(i).waitFor()
    }

    // 1. 地区 等于 上海市 (a province holds for its districts).
    await add(0)
    await choose(leaf(0).getByTestId('condition-field'), '地区', '地区')
    await leaf(0).getByTestId('condition-value').click()
    await page
      .locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item')
      .filter({ hasText: exactly('上海市') })
      .click()
    await page.keyboard.press('Escape')
    await countIs(shanghai.length)
    await expect
      .poll(() => page.getByTestId('segment-count-share').textContent())
      .toContain(`占全部 ${PEOPLE.length} 人`)

    // 2. 标签 属于 母婴.
    await add(1)
    await choose(leaf(1).getByTestId('condition-field'), '标签', '标签')
    expect(await leaf(1).getByTestId('condition-op').textContent()).toContain('属于')
    await choose(leaf(1).getByTestId('condition-value'), '母婴')
    await page.keyboard.press('Escape')
    await countIs(tagged.length)

    // 3. 订单数 大于等于 2，最近 90 天.
    await add(2)
    await choose(leaf(2).getByTestId('condition-field'), '订单数', '订单数')
    await choose(leaf(2).getByTestId('condition-op'), '大于等于')
    await inputOf(leaf(2).getByTestId('condition-value')).fill('2')
    await inputOf(leaf(2).getByTestId('condition-param-days')).fill('90')
    await countIs(buyers.length)

    // 4. 行为次数 大于等于 1：浏览，最近 7 天，page = product.
    await add(3)
    await choose(leaf(3).getByTestId('condition-field'), '行为次数', '行为次数')
    await choose(leaf(3).getByTestId('condition-op'), '大于等于')
    await inputOf(leaf(3).getByTestId('condition-value')).fill('1')
    await choose(leaf(3).getByTestId('condition-param-eventType'), '浏览')
    await inputOf(leaf(3).getByTestId('condition-param-days')).fill('7')
    await inputOf(leaf(3).getByTestId('condition-param-property')).fill('page')
    await inputOf(leaf(3).getByTestId('condition-param-propertyValue')).fill('product')
    await countIs(members.length)
    await expect.poll(() => page.getByTestId('segment-count-busy').count()).toBe(0)
    await shot(page, 'profiles-01-builder')

    const saved = answer(page, 'POST', '/api/v1/segments')
    await page.getByTestId('segment-save').click()
    const res = await saved
    expect(res.status()).toBe(201)
    const segment = await res.json()
    made.segmentId = segment.id
    expect(segment).toMatchObject({ name: SEGMENT, kind: 'dynamic', memberCount: members.length })
    expect(segment.conditions).toEqual({
      match: 'all',
      conditions: [
        { field: 'person.regionCode', op: 'eq', value: '31' },
        { field: 'tags', op: 'in', value: [made.babyTagId] },
        { field: 'orders.count', op: 'gte', value: 2, params: { days: 90 } },
        {
          field: 'events.count',
          op: 'gte',
          value: 1,
          params: { eventType: 'view', days: 7, property: 'page', propertyValue: 'product' },
        },
      ],
    })
    await page.waitForURL(`**/segments/${made.segmentId}`)
    await expect.poll(() => page.getByTestId('segment-title').textContent()).toBe(SEGMENT)
  })

  it('lists the members and exports them as a formula-safe CSV', async () => {
    await page.getByRole('tab', { name: '成员' }).click()
    await page.waitForURL(/tab=members/)
    const rows = page.locator('[data-testid=segment-members] .ant-table-row')
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(members.length)
    expect(await page.getByTestId('segment-members-total').textContent()).toBe(`共 ${members.length} 人`)
    for (const p of members) {
      const row = rows.filter({ hasText: p.name })
      expect(await row.count()).toBe(1)
      expect(await row.textContent()).toContain(p.company)
      expect(await row.textContent()).toContain('上海市')
      expect(await row.textContent()).toContain('母婴')
      // Marketing has no pii.view: the mobile is masked.
      expect(await row.textContent()).not.toContain(p.mobile)
    }
    await quiet()
    await shot(page, 'profiles-02-members')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('segment-export-csv').click(),
    ])
    expect(download.suggestedFilename()).toBe(`${SEGMENT}.csv`)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.startsWith('\ufeff')).toBe(true)
    const lines = csv.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('姓名,公司,地区,手机,邮箱,标签,加入时间')
    expect(lines).toHaveLength(1 + members.length)
    const cells = lines.slice(1).map((l) => l.split(','))
    expect(cells.map((c) => c[0]).sort()).toEqual(members.map((p) => p.name).sort())
    for (const p of members) {
      const row = cells.find((c) => c[0] === p.name)!
      // A company starting with '=' is neutralised with a leading apostrophe.
      expect(row[1]).toBe(p.company.startsWith('=') ? `'${p.company}` : p.company)
      expect(row[2]).toMatch(/^上海市/)
      expect(row[3]).not.toBe(p.mobile)
      expect(row[3]).toMatch(/\*/)
      expect(row[5]).toContain('母婴')
    }
    expect(csv).not.toMatch(/(^|,)=1\+2/m)
  })

  it('explains the automatic and the manual tag on a member’s profile', async () => {
    const who = members[0]!
    expect(active(who)).toBe(true)
    await page
      .locator('[data-testid=segment-members] .ant-table-row')
      .getByRole('link', { name: who.name })
      .click()
    await page.waitForURL(`**/persons/${personOf.get(who.name)}`)
    await expect.poll(() => page.getByTestId('person-name').textContent()).toBe(who.name)
    const chip = (tagId: string) =>
      page.locator(`[data-testid=person-tags] [data-testid=tag-chip][data-tag-id="${tagId}"]`)

    // 复购活跃: both conditions hold, each with the person's own value.
    await chip(made.autoTagId).click()
    const explanation = page.getByTestId('tag-explanation')
    await explanation.waitFor()
    await explanation.getByText('规则自动打标').waitFor()
    await explanation.getByText('目前满足规则').waitFor()
    const conditions = explanation.getByTestId('tag-explanation-condition')
    await expect.poll(() => conditions.count()).toBe(2)
    expect(await conditions.evaluateAll((els) => els.map((e) => e.getAttribute('data-holds')))).toEqual([
      'true',
      'true',
    ])
    const viewsIn7 = who.views.filter((v) => v.days <= 7).length
    const ordersIn365 = who.orders.filter(within(365)).length
    expect(viewsIn7).not.toBe(ordersIn365)
    const texts = await conditions.allTextContents()
    expect(texts[0]).toContain('行为次数')
    expect(texts[0]).toContain(`实际：${viewsIn7}`)
    expect(texts[1]).toContain('订单数')
    expect(texts[1]).toContain(`实际：${ordersIn365}`)
    await quiet()
    await shot(page, 'profiles-03-explanation')

    // Closed by a click elsewhere; 母婴 was put on by hand.
    await page.getByTestId('person-name').click()
    await expect.poll(() => page.getByTestId('tag-explanation').count()).toBe(0)
    await chip(made.babyTagId).click()
    const manual = page.getByTestId('tag-explanation-manual')
    await manual.waitFor()
    expect(await manual.textContent()).toContain('手动添加')
    expect(await manual.textContent()).toContain(ADMIN.name)
    expect(await page.getByTestId('tag-explanation-condition').count()).toBe(0)
    await shot(page, 'profiles-04-manual-tag')
    expect(pageErrors).toEqual([])
  })
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, pick, shot, signIn } from './browser.js'
import { type RunningServer, setupWorkspace, startServer } from './server.js'

// Issue #4's settings in the browser: the pool pyramid (a sub-pool with criteria, a public pool with
// claim limits and reclaim rules), an assignment rule giving leads to two people in turn, the lead
// settings, a handover preview and the pool reports — as the workspace admin.
const ADMIN = { email: 'admin@pools.test', password: 'Haina-e2e-2026!' }

let server: RunningServer
let browser: Browser
let page: Page

type Json = Record<string, unknown>
/** A signed-in API call from the page (its session cookie and CSRF token). */
async function apiCall<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/auth/me')).json()
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
      return text ? JSON.parse(text) : null
    },
    { method, path, body },
  ) as Promise<T>
}
const items = <T>(r: unknown): T[] => (Array.isArray(r) ? r : ((r as { items: T[] }).items ?? []))

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, {
    workspaceName: '海纳线索池测试',
    workspaceSlug: 'pools-e2e',
    adminName: '周总监',
    email: ADMIN.email,
    password: ADMIN.password,
  })
  browser = await launch()
  page = await newPage(browser, server.url)
  await signIn(page, ADMIN)
  // Two salespeople for the round robin.
  const units = items<{ id: string; parentId: string | null }>(await apiCall('GET', '/api/v1/org-units'))
  const roles = items<{ id: string; name: string }>(await apiCall('GET', '/api/v1/roles'))
  const root = units.find((u) => !u.parentId)!
  const role = roles.find((r) => /销售/.test(r.name)) ?? roles[0]!
  for (const [name, email] of [
    ['王销售', 'wang@pools.test'],
    ['李销售', 'li@pools.test'],
  ])
    await apiCall('POST', '/api/v1/users', {
      name,
      email,
      unitId: root.id,
      roleIds: [role.id],
      password: 'Sales-e2e-2026!',
    })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const save = (scope: ReturnType<Page['locator']>) => scope.getByRole('button', { name: /保\s*存/ }).first()

describe('lead pool settings in the browser', () => {
  it('creates a sub-pool with criteria', async () => {
    await page.goto('/pool-settings/pools')
    await page.getByTestId('pool-node').filter({ hasText: '总线索池' }).waitFor()
    await page.getByTestId('new-sub-pool').click()
    const form = page.getByTestId('pool-form')
    await form.getByLabel('名称', { exact: true }).fill('华南子池')
    await form.getByRole('button', { name: '添加条件' }).click()
    // The first condition defaults to region "starts with": pick a province.
    await form.getByLabel('值', { exact: true }).click()
    await pick(page, '广东省')
    await page.keyboard.press('Escape')
    await shot(page, 'pool-settings-01-sub-pool-form')
    await save(form).click()
    await page.getByText('已保存').first().waitFor()
    await page.getByTestId('pool-node').filter({ hasText: '华南子池' }).waitFor()
    const pools = items<Json>(await apiCall('GET', '/api/v1/lead-pools'))
    const sub = pools.find((p) => p.name === '华南子池')!
    expect(sub.kind).toBe('sub')
    expect(sub.criteria).toEqual([{ field: 'regionCode', op: 'prefix', value: '44' }])
    expect(sub.parentId).toBe(pools.find((p) => p.kind === 'master')!.id)
    await shot(page, 'pool-settings-02-sub-pool-saved')
  })

  it('creates a public pool with claim limits and reclaim rules', async () => {
    await page.getByTestId('new-public-pool').click()
    const form = page.getByTestId('pool-form')
    await form.getByLabel('名称', { exact: true }).fill('华南公海')
    await form.getByLabel('每人每天可领取').fill('10')
    await form.getByLabel('每个部门最多持有').fill('500')
    await form.getByLabel('未跟进回收').fill('5')
    await form.getByLabel('A 级').fill('15')
    await form.getByLabel('D 级').fill('3')
    await shot(page, 'pool-settings-03-public-pool-form')
    await save(form).click()
    await page.getByText('已保存').first().waitFor()
    await page.getByTestId('pool-node').filter({ hasText: '华南公海' }).waitFor()
    const pub = items<Json>(await apiCall('GET', '/api/v1/lead-pools')).find((p) => p.name === '华南公海')!
    const settings = pub.settings as Json & { reclaim: Json }
    expect(pub.kind).toBe('public')
    expect(settings.dailyClaimLimit).toBe(10)
    expect(settings.unitHoldingCap).toBe(500)
    expect(settings.reclaim.enabled).toBe(true)
    expect(settings.reclaim.noFollowUpDays).toBe(5)
    expect(settings.reclaim.noFollowUpDaysByGrade).toEqual({ A: 15, D: 3 })
    await shot(page, 'pool-settings-04-public-pool-saved')
  })

  it('shows the server’s field error on the condition it names', async () => {
    await page.goto('/pool-settings/distribution')
    await page.getByRole('button', { name: '添加规则' }).click()
    const card = page.getByTestId('rule-card').last()
    await card.getByLabel('规则名称').fill('空白类别')
    await card.getByRole('button', { name: '添加条件' }).click()
    await card.getByLabel('字段').click()
    await pick(page, '产品类别')
    await card.getByLabel('值', { exact: true }).fill('   ') // passes the form's "required", not the server's check
    await card.getByLabel('目标池').click()
    await pick(page, '华南子池')
    await save(card).click()
    await card.locator('.ant-form-item-explain-error').first().waitFor()
    await shot(page, 'pool-settings-05-condition-error')
    await card.getByLabel('值', { exact: true }).fill('工业设备')
    await save(card).click()
    await page.getByText('已保存').first().waitFor()
    await page.getByText('未保存').waitFor({ state: 'detached' })
    // A second rule, moved above the first: order decides.
    await page.getByRole('button', { name: '添加规则' }).click()
    const second = page.getByTestId('rule-card').last()
    await second.getByLabel('规则名称').fill('广东线索')
    await second.getByRole('button', { name: '添加条件' }).click()
    await second.getByLabel('值', { exact: true }).click()
    await pick(page, '广东省')
    await page.keyboard.press('Escape')
    await second.getByLabel('目标池').click()
    await pick(page, '华南子池')
    await save(second).click()
    await page.getByText('未保存').waitFor({ state: 'detached' })
    await page.getByTestId('rule-card').nth(1).getByRole('button', { name: '上移' }).click()
    await expect
      .poll(async () => items<Json>(await apiCall('GET', '/api/v1/distribution-rules')).map((r) => r.name))
      .toEqual(['广东线索', '空白类别'])
    await expect
      .poll(() => page.getByTestId('rule-card').first().locator('input').first().inputValue())
      .toBe('广东线索')
    await shot(page, 'pool-settings-06-distribution-rules')
  })

  it('creates an assignment rule: round robin over two people', async () => {
    await page.goto('/pool-settings/assignment')
    await page.getByRole('button', { name: '添加规则' }).click()
    const card = page.getByTestId('rule-card').last()
    await card.getByLabel('规则名称').fill('华南轮流分配')
    await card.getByLabel('适用的池').click()
    await pick(page, '华南子池')
    const members = card.getByTestId('rule-members')
    for (const name of ['王销售', '李销售']) {
      await members.getByRole('button', { name: '添加成员' }).click()
      await members.locator('.ant-select').last().click()
      await pick(page, `${name} (${name === '王销售' ? 'wang' : 'li'}@pools.test)`)
    }
    await shot(page, 'pool-settings-07-assignment-rule-form')
    await save(card).click()
    await page.getByText('已保存').first().waitFor()
    await page.getByText('未保存').waitFor({ state: 'detached' })
    const rules = items<Json>(await apiCall('GET', '/api/v1/assignment-rules'))
    expect(rules).toHaveLength(1)
    expect(rules[0]!.strategy).toBe('round_robin')
    expect((rules[0]!.members as unknown[]).length).toBe(2)
    await shot(page, 'pool-settings-08-assignment-rule')
  })

  it('changes the lead settings', async () => {
    await page.goto('/pool-settings/lead')
    const form = page.getByTestId('lead-settings')
    await form.getByLabel('首次联系时限').waitFor()
    await form.getByLabel('首次联系时限').fill('12')
    await form.getByLabel('默认公海').click()
    await pick(page, '华南公海')
    await form.getByTestId('release-reasons').getByRole('button', { name: '添加原因' }).click()
    await form.getByTestId('release-reasons').locator('input').last().fill('客户暂无需求')
    await save(form).click()
    await page.getByText('已保存').first().waitFor()
    const s = await apiCall('GET', '/api/v1/lead-settings')
    expect(s.firstContactSlaHours).toBe(12)
    expect(s.releaseReasons).toContain('客户暂无需求')
    await shot(page, 'pool-settings-09-lead-settings')
  })

  it('adds a sales script and sets working hours', async () => {
    await page.goto('/pool-settings/scripts')
    await page.getByRole('button', { name: '新建话术' }).click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('标题').fill('首次电话开场白')
    await modal
      .getByLabel('话术内容')
      .fill('您好，我是海纳科技的顾问，看到您在官网咨询了工业设备，想了解一下您的具体需求……')
    await modal.getByLabel('适用状态').click()
    await pick(page, '已分配')
    await page.keyboard.press('Escape')
    await modal.getByRole('button', { name: /保\s*存/ }).click()
    await page.getByTestId('scripts').getByText('首次电话开场白').waitFor()
    await shot(page, 'pool-settings-10a-scripts')
    await page.goto('/pool-settings/schedules')
    await page.getByTestId('work-hours').getByText('周六').waitFor()
    await shot(page, 'pool-settings-10b-schedules')
  })

  it('previews a handover', async () => {
    await page.goto('/pool-settings/handover')
    const form = page.getByTestId('handover-form')
    await form.getByLabel('移交人').click()
    await pick(page, '王销售 (wang@pools.test)')
    await form.getByLabel('接收人').click()
    await pick(page, '李销售 (li@pools.test)')
    await page.getByTestId('handover-preview').click()
    await page.getByTestId('handover-counts').waitFor()
    await shot(page, 'pool-settings-10-handover-preview')
  })

  it('draws the pool reports', async () => {
    // Some traffic to report on: 8 leads arrive, 6 are distributed to the sub-pool, 4 assigned,
    // 2 of those followed up (their first contact).
    const pools = items<Json>(await apiCall('GET', '/api/v1/lead-pools'))
    const sub = pools.find((p) => p.name === '华南子池')!
    const users = items<Json>(await apiCall('GET', '/api/v1/users?limit=50'))
    const wang = users.find((u) => u.name === '王销售')!
    const li = users.find((u) => u.name === '李销售')!
    const ids: string[] = []
    for (let i = 0; i < 8; i++) {
      const lead = await apiCall('POST', '/api/v1/leads', {
        name: `测试客户${i + 1}`,
        mobile: `1390000${String(1000 + i)}`,
        company: `华南设备${i + 1}厂`,
      })
      ids.push(lead.id as string)
    }
    await apiCall('POST', '/api/v1/leads/distribute', { ids: ids.slice(0, 6), poolId: sub.id })
    await apiCall('POST', '/api/v1/leads/assign', { ids: ids.slice(0, 2), ownerId: wang.id })
    await apiCall('POST', '/api/v1/leads/assign', { ids: ids.slice(2, 4), ownerId: li.id })
    for (const id of [ids[0], ids[2]])
      await apiCall('POST', '/api/v1/follow-ups', {
        subjectType: 'lead',
        subjectId: id,
        type: 'call',
        content: '电话沟通，客户有采购意向',
      })

    await page.goto('/pools/reports')
    await page.getByTestId('chart').first().locator('svg').waitFor()
    await page.getByTestId('funnel-table').getByText('进入总池').waitFor()
    const funnel = await apiCall<{ stages: { key: string; count: number }[] }>(
      'GET',
      '/api/v1/lead-reports/funnel',
    )
    expect(funnel.stages.find((s) => s.key === 'master_pool')!.count).toBe(8)
    await page.getByTestId('first-contact-table').getByText('王销售').waitFor()
    await shot(page, 'pool-settings-11-reports')
    await page.getByText('按团队').click()
    await page.getByTestId('first-contact-table').getByText('海纳线索池测试').waitFor()
  })

  it('reads in English too', async () => {
    await page.getByTestId('lang-switch').click()
    await page.getByRole('menuitem', { name: 'English' }).click()
    await page.goto('/pool-settings/pools')
    await page.getByTestId('pool-node').filter({ hasText: '华南公海' }).click()
    await page.getByText('Claims per person per day').waitFor()
    await shot(page, 'pool-settings-12-public-pool-en')
    await page.getByTestId('lang-switch').click()
    await page.getByRole('menuitem', { name: '繁體中文' }).click()
    await page.goto('/pool-settings/assignment')
    await page.getByText('輪流分配').first().waitFor()
    await shot(page, 'pool-settings-13-assignment-zh-tw')
  })
})

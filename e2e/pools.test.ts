import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, pick, SCREENSHOTS, shot, signIn } from './browser.js'
import { type RunningServer, setupWorkspace, startServer } from './server.js'

// Issue #4 in the browser: a lead released to a public pool (公海) is claimed by a salesperson,
// followed up on the lead page (desktop and a 375 px phone), and the notification centre shows
// what the manager assigned. The pools' list and board are checked as the admin.
const ADMIN = { email: 'admin@pools.test', password: 'Haina-e2e-2026!' }
const SALES = { email: 'wang@pools.test', password: 'Wang-Sales-2026!', name: '王小销' }

let server: RunningServer
let browser: Browser
let page: Page
let admin: Api
let publicPoolId = ''
let releasedId = ''
let assignedId = ''

/** A signed-in API session (cookie + CSRF token), for the setup a test does not click through. */
class Api {
  constructor(
    private cookie: string,
    private csrf: string,
  ) {}
  static async login(email: string, password: string) {
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw new Error(`login ${res.status}: ${await res.text()}`)
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    return new Api(cookie, (await res.json()).csrfToken)
  }
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        'accept-language': 'zh-CN',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`)
    return (text ? JSON.parse(text) : {}) as T
  }
}

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, {
    workspaceName: '海纳线索池测试',
    workspaceSlug: 'lead-pools-e2e',
    adminName: '赵主管',
    email: ADMIN.email,
    password: ADMIN.password,
  })
  admin = await Api.login(ADMIN.email, ADMIN.password)

  // A salesperson in the workspace's top unit.
  const roles = await admin.call<{ items: { id: string; key: string | null }[] }>('GET', '/roles')
  const units = await admin.call<{ items: { id: string; parentId: string | null }[] }>('GET', '/org-units')
  const sales = await admin.call<{ id: string }>('POST', '/users', {
    email: SALES.email,
    name: SALES.name,
    unitId: units.items.find((u) => !u.parentId)!.id,
    roleIds: [roles.items.find((r) => r.key === 'salesperson')!.id],
    password: SALES.password,
  })

  // A public pool that hides the mobile number, close reasons, and a script to suggest.
  const pool = await admin.call<{ id: string }>('POST', '/lead-pools', {
    name: '华东公海',
    kind: 'public',
    description: '无人跟进的线索',
    settings: { dailyClaimLimit: 5, userHoldingCap: 50, reclaimLockDays: 7, hiddenFields: ['mobile'] },
  })
  publicPoolId = pool.id
  const settings = await admin.call<{ version: number }>('GET', '/lead-settings')
  await admin.call('PUT', '/lead-settings', {
    ...settings,
    closeReasons: [
      { key: 'no_budget', label: '没有预算', status: 'closed' },
      { key: 'fake', label: '虚假信息', status: 'invalid' },
    ],
    releaseReasons: ['暂无需求', '联系不上'],
  })
  await admin.call('POST', '/sales-scripts', {
    title: '首次电话开场白',
    body: '您好，我是海纳科技的顾问，看到您在官网咨询了我们的产品，想了解一下您的需求。',
  })

  // One lead goes back to the public pool; another is assigned to the salesperson (a notification).
  const lead = await admin.call<{ id: string }>('POST', '/leads', {
    name: '周明远',
    company: '杭州明远贸易有限公司',
    mobile: '13912345678',
  })
  releasedId = lead.id
  await admin.call('POST', `/leads/${lead.id}/release`, { reason: '暂无需求', poolId: publicPoolId })
  const other = await admin.call<{ id: string }>('POST', '/leads', {
    name: '陈思琪',
    company: '苏州思琪电子',
    mobile: '13787654321',
  })
  assignedId = other.id
  // It goes to a sub-pool under the master pool, then to the salesperson.
  const pools = await admin.call<{ items: { id: string; kind: string }[] }>('GET', '/lead-pools')
  const sub = await admin.call<{ id: string }>('POST', '/lead-pools', {
    name: '华东子池',
    kind: 'sub',
    parentId: pools.items.find((p) => p.kind === 'master')!.id,
  })
  await admin.call('POST', '/leads/bulk/move', { ids: [other.id], poolId: sub.id })
  await admin.call('POST', '/leads/assign', { ids: [other.id], ownerId: sales.id, reason: '华东区域' })

  browser = await launch()
  page = await newPage(browser, server.url)
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('lead pools in the browser', () => {
  it('shows the admin the pool tree with the list and the board', async () => {
    await signIn(page, ADMIN)
    await page.goto('/pools/views')
    const tree = page.getByTestId('pool-tree')
    await tree.getByText('华东公海').waitFor()
    await tree.getByText('华东子池').click()
    await page.locator('[data-testid=pool-leads] .ant-table-row').first().waitFor()
    await shot(page, 'lead-pools-01-list')
    await page.getByTestId('layout-switch').getByText('看板').click()
    await page.getByTestId('board-card').first().waitFor()
    await shot(page, 'lead-pools-02-board')
    // A card moved to "closed" asks for a close reason.
    await page.getByTestId('board-card').first().getByRole('button').click()
    await page.getByRole('menuitem', { name: /已关闭/ }).click()
    const statusForm = page.locator('.ant-modal:visible').getByTestId('status-form')
    await statusForm.waitFor()
    await statusForm.getByLabel('关闭原因').click()
    await pick(page, '没有预算')
    await shot(page, 'lead-pools-03-close-reason')
    await page.locator('.ant-modal:visible').getByTestId('status-ok').click()
    await page.getByText('状态已更新').waitFor()
    // Closed leads leave the board's open columns.
    await expect.poll(() => page.getByTestId('board-card').count()).toBe(0)
    await page.getByTestId('layout-switch').getByText('列表').click()
    // The current filters and columns saved as a view, then picked from the dropdown.
    await page.getByTestId('view-save').click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('视图名称').fill('华东待跟进')
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click()
    await page.getByText('视图已保存').waitFor()
    await page.getByTestId('saved-views').click()
    await pick(page, '华东待跟进')
    await page.locator('[data-testid=pool-leads] .ant-table-row').first().waitFor()
  })

  it('lets the salesperson claim from the public pool', async () => {
    const ctx = page.context()
    await ctx.clearCookies()
    await signIn(page, SALES)
    await page.goto('/pools/public')
    const row = page.locator('[data-testid=public-leads] .ant-table-row', { hasText: '周明远' })
    await row.waitFor()
    // The pool hides the mobile number while the lead sits in it.
    expect(await row.getByTestId('hidden-field').count()).toBe(1)
    expect(await row.textContent()).not.toContain('13912345678')
    await page.getByTestId('claim-rules').getByText('每人每天可领取 5 条').waitFor()
    await shot(page, 'lead-pools-04-public-pool')
    await row.getByTestId('claim').click()
    await page.getByText('领取成功').waitFor()
    await expect.poll(() => row.count()).toBe(0)
    const mine = await page.evaluate(async (id) => (await fetch(`/api/v1/leads/${id}`)).json(), releasedId)
    expect(mine.mobile).toContain('13912345678')
  })

  it('adds a follow-up on the lead page and sees it on the timeline', async () => {
    await page.context().grantPermissions(['geolocation'], { origin: server.url })
    await page.context().setGeolocation({ latitude: 30.2741, longitude: 120.1551 })
    await page.goto(`/leads/${releasedId}`)
    await page.getByTestId('lead-pool-panel').getByText('我').waitFor()
    await page.getByTestId('scripts').getByText('首次电话开场白').waitFor()
    const form = page.getByTestId('quick-followup')
    await form.getByText('拜访').click()
    await form.getByLabel('跟进内容').fill('上门拜访周总，介绍了 CRM 方案，对线索池功能很感兴趣。')
    await form.getByLabel('跟进结果').fill('有意向')
    await form.getByTestId('next-at').fill('2031-05-20T10:30')
    await form.getByLabel('下一步').fill('发送报价单')
    const file = join(tmpdir(), `拜访纪要-${process.pid}.txt`)
    writeFileSync(file, '拜访纪要：预算 20 万，下月决策。')
    await form.locator('input[type=file]').setInputFiles(file)
    await form.getByText(`拜访纪要-${process.pid}.txt`).waitFor()
    await form.getByTestId('check-in').click()
    await form.getByTestId('location').waitFor()
    await shot(page, 'lead-pools-05-followup-form')
    await form.getByTestId('followup-save').click()
    await page.getByText('已记录跟进').waitFor()
    const item = page.getByTestId('followup-item').first()
    await item.getByText('发送报价单').waitFor()
    expect(await item.textContent()).toContain('拜访')
    expect(await item.textContent()).toContain(`拜访纪要-${process.pid}.txt`)
    expect(await item.textContent()).toContain('30.27410')
    await page.getByTestId('lead-moves').getByText('领取').first().waitFor()
    await shot(page, 'lead-pools-06-lead-detail')
  })

  it('works on a phone screen', async () => {
    const phone = await newPage(browser, server.url, { width: 375, height: 812 })
    await signIn(phone, SALES)
    await phone.goto(`/leads/${releasedId}`)
    const form = phone.getByTestId('quick-followup')
    await form.waitFor()
    await phone.getByTestId('lead-moves').getByText('领取').first().waitFor()
    await phone.screenshot({ path: `${SCREENSHOTS}lead-pools-07a-phone-top.png` })
    await form.getByText('电话').first().click()
    await form.getByLabel('跟进内容').fill('电话确认报价单已收到。')
    await form.getByTestId('followup-save').scrollIntoViewIfNeeded()
    // Nothing wider than the screen: the page never scrolls sideways.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await phone.screenshot({ path: `${SCREENSHOTS}lead-pools-07-phone-form.png` })
    await form.getByTestId('followup-save').click()
    await phone.getByText('已记录跟进').waitFor()
    await phone.getByTestId('followup-item').first().getByText('电话确认报价单已收到。').waitFor()
    await shot(phone, 'lead-pools-08-phone-lead')
    await phone.getByTestId('lead-moves').scrollIntoViewIfNeeded()
    await phone.screenshot({ path: `${SCREENSHOTS}lead-pools-08b-phone-moves.png` })
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    // On a phone the bell opens the notification centre; it and the public pool fit the screen.
    await phone.getByTestId('notice-bell').click()
    await phone.getByTestId('notifications').getByTestId('notice').first().waitFor()
    await shot(phone, 'lead-pools-08c-phone-notifications')
    await phone.goto('/pools/public')
    await phone.getByTestId('claim-rules').waitFor()
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await shot(phone, 'lead-pools-08d-phone-public')
    await phone.context().close()
  })

  it('shows the notification of the assigned lead and opens it', async () => {
    await page.goto('/')
    await expect.poll(() => page.getByTestId('notice-count').textContent()).toContain('1')
    await page.getByTestId('notice-bell').click()
    const dropdown = page.getByTestId('notice-dropdown')
    await dropdown.getByTestId('notice').first().waitFor()
    await shot(page, 'lead-pools-09-bell')
    await dropdown.getByTestId('notice').first().click()
    await page.waitForURL(`**/leads/${assignedId}`)
    await page.getByTestId('lead-pool-panel').waitFor()
    await page.goto('/notifications')
    await page.getByTestId('notifications').getByTestId('notice').first().waitFor()
    await shot(page, 'lead-pools-10-notifications')
  })

  it('releases the lead back to the public pool, where the previous owner is locked out', async () => {
    await page.goto(`/leads/${releasedId}`)
    await page.getByTestId('lead-release').click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('退回原因').fill('联系')
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '联系不上' })
      .click()
    await modal.getByTestId('release-ok').click()
    await page.getByText('已退回公海').waitFor()
    await page.goto('/pools/public')
    const row = page.locator('[data-testid=public-leads] .ant-table-row', { hasText: '周明远' })
    await row.getByText(/前你不能再领取/).waitFor()
    expect(await row.getByTestId('claim').isDisabled()).toBe(true)
    await shot(page, 'lead-pools-13-locked')
  })

  it('reads in English and Traditional Chinese without clipping', async () => {
    for (const [lang, name] of [
      ['en', 'en'],
      ['zh-TW', 'tw'],
    ]) {
      await page.evaluate((l) => localStorage.setItem('haina.lang', l), lang)
      await page.goto('/pools/public')
      await page.getByTestId('claim-rules').waitFor()
      await shot(page, `lead-pools-11-public-${name}`)
      await page.goto(`/leads/${assignedId}`)
      await page.getByTestId('quick-followup').waitFor()
      await shot(page, `lead-pools-12-lead-${name}`)
    }
    await page.evaluate(() => localStorage.setItem('haina.lang', 'zh-CN'))
  })
})

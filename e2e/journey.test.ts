import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, pick, shot } from './browser.js'
import { type RunningServer, startServer } from './server.js'

// The issue #2 journey, in one browser session on a fresh server:
// first-run setup → login → language switch → department → user with a role → custom field on
// leads → lead using it → the lead's audit entry. Each step leaves a screenshot in e2e/screenshots/.
const ADMIN = { email: 'admin@haina.test', password: 'Haina-e2e-2026!' }
const WS = { name: '海纳测试科技', slug: 'haina-e2e' }

let server: RunningServer
let browser: Browser
let page: Page

beforeAll(async () => {
  server = await startServer()
  browser = await launch()
  page = await newPage(browser, server.url)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const primary = (p: Page, scope: string) => p.locator(`${scope} .ant-btn-primary`).last()

describe('first-run journey', () => {
  it('sets up the workspace on first run', async () => {
    await page.goto('/')
    await page.getByTestId('setup-form').waitFor()
    await shot(page, '01-setup')
    await page.getByLabel('工作区名称').fill(WS.name)
    await page.getByLabel('工作区标识（字母、数字、短横线）').fill(WS.slug)
    await page.getByLabel('管理员姓名').fill('王管理')
    await page.getByLabel('邮箱').fill(ADMIN.email)
    await page.getByLabel('密码').fill(ADMIN.password)
    await page.locator('[data-testid=setup-form] button[type=submit]').click()
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe(WS.name)
    await expect.poll(() => page.getByText('欢迎，王管理').count()).toBe(1)
    await shot(page, '02-home')
  })

  it('signs out and signs in again', async () => {
    await page.getByTestId('user-menu').click()
    await page.getByText('退出登录', { exact: true }).click()
    await page.getByTestId('login-form').waitFor()
    // A wrong password gets the one generic message.
    await page.getByLabel('邮箱').fill(ADMIN.email)
    await page.getByLabel('密码').fill('wrong-password-1')
    await page.locator('[data-testid=login-form] button[type=submit]').click()
    await page.getByText('邮箱或密码错误').waitFor()
    await shot(page, '03-login-failed')
    await page.getByLabel('工作区（可选）').fill(WS.slug)
    await page.getByLabel('密码').fill(ADMIN.password)
    await page.locator('[data-testid=login-form] button[type=submit]').click()
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe(WS.name)
  })

  it('switches the language zh-CN ↔ en and remembers it', async () => {
    const sider = page.getByTestId('sider')
    await expect.poll(() => sider.getByText('线索', { exact: true }).count()).toBe(1)
    await page.getByTestId('lang-switch').click()
    await page.getByRole('menuitem', { name: 'English' }).click()
    await expect.poll(() => sider.getByText('Leads', { exact: true }).count()).toBe(1)
    expect(await page.getByText('Welcome, 王管理').count()).toBe(1)
    expect(await page.evaluate(() => localStorage.getItem('haina.lang'))).toBe('en')
    await page.reload()
    await expect.poll(() => sider.getByText('Leads', { exact: true }).count()).toBe(1)
    await shot(page, '04-home-en')
    await page.getByTestId('lang-switch').click()
    await page.getByRole('menuitem', { name: '简体中文' }).click()
    await expect.poll(() => sider.getByText('线索', { exact: true }).count()).toBe(1)
  })

  it('creates a department', async () => {
    await page.goto('/settings/org')
    const tree = page.getByTestId('org-tree')
    await tree.locator('.ant-tree-title').first().click()
    await page.getByTestId('org-add').click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('名称').fill('华东销售部')
    await modal.getByLabel('编码').fill('EAST')
    await primary(page, '.ant-modal:visible').click()
    await tree.getByText('华东销售部', { exact: true }).waitFor()
    await tree.getByText('华东销售部', { exact: true }).click()
    await page.locator('.ant-card-head-title', { hasText: '华东销售部' }).waitFor()
    await shot(page, '05-org')
  })

  it('creates a user with a role in that department', async () => {
    await page.goto('/settings/users')
    await page.getByTestId('user-new').click()
    const drawer = page.locator('.ant-drawer:visible')
    await drawer.getByLabel('姓名').fill('李销售')
    await drawer.getByLabel('邮箱').fill('li@haina.test')
    await drawer.getByLabel('手机').fill('13800138000')
    await drawer.getByLabel('所属部门').click()
    await pick(page, '华东销售部')
    await drawer.getByLabel('角色').click()
    await pick(page, '销售员')
    await page.keyboard.press('Escape')
    await drawer.getByLabel('密码').fill('Li-Sales-2026!')
    await shot(page, '06-user-form')
    await page.getByTestId('user-save').click()
    const row = page.locator('.ant-table-row', { hasText: 'li@haina.test' })
    await row.waitFor()
    expect(await row.textContent()).toContain('销售员')
    expect(await row.textContent()).toContain('华东销售部')
    await shot(page, '07-users')
  })

  it('invites a colleague, who joins through the link and is signed in', async () => {
    await page.goto('/settings/users')
    await page.getByRole('button', { name: /邀\s*请/ }).click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('邮箱').fill('wang@haina.test')
    await modal.getByLabel('姓名').fill('王市场')
    await modal.getByLabel('所属部门').click()
    await pick(page, '华东销售部')
    await modal.getByLabel('角色').click()
    await pick(page, '市场运营')
    await modal.locator('.ant-modal-title').click()
    await modal.locator('.ant-btn-primary').click()
    const link = (await page.getByTestId('invite-link').textContent())?.trim() ?? ''
    expect(link).toMatch(/\/invite\//)
    await shot(page, '07b-invite-link')
    await modal.locator('.ant-btn-primary').click()
    await page.getByTestId('pending-invitations').getByText('wang@haina.test').waitFor()

    // The invitee, in a browser of their own.
    const invitee = await newPage(browser, server.url)
    await invitee.goto(link)
    await invitee.getByTestId('invite-form').waitFor()
    expect(await invitee.locator('.ant-card').textContent()).toContain('海纳测试科技')
    expect(await invitee.getByLabel('姓名').inputValue()).toBe('王市场')
    await invitee.getByLabel('密码').fill('Wang-Mkt-2026!')
    await shot(invitee, '07c-invite-accept')
    await invitee.getByRole('button', { name: /加\s*入/ }).click()
    await invitee.getByText('欢迎，王市场').waitFor()
    await invitee.context().close()
    // Used: the link now says so instead of offering the form again.
    const again = await newPage(browser, server.url)
    await again.goto(link)
    await again.getByText('邀请链接无效、已使用或已过期').waitFor()
    await again.context().close()
    // The admin sees the new colleague and no pending invitation any more.
    await page.reload()
    await page.locator('.ant-table-row', { hasText: 'wang@haina.test' }).getByText('市场运营').waitFor()
    expect(await page.getByTestId('pending-invitations').count()).toBe(0)
  })

  it('revokes an invitation, and its link stops working', async () => {
    await page.getByRole('button', { name: /邀\s*请/ }).click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('邮箱').fill('zhao@haina.test')
    await modal.getByLabel('所属部门').click()
    await pick(page, '华东销售部')
    await modal.locator('.ant-modal-title').click()
    await modal.locator('.ant-btn-primary').click()
    const link = (await page.getByTestId('invite-link').textContent())?.trim() ?? ''
    await modal.locator('.ant-btn-primary').click()
    const pending = page.getByTestId('pending-invitations')
    await pending.getByText('zhao@haina.test').waitFor()
    await shot(page, '07d-pending-invitations')
    await pending.getByRole('button', { name: /撤\s*销/ }).click()
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click()
    await page.getByText('邀请已撤销').waitFor()
    await pending.waitFor({ state: 'detached' })
    const invitee = await newPage(browser, server.url)
    await invitee.goto(link)
    await invitee.getByText('邀请链接无效、已使用或已过期').waitFor()
    await invitee.context().close()
  })

  it('creates a custom field on leads', async () => {
    await page.goto('/settings/custom-fields')
    await page.getByTestId('cf-new').click()
    const drawer = page.locator('.ant-drawer:visible')
    await drawer.getByLabel('显示名称').fill('客户等级')
    await drawer.getByLabel('字段标识').fill('level')
    await drawer.getByLabel('字段类型').click()
    await pick(page, '单选')
    await drawer.getByText('添加选项').click()
    await drawer.getByText('添加选项').click()
    await drawer.getByPlaceholder('值').nth(0).fill('a')
    await drawer.getByPlaceholder('显示名称').nth(0).fill('A 级客户')
    await drawer.getByPlaceholder('值').nth(1).fill('b')
    await drawer.getByPlaceholder('显示名称').nth(1).fill('B 级客户')
    await shot(page, '08-custom-field-form')
    await page.getByTestId('cf-save').click()
    const row = page.locator('.ant-table-row', { hasText: '客户等级' })
    await row.waitFor()
    expect(await row.textContent()).toContain('A 级客户')
    await shot(page, '09-custom-fields')
  })

  it('creates a lead filling the custom field', async () => {
    await page.goto('/leads')
    await page.getByTestId('lead-new').click()
    const drawer = page.locator('.ant-drawer:visible')
    await drawer.getByLabel('姓名').fill('张三')
    await drawer.getByLabel('公司').fill('上海海纳贸易有限公司')
    await drawer.getByLabel('手机').fill('13912345678')
    await drawer.getByLabel('客户等级').click()
    await pick(page, 'A 级客户')
    await shot(page, '10-lead-form')
    await page.getByTestId('lead-save').click()
    const row = page.locator('.ant-table-row', { hasText: '张三' })
    await row.waitFor()
    expect(await row.textContent()).toContain('A 级客户')
    expect(await row.textContent()).toContain('上海海纳贸易有限公司')
    await shot(page, '11-leads')
  })

  it('exports the lead list (CSV) with the list’s columns and custom fields', async () => {
    await page.getByTestId('lead-export').hover()
    await page.getByTestId('lead-export-csv').waitFor()
    await shot(page, '11-leads-export')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('lead-export-csv').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^线索-\d{8}-\d{4}\.csv$/)
    const text = readFileSync((await download.path())!, 'utf8')
    expect(text.startsWith('\ufeff姓名,手机,邮箱,公司')).toBe(true)
    expect(text).toContain('张三,13912345678,,上海海纳贸易有限公司')
    expect(text).toContain(',客户等级\r\n')
    expect(text).toContain(',A 级客户\r\n')
  })

  it('shows the lead in the audit log with its values', async () => {
    await page.goto('/settings/audit')
    // Actions and object types read in the page's language, not as codes.
    const row = page.locator('.ant-table-row', { hasText: '张三' }).filter({ hasText: '线索' }).first()
    await row.waitFor()
    expect(await row.textContent()).toContain('新建')
    expect(await row.textContent()).not.toContain('create')
    expect(await row.textContent()).toContain('王管理')
    await shot(page, '12-audit')
    await row.getByText('详情').click()
    const modal = page.locator('.ant-modal:visible')
    // Fields read as labels; the stored key is kept in the title.
    await modal.locator('[title="custom.level"]').waitFor()
    expect(await modal.textContent()).toContain('上海海纳贸易有限公司')
    await shot(page, '13-audit-diff')
    await page.keyboard.press('Escape')
  })

  it('renders the other settings pages', async () => {
    for (const [path, name, text] of [
      ['/settings/roles', '14-roles', '系统管理员'],
      ['/settings/api-keys', '15-api-keys', 'API 密钥'],
      ['/settings/recycle-bin', '16-recycle-bin', '回收站'],
      ['/settings/jobs', '17-jobs', '后台任务'],
      ['/settings/workspace', '18-workspace', '密码策略'],
    ] as const) {
      await page.goto(path)
      await page.locator('.haina-content').getByText(text).first().waitFor()
      await shot(page, name)
    }
    await page.goto('/settings/roles')
    await page.locator('.ant-table-row', { hasText: '销售员' }).getByText('编辑').click()
    await page.locator('.ant-drawer:visible').getByText('查看完整个人信息（手机、邮箱）').waitFor()
    await shot(page, '19-role-matrix')
  })

  it('is usable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto('/leads')
    await page.locator('.ant-table-row', { hasText: '张三' }).waitFor()
    await shot(page, '20-phone-leads')
    // The header must not overflow the screen.
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
  })
})

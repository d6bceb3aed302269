import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, shot, signIn } from './browser.js'
import { type ApiSession, apiSession, type RunningServer, setupWorkspace, startServer } from './server.js'

// The platform settings as a new administrator meets them, in English and in 繁體中文: Enter submits
// dialogs, errors name the field and keep the input, the audit diff shows names instead of ids, empty
// pages say what goes there, and destructive actions ask first.
const ADMIN = { email: 'admin@settings.test', password: 'Haina-e2e-2026!' }
const WS = { workspaceName: 'Settings Test Co', workspaceSlug: 'settings-e2e', adminName: 'Ada Admin' }
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

let server: RunningServer
let browser: Browser
let page: Page
let api: ApiSession

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, { ...WS, ...ADMIN })
  api = await apiSession(server, ADMIN)
  browser = await launch()
  page = await newPage(browser, server.url, { width: 1280, height: 720 })
  await signIn(page, ADMIN)
  await page.getByTestId('lang-switch').click()
  await page.getByRole('menuitem', { name: 'English' }).click()
  await page.getByTestId('sider').getByText('Leads', { exact: true }).waitFor()
  // The choice is kept on the account, so notifications and emails come in English too.
  const locale = async () =>
    (await api.call<{ user: { locale: string | null } }>('GET', '/auth/me')).user.locale
  for (let i = 0; i < 50 && (await locale()) !== 'en'; i++) await new Promise((r) => setTimeout(r, 100))
  expect(await locale()).toBe('en')
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const modal = (p: Page) => p.locator('.ant-modal:visible').last()
const drawer = (p: Page) => p.locator('.ant-drawer-content-wrapper:visible').last()

describe('settings pages (English)', () => {
  it('shows every settings entry of the menu in full at 1280 px', async () => {
    await page.goto('/settings/org')
    const labels = page.getByTestId('sider').locator('.ant-menu-sub .ant-menu-title-content')
    await labels.first().waitFor()
    const clipped = await labels.evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
    )
    expect(clipped).toEqual([])
  })

  it('adds a unit by pressing Enter in the dialog', async () => {
    await page.goto('/settings/org')
    const tree = page.getByTestId('org-tree')
    await tree.locator('.ant-tree-title').first().click()
    await page.getByTestId('org-add').click()
    const name = modal(page).getByLabel('Name')
    // Enter on an empty name: the error names the field and the dialog stays.
    await name.press('Enter')
    await modal(page).getByText('Name is required').waitFor()
    await name.fill('East Sales')
    await name.press('Enter')
    await tree.getByText('East Sales', { exact: true }).waitFor()
    expect(await page.locator('.ant-modal:visible').count()).toBe(0)
  })

  it('custom field key: the error names the field, keeps the input, Enter saves', async () => {
    await page.goto('/settings/custom-fields')
    // No fields yet: the empty table says what to do.
    await page.getByText('No custom fields on this object yet').waitFor()
    await page.getByTestId('cf-new').click()
    const label = drawer(page).getByLabel('Label')
    const key = drawer(page).getByLabel('Key')
    await label.fill('Customer level')
    await key.fill('Customer Level')
    await key.press('Enter')
    await drawer(page).getByText('Key: start with a lowercase letter').waitFor()
    expect(await label.inputValue()).toBe('Customer level')
    await shot(page, 'settings-01-cf-key-error')
    await key.fill('customer_level')
    await key.press('Enter')
    await page.locator('.ant-table-row', { hasText: 'customer_level' }).waitFor()
  })

  it('editing a built-in role logs only what changed, with readable names', async () => {
    await page.goto('/settings/roles')
    await page
      .locator('.ant-table-row', { hasText: 'Salesperson' })
      .getByRole('button', { name: 'Edit' })
      .click()
    const d = drawer(page)
    // Permission checkboxes are named by module and action, not by raw keys.
    await d.getByRole('checkbox', { name: 'Leads · View' }).waitFor()
    expect(await d.getByRole('checkbox', { name: 'leads.view' }).count()).toBe(0)
    await d.getByLabel('Description').fill('Works the leads of their own')
    await d.getByLabel('Description').press('Enter')
    await page.locator('.ant-table-row', { hasText: 'Works the leads of their own' }).waitFor()

    await page.goto('/settings/audit')
    const row = page.locator('[data-testid=audit-table] .ant-table-row', { hasText: 'Role' }).first()
    await row.getByRole('button', { name: 'Details' }).click()
    const diff = page.getByTestId('audit-diff')
    await diff.getByText('Works the leads of their own').waitFor()
    const fields = await diff.locator('tbody tr td:first-child').allTextContents()
    // The built-in name shown in English was not written back as a change.
    expect(fields).toEqual(['Description'])
    await shot(page, 'settings-02-role-diff')
  })

  it('the audit diff of a new unit names its parent instead of showing its id', async () => {
    await page.keyboard.press('Escape')
    await page.goto('/settings/audit')
    const row = page
      .locator('[data-testid=audit-table] .ant-table-row', { hasText: 'East Sales' })
      .filter({ hasText: 'Create' })
      .first()
    await row.getByRole('button', { name: 'Details' }).click()
    const diff = page.getByTestId('audit-diff')
    const parent = diff.locator('tbody tr', { hasText: 'Parent unit' })
    await parent.waitFor()
    expect(await parent.textContent()).toContain(WS.workspaceName)
    const text = (await diff.textContent()) ?? ''
    expect(text).not.toMatch(UUID)
    expect(text).not.toContain('tenantId')
    // Times in the reader's language, not ISO strings.
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/)
    await shot(page, 'settings-03-unit-diff')
    await page.keyboard.press('Escape')
  })

  it('asks before disabling a user, naming them', async () => {
    const user = await api.call<{ id: string }>('GET', '/org-units').then(async (units) => {
      const unitId = (units as unknown as { items: { id: string }[] }).items[0]!.id
      return api.call<{ id: string }>('POST', '/users', {
        name: 'Bo Sales',
        email: 'bo@settings.test',
        password: 'Bo-Sales-2026!',
        unitId,
        roleIds: [],
      })
    })
    expect(user.id).toMatch(UUID)
    await page.goto('/settings/users')
    await page
      .locator('.ant-table-row', { hasText: 'bo@settings.test' })
      .getByRole('button', { name: 'Disable' })
      .click()
    const title = page.locator('.ant-modal-confirm-title:visible')
    expect(await title.textContent()).toContain('Disable Bo Sales? They can no longer sign in')
    await modal(page).getByRole('button', { name: 'Cancel' }).click()
    const row = page.locator('.ant-table-row', { hasText: 'bo@settings.test' })
    expect(await row.textContent()).toContain('Active')
  })

  it('the recycle bin and API keys pages say what goes there when empty', async () => {
    await page.goto('/settings/recycle-bin')
    await page.getByText('The recycle bin is empty.').waitFor()
    await page.goto('/settings/api-keys')
    await page.getByText('No API keys yet.').waitFor()
  })

  it('creates an API key by pressing Enter, then shows it once', async () => {
    const roles = await api.call<{ items: { id: string; key: string }[] }>('GET', '/roles')
    expect(roles.items.length).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'New API key' }).click()
    const m = modal(page)
    await m.getByLabel('Name').fill('Website form')
    await m.getByLabel('Role').click()
    await page
      .locator('.ant-select-dropdown:visible')
      .getByText('Channel integration', { exact: true })
      .click()
    await m.getByLabel('Unit').click()
    await page.locator('.ant-select-dropdown:visible').getByText(WS.workspaceName, { exact: true }).click()
    await m.getByLabel('Name').press('Enter')
    expect(await page.getByTestId('api-key-value').textContent()).toMatch(/^hn_/)
  })
})

describe('settings pages (繁體中文)', () => {
  it('uses traditional characters in the settings chrome', async () => {
    const { Converter } = await import('opencc-js')
    const toTW = Converter({ from: 'cn', to: 'tw' })
    await page.keyboard.press('Escape')
    await page.getByTestId('lang-switch').click()
    await page.getByRole('menuitem', { name: '繁體中文' }).click()
    for (const path of [
      '/settings/org',
      '/settings/users',
      '/settings/roles',
      '/settings/custom-fields',
      '/settings/api-keys',
      '/settings/audit',
      '/settings/recycle-bin',
      '/settings/jobs',
    ]) {
      await page.goto(path)
      await page.getByTestId('sider').getByText('線索', { exact: true }).waitFor()
      await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'))
      // The chrome only: table rows hold data (names, stored summaries) in whatever script it was typed.
      const text = await page.evaluate(() => {
        const copy = document.body.cloneNode(true) as HTMLElement
        for (const el of copy.querySelectorAll('.ant-table-tbody .ant-table-row')) el.remove()
        document.body.appendChild(copy)
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered lines are what the reader sees.
        const out = copy.innerText
        copy.remove()
        return out
      })
      const simplified = text.split('\n').filter((line) => toTW(line) !== line)
      expect(simplified, path).toEqual([])
    }
    await shot(page, 'settings-04-jobs-zh-TW')
  })

  it('follows the person to a new browser: signing in there opens in the language they chose', async () => {
    const fresh = await newPage(browser, server.url, { width: 1280, height: 720 })
    try {
      await signIn(fresh, ADMIN)
      await fresh.getByTestId('sider').getByText('線索', { exact: true }).waitFor()
    } finally {
      await fresh.context().close()
    }
  })
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, SCREENSHOTS, shot, signIn } from './browser.js'
import { apiSession, type RunningServer, setupWorkspace, startServer } from './server.js'

// A salesperson on a phone (390×844, like an iPhone 12–15): the menu is a drawer opened from the
// header, the leads list and a lead with its follow-ups fit the screen without scrolling sideways.
// The small tablet (768) gets the drawer too; at 1024 the side bar is back.
const ADMIN = { email: 'admin@mobile.test', password: 'Haina-e2e-2026!' }
const PHONE = { width: 390, height: 844 }
const PHONE_DEVICE = { deviceScaleFactor: 2, isMobile: true, hasTouch: true }

let server: RunningServer
let browser: Browser
let leadId = ''

/** How far the page reaches past the window's right edge (0 or less: no sideways scrolling). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, {
    workspaceName: '海纳移动端测试',
    workspaceSlug: 'mobile-e2e',
    adminName: '周店长',
    email: ADMIN.email,
    password: ADMIN.password,
  })
  const api = await apiSession(server, ADMIN)
  const lead = await api.call<{ id: string }>('POST', '/leads', {
    name: '郑雨桐',
    company: '宁波雨桐进出口贸易有限公司',
    mobile: '13857412345',
    email: 'zheng.yutong@example.com',
    source: '门店到访',
  })
  leadId = lead.id
  await api.call('POST', '/follow-ups', {
    subjectType: 'lead',
    subjectId: leadId,
    type: 'visit',
    content: '到店看了样车，对分期方案感兴趣，周末带家人再来试驾。',
    outcome: '有意向',
    nextStep: '周六上午安排试驾',
  })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('Haina on a phone', () => {
  it('opens the menu as a drawer, walks to a lead and never scrolls sideways', async () => {
    const page = await newPage(browser, server.url, PHONE, PHONE_DEVICE)
    await signIn(page, ADMIN)

    // No side bar: the header and the page get the whole width, and the header's buttons fit.
    expect(await page.getByTestId('sider').count()).toBe(0)
    const header = await page.locator('.haina-header').boundingBox()
    expect(header).toMatchObject({ x: 0, width: PHONE.width })
    const userMenu = await page.getByTestId('user-menu').boundingBox()
    expect(userMenu!.x + userMenu!.width).toBeLessThanOrEqual(PHONE.width)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await shot(page, 'mobile-01-home')

    await page.getByTestId('nav-open').tap()
    const drawer = page.getByTestId('nav-drawer')
    await drawer.getByText('线索', { exact: true }).waitFor()
    await page.screenshot({ path: `${SCREENSHOTS}mobile-02-drawer.png` })
    await drawer.getByText('线索', { exact: true }).tap()
    await page.waitForURL('**/leads')
    await drawer.waitFor({ state: 'hidden' })

    // The list: its columns scroll inside the table, not the page.
    await page.getByRole('link', { name: '郑雨桐' }).waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    const table = page.locator('.ant-table-content').first()
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    await shot(page, 'mobile-03-leads')

    await page.getByRole('link', { name: '郑雨桐' }).tap()
    await page.waitForURL(`**/leads/${leadId}`)
    const followUp = page.getByTestId('followup-item').first()
    await followUp.getByText('到店看了样车', { exact: false }).waitFor()
    await page.getByTestId('quick-followup').waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `${SCREENSHOTS}mobile-04-lead-top.png` })
    await followUp.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SCREENSHOTS}mobile-05-lead-followups.png` })
    await shot(page, 'mobile-06-lead')
    await page.context().close()
  })

  it('gives a small tablet the drawer and brings the side bar back at 1024', async () => {
    const tablet = await newPage(browser, server.url, { width: 768, height: 1024 })
    await signIn(tablet, ADMIN)
    await tablet.goto(`/leads/${leadId}`)
    await tablet.getByTestId('followup-item').first().waitFor()
    expect(await tablet.getByTestId('sider').count()).toBe(0)
    await tablet.getByTestId('nav-open').waitFor()
    expect(await overflow(tablet)).toBeLessThanOrEqual(0)
    await shot(tablet, 'mobile-07-tablet-lead')
    await tablet.context().close()

    const laptop = await newPage(browser, server.url, { width: 1024, height: 768 })
    await signIn(laptop, ADMIN)
    await laptop.getByTestId('sider').waitFor()
    expect(await laptop.getByTestId('nav-open').count()).toBe(0)
    await laptop.context().close()
  })
})

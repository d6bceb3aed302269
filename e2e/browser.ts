import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'

export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url))

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's chromium (apt-get install chromium fonts-noto-cjk); CHROMIUM_PATH overrides. */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS })
}

// Stable screenshots: no blinking carets. Motion is off through reducedMotion, which the app maps onto
// antd's `motion: false` (killing CSS animations instead leaves antd popups waiting for animationend).
const NO_CARET = `*, *::before, *::after { caret-color: transparent !important; }`

/** A fresh context's page; `device` adds e.g. a phone's { deviceScaleFactor, isMobile, hasTouch }. */
export async function newPage(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1366, height: 860 },
  device: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    ...device,
    baseURL,
    viewport,
    locale: 'zh-CN',
    reducedMotion: 'reduce',
  })
  await context.addInitScript((css) => {
    ;(window as { __HAINA_NO_MOTION__?: boolean }).__HAINA_NO_MOTION__ = true
    const add = () => {
      const s = document.createElement('style')
      s.textContent = css
      document.head.appendChild(s)
    }
    if (document.head) add()
    else document.addEventListener('DOMContentLoaded', add)
  }, NO_CARET)
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return page
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.waitForTimeout(150)
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

/** Picks `label` in the open antd Select/TreeSelect/Cascader dropdown. */
export async function pick(page: Page, label: string): Promise<void> {
  const dropdown = page.locator('.ant-select-dropdown:visible, .ant-cascader-dropdown:visible').last()
  await dropdown.getByText(label, { exact: true }).first().click()
}

/** Signs in through the login page and waits for the app shell. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('邮箱').fill(who.email)
  await page.getByLabel('密码').fill(who.password)
  await page.locator('[data-testid=login-form] button[type=submit]').click()
  await page.getByTestId('workspace-name').waitFor()
}

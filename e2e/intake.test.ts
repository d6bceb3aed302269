import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, newPage, pick, shot, signIn } from './browser.js'
import { type RunningServer, setupWorkspace, startServer } from './server.js'

// Issue #3 in the browser: a channel and its key, a messy GBK file through the import wizard
// (mapping, preview, progress, report), a lead's timeline and the data-quality dashboard.
const ADMIN = { email: 'admin@intake.test', password: 'Haina-e2e-2026!' }

let server: RunningServer
let browser: Browser
let page: Page
let channelKey = ''

beforeAll(async () => {
  server = await startServer()
  await setupWorkspace(server, {
    workspaceName: '海纳导入测试',
    workspaceSlug: 'intake-e2e',
    adminName: '李运营',
    email: ADMIN.email,
    password: ADMIN.password,
  })
  browser = await launch()
  page = await newPage(browser, server.url)
  await signIn(page, ADMIN)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const MESSY = [
  '客户姓名,联系电话,电子邮箱,公司名称,备注',
  '张伟,138 0013 8000,zhangwei@example.com,上海海纳科技有限公司,官网咨询',
  '張偉,+86 13800138000,,海納科技（上海）有限公司,重复：繁体与另一种写法',
  '李娜,13900139000,lina@example.com,星河贸易,',
  '王强,12345,,某某公司,电话无效',
  ',,,,', // an empty spreadsheet row saved as CSV: skipped, not an invalid row
  '赵敏,１３７００１３７０００,zhaomin@example.com,云端网络股份有限公司,全角数字',
].join('\r\n')

describe('lead intake in the browser', () => {
  it('creates a channel and shows its key once', async () => {
    await page.goto('/intake/channels')
    await page.getByRole('button', { name: '新建渠道' }).click()
    const modal = page.locator('.ant-modal:visible')
    await modal.locator('.ant-select').first().click()
    await pick(page, '小程序')
    await modal.getByLabel('名称').fill('小程序商城')
    await modal.getByLabel('编码').fill('mp-shop')
    await modal.getByLabel('所属组织').click()
    await pick(page, '海纳导入测试')
    await modal.locator('.ant-btn-primary').click()
    await page.getByTestId('channel-key').waitFor()
    channelKey = (await page.getByTestId('channel-key').textContent()) ?? ''
    expect(channelKey).toMatch(/^hn_/)
    // With the key on screen the only way out is "close": nothing to cancel.
    expect(await modal.getByRole('button', { name: /取\s*消/ }).count()).toBe(0)
    await shot(page, 'intake-01-channel-key')
    await modal.locator('.ant-btn-primary').click()
    await page.getByRole('cell', { name: '小程序商城' }).waitFor()
    await shot(page, 'intake-02-channels')
  })

  it('imports a messy GBK file through the wizard and reads the report', async () => {
    const file = join(tmpdir(), `客户名单-${process.pid}.csv`)
    writeFileSync(file, iconv.encode(MESSY, 'gbk'))
    await page.goto('/intake/import')
    await page.locator('input[type=file]').setInputFiles(file)
    await page.getByText('GB18030').waitFor()
    await shot(page, 'intake-03-mapping')
    // The suggested mapping took the Chinese headers.
    expect(await page.getByTestId('map-1').textContent()).toContain('手机号')
    // Read as Big5 the headers mean nothing; named right again, the mapping comes back.
    const pick = async (label: string) => {
      await page.getByTestId('import-encoding').click()
      await page.locator('.ant-select-item-option', { hasText: label }).click()
    }
    await pick('Big5')
    await expect.poll(async () => page.getByTestId('map-1').textContent()).not.toContain('手机号')
    await pick('GBK')
    await expect.poll(async () => page.getByTestId('map-1').textContent()).toContain('手机号')
    await page.getByRole('button', { name: '下一步' }).click()
    await page.getByTestId('cell-issue').first().waitFor()
    expect(await page.getByTestId('cell-issue').first().textContent()).toBe('电话号码无效')
    // The value from the file is shown beside what is wrong with it, and the summary counts the rows.
    expect(await page.getByTestId('cell-raw').first().textContent()).toBe('12345')
    expect(await page.getByTestId('preview-summary').textContent()).toContain('文件共 5 行')
    await shot(page, 'intake-04-preview')
    await page.getByRole('button', { name: '开始导入' }).click()
    await page.getByText('导入完成').waitFor({ timeout: 60_000 })
    const report = page.getByTestId('import-report')
    await expect
      .poll(async () => report.locator('.ant-statistic').allTextContents())
      .toEqual(['新建4', '合并1', '重复0', '待审核0', '无效0'])
    // The report says what to do next: where the leads are, and that the import can be undone.
    const next = report.getByTestId('import-next')
    expect(await next.getByTestId('next-leads').textContent()).toContain('新建 4 条线索，1 条并入已有线索')
    expect(await next.getByRole('link', { name: '查看线索' }).getAttribute('href')).toBe('/leads')
    expect(await next.getByTestId('next-review').count()).toBe(0)
    expect(await report.getByText('5 行').count()).toBeGreaterThan(0)
    await shot(page, 'intake-05-report')
  })

  it('shows one clean lead per person with its intents on the timeline', async () => {
    await page.goto('/leads')
    // Survivorship 'newest': the later spelling (張偉) may now be the lead's name.
    await page
      .getByText(/^(张伟|張偉)$/)
      .first()
      .waitFor()
    const res = await page.evaluate(async () => (await fetch('/api/v1/leads?limit=50')).json())
    const zhang = (res.items as { id: string; name: string }[]).filter(
      (l) => l.name === '张伟' || l.name === '張偉',
    )
    expect(zhang).toHaveLength(1)
    await page.goto(`/leads/${zhang[0]!.id}`)
    await page.getByTestId('lead-timeline').getByText('合并').first().waitFor()
    expect(await page.getByTestId('lead-timeline').getByText('新建').count()).toBeGreaterThan(0)
    // Each intent says where it came from: here, rows of an imported file.
    expect(await page.getByTestId('intent-source').first().textContent()).toContain('来自 导入文件')
    await shot(page, 'intake-06-timeline')
  })

  it('draws the data-quality dashboard', async () => {
    await page.goto('/intake/quality')
    await page.getByTestId('chart').first().locator('svg').waitFor()
    await shot(page, 'intake-07-quality')
  })

  it('resolves a suspected duplicate in the review queue', async () => {
    // Two look-alikes pushed by the channel: same company, names one character apart.
    const push = await fetch(`${server.url}/api/v1/intake/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${channelKey}` },
      body: JSON.stringify({
        records: [
          { name: '陈静', mobile: '13811110001', company: '星河贸易有限公司', email: 'cj@example.com' },
          { name: '陈晶', mobile: '13811110002', company: '星河贸易', title: '采购经理' },
        ],
      }),
    })
    expect(push.status).toBe(200)
    expect(((await push.json()).results as { outcome: string }[]).map((r) => r.outcome)).toEqual([
      'created',
      'review',
    ])
    await page.goto('/intake/review')
    const row = page.locator('.ant-table-row', { hasText: '陈晶' })
    await row.getByText('陈静').waitFor()
    // The pair says what differs; fields only one side has show "—" on the other, so rows line up.
    expect(await row.getByTestId('diff-summary').textContent()).toMatch(/^不同：姓名.手机号.公司$/)
    // …and which rule raised it.
    expect(await row.getByTestId('review-rule').textContent()).toBe('规则：姓名相近且同一公司')
    expect(await row.locator('[data-testid=cmp-differs][data-field=mobile]').count()).toBe(2)
    expect(await row.locator('[data-field=title]').count()).toBe(2)
    // Marking invalid asks first; cancelling leaves the item in the queue.
    await row.getByRole('button', { name: '标为无效' }).click()
    const confirm = page.locator('.ant-popconfirm:visible')
    await confirm.getByText('把 1 条线索标为无效？').waitFor()
    await confirm.getByRole('button', { name: /取\s*消/ }).click()
    await shot(page, 'intake-08-review-queue')
    await row.getByRole('button', { name: /合\s*并/ }).click()
    await page.getByText('已处理 1 项').waitFor()
    await page.getByText('没有待审核的记录').waitFor()
    await page.getByRole('link', { name: '查看清洗规则' }).waitFor() // the empty queue says where it is fed from
    const leads = await page.evaluate(async () => (await fetch('/api/v1/leads?limit=50')).json())
    const chen = (leads.items as { name: string; title: string | null }[]).filter((l) =>
      ['陈静', '陈晶'].includes(l.name),
    )
    expect(chen).toHaveLength(1)
    expect(chen[0]!.title).toBe('采购经理') // the merged lead keeps what only the newcomer knew
    // The lead page explains its score and undoes the merge.
    await page.goto(`/leads/${(chen[0] as unknown as { id: string }).id}`)
    await page.getByTestId('lead-score').getByText('资料完整度').first().waitFor()
    await page.getByRole('button', { name: '撤销合并' }).click()
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click()
    await page.getByText('已撤销合并').first().waitFor()
    await shot(page, 'intake-08b-unmerged')
    const again = await page.evaluate(async () => (await fetch('/api/v1/leads?limit=50')).json())
    expect(
      (again.items as { name: string }[])
        .filter((l) => ['陈静', '陈晶'].includes(l.name))
        .map((l) => l.name)
        .sort(),
    ).toEqual(['陈晶', '陈静'].sort())
  })

  it('shows the cleansing rules and saves a validation policy', async () => {
    await page.goto('/intake/rules')
    await page.locator('input[value="同一手机号"]').waitFor()
    await shot(page, 'intake-09-dedupe-rules')
    // Re-dedupe with the saved rules: confirm, then the page follows the job to its counts.
    await page.getByTestId('rededupe').click()
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click()
    await page.getByTestId('rededupe-status').filter({ hasText: '完成' }).waitFor()
    expect(await page.getByTestId('rededupe-status').textContent()).toMatch(/检查 \d+ 条线索：合并 \d+ 条/)
    await shot(page, 'intake-09b-rededupe-done')
    await page.getByRole('tab', { name: '评分' }).click()
    await page.getByText('资料完整度').first().waitFor()
    await page.getByRole('tab', { name: '校验与合并' }).click()
    await shot(page, 'intake-10-validation')
    const pane = page.getByRole('tabpanel', { name: '校验与合并' })
    await pane.locator('label', { hasText: '拒收' }).first().click()
    await pane.getByRole('button', { name: /保\s*存/ }).click()
    await page.getByText('已保存', { exact: true }).waitFor()
    const saved = await page.evaluate(async () => (await fetch('/api/v1/quality/settings')).json())
    expect(saved.validation.mobile).toBe('reject')
    await shot(page, 'intake-10-validation')
  })

  it('creates a campaign and attributes the leads a tagged link brings', async () => {
    await page.goto('/campaigns')
    await page.getByRole('button', { name: '新建活动' }).click()
    const modal = page.locator('.ant-modal:visible')
    await modal.getByLabel('名称').fill('双十一直播')
    await modal.getByLabel('活动编码').fill('d11-live')
    await modal.getByLabel('实际花费（元）').fill('3000')
    await modal.getByLabel('所属组织').click()
    await pick(page, '海纳导入测试')
    await modal.getByRole('button', { name: /保\s*存/ }).click()
    await page.getByRole('link', { name: '双十一直播' }).waitFor()
    // Two leads arrive through the channel with utm_campaign=d11-live.
    const push = await fetch(`${server.url}/api/v1/intake/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${channelKey}` },
      body: JSON.stringify({
        utm_campaign: 'd11-live',
        records: [
          { name: '周杰', mobile: '13922220001' },
          { name: '吴芳', mobile: '13922220002' },
        ],
      }),
    })
    expect(push.status).toBe(200)
    await page.getByRole('link', { name: '双十一直播' }).click()
    const stats = page.getByTestId('campaign-stats')
    await stats.getByText('周杰').waitFor()
    expect(await stats.locator('.ant-statistic').first().textContent()).toBe('首触线索2')
    await expect.poll(() => stats.getByText('¥1,500.00').count()).toBe(1) // cost per lead
    await page.getByTestId('chart').locator('svg').waitFor()
    await shot(page, 'intake-11-campaign')
  })

  it('is usable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto('/intake/import')
    await page.getByText('点击或拖拽文件到这里').waitFor()
    await shot(page, 'intake-12-phone')
    await page.setViewportSize({ width: 1280, height: 800 })
  })
})

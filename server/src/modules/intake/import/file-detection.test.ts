import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../../../test/imports.js'
import { createKit, type Kit } from '../../../../test/kit.js'
import { multipart } from '../../../../test/multipart.js'
import { detectEncoding } from './file/index.js'

// The UI audit's import defects: large GBK files read as EUC-KR, a title row taken for the header,
// totals rows imported as leads, a doubled extension on the error file, flagged values lost.

let kit: Kit
let dir: string
beforeAll(async () => {
  kit = await createKit()
  dir = await mkdtemp(join(tmpdir(), 'haina-audit-ui-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await kit.close()
})

const upload = multipart

const post = (name: string, data: Buffer, opts: { url?: string; fields?: Record<string, string> } = {}) =>
  kit.req(kit.a.admin, {
    method: 'POST',
    url: opts.url ?? '/api/v1/imports',
    ...upload(name, data, opts.fields),
  })

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂'
/** A lead list like the audit's 20,000-row export: short Chinese names, numbers, emails. */
function bigCsv(rows: number): string {
  let s = '姓名,手机,邮箱,公司,备注\n'
  for (let i = 0; i < rows; i++) {
    const name = SURNAMES[i % 20]! + GIVEN[(i * 7) % 20]! + (i % 3 ? GIVEN[(i * 3) % 20]! : '')
    s += `${name},135${String(i * 37).padStart(8, '0')},u${i}@example.com,测试公司${i},${i % 5 ? '' : '"备注,含逗号"'}\n`
  }
  return s
}

async function fileOf(name: string, data: Buffer): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, data)
  return path
}

describe('import audit: encodings', () => {
  it('reads a large GBK file as GB18030, not as EUC-KR (chardet’s guess)', async () => {
    const path = await fileOf('big_gbk.csv', iconv.encode(bigCsv(3000), 'gbk'))
    expect((await detectEncoding(path)).encoding).toBe('gb18030')
  })

  it('still reads Big5 (short and long) as Big5, and Korean EUC-KR as EUC-KR', async () => {
    const tw =
      '姓名,手機號碼,公司名稱,電子郵件\n陳美玲,0912345678,臺灣海納科技股份有限公司,a@b.tw\n林志明,0987654321,台北貿易有限公司,\n'
    expect((await detectEncoding(await fileOf('tw.csv', iconv.encode(tw, 'big5')))).encoding).toBe('big5')
    const long = tw + '黃淑芬,0911222333,高雄電機工業股份有限公司,c@d.tw\n'.repeat(2000)
    expect((await detectEncoding(await fileOf('tw2.csv', iconv.encode(long, 'big5')))).encoding).toBe('big5')
    const ko = '이름,전화,회사\n김민수,01012345678,삼성전자 주식회사\n박지영,01098765432,현대자동차\n'.repeat(
      50,
    )
    expect((await detectEncoding(await fileOf('ko.csv', iconv.encode(ko, 'euc-kr')))).encoding).toMatch(
      /euc-kr/i,
    )
  })

  it('imports the large GBK file with its columns matched', async () => {
    const res = await post('big_gbk.csv', iconv.encode(bigCsv(3000), 'gbk'))
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body.import.encoding).toBe('gb18030')
    expect(body.sample[0].cells[0]).toBe('王伟')
    expect(body.suggestions.filter((s: { target: string | null }) => s.target)).toHaveLength(5)
  })

  it('takes the encoding the client names (query or form field), and refuses an unknown one', async () => {
    const csv = iconv.encode('姓名,手機\n陳美玲,+886912345678\n', 'big5')
    const byQuery = await post('tw.csv', csv, { url: '/api/v1/imports?encoding=big5' })
    expect(byQuery.statusCode, byQuery.body).toBe(201)
    expect(byQuery.json().import.encoding).toBe('big5')
    expect(byQuery.json().sample[0].cells[0]).toBe('陳美玲')
    // Read as GB18030 when told so, whatever detection says.
    const byField = await post('tw.csv', csv, { fields: { encoding: 'gb18030' } })
    expect(byField.statusCode, byField.body).toBe(201)
    expect(byField.json().import.encoding).toBe('gb18030')
    expect(byField.json().sample[0].cells[0]).not.toBe('陳美玲')
    const bad = await post('tw.csv', csv, { fields: { encoding: 'latin1' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('encoding')
    expect((await post('tw.csv', csv, { url: '/api/v1/imports?encoding=latin1' })).statusCode).toBe(400)
  })
})

describe('import audit: title rows and totals rows', () => {
  it('finds the header below a merged title row and an empty row (XLSX), and skips the totals row', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('线索')
    ws.getCell('A1').value = '2026年展会线索导出（勿删此行）'
    ws.mergeCells('A1:E1')
    ws.getRow(3).values = ['姓名', '手机号码', '公司名称', '邮箱', '备注']
    ws.getRow(4).values = ['张伟', '13800138000', '北京海纳科技有限公司', 'zw@example.com', '']
    ws.getRow(5).values = ['李娜', '13912345678', '上海某某贸易', '', '']
    ws.getRow(6).values = ['合计', '', '', '', '2条']
    const res = await post('leads_messy.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body.headerRow).toBe(3)
    expect(body.import.headers).toEqual(['姓名', '手机号码', '公司名称', '邮箱', '备注'])
    expect(body.sample.map((r: { rowNumber: number }) => r.rowNumber)).toEqual([4, 5, 6])
    const mapping = { 0: 'name', 1: 'mobile', 2: 'company', 3: 'email', 4: 'notes' }
    const preview = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/imports/${body.import.id}/preview`,
      payload: { mapping, rows: body.sample },
    })
    expect(preview.json().rows[2].issues[0]).toMatchObject({ field: 'row', code: 'totals_row' })
    const done = await runImport(kit, body.import.id, mapping)
    expect(done.status).toBe('completed')
    expect(done.counts).toMatchObject({ rows: 3, created: 2, invalid: 0, skipped: 1 })
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from leads where tenant_id = $1 and name = '合计'`,
      [kit.a.tenantId],
    )
    expect(rows[0].n).toBe(0)
  })

  it('finds the header below a title line in a CSV; a totals row with a phone is still a lead', async () => {
    const csv = '客户名单 2026-11\n姓名,手机,公司\n赵敏,13700137001,云端网络\n小计,13700137002,\n总计：,,\n'
    const res = await post('名单.csv', Buffer.from(csv))
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body.headerRow).toBe(2)
    expect(body.import.headers).toEqual(['姓名', '手机', '公司'])
    const done = await runImport(kit, body.import.id, { 0: 'name', 1: 'mobile', 2: 'company' })
    // No ragged rows: the width is the header's, not the title line's.
    expect(done.counts).toMatchObject({ rows: 3, created: 2, invalid: 0, skipped: 1 })
  })
})

describe('import audit: error file name', () => {
  it('names it <base name>-errors.csv, with an RFC 5987 filename* for Chinese names', async () => {
    const csv = '姓名,手机号,备注\n王强,12345,\n,,只有备注\n'
    const up = (await post('客户名单.csv', Buffer.from(csv))).json()
    await runImport(kit, up.import.id, { 0: 'name', 1: 'mobile', 2: 'notes' })
    const res = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/imports/${up.import.id}/errors.csv`,
    })
    const cd = res.headers['content-disposition'] as string
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('客户名单-errors.csv')}`)
    expect(cd).toContain('filename="import-errors.csv"')
    expect(cd).not.toContain('.csv.csv')
    const ascii = (await post('leads_gbk.csv', Buffer.from(csv))).json()
    const res2 = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/imports/${ascii.import.id}/errors.csv`,
    })
    expect(res2.headers['content-disposition']).toBe(
      `attachment; filename="leads_gbk-errors.csv"; filename*=UTF-8''leads_gbk-errors.csv`,
    )
  })
})

describe('import audit: keep and flag', () => {
  it('keeps a flagged mobile’s value in the review item, not on the lead; +886 numbers are valid', async () => {
    const csv = '姓名,手机号\n孙悟空,1234\n陈美玲,+886 912-345-678\n林志明,0912-345-678\n'
    const up = (await post('flag.csv', Buffer.from(csv))).json()
    const done = await runImport(kit, up.import.id, { 0: 'name', 1: 'mobile' })
    expect(done.counts).toMatchObject({ rows: 3, created: 3, invalid: 0 })
    const { rows } = await kit.haina.database.pool.query(
      `select name, mobile, quality, quality_issues from leads where tenant_id = $1 and import_id = $2 order by name`,
      [kit.a.tenantId, up.import.id],
    )
    const byName = (name: string) => rows.find((r) => r.name === name)
    // The invalid value is never in the normalised column (dedupe keys use it)…
    expect(byName('孙悟空')?.mobile).toBeNull()
    // …but the issue keeps it as received.
    expect(byName('孙悟空')?.quality_issues).toEqual([
      { field: 'mobile', code: 'invalid_phone', value: '1234' },
    ])
    // Written with +886, a Taiwan mobile is valid; in national format it is read as a CN number.
    expect(byName('陈美玲')).toMatchObject({ mobile: '+886912345678', quality: 'ok' })
    expect(byName('林志明')?.quality_issues).toEqual([
      { field: 'mobile', code: 'invalid_phone', value: '0912-345-678' },
    ])
    const review = await kit.req(kit.a.admin, {
      method: 'GET',
      url: '/api/v1/quality/review-items?kind=invalid&limit=200',
    })
    expect(review.statusCode, review.body).toBe(200)
    const forLead = review
      .json()
      .items.find((i: { lead: { name?: string } | null }) => i.lead?.name === '孙悟空')
    expect(forLead.reasons).toEqual([{ field: 'mobile', code: 'invalid_phone', value: '1234' }])
    expect(forLead.lead.qualityIssues).toEqual([{ field: 'mobile', code: 'invalid_phone', value: '1234' }])
  })
})

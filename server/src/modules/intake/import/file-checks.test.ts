import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectInvalidPhones, runImport } from '../../../../test/imports.js'
import { createKit, type Kit } from '../../../../test/kit.js'
import { multipart } from '../../../../test/multipart.js'
import { drainJobs } from '../../../platform/jobs/queue.js'

// The audit's import defects: whole-file checks at upload, the job never half-imports, foreign ids
// refused at start, localized and aligned error files, UTF-16 without BOM, XLSX formulas and merges.

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const upload = multipart

const H = '姓名,手机,公司,邮箱\n'
const rows = (n: number, from = 0) => {
  let s = ''
  for (let i = from; i < from + n; i++)
    s += `客户${i},1380013${String(i).padStart(4, '0')},公司${i},c${i}@ex.com\n`
  return s
}
const count = async (sql: string, params: unknown[]) =>
  (await kit.haina.database.pool.query(sql, params)).rows[0].n as number

const post = (name: string, data: Buffer, headers: Record<string, string> = {}) => {
  const up = upload(name, data)
  return kit.req(kit.a.admin, {
    method: 'POST',
    url: '/api/v1/imports',
    payload: up.payload,
    headers: { ...up.headers, ...headers },
  })
}

async function errorFile(id: string, lang?: string): Promise<string[][]> {
  const res = await kit.req(kit.a.admin, {
    method: 'GET',
    url: `/api/v1/imports/${id}/errors.csv`,
    headers: lang ? { 'accept-language': lang } : {},
  })
  expect(res.statusCode).toBe(200)
  return parse(res.body.replace(/^\ufeff/, ''), { relax_column_count: true }) as string[][]
}

describe('import: whole-file structure at upload', () => {
  it('answers an upload cut off mid-transfer with a 400, storing nothing', async () => {
    const up = upload('cut.csv', Buffer.from(`${H}${rows(50)}`))
    const res = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      payload: up.payload.subarray(0, up.payload.length - 60),
      headers: up.headers,
    })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().code).toBe('malformed_multipart')
  })

  it('refuses a CSV whose quote is unclosed late in the file with a 400 naming the row, storing nothing', async () => {
    const before = await count('select count(*)::int as n from imports where tenant_id = $1', [
      kit.a.tenantId,
    ])
    const csv = `${H}${rows(2500)}坏,13900000000,"未闭合的引号,z@x.com\n后,13900000001,公司,y@x.com\n`
    const res = await post('badquote_late.csv', Buffer.from(csv), { 'accept-language': 'en' })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/problem\+json/)
    expect(res.json().code).toBe('import_malformed_csv')
    expect(res.json().detail).toBe('Malformed CSV near row 2502 (an unclosed quote?)')
    const after = await count('select count(*)::int as n from imports where tenant_id = $1', [kit.a.tenantId])
    expect(after).toBe(before)
  })

  it('refuses an unclosed quote in row 2 with a 400, not a 500', async () => {
    const csv = `${H}甲,13800138031,"未闭合,a@x.com\n乙,13800138032,公司,b@x.com\n`
    const res = await post('badquote_early.csv', Buffer.from(csv))
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('import_malformed_csv')
    expect(res.json().detail).toContain('第 2 行')
  })

  it('knows the row count from the upload, so progress has its total from the start', async () => {
    const res = await post('count.csv', Buffer.from(`${H}${rows(57)}`))
    expect(res.statusCode).toBe(201)
    expect(res.json().import.totalRows).toBe(57)
    expect(res.json().sample).toHaveLength(20)
  })

  it('skips a CSV row of empty cells (a spreadsheet’s empty row) like a blank line, keeping row numbers', async () => {
    const csv = `${H}${rows(2)},,,\n ,　,,\n${rows(1, 2)}`
    const res = await post('gaps.csv', Buffer.from(csv))
    expect(res.statusCode, res.body).toBe(201)
    const up = res.json()
    expect(up.import.totalRows).toBe(3)
    expect(up.sample.map((s: { rowNumber: number }) => s.rowNumber)).toEqual([2, 3, 6])
    const done = await runImport(kit, up.import.id, {
      '0': 'name',
      '1': 'mobile',
      '2': 'company',
      '3': 'email',
    })
    expect(done.counts).toMatchObject({ rows: 3, created: 3, invalid: 0 })
    expect(await errorFile(up.import.id)).toHaveLength(1) // the header only: no row was refused
  })

  it('undoes what a job wrote when the file turns out broken mid-import, with a localized error', async () => {
    const res = await post('later-broken.csv', Buffer.from(`${H}${rows(30)}`))
    expect(res.statusCode).toBe(201)
    const id = res.json().import.id
    // The stored file read differently by the job (changed since the upload): broken at row 32.
    const broken = `${H}${rows(30)}坏,13900000000,"未闭合,z@x.com\n${rows(5, 100)}`
    await kit.haina.database.pool.query('delete from import_files where tenant_id = $1 and import_id = $2', [
      kit.a.tenantId,
      id,
    ])
    await kit.haina.database.pool.query(
      'insert into import_files (tenant_id, import_id, seq, data) values ($1, $2, 0, $3)',
      [kit.a.tenantId, id, Buffer.from(broken)],
    )
    process.env.HAINA_IMPORT_BATCH = '10'
    try {
      await kit.req(kit.a.admin, {
        method: 'POST',
        url: `/api/v1/imports/${id}/start`,
        payload: { mapping: { 0: 'name', 1: 'mobile', 2: 'company', 3: 'email' } },
      })
      await drainJobs(kit.haina.database.db)
    } finally {
      delete process.env.HAINA_IMPORT_BATCH
    }
    const leads = await count(
      'select count(*)::int as n from leads where tenant_id = $1 and import_id = $2',
      [kit.a.tenantId, id],
    )
    expect(leads).toBe(0)
    const zh = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/imports/${id}` })).json()
    expect(zh.status).toBe('failed')
    expect(zh.counts).toMatchObject({ rows: 0, created: 0 })
    expect(zh.checkpointRow).toBe(0)
    expect(zh.error).toBe('CSV 格式错误（第 32 行附近，可能是引号未闭合）')
    const en = (
      await kit.req(kit.a.admin, {
        method: 'GET',
        url: `/api/v1/imports/${id}`,
        headers: { 'accept-language': 'en' },
      })
    ).json()
    expect(en.error).toBe('Malformed CSV near row 32 (an unclosed quote?)')
  })
})

describe('import: encodings', () => {
  it('reads UTF-16 without a BOM (little- and big-endian)', async () => {
    const text = `${H}张三,13800138001,海纳,a@ex.com\n`
    const le = await post('utf16le.csv', Buffer.from(text, 'utf16le'))
    expect(le.statusCode, le.body).toBe(201)
    expect(le.json().import.headers).toEqual(['姓名', '手机', '公司', '邮箱'])
    expect(le.json().import.encoding).toBe('utf-16le')
    expect(le.json().sample[0].cells).toEqual(['张三', '13800138001', '海纳', 'a@ex.com'])
    const be = await post('utf16be.csv', Buffer.from(text, 'utf16le').swap16())
    expect(be.statusCode, be.body).toBe(201)
    expect(be.json().import.headers).toEqual(['姓名', '手机', '公司', '邮箱'])
    expect(be.json().sample[0].cells[2]).toBe('海纳')
  })

  it('does not take text with NUL characters as a CSV', async () => {
    const res = await post(
      'nul.csv',
      Buffer.concat([Buffer.from(`${H}甲,1380013`), Buffer.from([0]), Buffer.from('8000,x,y\n')]),
    )
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('import_unknown_encoding')
    // Past the 64 KB the encoding is guessed from, too.
    const late = Buffer.concat([Buffer.from(`${H}${rows(2000)}`), Buffer.from('甲,1,\0,x\n')])
    const res2 = await post('nul-late.csv', late)
    expect(res2.statusCode).toBe(400)
    expect(res2.json().code).toBe('import_unknown_encoding')
  })
})

describe('import: references at start', () => {
  it('refuses another workspace’s channel or campaign with a 400 naming the field', async () => {
    const other = await kit.req(kit.b.admin, {
      method: 'POST',
      url: '/api/v1/channels',
      payload: { kind: 'app', name: 'B 渠道', code: 'b-app', unitId: kit.b.rootUnitId },
    })
    expect(other.statusCode, other.body).toBe(201)
    const camp = await kit.req(kit.b.admin, {
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { kind: 'ads', name: 'B 活动', code: 'b-camp', unitId: kit.b.rootUnitId },
    })
    expect(camp.statusCode, camp.body).toBe(201)
    const own = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/channels',
      payload: { kind: 'app', name: 'A 渠道', code: 'a-app', unitId: kit.a.rootUnitId },
    })
    const up = (await post('refs.csv', Buffer.from(`${H}${rows(2)}`))).json()
    const start = (body: Record<string, unknown>) =>
      kit.req(kit.a.admin, {
        method: 'POST',
        url: `/api/v1/imports/${up.import.id}/start`,
        payload: { mapping: { 0: 'name', 1: 'mobile' }, ...body },
      })
    const ch = await start({ channelId: other.json().id })
    expect(ch.statusCode).toBe(400)
    expect(ch.json().errors).toEqual([expect.objectContaining({ field: 'channelId' })])
    const cp = await start({ campaignId: camp.json().id })
    expect(cp.statusCode).toBe(400)
    expect(cp.json().errors).toEqual([expect.objectContaining({ field: 'campaignId' })])
    const ok = await start({ channelId: own.json().id })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().channelId).toBe(own.json().id)
  })
})

describe('import: error file', () => {
  it('lines up ragged rows under the header, keeps extra cells, and localizes the reason', async () => {
    const csv = `${H}甲,13800138021,公司,a@x.com\n乙,13800138022\n丙,13800138023,公司,c@x.com,extra,more\n丁,13800138024,公司,d@x.com\n`
    const up = (await post('ragged.csv', Buffer.from(csv))).json()
    const done = await runImport(kit, up.import.id, { 0: 'name', 1: 'mobile', 2: 'company', 3: 'email' })
    expect(done.counts).toMatchObject({ rows: 4, created: 2, invalid: 2 })
    const zh = await errorFile(up.import.id)
    expect(zh[0]).toEqual(['姓名', '手机', '公司', '邮箱', '多余单元格 Extra', '行号 Row', '原因 Reason'])
    expect(zh[1]).toEqual(['乙', '13800138022', '', '', '', '3', '整行：列数与表头不一致'])
    expect(zh[2]).toEqual([
      '丙',
      '13800138023',
      '公司',
      'c@x.com',
      'extra | more',
      '4',
      '整行：列数与表头不一致',
    ])
    const en = await errorFile(up.import.id, 'en')
    expect(en[1]![6]).toBe('Row: The row has more or fewer cells than the header')
  })

  it('names the field by its column header in the caller’s language; preview issues carry a message', async () => {
    await rejectInvalidPhones(kit)
    try {
      const up = (await post('phones.csv', Buffer.from('姓名,手机号\n王强,12345\n钱七,13600136000\n'))).json()
      const mapping = { 0: 'name', 1: 'mobile' }
      const preview = await kit.req(kit.a.admin, {
        method: 'POST',
        url: `/api/v1/imports/${up.import.id}/preview`,
        headers: { 'accept-language': 'en' },
        payload: { mapping, rows: up.sample },
      })
      expect(preview.json().rows[0].issues[0]).toMatchObject({
        field: 'mobile',
        code: 'invalid_phone',
        column: 1,
        message: expect.stringMatching(/phone/i),
      })
      await runImport(kit, up.import.id, mapping)
      const zh = await errorFile(up.import.id)
      expect(zh[1]![3]).toMatch(/^手机号：\S/)
      expect(zh[1]![3]).not.toContain('invalid_phone')
      const tw = await errorFile(up.import.id, 'zh-TW')
      expect(tw[1]![3]).toMatch(/^手机号：\S/)
      expect(tw[1]![3]).not.toBe(zh[1]![3])
      const en = await errorFile(up.import.id, 'en')
      expect(en[1]![3]).toMatch(/^手机号: \S/)
      expect(en[1]![3]).not.toContain('invalid_phone')
    } finally {
      await kit.haina.database.pool.query('delete from quality_settings where tenant_id = $1', [
        kit.a.tenantId,
      ])
    }
  })
})

describe('import: XLSX formulas and merged cells', () => {
  it('refuses a row whose mapped cell is a formula error or has no result, naming the column', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('S1')
    ws.addRow(['姓名', '手机', '备注'])
    ws.addRow([
      { formula: '"甲"&"乙"', result: '甲乙' },
      { formula: '"1380013"&"8061"', result: '13800138061' },
      'ok',
    ])
    ws.addRow([{ formula: '"丙"&"丁"' }, '13800138062', 'no cached result'])
    ws.addRow(['戊', { formula: '1/0', result: { error: '#DIV/0!' } }, 'error'])
    ws.addRow(['己', '13800138064', { formula: 'A1/0', result: { error: '#REF!' } }])
    const up = (await post('formulas.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))).json()
    expect(up.sample[2].cells[1]).toBe('#DIV/0!')
    const done = await runImport(kit, up.import.id, { 0: 'name', 1: 'mobile' })
    // Row 5's error is in an unmapped column (备注): it goes in.
    expect(done.counts).toMatchObject({ rows: 4, created: 2, invalid: 2 })
    const file = await errorFile(up.import.id)
    expect(file.map((r) => [r[3], r[4]])).toEqual([
      ['行号 Row', '原因 Reason'],
      ['3', '姓名：公式没有计算结果（或结果为错误），请在 Excel 中重新计算并保存'],
      ['4', '手机：公式计算出错（#DIV/0!）'],
    ])
  })

  it('fills a vertically merged data cell into every row of its range; a merge across columns is a row issue', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('S1')
    ws.addRow(['姓名', '手机', '公司'])
    ws.addRow(['甲', '13800138052', '合并公司'])
    ws.addRow(['乙', '13800138053', ''])
    ws.addRow(['丙', '13800138054', ''])
    ws.mergeCells('C2:C4')
    ws.addRow(['丁', '13800138055', '横向'])
    ws.mergeCells('B5:C5')
    const up = (await post('merged.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))).json()
    expect(up.sample.map((r: { cells: string[] }) => r.cells[2])).toEqual([
      '合并公司',
      '合并公司',
      '合并公司',
      undefined,
    ])
    const done = await runImport(kit, up.import.id, { 0: 'name', 1: 'mobile', 2: 'company' })
    expect(done.counts).toMatchObject({ rows: 4, created: 3, invalid: 1 })
    const { rows: leads } = await kit.haina.database.pool.query(
      'select name, company from leads where tenant_id = $1 and import_id = $2 order by name',
      [kit.a.tenantId, up.import.id],
    )
    expect(leads.map((l) => l.company)).toEqual(['合并公司', '合并公司', '合并公司'])
    const file = await errorFile(up.import.id)
    expect(file[1]!.slice(-2)).toEqual(['5', '公司：单元格属于跨列合并区域 B5:C5，请取消合并'])
  })
})

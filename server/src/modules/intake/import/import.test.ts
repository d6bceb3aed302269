import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rejectInvalidPhones } from '../../../../test/imports.js'
import { createKit, type Kit } from '../../../../test/kit.js'
import { multipart } from '../../../../test/multipart.js'
import { drainJobs } from '../../../platform/jobs/queue.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const upload = multipart

const CSV = [
  '姓名,手机号,公司,邮箱,备注',
  '张伟,13800138000,海纳科技有限公司,zw@example.com,老客户',
  '張偉,+86 138-0013-8000,海納科技,,重复（繁体）',
  '李娜,13900139000,星河贸易,ln@example.com,',
  '王强,12345,某公司,,=1+1',
  '赵敏,13700137000,云端网络,zm@example.com,"多,逗号"',
].join('\r\n')

describe('import', () => {
  it('imports a GBK CSV through the job: counts, error file, then undo', async () => {
    const up = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      ...upload('客户.csv', iconv.encode(CSV, 'gbk')),
    })
    expect(up.statusCode).toBe(201)
    const { import: imp, suggestions, sample } = up.json()
    expect(imp.encoding).toMatch(/GB/i)
    expect(sample[0].cells[0]).toBe('张伟')
    const mapping = Object.fromEntries(
      suggestions
        .filter((s: { target: string | null }) => s.target)
        .map((s: { column: number; target: string }) => [String(s.column), s.target]),
    )
    expect(Object.values(mapping)).toEqual(
      expect.arrayContaining(['name', 'mobile', 'company', 'email', 'notes']),
    )

    const preview = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/preview`,
      payload: { mapping, rows: sample },
    })
    expect(preview.statusCode).toBe(200)
    const bad = preview.json().rows.find((r: { rowNumber: number }) => r.rowNumber === 5)
    expect(bad.issues[0]).toMatchObject({ field: 'mobile', code: 'invalid_phone' })

    const start = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/start`,
      payload: { mapping, saveMappingAs: '官网导出' },
    })
    expect(start.statusCode).toBe(200)
    await drainJobs(kit.haina.database.db)
    const done = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/imports/${imp.id}` })).json()
    expect(done.status).toBe('completed')
    // 王强's phone is invalid: the default policy keeps it flagged, so it is created, not refused.
    expect(done.counts).toMatchObject({ rows: 5, created: 4, merged: 1, invalid: 0 })

    const mappings = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/import-mappings' })).json()
    expect(mappings.items[0].name).toBe('官网导出')

    const undo = await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/imports/${imp.id}/undo` })
    expect(undo.statusCode).toBe(200)
    await drainJobs(kit.haina.database.db)
    const { rows } = await kit.haina.database.pool.query(
      'select count(*)::int as n from leads where tenant_id = $1 and import_id = $2',
      [kit.a.tenantId, imp.id],
    )
    expect(rows[0].n).toBe(0)
    expect(
      (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/imports/${imp.id}` })).json().status,
    ).toBe('undone')
  })

  it('writes refused rows to an error file with the reason, formulas neutralised', async () => {
    // Make phone validation reject, so the bad row is refused.
    await rejectInvalidPhones(kit)
    const csv = '姓名,手机号,备注\n王强,12345,=HYPERLINK("x")\n钱七,13600136000,\n'
    const up = (
      await kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/imports',
        ...upload('bad.csv', Buffer.from(csv)),
      })
    ).json()
    await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/imports/${up.import.id}/start`,
      payload: { mapping: { 0: 'name', 1: 'mobile', 2: 'notes' } },
    })
    await drainJobs(kit.haina.database.db)
    const done = (
      await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/imports/${up.import.id}` })
    ).json()
    expect(done.counts).toMatchObject({ rows: 2, created: 1, invalid: 1 })
    const errors = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/imports/${up.import.id}/errors.csv`,
    })
    expect(errors.body).toContain('王强')
    // The reason names the column by its header, in the caller's language (zh-CN by default).
    expect(errors.body).toMatch(/手机号：\S/)
    expect(errors.body).not.toContain('invalid_phone')
    expect(errors.body).toContain(`'=HYPERLINK`)
  })

  it('refuses a file that is not a table with a clear 400', async () => {
    const res = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      ...upload('fake.xlsx', Buffer.from('PK\u0003\u0004 not really a zip')),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toMatch(/^import_/)
  })

  it('needs leads.import', async () => {
    const res = await kit.req(null, { method: 'GET', url: '/api/v1/imports' })
    expect(res.statusCode).toBe(401)
  })
})

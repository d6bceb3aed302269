/**
 * List exports over HTTP (GET /api/v1/{leads,customers,opportunities,orders}/export): CSV and XLSX
 * content, headers per language, the list's filter and sort, data scope, PII masking, formula
 * safety, the permission, the audit record, paging through more than one batch, the row cap.
 */
import ExcelJS from 'exceljs'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { createLeads } from '../../modules/leads/service.js'
import { createRole } from '../org/roles.service.js'
import { createUsers } from '../org/users.service.js'

let kit: Kit
let seq = 0
/** A signed-in user of workspace A with a role of its own (data scope 'self' unless given). */
async function user(name: string, permissions: string[], dataScope: 'self' | 'all' = 'self') {
  const role = await createRole(kit.a.sys, { name: `导出角色${seq++}`, permissions, dataScope })
  const [u] = await createUsers(kit.a.sys, [
    {
      email: `export${seq++}@export.test`,
      name,
      unitId: kit.a.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!2026',
    },
  ])
  return { id: u!.id, session: await kit.login(kit.a.tenantId, u!.id) }
}

const get = (as: TestSession, url: string, lang = 'zh-CN') =>
  kit.req(as, { method: 'GET', url, headers: { 'accept-language': lang } })
const post = async (url: string, payload: object) => {
  const res = await kit.req(kit.a.admin, { method: 'POST', url, payload })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json()
}
const f = (filter: object) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
/** The CSV body as rows of cells (the BOM checked and dropped). */
function csvRows(res: LightMyRequestResponse): string[][] {
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toContain('text/csv')
  expect(res.body.startsWith('\ufeff')).toBe(true)
  expect(res.body.endsWith('\r\n')).toBe(true)
  // The test data has no commas, quotes or line breaks inside cells except where noted.
  return res.body
    .slice(1)
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(','))
}
async function xlsxRows(res: LightMyRequestResponse): Promise<unknown[][]> {
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toContain('spreadsheetml')
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
  const out: unknown[][] = []
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)))
  return out
}
const auditOf = async (objectType: string, actorId: string) =>
  (
    await kit.haina.database.pool.query(
      `select object_type, summary, after from audit_log
        where tenant_id = $1 and action = 'export' and object_type = $2 and actor_id = $3 order by at, id`,
      [kit.a.tenantId, objectType, actorId],
    )
  ).rows

let seller: { id: string; session: TestSession }
let viewer: { id: string; session: TestSession }
let manager: { id: string; session: TestSession }

beforeAll(async () => {
  kit = await createKit()
  seller = await user('王销售', ['leads.view', 'leads.export'])
  viewer = await user('只读', ['leads.view', 'customers.view', 'opportunities.view', 'orders.view'], 'all')
  manager = await user(
    '李经理',
    ['leads.view', 'leads.export', 'customers.view', 'customers.export', 'pii.view'],
    'all',
  )
  for (const payload of [
    { object: 'lead', key: 'wechat', label: '微信手机', type: 'phone' },
    {
      object: 'lead',
      key: 'level',
      label: '意向',
      type: 'single_select',
      options: [
        { value: 'hot', label: '高意向' },
        { value: 'cold', label: '低意向' },
      ],
    },
    { object: 'lead', key: 'budget', label: '预算', type: 'money' },
  ])
    await post('/api/v1/custom-fields', payload)
  await createLeads(kit.a.sys, [
    {
      name: '=HYPERLINK("http://evil.example","点我")',
      mobile: '13800138000',
      email: 'zhang@example.com',
      company: '+1 公司',
      title: '@x',
      status: 'following',
      ownerId: seller.id,
      custom: { wechat: '13900139000', level: 'hot', budget: 123456 },
    },
    { name: '赵一', company: '杭州云帆', status: 'new', ownerId: seller.id, custom: { level: 'cold' } },
    { name: '钱二', company: '上海启明', status: 'following', ownerId: kit.a.adminId },
    { name: '孙三', company: '北京远航', status: 'new', ownerId: null, unitId: kit.a.rootUnitId },
  ])
})
afterAll(() => kit.close())

describe('lead export', () => {
  it('writes CSV with BOM and CRLF, zh-CN headers incl. custom fields, names, masked and formula-safe', async () => {
    const rows = csvRows(await get(seller.session, `/api/v1/leads/export?format=csv&sort=name`))
    expect(rows[0]).toEqual([
      '姓名',
      '手机',
      '邮箱',
      '公司',
      '职位',
      '来源',
      '状态',
      '等级',
      '评分',
      '负责人',
      '所属部门',
      '最近跟进时间',
      '下次跟进时间',
      '备注',
      '创建时间',
      '更新时间',
      '微信手机',
      '意向',
      '预算',
    ])
    // Data scope self: the seller's two leads only; sorted by name ascending.
    expect(rows).toHaveLength(3)
    const evil = rows.find((r) => r[0]!.includes('HYPERLINK'))!
    // The name contains a quote and commas, so it is quoted: check the start of the raw line instead.
    const res = await get(seller.session, `/api/v1/leads/export?format=csv&${f({ status: 'following' })}`)
    const line = res.body.slice(1).split('\r\n')[1]!
    expect(line).toMatch(
      /^"'=HYPERLINK\(""http:\/\/evil\.example"",""点我""\)",138\*\*\*\*8000,z\*\*\*@example\.com,'\+1 公司,'@x,,跟进中,,0,王销售,Alpha,,,,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},139\*\*\*\*9000,高意向,1234\.56\r?$/,
    )
    expect(evil).toBeDefined()
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="Leads-\d{8}-\d{4}\.csv"; filename\*=UTF-8''%E7%BA%BF%E7%B4%A2-\d{8}-\d{4}\.csv$/,
    )
  })

  it('writes XLSX with English and zh-TW headers; numbers stay numbers; pii.view sees phones whole', async () => {
    const en = await xlsxRows(await get(manager.session, `/api/v1/leads/export?${f({ q: '点我' })}`, 'en'))
    expect(en[0]!.slice(0, 7)).toEqual([
      'Name',
      'Mobile',
      'Email',
      'Company',
      'Job title',
      'Source',
      'Status',
    ])
    expect(en[0]!.slice(-3)).toEqual(['微信手机', '意向', '预算'])
    expect(en).toHaveLength(2)
    const row = en[1]!
    expect(row[0]).toBe(`'=HYPERLINK("http://evil.example","点我")`)
    expect(row[1]).toBe('13800138000')
    expect(row[2]).toBe('zhang@example.com')
    expect(row[3]).toBe(`'+1 公司`)
    expect(row[4]).toBe(`'@x`)
    expect(row[6]).toBe('Following up')
    expect(row[8]).toBe(0)
    expect(row.slice(-3)).toEqual(['13900139000', '高意向', 1234.56])

    const tw = await xlsxRows(await get(manager.session, '/api/v1/leads/export?format=xlsx', 'zh-TW'))
    expect(tw[0]!.slice(0, 3)).toEqual(['姓名', '手機', '電子郵件'])
    expect(tw.slice(1).map((r) => r[6])).toContain('跟進中')
    // Scope 'all': every lead of the workspace.
    expect(tw).toHaveLength(5)
  })

  it('follows the list’s filter and sort', async () => {
    const desc = csvRows(await get(manager.session, `/api/v1/leads/export?format=csv&sort=-name`))
    const names = desc.slice(1).map((r) => r[0])
    const list = await get(manager.session, '/api/v1/leads?sort=-name&limit=200')
    expect(names.filter((n) => !n!.includes('HYPERLINK'))).toEqual(
      list
        .json()
        .items.map((l: { name: string }) => l.name)
        .filter((n: string) => !n.includes('HYPERLINK')),
    )
    const filtered = csvRows(
      await get(manager.session, `/api/v1/leads/export?format=csv&sort=name&${f({ status: 'new' })}`),
    )
    expect(
      filtered
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['孙三', '赵一'].sort())
    const custom = csvRows(
      await get(manager.session, `/api/v1/leads/export?format=csv&${f({ 'custom.level': 'cold' })}`),
    )
    expect(custom.slice(1).map((r) => r[0])).toEqual(['赵一'])
  })

  it('records one audit entry with the format, filter and number of rows', async () => {
    const filter = { status: 'new' }
    await get(manager.session, `/api/v1/leads/export?format=csv&sort=name&${f(filter)}`)
    const audit = await auditOf('lead', manager.id)
    expect(audit.at(-1)).toEqual({
      object_type: 'lead',
      summary: '线索',
      after: { format: 'csv', rows: 2, filter, sort: 'name', q: null },
    })
  })

  it('needs leads.export (403 naming it), and a known format (400 naming the field)', async () => {
    const denied = await get(viewer.session, '/api/v1/leads/export')
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toMatchObject({ code: 'forbidden', detail: '没有权限：leads.export' })
    const bad = await get(manager.session, '/api/v1/leads/export?format=pdf')
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect(bad.json().errors[0].field).toBe('querystring.format')
    const badFilter = await get(manager.session, `/api/v1/leads/export?${f({ nope: 1 })}`)
    expect(badFilter.statusCode).toBe(400)
    expect(badFilter.json().errors[0].field).toBe('filter.nope')
    expect(await auditOf('lead', viewer.id)).toEqual([])
  })

  it('pages through the list in batches (HAINA_EXPORT_BATCH) without losing or repeating a row', async () => {
    const many = Array.from({ length: 23 }, (_, i) => ({
      name: `批量${String(i).padStart(2, '0')}`,
      ownerId: null,
      unitId: kit.a.rootUnitId,
    }))
    await createLeads(kit.a.sys, many)
    process.env.HAINA_EXPORT_BATCH = '5'
    try {
      const query = `sort=name&${f({ name: { startsWith: '批量' } })}`
      const csv = csvRows(await get(manager.session, `/api/v1/leads/export?format=csv&${query}`))
      expect(csv.slice(1).map((r) => r[0])).toEqual(many.map((l) => l.name))
      const xlsx = await xlsxRows(await get(manager.session, `/api/v1/leads/export?format=xlsx&${query}`))
      expect(xlsx.slice(1).map((r) => r[0])).toEqual(many.map((l) => l.name))
      expect((await auditOf('lead', manager.id)).at(-1).after.rows).toBe(23)
    } finally {
      delete process.env.HAINA_EXPORT_BATCH
    }
  })

  it('refuses more rows than an export may hold with 422 export_too_large', async () => {
    process.env.HAINA_EXPORT_MAX_ROWS = '3'
    try {
      const res = await get(manager.session, '/api/v1/leads/export?format=csv')
      expect(res.statusCode).toBe(422)
      expect(res.json()).toMatchObject({ code: 'export_too_large' })
      expect(res.json().detail).toContain('3')
      const ok = await get(manager.session, `/api/v1/leads/export?format=csv&${f({ status: 'following' })}`)
      expect(ok.statusCode).toBe(200)
    } finally {
      delete process.env.HAINA_EXPORT_MAX_ROWS
    }
  })
})

describe('sales exports', () => {
  let customerId: string
  beforeAll(async () => {
    const c = await post('/api/v1/customers', {
      name: '深圳海纳科技有限公司',
      regionCode: '440305',
      phone: '13700137000',
      level: 'key',
      ownerId: kit.a.adminId,
    })
    customerId = c.id
    await post('/api/v1/customers', { name: '@危险客户', kind: 'individual' })
    const opp = await post('/api/v1/opportunities', { name: '年度采购', customerId, amount: 1_000_000 })
    expect(opp.stageName).toBeTruthy()
    await post('/api/v1/orders', {
      customerId,
      lines: [{ name: '标准版', quantity: 2, unitPrice: 50_000 }],
      shippingFee: 1_000,
    })
  })

  it('exports customers with region names, masked phones, the q search and customers.export', async () => {
    const seen = await user('客户导出', ['customers.view', 'customers.export'], 'all')
    const rows = await xlsxRows(await get(seen.session, '/api/v1/customers/export?q=海纳'))
    expect(rows[0]!.slice(0, 3)).toEqual(['客户名称', '客户类型', '客户分组'])
    expect(rows).toHaveLength(2)
    const at = (h: string) => rows[1]![rows[0]!.indexOf(h)]
    expect(at('客户名称')).toBe('深圳海纳科技有限公司')
    expect(at('客户级别')).toBe('重点客户')
    expect(at('地区')).toBe('广东省 / 深圳市 / 南山区')
    expect(at('电话')).toBe('137****7000')
    expect(at('负责人')).toBe('Alpha 管理员')
    const all = csvRows(await get(seen.session, '/api/v1/customers/export?format=csv&sort=name'))
    expect(all.slice(1).map((r) => r[0])).toContain(`'@危险客户`)
    expect((await get(viewer.session, '/api/v1/customers/export')).json().detail).toBe(
      '没有权限：customers.export',
    )
    expect((await auditOf('customer', seen.id))[0].after).toMatchObject({
      format: 'xlsx',
      rows: 1,
      q: '海纳',
    })
  })

  it('exports opportunities with customer and stage names, and orders with amounts in 元', async () => {
    const seen = await user(
      '销售导出',
      ['opportunities.view', 'opportunities.export', 'orders.view', 'orders.export'],
      'all',
    )
    const opps = await xlsxRows(await get(seen.session, '/api/v1/opportunities/export?q=年度', 'en'))
    expect(opps[0]!.slice(0, 6)).toEqual([
      'Opportunity',
      'Customer',
      'Main contact',
      'Pipeline',
      'Stage',
      'Status',
    ])
    const opp = (h: string) => opps[1]![opps[0]!.indexOf(h)]
    expect(opp('Customer')).toBe('深圳海纳科技有限公司')
    expect(opp('Stage')).toBeTruthy()
    expect(opp('Status')).toBe('Open')
    expect(opp('Amount')).toBe(10_000)
    expect(opp('Currency')).toBe('CNY')

    const orders = await xlsxRows(
      await get(seen.session, `/api/v1/orders/export?${f({ customerId })}`, 'zh-TW'),
    )
    expect(orders).toHaveLength(2)
    const order = (h: string) => orders[1]![orders[0]!.indexOf(h)]
    expect(order('客戶')).toBe('深圳海纳科技有限公司')
    expect(order('訂單狀態')).toBe('草稿')
    expect(order('小計')).toBe(1000)
    expect(order('運費')).toBe(10)
    expect(order('訂單金額')).toBe(1010)
    // The web sends the search inside ?filter: the list and the export both take it.
    const number = String(order('訂單號'))
    const listed = await get(seen.session, `/api/v1/orders?${f({ q: number })}`)
    expect(listed.json().items.map((o: { number: string }) => o.number)).toEqual([number])
    const found = csvRows(await get(seen.session, `/api/v1/orders/export?format=csv&${f({ q: number })}`))
    expect(found.slice(1).map((r) => r[0])).toEqual([number])
    expect((await get(viewer.session, '/api/v1/orders/export')).json().detail).toBe('没有权限：orders.export')
    expect((await get(viewer.session, '/api/v1/opportunities/export')).statusCode).toBe(403)
    expect((await auditOf('order', seen.id))[0].after).toMatchObject({ rows: 1, filter: { customerId } })
  })
})

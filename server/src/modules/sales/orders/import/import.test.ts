/**
 * The order import over HTTP: a GBK CSV and an XLSX through the job, rows grouped into orders
 * (also when not adjacent), customers matched or created, duplicates and refused rows in the
 * error file, re-import writes nothing, a failed run resumes after its checkpoint, permission
 * and tenant isolation.
 */
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../../test/kit.js'
import { multipart } from '../../../../../test/multipart.js'
import { drainJobs } from '../../../../platform/jobs/queue.js'
import { createImport } from '../../../intake/import/import.service.js'
import { salesTestBed } from '../../quotes/sales.fixture.js'

const t = salesTestBed()
const { rows } = t

const upload = multipart

/** Uploads, maps as suggested, starts and runs the job; answers the finished import. */
async function runImport(
  as: TestSession,
  name: string,
  data: Buffer,
  opts: Record<string, unknown> = {},
  drain = true,
) {
  const up = await t.kit.req(as, { method: 'POST', url: '/api/v1/orders/imports', ...upload(name, data) })
  expect(up.statusCode, up.body).toBe(201)
  const made = up.json()
  const mapping = Object.fromEntries(
    made.suggestions
      .filter((s: { target: string | null }) => s.target)
      .map((s: { column: number; target: string }) => [String(s.column), s.target]),
  )
  const start = await t.kit.req(as, {
    method: 'POST',
    url: `/api/v1/orders/imports/${made.id}/start`,
    payload: { mapping, ...opts },
  })
  expect(start.statusCode, start.body).toBe(200)
  if (drain) await drainJobs(t.kit.haina.database.db)
  return {
    made,
    mapping,
    done: (await t.kit.req(as, { method: 'GET', url: `/api/v1/orders/imports/${made.id}` })).json(),
  }
}

const HEADER =
  '订单号,下单时间,订单状态,客户名称,收货人,手机号,商品编码,商品名称,数量,单价,优惠金额,运费,备注'
const errorsOf = async (as: TestSession, id: string) =>
  (await t.kit.req(as, { method: 'GET', url: `/api/v1/orders/imports/${id}/errors` })).body

describe('order import', () => {
  it('imports a GBK CSV: orders from rows, customers matched or created, refused rows in the error file', async () => {
    const known = await t.w.customer({ name: '海纳科技有限公司', ownerId: null, unitId: t.w.unit.sales })
    const product = await t.w.product({ code: 'P-GBK-1', name: '海纳 CRM 标准版' })
    const csv = [
      HEADER,
      'T001,2024-11-11 10:05:00,交易成功,海纳科技有限公司,张伟,13800138000,P-GBK-1,,2,199.00,10.00,10,双十一',
      'T002,2024/11/12,已发货,新客户甲,李娜,13900139000,,体验装,1,9.90,,,',
      'T001,2024-11-11 10:05:00,交易成功,海纳科技有限公司,张伟,13800138000,,安装服务,1,50,,,',
      'T003,2024-11-13,交易成功,某某,王强,13700137000,,商品X,1,abc,,,=1+1',
      'T003,2024-11-13,交易成功,某某,王强,13700137000,,商品Y,1,5,,,',
      'T002,2024/11/12,已发货,新客户甲,李娜,13900139000,,体验装,1,9.90,,,',
    ].join('\r\n')
    const { made, mapping, done } = await runImport(t.w.as.director, '订单.csv', iconv.encode(csv, 'gbk'), {
      createCustomers: true,
    })
    expect(made.import.encoding).toMatch(/GB/i)
    expect(Object.values(mapping)).toEqual(
      expect.arrayContaining([
        'orderNo',
        'orderedAt',
        'status',
        'customerName',
        'mobile',
        'sku',
        'productName',
        'unitPrice',
      ]),
    )
    expect(done, done.error).toMatchObject({ status: 'completed', target: 'order', totalRows: 6 })
    expect(done.counts).toMatchObject({ rows: 6, created: 2, duplicate: 1, invalid: 2 })

    const orders = await rows(
      `select id, external_id, customer_id, status, subtotal, discount_total, shipping_fee, total, paid_total, ordered_at, import_id, source
         from orders where tenant_id = $1 and import_id = $2 order by external_id`,
      [t.kit.a.tenantId, made.id],
    )
    expect(orders.map((o) => o.external_id)).toEqual(['T001', 'T002'])
    const [t1, t2] = orders
    expect(t1).toMatchObject({ customer_id: known, status: 'completed', source: 'ecommerce' })
    expect([t1.subtotal, t1.discount_total, t1.shipping_fee, t1.total, t1.paid_total].map(Number)).toEqual([
      44_800, 1_000, 1_000, 44_800, 44_800,
    ])
    // 10:05 in the workspace's time zone (Asia/Shanghai).
    expect(new Date(t1.ordered_at).toISOString()).toBe('2024-11-11T02:05:00.000Z')
    const lines = await rows(
      'select product_id, sku, name, amount::int from order_lines where order_id = $1 order by position',
      [t1.id],
    )
    expect(lines).toEqual([
      { product_id: product, sku: 'P-GBK-1', name: '海纳 CRM 标准版', amount: 38_800 },
      { product_id: null, sku: null, name: '安装服务', amount: 5_000 },
    ])
    const [created] = await rows('select name, kind, source from customers where id = $1', [t2.customer_id])
    expect(created).toEqual({ name: '新客户甲', kind: 'individual', source: '订单导入' })
    const [contact] = await rows('select name, mobile from contacts where customer_id = $1', [t2.customer_id])
    expect(contact).toEqual({ name: '李娜', mobile: '+8613900139000' })
    const [cust] = await rows('select order_count, order_total from customers where id = $1', [known])
    expect([cust.order_count, Number(cust.order_total)]).toEqual([1, 44_800])
    const payments = await rows(`select kind, amount::int from order_payments where order_id = $1`, [t1.id])
    expect(payments).toEqual([{ kind: 'payment', amount: 44_800 }])
    const events = await rows(
      `select count(*)::int as n from outbox where tenant_id = $1 and type = 'order.completed' and payload->>'importId' = $2`,
      [t.kit.a.tenantId, made.id],
    )
    expect(events[0].n).toBe(1)

    const errors = await errorsOf(t.w.as.director, made.id)
    expect(errors.charCodeAt(0)).toBe(0xfeff)
    expect(errors).toContain('行号 Row')
    expect(errors).toContain('单价：请输入数字') // reasons in the reader's language, under the file's header
    expect(errors).toContain('整行：同一订单的其他行有错误，整单未导入')
    expect(errors).toContain('整行：与同一订单的另一行完全相同')
    expect(errors).toContain(`'=1+1`)
    expect(errors).not.toContain('T001')

    // The same file again: nothing new, the orders are duplicates.
    const again = await runImport(t.w.as.director, '订单.csv', iconv.encode(csv, 'gbk'), {
      createCustomers: true,
    })
    expect(again.done.counts).toMatchObject({ rows: 6, created: 0, duplicate: 3, invalid: 2 })
    expect(await errorsOf(t.w.as.director, again.made.id)).toContain('订单号：该订单已导入过（订单号重复）')
    const [n] = await rows(
      `select count(*)::int as n from orders where tenant_id = $1 and external_id in ('T001','T002')`,
      [t.kit.a.tenantId],
    )
    expect(n.n).toBe(2)
  })

  it('imports an XLSX: customers by a contact’s mobile, unknown ones refused when not created', async () => {
    const customerId = await t.w.customer({
      name: '星河贸易',
      ownerId: t.w.user.seller,
      unitId: t.w.unit.east,
    })
    await t.w.contact(customerId, { name: '赵敏', mobile: '+8613600136000' })
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('订单')
    ws.addRow(['订单编号', '付款时间', '买家', '收货人手机', '宝贝标题', '购买数量', '商品单价', '商品金额'])
    ws.addRow(['X-1', new Date(Date.UTC(2025, 0, 2, 9, 30)), '', '13600136000', '礼盒', 2, 88, 176])
    ws.addRow(['X-1', new Date(Date.UTC(2025, 0, 2, 9, 30)), '', '13600136000', '礼盒', 2, 88, 176])
    ws.addRow(['X-2', '2025-01-03', '无名氏', '', '礼盒', 1, 88, 80])
    ws.addRow(['', '2025-01-03', '星河贸易', '', '礼盒', 1, 88, 88])
    ws.addRow(['X-3', '2025-01-04', '陌生人', '13500135000', '礼盒', 1, 88, 88])
    const file = Buffer.from(await wb.xlsx.writeBuffer())
    const { made, done } = await runImport(t.w.as.director, 'orders.xlsx', file)
    expect(made.import.format).toBe('xlsx')
    expect(done.counts).toMatchObject({ rows: 5, created: 1, duplicate: 1, invalid: 3 })
    const [o] = await rows(
      `select o.customer_id, o.contact_id, o.owner_id, o.total::int, o.ordered_at from orders o where o.tenant_id = $1 and o.import_id = $2`,
      [t.kit.a.tenantId, made.id],
    )
    expect(o).toMatchObject({ customer_id: customerId, owner_id: t.w.user.seller, total: 17_600 })
    expect(o.contact_id).not.toBeNull()
    expect(new Date(o.ordered_at).toISOString()).toBe('2025-01-02T01:30:00.000Z')
    const errors = await errorsOf(t.w.as.director, made.id)
    expect(errors).toContain('商品金额：金额应为 数量 × 单价 − 优惠 = ')
    expect(errors).toContain('订单编号：缺少订单号')
    expect(errors).toContain('买家：找不到客户')
    expect(errors).toContain('整行：与同一订单的另一行完全相同')

    const again = await runImport(t.w.as.director, 'orders.xlsx', file)
    expect(again.done.counts).toMatchObject({ created: 0, duplicate: 2, invalid: 3 })
  })

  it('resumes a failed import after its checkpoint: nothing lost, nothing doubled', async () => {
    await t.w.customer({ name: '续传客户', ownerId: null, unitId: t.w.unit.sales })
    const lines = [HEADER]
    for (let i = 1; i <= 9; i++)
      lines.push(`R${i},2025-02-0${i},交易成功,续传客户,,,,${i === 7 ? 'BOOM' : '商品'},1,1.00,,,`)
    const csv = Buffer.from(lines.join('\n'))
    // Writing the line named BOOM fails once, as a crash in the middle of the file would.
    await rows(`create or replace function boom() returns trigger language plpgsql as $$
      begin if new.name = 'BOOM' then raise exception 'boom'; end if; return new; end $$`)
    await rows(`create trigger boom before insert on order_lines for each row execute function boom()`)
    process.env.HAINA_IMPORT_BATCH = '3'
    try {
      const first = await runImport(t.w.as.director, 'resume.csv', csv)
      expect(first.done).toMatchObject({ status: 'failed', checkpointRow: 7 })
      expect(first.done.counts).toMatchObject({ rows: 6, created: 6 })
      await rows('drop trigger boom on order_lines')
      const restart = await t.kit.req(t.w.as.director, {
        method: 'POST',
        url: `/api/v1/orders/imports/${first.made.id}/start`,
        payload: { mapping: first.mapping },
      })
      expect(restart.statusCode, restart.body).toBe(200)
      await drainJobs(t.kit.haina.database.db)
    } finally {
      delete process.env.HAINA_IMPORT_BATCH
    }
    const [imp] = await rows('select status, counts from imports where tenant_id = $1 and file_name = $2', [
      t.kit.a.tenantId,
      'resume.csv',
    ])
    expect(imp.status).toBe('completed')
    expect(imp.counts).toMatchObject({ rows: 9, created: 9, duplicate: 0, invalid: 0 })
    const [n] = await rows(
      `select count(*)::int as n, count(distinct external_id)::int as d from orders where tenant_id = $1 and external_id like 'R%'`,
      [t.kit.a.tenantId],
    )
    expect(n).toEqual({ n: 9, d: 9 })
  })

  it('needs orders.import, keeps imports per workspace and serves a template', async () => {
    const csv = Buffer.from(`${HEADER}\nZ1,2025-01-01,交易成功,海纳科技有限公司,,,,商品,1,1,,,\n`)
    const up = await t.kit.req(t.w.as.seller, {
      method: 'POST',
      url: '/api/v1/orders/imports',
      ...upload('a.csv', csv),
    })
    expect(up.statusCode).toBe(403)
    const mine = await t.kit.req(t.w.as.marketing, {
      method: 'POST',
      url: '/api/v1/orders/imports',
      ...upload('a.csv', csv),
    })
    expect(mine.statusCode, mine.body).toBe(201)
    const id = mine.json().id
    expect(
      (await t.kit.req(t.kit.b.admin, { method: 'GET', url: `/api/v1/orders/imports/${id}` })).statusCode,
    ).toBe(404)
    expect(
      (await t.kit.req(t.w.as.marketing, { method: 'GET', url: `/api/v1/orders/imports/${id}` })).statusCode,
    ).toBe(200)
    // A lead import is not an order import.
    const path = join(tmpdir(), `lead-import-${process.pid}.csv`)
    writeFileSync(path, '姓名,手机号\n张三,13800000001\n')
    const lead = await createImport(
      t.kit.a.sys,
      { path, fileName: 'leads.csv', size: 40 },
      { unitId: t.kit.a.rootUnitId, maxBytes: 1e6 },
    )
    expect(
      (await t.kit.req(t.kit.a.admin, { method: 'GET', url: `/api/v1/orders/imports/${lead.import.id}` }))
        .statusCode,
    ).toBe(404)
    const bad = await t.kit.req(t.w.as.marketing, {
      method: 'POST',
      url: `/api/v1/orders/imports/${id}/start`,
      payload: { mapping: { 0: 'orderNo' } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['mapping.productName', 'mapping.unitPrice', 'mapping.customerName']),
    )
    const preview = await t.kit.req(t.w.as.marketing, {
      method: 'POST',
      url: `/api/v1/orders/imports/${id}/preview`,
      payload: {
        mapping: { 0: 'orderNo', 3: 'customerName', 7: 'productName', 9: 'unitPrice' },
        rows: [{ rowNumber: 2, cells: ['Z1', '', '', '海纳', '', '', '', '商品', '', '¥1,234.5'] }],
      },
    })
    expect(preview.json().rows[0].values).toMatchObject({ orderNo: 'Z1', unitPrice: 123_450, quantity: 1 })
    const template = await t.kit.req(t.w.as.marketing, {
      method: 'GET',
      url: '/api/v1/orders/imports/template?format=csv',
    })
    expect(template.statusCode).toBe(200)
    expect(template.body).toContain('订单号')
    expect(template.body.split('\r\n').filter(Boolean)).toHaveLength(3)
  })
})

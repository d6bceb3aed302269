/** Products, price books and competitors: unique codes, price book entries and how lines are priced from them. */
import { describe, expect, it } from 'vitest'
import { insertCustomer, salesSuite } from '../opportunities/fixture.js'

const t = salesSuite({ world: false })

let seq = 0
const product = async (body: Record<string, unknown> = {}) => {
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/products', {
    code: `P-${seq++}`,
    name: `产品${seq}`,
    listPrice: 10000,
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const priceBook = async (body: Record<string, unknown> = {}) => {
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/price-books', { name: `价格表${seq++}`, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const opportunity = async (body: Record<string, unknown> = {}) => {
  const customerId = await insertCustomer(t.kit.a)
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/opportunities', {
    name: '报价测试',
    customerId,
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('products', () => {
  it('refuses a product code already in use with 409 naming the code', async () => {
    const p = await product({ code: 'SKU-001' })
    const dup = await t.call(
      t.kit.a.admin,
      'POST',
      '/api/v1/products',
      { code: 'SKU-001', name: '另一个' },
      'en',
    )
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toMatchObject({
      code: 'product_code_taken',
      detail: 'The product code SKU-001 is already in use',
      errors: [expect.objectContaining({ field: 'code', code: 'not_unique' })],
    })
    const other = await product({ code: 'SKU-002' })
    const rename = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/products/${other.id}`, { code: 'SKU-001' })
    expect(rename.statusCode).toBe(409)
    expect(rename.json().code).toBe('product_code_taken')
    // Codes are per workspace.
    expect(
      (await t.call(t.kit.b.admin, 'POST', '/api/v1/products', { code: 'SKU-001', name: 'B' })).statusCode,
    ).toBe(201)
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/products/${p.id}`)).statusCode).toBe(404)
    const found = await t.call(t.kit.a.admin, 'GET', '/api/v1/products?q=sku-00')
    expect(
      found
        .json()
        .items.map((x: { code: string }) => x.code)
        .sort(),
    ).toEqual(['SKU-001', 'SKU-002'])
    const stale = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/products/${p.id}`, {
      version: p.version + 5,
      name: 'x',
    })
    expect(stale.statusCode).toBe(409)
  })

  it('prices opportunity lines from the opportunity’s price book, else the default book, else the list price', async () => {
    const a = await product({ listPrice: 10000 })
    const b = await product({ listPrice: 20000 })
    const vip = await priceBook({ name: `VIP${seq++}` })
    const entries = await t.call(t.kit.a.admin, 'PUT', `/api/v1/price-books/${vip.id}/entries`, {
      entries: [{ productId: a.id, unitPrice: 8000 }],
    })
    expect(entries.statusCode, entries.body).toBe(200)
    expect(entries.json().entries).toEqual([
      expect.objectContaining({ productId: a.id, unitPrice: 8000, code: a.code }),
    ])
    const opp = await opportunity({ priceBookId: vip.id })
    const res = await t.call(t.kit.a.admin, 'PUT', `/api/v1/opportunities/${opp.id}/lines`, {
      lines: [
        { productId: a.id, quantity: 3, discountPct: 10 },
        { productId: b.id, quantity: 1 },
        { name: '实施服务', quantity: 1.5, unitPrice: 3333 },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    const lines = res.json().lines
    expect(lines.map((l: { unitPrice: number; amount: number }) => [l.unitPrice, l.amount])).toEqual([
      [8000, 21600],
      [20000, 20000],
      [3333, 5000],
    ])
    expect(res.json().amount).toBe(21600 + 20000 + 5000)
    // The default book prices opportunities without their own.
    const def = await priceBook({ isDefault: true })
    await t.call(t.kit.a.admin, 'PUT', `/api/v1/price-books/${def.id}/entries`, {
      entries: [{ productId: b.id, unitPrice: 15000 }],
    })
    const plain = await opportunity()
    const priced = await t.call(t.kit.a.admin, 'PUT', `/api/v1/opportunities/${plain.id}/lines`, {
      lines: [{ productId: b.id, quantity: 2 }],
    })
    expect(priced.json()).toMatchObject({
      amount: 30000,
      lines: [expect.objectContaining({ unitPrice: 15000, name: b.name })],
    })
    // Only one default price book.
    const other = await priceBook({ isDefault: true })
    expect((await t.call(t.kit.a.admin, 'GET', `/api/v1/price-books/${def.id}`)).json().isDefault).toBe(false)
    expect((await t.call(t.kit.a.admin, 'GET', `/api/v1/price-books/${other.id}`)).json().isDefault).toBe(
      true,
    )
    // Unknown products are named.
    const bad = await t.call(t.kit.a.admin, 'PUT', `/api/v1/price-books/${vip.id}/entries`, {
      entries: [{ productId: '00000000-0000-7000-8000-000000000000', unitPrice: 1 }],
    })
    expect(bad.json().errors[0]).toMatchObject({ field: 'entries[0].productId', code: 'invalid_product' })
  })

  it('lets salespeople read the catalogue but not change it', async () => {
    const { rows } = await t.kit.haina.database.pool.query(
      `select id from roles where tenant_id = $1 and key = 'salesperson'`,
      [t.kit.a.tenantId],
    )
    const { createUsers } = await import('../../../platform/org/users.service.js')
    const [u] = await createUsers(t.kit.a.sys, [
      {
        email: `sp${seq++}@products.test`,
        name: '销售',
        unitId: t.kit.a.rootUnitId,
        roleIds: [rows[0].id],
        password: 'Passw0rd!2026',
      },
    ])
    const seller = await t.kit.login(t.kit.a.tenantId, u!.id)
    expect((await t.call(seller, 'GET', '/api/v1/products')).statusCode).toBe(200)
    expect((await t.call(seller, 'GET', '/api/v1/competitors')).statusCode).toBe(200)
    expect((await t.call(seller, 'POST', '/api/v1/products', { code: 'X', name: 'X' })).statusCode).toBe(403)
    expect((await t.call(seller, 'POST', '/api/v1/price-books', { name: 'X' })).statusCode).toBe(403)
  })

  it('keeps competitors unique by name and deletes catalogue entries to the recycle bin', async () => {
    const c = await t.call(t.kit.a.admin, 'POST', '/api/v1/competitors', { name: '竞品甲' })
    expect(c.statusCode).toBe(201)
    expect((await t.call(t.kit.a.admin, 'POST', '/api/v1/competitors', { name: '竞品甲' })).statusCode).toBe(
      409,
    )
    const p = await product()
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/products/${p.id}`)).statusCode).toBe(204)
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/competitors/${c.json().id}`)).statusCode).toBe(204)
    const { rows } = await t.kit.haina.database.pool.query(
      `select object_type from recycle_bin where object_id = any($1) order by object_type`,
      [[p.id, c.json().id]],
    )
    expect(rows.map((r) => r.object_type)).toEqual(['competitor', 'product'])
  })
})

/**
 * Orders over HTTP: totals that must add up, the status machine, payments and refunds with their
 * limits (concurrent refunds on PostgreSQL), customer totals, receivables, orders from won
 * opportunities, scope and tenant isolation. Run this file on PostgreSQL too.
 */
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { salesTestBed } from '../quotes/sales.fixture.js'
import { orderTotals } from './totals.js'

const t = salesTestBed()
const { call, rows } = t

async function order(as: TestSession, body: Record<string, unknown> = {}) {
  const res = await call(as, 'POST', '/api/v1/orders', {
    customerId: body.customerId ?? (await t.w.customer()),
    lines: [
      { name: '标准版', quantity: 2, unitPrice: 50_000, discount: 5_000 },
      { name: '安装', quantity: 1, unitPrice: 20_000 },
    ],
    shippingFee: 1_000,
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const status = (as: TestSession, id: string, s: string, version?: number) =>
  call(as, 'POST', `/api/v1/orders/${id}/status`, { status: s, version })
const pay = (as: TestSession, id: string, kind: string, amount: number) =>
  call(as, 'POST', `/api/v1/orders/${id}/payments`, { kind, amount, method: 'wechat_pay' })

describe('order totals', () => {
  it('computes subtotal, discounts and total; a header discount on top', () => {
    const t = orderTotals(
      [
        { name: 'a', quantity: 3, unitPrice: 333, discount: 9 },
        { name: 'b', quantity: 0.5, unitPrice: 101 },
      ],
      { shippingFee: 500, headerDiscount: 100 },
    )
    expect(t).toMatchObject({ subtotal: 1050, discountTotal: 109, shippingFee: 500, total: 1441 })
    expect(t.lines.map((l) => l.amount)).toEqual([990, 51])
  })

  it('refuses amounts that do not add up with 422 naming each field', async () => {
    const res = await call(t.w.as.seller, 'POST', '/api/v1/orders', {
      customerId: await t.w.customer(),
      lines: [
        { name: '标准版', quantity: 2, unitPrice: 50_000, discount: 5_000, amount: 100_000 },
        { name: '安装', quantity: 1, unitPrice: 20_000, amount: 20_000 },
      ],
      shippingFee: 1_000,
      total: 999,
    })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({
      code: 'order_totals',
      errors: [
        { field: 'lines[0].amount', code: 'amount_mismatch' },
        { field: 'total', code: 'total_mismatch' },
      ],
    })
    // Money in messages reads as yuan, not minor units.
    expect(res.json().errors[1].message).toBe('应为 ¥1,160.00')
    const ok = await order(t.w.as.seller, { discountTotal: 15_000, total: 106_000 })
    expect(ok).toMatchObject({
      subtotal: 120_000,
      discountTotal: 15_000,
      headerDiscount: 10_000,
      total: 106_000,
    })
  })
})

describe('orders', () => {
  it('creates a draft in the caller’s scope with the customer’s person, number and lines', async () => {
    const customerId = await t.w.customer({ personId: null })
    const contactId = await t.w.contact(customerId)
    const o = await order(t.w.as.seller, { customerId, contactId, paymentDueDate: '2026-01-31' })
    expect(o).toMatchObject({
      status: 'draft',
      source: 'direct',
      customerId,
      contactId,
      ownerId: t.w.user.seller,
      unitId: t.w.unit.east,
      subtotal: 120_000,
      discountTotal: 5_000,
      total: 116_000,
      balance: 116_000,
    })
    expect(o.number).toMatch(/^SO-\d{4}-\d{5}$/)
    expect(o.lines.map((l: { amount: number }) => l.amount)).toEqual([95_000, 20_000])
  })

  it('moves through the status machine and refuses other transitions with from/to', async () => {
    const o = await order(t.w.as.seller)
    const bad = await status(t.w.as.seller, o.id, 'shipped')
    expect(bad.statusCode).toBe(409)
    expect(bad.json()).toMatchObject({ code: 'order_transition', params: { from: 'draft', to: 'shipped' } })
    const stale = await status(t.w.as.seller, o.id, 'confirmed', o.version + 5)
    expect(stale.statusCode).toBe(409)
    expect(stale.json().code).toBe('conflict')
    expect((await status(t.w.as.seller, o.id, 'confirmed', o.version)).json()).toMatchObject({
      status: 'confirmed',
    })
    const locked = await call(t.w.as.seller, 'PATCH', `/api/v1/orders/${o.id}`, {
      version: o.version + 1,
      shippingFee: 0,
    })
    expect(locked.json()).toMatchObject({ code: 'order_locked' })
    const notes = await call(t.w.as.seller, 'PATCH', `/api/v1/orders/${o.id}`, {
      version: o.version + 1,
      notes: '加急',
    })
    expect(notes.json()).toMatchObject({ notes: '加急' })
    expect((await status(t.w.as.seller, o.id, 'shipped')).json().shippedAt).not.toBeNull()
    expect((await status(t.w.as.seller, o.id, 'cancelled')).json()).toMatchObject({
      code: 'order_transition',
      params: { from: 'shipped', to: 'cancelled' },
    })
    expect((await status(t.w.as.seller, o.id, 'completed')).json().status).toBe('completed')
    const events = await rows(
      `select type, payload from outbox where tenant_id = $1 and aggregate_id = $2 order by created_at`,
      [t.kit.a.tenantId, o.id],
    )
    expect(events.map((e) => e.type)).toEqual(['order.confirmed', 'order.completed'])
    expect(events[1].payload).toMatchObject({ customerId: o.customerId, total: 116_000 })
    const audit = await rows(
      `select action from audit_log where tenant_id = $1 and object_id = $2 order by at, id`,
      [t.kit.a.tenantId, o.id],
    )
    expect(audit.map((a) => a.action)).toEqual(['create', 'status', 'update', 'status', 'status'])
    const draft = await order(t.w.as.seller)
    expect((await status(t.w.as.seller, draft.id, 'cancelled')).json().status).toBe('cancelled')
    expect((await status(t.w.as.seller, draft.id, 'confirmed')).json().code).toBe('order_transition')
  })

  it('takes payments up to the balance and refunds up to what was paid, then marks it refunded', async () => {
    const o = await order(t.w.as.seller)
    await status(t.w.as.seller, o.id, 'confirmed')
    const over = await pay(t.w.as.seller, o.id, 'payment', 116_001)
    expect(over.statusCode).toBe(422)
    expect(over.json()).toMatchObject({
      code: 'exceeds_balance',
      params: { max: 116_000, maxText: '¥1,160.00' },
      errors: [{ field: 'amount', code: 'exceeds_balance' }],
    })
    expect(over.json().detail).toBe('回款不能超过未收金额 ¥1,160.00')
    expect(over.json().title).toBe('A payment cannot exceed the open balance of ¥1,160.00')
    expect(over.json().errors[0].message).toContain('¥1,160.00')
    expect((await pay(t.w.as.seller, o.id, 'payment', 100_000)).statusCode).toBe(201)
    const refundTooMuch = await pay(t.w.as.seller, o.id, 'refund', 100_001)
    expect(refundTooMuch.json()).toMatchObject({
      code: 'exceeds_refundable',
      params: { max: 100_000, maxText: '¥1,000.00' },
      errors: [{ field: 'amount' }],
    })
    expect(refundTooMuch.json().detail).toBe('退款不能超过已收未退金额 ¥1,000.00')
    expect((await status(t.w.as.seller, o.id, 'refunded')).json()).toMatchObject({
      code: 'order_transition',
      params: { paidTotal: 100_000, refundedTotal: 0 },
    })
    const r = await pay(t.w.as.seller, o.id, 'refund', 40_000)
    expect(r.json().order).toMatchObject({ paidTotal: 100_000, refundedTotal: 40_000 })
    await pay(t.w.as.seller, o.id, 'refund', 60_000)
    expect((await status(t.w.as.seller, o.id, 'refunded')).json().status).toBe('refunded')
    expect((await pay(t.w.as.seller, o.id, 'payment', 1)).json().code).toBe('order_closed')
    const list = (await call(t.w.as.seller, 'GET', `/api/v1/orders/${o.id}/payments`)).json().items
    expect(list.map((p: { kind: string; amount: number }) => [p.kind, p.amount])).toEqual([
      ['payment', 100_000],
      ['refund', 40_000],
      ['refund', 60_000],
    ])
    const events = await rows(
      `select payload from outbox where tenant_id = $1 and aggregate_id = $2 and type = 'order.refunded' order by created_at`,
      [t.kit.a.tenantId, o.id],
    )
    expect(events.map((e) => [e.payload.amount, e.payload.full])).toEqual([
      [40_000, false],
      [60_000, true],
    ])
  })

  it.skipIf(!process.env.DATABASE_URL)(
    'never refunds more than was paid under concurrent requests',
    async () => {
      const o = await order(t.w.as.seller)
      await status(t.w.as.seller, o.id, 'confirmed')
      await pay(t.w.as.seller, o.id, 'payment', 50_000)
      const results = await Promise.all(
        Array.from({ length: 8 }, () => pay(t.w.as.seller, o.id, 'refund', 20_000)),
      )
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2)
      expect(results.filter((r) => r.statusCode === 422)).toHaveLength(6)
      const [row] = await rows('select paid_total, refunded_total from orders where id = $1', [o.id])
      expect(Number(row.refunded_total)).toBe(40_000)
      const [sum] = await rows(
        `select sum(amount)::int as n from order_payments where order_id = $1 and kind = 'refund'`,
        [o.id],
      )
      expect(sum.n).toBe(40_000)
    },
  )

  it('keeps the customer’s order count, total and dates to its confirmed orders', async () => {
    const customerId = await t.w.customer()
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString()
    const a = await order(t.w.as.seller, { customerId, orderedAt: daysAgo(60) })
    const b = await order(t.w.as.seller, { customerId, orderedAt: daysAgo(30) })
    await order(t.w.as.seller, { customerId, orderedAt: daysAgo(90) }) // stays a draft
    const totals = async () =>
      (
        await rows(
          'select order_count, order_total, first_order_at, last_order_at, customer_group from customers where id = $1',
          [customerId],
        )
      )[0]
    expect(await totals()).toMatchObject({ order_count: 0, first_order_at: null })
    await status(t.w.as.seller, a.id, 'confirmed')
    await status(t.w.as.seller, b.id, 'confirmed')
    let tot = await totals()
    expect(tot.order_count).toBe(2)
    expect(Number(tot.order_total)).toBe(232_000)
    expect(new Date(tot.first_order_at).toISOString()).toBe(a.orderedAt)
    expect(new Date(tot.last_order_at).toISOString()).toBe(b.orderedAt)
    expect(tot.customer_group).not.toBe('A')
    await pay(t.w.as.seller, b.id, 'payment', 10_000)
    await pay(t.w.as.seller, b.id, 'refund', 10_000)
    await status(t.w.as.seller, b.id, 'cancelled')
    tot = await totals()
    expect([tot.order_count, Number(tot.order_total)]).toEqual([1, 116_000])
    expect(new Date(tot.last_order_at).toISOString()).toBe(a.orderedAt)
  })

  it('lists receivables with overdue days and sums, in scope', async () => {
    const customerId = await t.w.customer({ name: '应收客户' })
    const late = await order(t.w.as.seller, { customerId, paymentDueDate: '2020-01-10' })
    const later = await order(t.w.as.seller, { customerId, paymentDueDate: '2999-01-01' })
    const paid = await order(t.w.as.seller, { customerId })
    for (const o of [late, later, paid]) await status(t.w.as.seller, o.id, 'confirmed')
    await pay(t.w.as.seller, late.id, 'payment', 16_000)
    await pay(t.w.as.seller, paid.id, 'payment', 116_000)
    const res = await call(
      t.w.as.seller,
      'GET',
      `/api/v1/receivables?filter=${encodeURIComponent(JSON.stringify({ customerId }))}`,
    )
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    const byId = new Map(body.items.map((i: { id: string }) => [i.id, i]))
    expect([...byId.keys()].sort()).toEqual([late.id, later.id].sort())
    expect(byId.get(late.id)).toMatchObject({
      balance: 100_000,
      customerName: '应收客户',
      paymentDueDate: '2020-01-10',
    })
    expect((byId.get(late.id) as { overdueDays: number }).overdueDays).toBeGreaterThan(365)
    expect(byId.get(later.id)).toMatchObject({ balance: 116_000, overdueDays: 0 })
    expect(body.totals).toEqual({ count: 2, balance: 216_000, overdueCount: 1, overdueBalance: 100_000 })
    const overdue = await call(
      t.w.as.seller,
      'GET',
      `/api/v1/receivables?overdueOnly=true&filter=${encodeURIComponent(JSON.stringify({ customerId }))}`,
    )
    expect(overdue.json().items.map((i: { id: string }) => i.id)).toEqual([late.id])
    const other = await call(
      t.w.as.seller2,
      'GET',
      `/api/v1/receivables?filter=${encodeURIComponent(JSON.stringify({ customerId }))}`,
    )
    expect(other.json().totals.count).toBe(0)
  })

  it('makes the order of a won opportunity from its accepted quote, once; refuses open ones', async () => {
    const product = await t.w.product({ listPrice: 30_000 })
    const open = await t.w.opportunity({
      lines: [{ productId: product, name: 'x', quantity: 1, unitPrice: 30_000 }],
    })
    const refused = await call(t.w.as.seller, 'POST', `/api/v1/opportunities/${open}/order`)
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'opportunity_not_won', params: { status: 'open' } })

    const won = await t.w.opportunity({
      status: 'won',
      lines: [{ productId: product, name: '机房', quantity: 2, unitPrice: 30_000, discountPct: 10 }],
    })
    const fromLines = await call(t.w.as.seller, 'POST', `/api/v1/opportunities/${won}/order`, {
      paymentDueDate: '2026-12-31',
    })
    expect(fromLines.statusCode, fromLines.body).toBe(201)
    expect(fromLines.json()).toMatchObject({
      source: 'opportunity',
      opportunityId: won,
      quoteId: null,
      ownerId: t.w.user.seller,
      subtotal: 60_000,
      total: 54_000,
      paymentDueDate: '2026-12-31',
    })
    const twice = await call(t.w.as.seller, 'POST', `/api/v1/opportunities/${won}/order`)
    expect(twice.json()).toMatchObject({
      code: 'opportunity_already_ordered',
      params: { orderId: fromLines.json().id, number: fromLines.json().number },
    })

    const quoted = await t.w.opportunity()
    const q = (
      await call(t.w.as.seller, 'POST', '/api/v1/quotes', {
        opportunityId: quoted,
        title: '报价',
        lines: [
          { productId: product, quantity: 3, discountPct: 5 },
          { name: '服务', quantity: 1, unitPrice: 9_999 },
        ],
        headerDiscountPct: 3,
      })
    ).json()
    for (const a of ['submit', 'send', 'accept'])
      await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/${a}`)
    await rows(`update opportunities set status = 'won' where id = $1`, [quoted])
    const fromQuote = await call(t.w.as.seller, 'POST', `/api/v1/opportunities/${quoted}/order`)
    expect(fromQuote.statusCode, fromQuote.body).toBe(201)
    expect(fromQuote.json()).toMatchObject({ quoteId: q.id, subtotal: q.subtotal, total: q.total })
    expect(fromQuote.json().lines).toHaveLength(2)
  })

  it('lists orders with their customer’s and owner’s names', async () => {
    const customerId = await t.w.customer({ name: '列表客户' })
    const mine = await order(t.w.as.seller, { customerId })
    const unowned = await order(t.w.as.manager, { customerId, ownerId: null })
    const res = await call(
      t.w.as.manager,
      'GET',
      `/api/v1/orders?filter=${encodeURIComponent(JSON.stringify({ customerId }))}`,
    )
    expect(res.statusCode, res.body).toBe(200)
    const byId = new Map(res.json().items.map((o: { id: string }) => [o.id, o]))
    expect(byId.get(mine.id)).toMatchObject({ customerName: '列表客户', ownerName: 'seller' })
    expect(byId.get(unowned.id)).toMatchObject({ customerName: '列表客户', ownerName: null })
    const none = await call(
      t.w.as.seller,
      'GET',
      `/api/v1/orders?filter=${encodeURIComponent('{"total":{"lt":0}}')}`,
    )
    expect(none.json().items).toEqual([])
  })

  it('keeps orders inside the scope and the workspace', async () => {
    const o = await order(t.w.as.seller)
    expect((await call(t.w.as.seller2, 'GET', `/api/v1/orders/${o.id}`)).statusCode).toBe(404)
    expect((await call(t.w.as.manager, 'GET', `/api/v1/orders/${o.id}`)).statusCode).toBe(200)
    expect((await call(t.kit.b.admin, 'GET', `/api/v1/orders/${o.id}`)).statusCode).toBe(404)
    expect((await pay(t.kit.b.admin, o.id, 'payment', 1)).statusCode).toBe(404)
    expect((await status(t.w.as.southSeller, o.id, 'confirmed')).statusCode).toBe(404)
    const listed = (await call(t.w.as.seller2, 'GET', '/api/v1/orders?limit=200')).json().items
    expect(listed.map((x: { id: string }) => x.id)).not.toContain(o.id)
    // A customer the salesperson cannot see cannot be ordered for.
    const foreign = await t.w.customer({ ownerId: t.w.user.seller2 })
    expect(
      (await call(t.w.as.seller, 'POST', '/api/v1/orders', { customerId: foreign, lines: [] })).statusCode,
    ).toBe(404)
    // Deleting: only drafts without payments, by someone with orders.delete.
    expect((await call(t.w.as.director, 'DELETE', `/api/v1/orders/${o.id}`)).statusCode).toBe(204)
  })
})

/**
 * Quotes over HTTP: pricing from the catalogue, edits only while draft/rejected with versions,
 * revisions, the printable page, scope and tenant isolation.
 */
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { createRole } from '../../../platform/org/roles.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { capitalYuan, renderQuoteHtml } from './print.js'
import { salesTestBed } from './sales.fixture.js'

const t = salesTestBed()
const { call, rows } = t

/** Someone who may read every quote but not unmasked phone numbers. */
async function viewerWithoutPii() {
  const role = await createRole(t.kit.a.sys, {
    name: `只读${Date.now()}`,
    permissions: ['quotes.view'],
    dataScope: 'all',
  })
  const [u] = await createUsers(t.kit.a.sys, [
    {
      email: `viewer-${Date.now()}@sales.test`,
      name: '只读',
      unitId: t.kit.a.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!2026',
    },
  ])
  return t.kit.login(t.kit.a.tenantId, u!.id)
}

async function draft(as: TestSession, body: Record<string, unknown> = {}) {
  const opportunityId = (body.opportunityId as string) ?? (await t.w.opportunity())
  const res = await call(as, 'POST', '/api/v1/quotes', {
    opportunityId,
    title: '年度订阅',
    lines: [{ name: '标准版', quantity: 2, unitPrice: 100_000 }],
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('quotes', () => {
  it('prices lines from the price book, the list price or as given, with line and header discounts', async () => {
    const booked = await t.w.product({ listPrice: 50_000, name: '企业版' })
    const listed = await t.w.product({ listPrice: 12_345, name: '培训' })
    const book = await t.w.priceBook([{ productId: booked, unitPrice: 40_000 }])
    const opportunityId = await t.w.opportunity({ priceBookId: book })
    const q = await draft(t.w.as.seller, {
      opportunityId,
      lines: [
        { productId: booked, quantity: 3, discountPct: 10 },
        { productId: listed, quantity: 1.5 },
        { name: '实施服务', description: '现场 5 天', quantity: 1, unitPrice: 80_000, discountPct: 5 },
      ],
      headerDiscountPct: 2,
    })
    expect(
      q.lines.map((l: { name: string; unitPrice: number; amount: number }) => [
        l.name,
        l.unitPrice,
        l.amount,
      ]),
    ).toEqual([
      ['企业版', 40_000, 108_000],
      ['培训', 12_345, 18_518],
      ['实施服务', 80_000, 76_000],
    ])
    // subtotal 120000 + 18518 + 80000; after lines 202518; header 2 % → 198468
    expect(q).toMatchObject({
      status: 'draft',
      revision: 1,
      subtotal: 218_518,
      total: 198_468,
      discountTotal: 20_050,
      maxDiscountPct: 10,
      headerDiscountPct: 2,
      priceBookId: book,
      ownerId: t.w.user.seller,
      unitId: t.w.unit.east,
      needsApproval: false,
      approvalThresholdPct: 15,
    })
    expect(q.number).toMatch(/^Q-\d{4}-\d{5}$/)
    const today = new Date()
    expect(Date.parse(q.validUntil) - today.getTime()).toBeGreaterThan(28 * 86_400_000)
    const audit = await rows(`select action from audit_log where tenant_id = $1 and object_id = $2`, [
      t.kit.a.tenantId,
      q.id,
    ])
    expect(audit.map((a) => a.action)).toEqual(['create'])
  })

  it('refuses unknown products and contacts of another customer, naming the field', async () => {
    const other = await t.w.contact(await t.w.customer())
    const res = await call(t.w.as.seller, 'POST', '/api/v1/quotes', {
      opportunityId: await t.w.opportunity(),
      title: 'x',
      contactId: other,
      lines: [{ productId: '01900000-0000-7000-8000-000000000000', quantity: 1 }],
    })
    expect(res.statusCode).toBe(400)
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['contactId', 'lines[0].productId'])
  })

  it('edits only drafts with the current version; submitted quotes are locked', async () => {
    const q = await draft(t.w.as.seller)
    const ok = await call(t.w.as.seller, 'PATCH', `/api/v1/quotes/${q.id}`, {
      version: q.version,
      lines: [{ name: '专业版', quantity: 1, unitPrice: 300_000, discountPct: 20 }],
      terms: '款到发货',
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({
      total: 240_000,
      maxDiscountPct: 20,
      needsApproval: true,
      terms: '款到发货',
    })
    const stale = await call(t.w.as.seller, 'PATCH', `/api/v1/quotes/${q.id}`, {
      version: q.version,
      title: '旧',
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current.version).toBe(q.version + 1)
    await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/submit`)
    const locked = await call(t.w.as.seller, 'PATCH', `/api/v1/quotes/${q.id}`, {
      version: q.version + 2,
      title: '改',
    })
    expect(locked.statusCode).toBe(409)
    expect(locked.json()).toMatchObject({ code: 'quote_locked' })
    expect((await call(t.w.as.director, 'DELETE', `/api/v1/quotes/${q.id}`)).json().code).toBe('quote_locked')
  })

  it('revises the latest revision into a new draft and keeps the old one as superseded', async () => {
    const q = await draft(t.w.as.seller)
    await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/submit`)
    await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/send`)
    const rev = await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/revise`)
    expect(rev.statusCode, rev.body).toBe(201)
    const v2 = rev.json()
    expect(v2).toMatchObject({ number: q.number, revision: 2, status: 'draft', total: q.total, sentAt: null })
    expect(v2.lines).toHaveLength(1)
    expect((await call(t.w.as.seller, 'GET', `/api/v1/quotes/${q.id}`)).json().status).toBe('superseded')
    // Revising an old revision revises the latest, which is a draft now: refused.
    const again = await call(t.w.as.seller, 'POST', `/api/v1/quotes/${q.id}/revise`)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'quote_transition', params: { from: 'draft', to: 'revise' } })
    const list = (await call(t.w.as.seller, 'GET', `/api/v1/quotes/${v2.id}/revisions`)).json().items
    expect(list.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'draft'],
    ])
    const listed = (await call(t.w.as.seller, 'GET', `/api/v1/quotes?q=${q.number}`)).json().items
    expect(listed.map((r: { id: string }) => r.id)).toEqual([v2.id])
  })

  it('prints a self-contained page with the lines, totals in yuan and escaped names', async () => {
    const customerId = await t.w.customer({ name: '<script>alert(1)</script>海纳' })
    const contactId = await t.w.contact(customerId, { name: '王"经理"', mobile: '+8613800138000' })
    const opportunityId = await t.w.opportunity({ customerId })
    const q = await draft(t.w.as.seller, {
      opportunityId,
      contactId,
      lines: [
        { name: '<b>旗舰版</b>', quantity: 1, unitPrice: 123_456 },
        { name: '服务 & 支持', quantity: 2, unitPrice: 5_000, discountPct: 10 },
      ],
      terms: '付款方式：<预付 30%>',
    })
    const res = await call(await viewerWithoutPii(), 'GET', `/api/v1/quotes/${q.id}/print`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    const html = res.body
    expect(html).toContain('@media print')
    expect(html).toContain('报价单')
    expect(html).toContain('&lt;b&gt;旗舰版&lt;/b&gt;')
    expect(html).toContain('服务 &amp; 支持')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;海纳')
    expect(html).not.toContain('<script')
    expect(html).toContain('王&quot;经理&quot;')
    expect(html).toContain('138****8000') // the viewer has no pii.view
    expect(html).toContain('¥1,234.56')
    expect(html).toContain(`¥${(132_456 / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`)
    expect(html).toContain('付款方式：&lt;预付 30%&gt;')
    expect(html).toContain('Alpha') // the workspace's name
    expect(html).toContain('草稿')
  })

  it('stamps approved quotes with the approver and writes amounts in capitals', () => {
    expect(capitalYuan(123_456)).toBe('壹仟贰佰叁拾肆元伍角陆分')
    expect(capitalYuan(10_000_100)).toBe('壹拾万零壹元整')
    expect(capitalYuan(100_000_005)).toBe('壹佰万元零伍分')
    expect(capitalYuan(0)).toBe('零元整')
    const html = renderQuoteHtml(
      {
        id: 'x',
        number: 'Q-2026-00001',
        revision: 2,
        title: 't',
        status: 'approved',
        decidedByName: '李经理',
        decidedAt: new Date('2026-03-01T02:00:00Z'),
        createdAt: new Date('2026-02-01T02:00:00Z'),
        lines: [],
        subtotal: 0,
        total: 0,
        headerDiscountPct: 0,
        currency: 'CNY',
      } as never,
      { workspace: 'W', timezone: 'Asia/Shanghai', printedOn: '2026-03-02', ownerName: null, contact: null },
    )
    expect(html).toContain('已审批')
    expect(html).toContain('李经理')
    expect(html).toContain('第 2 版')
  })

  it('keeps quotes inside the data scope and the workspace', async () => {
    const mine = await draft(t.w.as.seller)
    expect((await call(t.w.as.seller2, 'GET', `/api/v1/quotes/${mine.id}`)).statusCode).toBe(404)
    expect((await call(t.w.as.manager, 'GET', `/api/v1/quotes/${mine.id}`)).statusCode).toBe(200)
    expect((await call(t.kit.b.admin, 'GET', `/api/v1/quotes/${mine.id}`)).statusCode).toBe(404)
    expect((await call(t.kit.b.admin, 'GET', `/api/v1/quotes/${mine.id}/print`)).statusCode).toBe(404)
    const ids = (await call(t.w.as.seller2, 'GET', '/api/v1/quotes?limit=200'))
      .json()
      .items.map((q: { id: string }) => q.id)
    expect(ids).not.toContain(mine.id)
    // An opportunity outside the caller's scope cannot be quoted.
    const foreign = await t.w.opportunity({ ownerId: t.w.user.seller2 })
    const res = await call(t.w.as.seller, 'POST', '/api/v1/quotes', {
      opportunityId: foreign,
      title: 'x',
      lines: [],
    })
    expect(res.statusCode).toBe(404)
  })

  it('puts a deleted quote back from the recycle bin with its lines', async () => {
    const q = await draft(t.w.as.seller, {
      lines: [
        { name: '标准版', quantity: 2, unitPrice: 100_000 },
        { name: '实施服务', quantity: 1, unitPrice: 50_000, discountPct: 10 },
      ],
    })
    expect((await call(t.kit.a.admin, 'DELETE', `/api/v1/quotes/${q.id}`)).statusCode).toBe(204)
    expect(await rows('select id from quote_lines where quote_id = $1', [q.id])).toHaveLength(0)
    const bin = (await call(t.kit.a.admin, 'GET', '/api/v1/recycle-bin?limit=200'))
      .json()
      .items.find((e: { objectId: string }) => e.objectId === q.id)
    expect(bin).toBeTruthy()
    const restored = await call(t.kit.a.admin, 'POST', `/api/v1/recycle-bin/${bin.id}/restore`)
    expect(restored.statusCode, restored.body).toBe(204)
    const back = (await call(t.w.as.seller, 'GET', `/api/v1/quotes/${q.id}`)).json()
    expect(back.lines.map((l: { name: string; amount: number }) => [l.name, l.amount])).toEqual([
      ['标准版', 200_000],
      ['实施服务', 45_000],
    ])
    expect(back.total).toBe(q.total)
  })
})

/** Sales settings: defaults until saved, validation, optimistic concurrency, who may change them. */
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { salesSuite } from './fixture.js'

const t = salesSuite()

const call = (as: TestSession, method: string, payload?: unknown) =>
  t.call(as, method, '/api/v1/sales/settings', payload)

describe('sales settings', () => {
  it('shows the defaults (version 0), saves changes with versions and audits them', async () => {
    const first = await call(t.w.as.seller, 'GET')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      quoteApprovalDiscountPct: 15,
      version: 0,
      lostReasons: expect.arrayContaining(['价格']),
    })
    const saved = await call(t.kit.a.admin, 'PATCH', {
      version: 0,
      quoteApprovalDiscountPct: 12.5,
      wonReasons: [' 关系 ', '方案'],
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json()).toMatchObject({
      quoteApprovalDiscountPct: 12.5,
      wonReasons: ['关系', '方案'],
      quoteValidDays: 30,
      version: 1,
    })
    const stale = await call(t.kit.a.admin, 'PATCH', { version: 0, quoteValidDays: 10 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current).toMatchObject({ version: 1, quoteValidDays: 30 })
    const again = await call(t.kit.a.admin, 'PATCH', {
      version: 1,
      customerGroups: { windowDays: 180, highValue: 500000, highFrequency: null },
    })
    expect(again.json()).toMatchObject({
      version: 2,
      wonReasons: ['关系', '方案'],
      customerGroups: { windowDays: 180 },
    })
    const { rows } = await t.kit.haina.database.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and object_type = 'sales_settings'`,
      [t.kit.a.tenantId],
    )
    expect(rows[0].n).toBe(2)
    // Another workspace keeps its own.
    expect((await call(t.kit.b.admin, 'GET')).json().version).toBe(0)
    // Won with a reason from the new list.
    const customerId = await t.w.customer()
    const opp = await t.kit.req(t.kit.a.admin, {
      method: 'POST',
      url: '/api/v1/opportunities',
      payload: { name: 'x', customerId },
    })
    const won = await t.kit.req(t.kit.a.admin, {
      method: 'POST',
      url: `/api/v1/opportunities/${opp.json().id}/won`,
      payload: { reason: '方案' },
    })
    expect(won.statusCode, won.body).toBe(200)
  })

  it('validates percentages, reasons and the group rule; needs opportunities.configure', async () => {
    const bad = await call(t.kit.a.admin, 'PATCH', {
      quoteApprovalDiscountPct: 120,
      lostReasons: [],
      customerGroups: { windowDays: 0, highValue: null, highFrequency: null },
    })
    expect(bad.statusCode).toBe(400)
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['customerGroups.windowDays', 'lostReasons', 'quoteApprovalDiscountPct'])
    const dup = await call(t.kit.a.admin, 'PATCH', { lostReasons: ['价格', '价格'], wonReasons: ['other'] })
    expect(dup.json().errors).toEqual([
      expect.objectContaining({ field: 'lostReasons[1]', code: 'not_unique' }),
      expect.objectContaining({ field: 'wonReasons[0]', code: 'invalid_value' }),
    ])
    expect((await call(t.w.as.manager, 'PATCH', { quoteValidDays: 10 })).statusCode).toBe(403)
  })
})

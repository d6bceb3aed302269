/**
 * The quote approval flow: threshold, approvers notified (the owner's manager and whoever holds
 * quotes.approve over the quote), no self-approval, send / accept / decline, audit of each step.
 */
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { salesTestBed } from './sales.fixture.js'

const t = salesTestBed()
const { call, rows } = t

const step = async (as: TestSession, id: string, action: string, body?: unknown) =>
  call(as, 'POST', `/api/v1/quotes/${id}/${action}`, body)

async function quote(discountPct: number, opportunityId?: string) {
  const res = await call(t.w.as.seller, 'POST', '/api/v1/quotes', {
    opportunityId: opportunityId ?? (await t.w.opportunity()),
    title: '集团采购',
    lines: [{ name: '旗舰版', quantity: 10, unitPrice: 100_000, discountPct }],
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('quote approval', () => {
  it('approves a quote within the threshold at once and sends it', async () => {
    const q = await quote(15)
    expect(q.needsApproval).toBe(false)
    const sub = await step(t.w.as.seller, q.id, 'submit', { version: q.version })
    expect(sub.statusCode, sub.body).toBe(200)
    expect(sub.json()).toMatchObject({ status: 'approved', submittedBy: t.w.user.seller, decidedBy: null })
    const notes = await rows(`select user_id from notifications where tenant_id = $1 and subject_id = $2`, [
      t.kit.a.tenantId,
      q.id,
    ])
    expect(notes).toEqual([])
    expect((await step(t.w.as.seller, q.id, 'send')).json()).toMatchObject({ status: 'sent' })
  })

  it('sends a larger discount for approval, notifies the approvers and refuses self-approval', async () => {
    const q = await quote(20)
    expect(q.needsApproval).toBe(true)
    expect((await step(t.w.as.seller, q.id, 'send')).json()).toMatchObject({
      code: 'quote_transition',
      params: { from: 'draft', to: 'send' },
    })
    const sub = await step(t.w.as.seller, q.id, 'submit')
    expect(sub.json()).toMatchObject({ status: 'pending_approval', submittedBy: t.w.user.seller })
    const notified = await rows(
      `select user_id, kind, title from notifications where tenant_id = $1 and subject_id = $2 order by user_id`,
      [t.kit.a.tenantId, q.id],
    )
    // The manager (the seller's manager, approver over the sales department) and the director
    // (approver over everything); the admin holds quotes.approve over all too. Not the seller.
    const who = notified.map((n) => n.user_id)
    expect(who).toEqual(expect.arrayContaining([t.w.user.manager, t.w.user.director, t.kit.a.adminId]))
    expect(who).not.toContain(t.w.user.seller)
    expect(who).not.toContain(t.w.user.southSeller)
    expect(notified[0]).toMatchObject({ kind: 'quote_approval' })
    expect(notified[0].title).toContain(q.number)

    // A salesperson has no quotes.approve; the submitter may not approve even with it.
    expect((await step(t.w.as.seller2, q.id, 'approve')).statusCode).toBe(403)
    const director = await call(t.w.as.director, 'POST', '/api/v1/quotes', {
      opportunityId: await t.w.opportunity({ ownerId: t.w.user.director }),
      title: '总监的报价',
      lines: [{ name: 'x', quantity: 1, unitPrice: 1000, discountPct: 50 }],
    })
    const dq = director.json()
    await step(t.w.as.director, dq.id, 'submit')
    const self = await step(t.w.as.director, dq.id, 'approve')
    expect(self.statusCode).toBe(403)
    expect(self.json().code).toBe('quote_self_approval')

    const approved = await step(t.w.as.manager, q.id, 'approve', { comment: '同意，战略客户' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: t.w.user.manager,
      decidedByName: 'manager',
      decisionComment: '同意，战略客户',
    })
    const told = await rows(
      `select user_id, kind from notifications where tenant_id = $1 and subject_id = $2 and kind = 'quote_approved'`,
      [t.kit.a.tenantId, q.id],
    )
    expect(told.map((n) => n.user_id)).toEqual([t.w.user.seller])
    expect((await step(t.w.as.manager, q.id, 'approve')).json().code).toBe('quote_transition')
  })

  it('lets a rejected quote be edited and submitted again', async () => {
    const q = await quote(30)
    await step(t.w.as.seller, q.id, 'submit')
    const rejected = await step(t.w.as.manager, q.id, 'reject', { comment: '折扣过高' })
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionComment: '折扣过高' })
    const edited = await call(t.w.as.seller, 'PATCH', `/api/v1/quotes/${q.id}`, {
      version: rejected.json().version,
      lines: [{ name: '旗舰版', quantity: 10, unitPrice: 100_000, discountPct: 10 }],
    })
    expect(edited.json()).toMatchObject({ status: 'draft', total: 900_000, needsApproval: false })
    expect((await step(t.w.as.seller, q.id, 'submit')).json().status).toBe('approved')
  })

  it('accepting sets the opportunity amount; declining leaves it', async () => {
    const opportunityId = await t.w.opportunity({ amount: 1 })
    const q = await quote(5, opportunityId)
    await step(t.w.as.seller, q.id, 'submit')
    await step(t.w.as.seller, q.id, 'send')
    const accepted = await step(t.w.as.seller, q.id, 'accept')
    expect(accepted.json().status).toBe('accepted')
    const [opp] = await rows('select amount from opportunities where id = $1', [opportunityId])
    expect(Number(opp.amount)).toBe(950_000)
    const actions = await rows(
      `select action from audit_log where tenant_id = $1 and object_id = $2 order by at, id`,
      [t.kit.a.tenantId, q.id],
    )
    expect(actions.map((a) => a.action)).toEqual(['create', 'submit', 'send', 'accept'])
    const oppAudit = await rows(
      `select after from audit_log where tenant_id = $1 and object_type = 'opportunity' and object_id = $2`,
      [t.kit.a.tenantId, opportunityId],
    )
    expect(oppAudit[0].after).toMatchObject({ amount: 950_000 })

    const other = await quote(5)
    await step(t.w.as.seller, other.id, 'submit')
    await step(t.w.as.seller, other.id, 'send')
    expect((await step(t.w.as.seller, other.id, 'decline', { comment: '预算不足' })).json()).toMatchObject({
      status: 'declined',
      decisionComment: '预算不足',
    })
    expect((await step(t.w.as.seller, other.id, 'accept')).json().code).toBe('quote_transition')
  })

  it('refuses to submit an empty quote and to send an expired one', async () => {
    const empty = await call(t.w.as.seller, 'POST', '/api/v1/quotes', {
      opportunityId: await t.w.opportunity(),
      title: '空',
      lines: [],
    })
    const res = await step(t.w.as.seller, empty.json().id, 'submit')
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({ code: 'quote_empty', errors: [{ field: 'lines' }] })
    const old = await quote(0)
    await call(t.w.as.seller, 'PATCH', `/api/v1/quotes/${old.id}`, {
      version: old.version,
      validUntil: '2020-01-01',
    })
    await step(t.w.as.seller, old.id, 'submit')
    const sent = await step(t.w.as.seller, old.id, 'send')
    expect(sent.statusCode).toBe(409)
    expect(sent.json()).toMatchObject({ code: 'quote_expired', params: { validUntil: '2020-01-01' } })
  })

  it('answers 404 to other workspaces and to people outside the scope', async () => {
    const q = await quote(20)
    await step(t.w.as.seller, q.id, 'submit')
    expect((await step(t.kit.b.admin, q.id, 'approve')).statusCode).toBe(404)
    expect((await step(t.w.as.southSeller, q.id, 'send')).statusCode).toBe(404)
  })
})

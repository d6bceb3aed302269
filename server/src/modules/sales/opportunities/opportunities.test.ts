/**
 * Opportunities over HTTP: CRUD in the caller's scope (another workspace gets 404), optimistic
 * concurrency, MEDDIC and its score, stage gates (422 listing the missing fields, then success),
 * won/lost/reopen with events, stage history, assignment, handover and follow-ups.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { salesSuite } from './fixture.js'

const t = salesSuite()

let stages: { id: string; name: string }[]
let productId: string
beforeAll(async () => {
  stages = (await t.call(t.kit.a.admin, 'GET', '/api/v1/pipelines')).json().items[0].stages
  const p = await t.call(t.kit.a.admin, 'POST', '/api/v1/products', {
    code: 'CRM-STD',
    name: 'CRM 标准版',
    listPrice: 50000,
  })
  productId = p.json().id
})

const sql = async (text: string, params: unknown[] = []) =>
  (await t.kit.haina.database.pool.query(text, params)).rows
/** A customer owned by `who` and an opportunity on it created by them. */
async function opportunity(
  as: TestSession,
  ownerId: string,
  unitId: string,
  body: Record<string, unknown> = {},
) {
  const customerId = await t.w.customer({ ownerId, unitId })
  const res = await t.call(as, 'POST', '/api/v1/opportunities', { name: '年度采购', customerId, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return { ...res.json(), customerId }
}

describe('opportunities', () => {
  it('creates in the caller’s scope, and only for customers the caller sees', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA, { amount: 880000 })
    expect(opp).toMatchObject({
      ownerId: t.w.user.seller,
      unitId: t.w.unit.teamA,
      stageId: stages[0]!.id,
      stageName: '初步接洽',
      probability: 10,
      amount: 880000,
      status: 'open',
      customerName: expect.any(String),
      meddicScore: 0,
    })
    const foreign = await t.w.customer({ ownerId: t.w.user.sellerB, unitId: t.w.unit.teamB })
    const res = await t.call(t.w.as.seller, 'POST', '/api/v1/opportunities', {
      name: 'x',
      customerId: foreign,
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([
      expect.objectContaining({
        field: 'customerId',
        code: 'invalid_customer',
        message: '客户不存在或无权访问',
      }),
    ])
    // A salesperson places records they own only.
    const other = await t.call(t.w.as.seller, 'POST', '/api/v1/opportunities', {
      name: 'x',
      customerId: opp.customerId,
      ownerId: t.w.user.seller2,
    })
    expect(other.statusCode).toBe(400)
  })

  it('reads within the data scope: owner, team manager, director; others and workspace B get 404', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const url = `/api/v1/opportunities/${opp.id}`
    for (const who of ['seller', 'manager', 'director'] as const)
      expect((await t.call(t.w.as[who], 'GET', url)).statusCode, who).toBe(200)
    for (const who of ['seller2', 'sellerB'] as const)
      expect((await t.call(t.w.as[who], 'GET', url)).statusCode, who).toBe(404)
    expect((await t.call(t.kit.b.admin, 'GET', url)).statusCode).toBe(404)
    expect((await t.call(t.kit.b.admin, 'PATCH', url, { name: 'x' })).statusCode).toBe(404)
    const list = await t.call(t.w.as.seller2, 'GET', '/api/v1/opportunities?limit=200')
    expect(list.json().items.map((o: { id: string }) => o.id)).not.toContain(opp.id)
    const mine = await t.call(t.w.as.seller, 'GET', `/api/v1/opportunities?q=${encodeURIComponent('年度')}`)
    expect(mine.json().items.map((o: { id: string }) => o.id)).toContain(opp.id)
    const filtered = await t.call(
      t.w.as.manager,
      'GET',
      `/api/v1/opportunities?filter=${encodeURIComponent(JSON.stringify({ ownerId: t.w.user.seller, status: 'open' }))}`,
    )
    expect(filtered.statusCode, filtered.body).toBe(200)
    expect(filtered.json().items.every((o: { ownerId: string }) => o.ownerId === t.w.user.seller)).toBe(true)
  })

  it('updates with optimistic concurrency: a stale version is 409 with the current row, nothing overwritten', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const url = `/api/v1/opportunities/${opp.id}`
    const ok = await t.call(t.w.as.seller, 'PATCH', url, {
      version: opp.version,
      amount: 120000,
      probability: 25,
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ amount: 120000, probability: 25, version: opp.version + 1 })
    const stale = await t.call(t.w.as.seller, 'PATCH', url, { version: opp.version, amount: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current).toMatchObject({ amount: 120000, version: opp.version + 1 })
    const audit = await sql(
      `select action from audit_log where object_type = 'opportunity' and object_id = $1 order by id`,
      [opp.id],
    )
    expect(audit.map((a) => a.action)).toEqual(['create', 'update'])
  })

  it('lets one of two concurrent saves of the same version win; the other gets 409 (parallel sessions on PostgreSQL)', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const url = `/api/v1/opportunities/${opp.id}`
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((name) => t.call(t.w.as.seller, 'PATCH', url, { version: opp.version, name })),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409])
    const detail = (await t.call(t.w.as.seller, 'GET', url)).json()
    expect(detail.version).toBe(opp.version + 1)
    expect(detail.stage).toMatchObject({ id: stages[0]!.id, name: '初步接洽', kind: 'open', position: 0 })
  })

  it('keeps the MEDDIC score on every save; buyer and champion must be contacts of the customer', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const url = `/api/v1/opportunities/${opp.id}`
    const buyer = await t.w.contact(opp.customerId, '李总')
    const elsewhere = await t.w.contact(
      await t.w.customer({ ownerId: t.w.user.seller, unitId: t.w.unit.teamA }),
    )
    const bad = await t.call(t.w.as.seller, 'PATCH', url, { meddic: { championContactId: elsewhere } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'meddic.championContactId', code: 'invalid_contact' }),
    ])
    const r1 = await t.call(t.w.as.seller, 'PATCH', url, {
      meddic: { metrics: '降本 20%', economicBuyerContactId: buyer, identifyPain: '手工对账' },
    })
    expect(r1.json()).toMatchObject({ meddicScore: 50, meddic: { economicBuyerContactId: buyer } })
    const r2 = await t.call(t.w.as.seller, 'PATCH', url, {
      meddic: { decisionCriteria: '价格', decisionProcess: '招标', champion: '王经理', metrics: '' },
    })
    expect(r2.json().meddicScore).toBe(83)
    expect(r2.json().meddic).toEqual({
      economicBuyerContactId: buyer,
      identifyPain: '手工对账',
      decisionCriteria: '价格',
      decisionProcess: '招标',
      champion: '王经理',
    })
    const unknown = await t.call(t.w.as.seller, 'PATCH', url, { meddic: { budget: 'x' } })
    expect(unknown.statusCode).toBe(400)
  })

  it('blocks a stage move at the gates (target and skipped stages) with 422 listing the fields, then lets it through', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const url = `/api/v1/opportunities/${opp.id}`
    const target = stages[2]!.id // 方案报价, skipping 需求确认
    const blocked = await t.call(t.w.as.seller, 'POST', `${url}/stage`, {
      stageId: target,
      version: opp.version,
    })
    expect(blocked.statusCode).toBe(422)
    const body = blocked.json()
    expect(body).toMatchObject({
      code: 'stage_gate',
      stageId: target,
      detail: '进入阶段「方案报价」前还有 6 项必填内容未填写',
    })
    expect(body.fields).toEqual([
      'contactId',
      'amount',
      'meddic.metrics',
      'meddic.economicBuyer',
      'meddic.identifyPain',
      'products',
    ])
    expect(body.errors[0]).toMatchObject({
      field: 'contactId',
      code: 'gate_field_missing',
      message: '阶段「需求确认」要求填写此项',
    })
    const en = await t.call(t.w.as.seller, 'POST', `${url}/stage`, { stageId: target }, 'en')
    expect(en.json().detail).toBe('6 required field(s) are missing for the stage "方案报价"')
    // Fill them: contact, MEDDIC letters, a product line (the amount follows the lines).
    const contactId = await t.w.contact(opp.customerId)
    let cur = (
      await t.call(t.w.as.seller, 'PATCH', url, {
        contactId,
        meddic: { metrics: '效率提升', economicBuyer: '财务总监', identifyPain: '数据分散' },
      })
    ).json()
    const still = await t.call(t.w.as.seller, 'POST', `${url}/stage`, {
      stageId: target,
      version: cur.version,
    })
    expect(still.json().fields).toEqual(['amount', 'products'])
    const lines = await t.call(t.w.as.seller, 'PUT', `${url}/lines`, {
      lines: [{ productId, quantity: 2 }],
      version: cur.version,
    })
    expect(lines.statusCode, lines.body).toBe(200)
    cur = lines.json()
    expect(cur.amount).toBe(100000)
    const moved = await t.call(t.w.as.seller, 'POST', `${url}/stage`, {
      stageId: target,
      version: cur.version,
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json()).toMatchObject({ stageId: target, stageName: '方案报价', probability: 50 })
    // The amount is the sum of the lines while there are lines.
    const amount = await t.call(t.w.as.seller, 'PATCH', url, { amount: 5 })
    expect(amount.json().errors[0]).toMatchObject({ field: 'amount', code: 'amount_from_lines' })
    // Back one stage: only the target's gate.
    const back = await t.call(t.w.as.seller, 'POST', `${url}/stage`, { stageId: stages[1]!.id })
    expect(back.statusCode).toBe(200)
    // Won/lost stages are not stage moves.
    expect((await t.call(t.w.as.seller, 'POST', `${url}/stage`, { stageId: stages[4]!.id })).statusCode).toBe(
      400,
    )
    const history = (await t.call(t.w.as.seller, 'GET', `${url}/stage-history`)).json().items
    expect(history.map((h: { toStageName: string }) => h.toStageName)).toEqual([
      '初步接洽',
      '方案报价',
      '需求确认',
    ])
    expect(history[0].fromStageId).toBeNull()
    expect(history[1]).toMatchObject({
      fromStageName: '初步接洽',
      secondsInStage: expect.any(Number),
      actorId: t.w.user.seller,
    })
  })

  it('wins with a configured reason (or other + note), publishes the event, refuses moves until reopened', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA, { amount: 300000 })
    const url = `/api/v1/opportunities/${opp.id}`
    const badReason = await t.call(t.w.as.seller, 'POST', `${url}/won`, { reason: '运气' })
    expect(badReason.json().errors[0]).toMatchObject({ field: 'reason', code: 'invalid_reason' })
    const noNote = await t.call(t.w.as.seller, 'POST', `${url}/won`, { reason: 'other' })
    expect(noNote.json().errors[0]).toMatchObject({ field: 'note', code: 'invalid_reason' })
    const won = await t.call(t.w.as.seller, 'POST', `${url}/won`, {
      reason: '价格优势',
      note: '比竞品低 10%',
      version: opp.version,
    })
    expect(won.statusCode, won.body).toBe(200)
    expect(won.json()).toMatchObject({
      status: 'won',
      stageId: stages[4]!.id,
      probability: 100,
      closeReason: '价格优势',
      closeNote: '比竞品低 10%',
      closedAt: expect.any(String),
    })
    const events = await sql(`select type, payload from outbox where aggregate_id = $1`, [opp.id])
    expect(events).toEqual([
      {
        type: 'opportunity.won',
        payload: expect.objectContaining({ amount: 300000, reason: '价格优势', customerId: opp.customerId }),
      },
    ])
    const move = await t.call(t.w.as.seller, 'POST', `${url}/stage`, { stageId: stages[1]!.id })
    expect(move.statusCode).toBe(409)
    expect(move.json().code).toBe('opportunity_not_open')
    expect((await t.call(t.w.as.seller, 'POST', `${url}/lost`, { reason: '价格' })).statusCode).toBe(409)
    const reopened = await t.call(t.w.as.seller, 'POST', `${url}/reopen`, { version: won.json().version })
    expect(reopened.statusCode, reopened.body).toBe(200)
    expect(reopened.json()).toMatchObject({
      status: 'open',
      stageId: stages[0]!.id,
      closedAt: null,
      closeReason: null,
      probability: 10,
    })
    expect((await t.call(t.w.as.seller, 'POST', `${url}/reopen`, {})).json().code).toBe(
      'opportunity_not_closed',
    )
    const lost = await t.call(t.w.as.seller, 'POST', `${url}/lost`, { reason: 'other', note: '项目取消' })
    expect(lost.json()).toMatchObject({
      status: 'lost',
      stageId: stages[5]!.id,
      probability: 0,
      closeReason: 'other',
    })
    const types = await sql(`select type from outbox where aggregate_id = $1 order by created_at, id`, [
      opp.id,
    ])
    expect(types.map((t) => t.type)).toEqual(['opportunity.won', 'opportunity.reopened', 'opportunity.lost'])
  })

  it('assigns (opportunities.assign) to someone in scope, moving the unit and notifying them', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    expect(
      (
        await t.call(t.w.as.seller, 'POST', '/api/v1/opportunities/assign', {
          ids: [opp.id],
          ownerId: t.w.user.seller2,
        })
      ).statusCode,
    ).toBe(403)
    const res = await t.call(t.w.as.director, 'POST', '/api/v1/opportunities/assign', {
      ids: [opp.id],
      ownerId: t.w.user.sellerB,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ moved: 1 })
    const now = (await t.call(t.w.as.sellerB, 'GET', `/api/v1/opportunities/${opp.id}`)).json()
    expect(now).toMatchObject({ ownerId: t.w.user.sellerB, unitId: t.w.unit.teamB, version: opp.version + 1 })
    expect((await t.call(t.w.as.seller, 'GET', `/api/v1/opportunities/${opp.id}`)).statusCode).toBe(404)
    const notes = await sql(`select kind from notifications where user_id = $1`, [t.w.user.sellerB])
    expect(notes.map((n) => n.kind)).toContain('opportunity_assigned')
    // The manager of team A cannot see team B's opportunity, so cannot assign it.
    const outside = await t.call(t.w.as.manager, 'POST', '/api/v1/opportunities/assign', {
      ids: [opp.id],
      ownerId: t.w.user.seller,
    })
    expect(outside.statusCode).toBe(404)
  })

  it('hands open opportunities over to the new owner; closed ones stay', async () => {
    const open = await opportunity(t.w.as.seller2, t.w.user.seller2, t.w.unit.teamA)
    const closed = await opportunity(t.w.as.seller2, t.w.user.seller2, t.w.unit.teamA)
    await t.call(t.w.as.seller2, 'POST', `/api/v1/opportunities/${closed.id}/lost`, { reason: '价格' })
    const preview = await t.call(t.kit.a.admin, 'POST', '/api/v1/handovers/preview', {
      fromUserId: t.w.user.seller2,
      toUserId: t.w.user.seller,
    })
    expect(preview.json().counts.opportunity).toBe(1)
    const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/handovers', {
      fromUserId: t.w.user.seller2,
      toUserId: t.w.user.seller,
      reason: '离职',
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().counts.opportunity).toBe(1)
    const rows = await sql(`select id, owner_id from opportunities where id = any($1)`, [
      [open.id, closed.id],
    ])
    expect(Object.fromEntries(rows.map((r) => [r.id, r.owner_id]))).toEqual({
      [open.id]: t.w.user.seller,
      [closed.id]: t.w.user.seller2,
    })
  })

  it('takes follow-ups (same model as leads) and keeps the last/next follow-up times', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const nextAt = new Date(Date.now() + 86_400_000).toISOString()
    const res = await t.call(t.w.as.seller, 'POST', '/api/v1/follow-ups', {
      subjectType: 'opportunity',
      subjectId: opp.id,
      type: 'visit',
      content: '上门演示',
      nextAt,
    })
    expect(res.statusCode, res.body).toBe(201)
    const after = (await t.call(t.w.as.seller, 'GET', `/api/v1/opportunities/${opp.id}`)).json()
    expect(after.lastFollowUpAt).not.toBeNull()
    expect(new Date(after.nextFollowUpAt).toISOString()).toBe(nextAt)
    const other = await t.call(t.w.as.sellerB, 'POST', '/api/v1/follow-ups', {
      subjectType: 'opportunity',
      subjectId: opp.id,
      type: 'call',
      content: 'x',
    })
    expect(other.statusCode).toBe(404)
  })

  it('keeps competitors of the deal and deletes to the recycle bin', async () => {
    const opp = await opportunity(t.w.as.seller, t.w.user.seller, t.w.unit.teamA)
    const comp = await t.call(t.kit.a.admin, 'POST', '/api/v1/competitors', {
      name: '某竞品',
      strengths: '便宜',
    })
    expect(comp.statusCode, comp.body).toBe(201)
    const url = `/api/v1/opportunities/${opp.id}`
    const res = await t.call(t.w.as.seller, 'PUT', `${url}/competitors`, {
      competitors: [{ competitorId: comp.json().id, threat: 'high', notes: '低价策略' }],
      version: opp.version,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().competitors).toEqual([
      { competitorId: comp.json().id, name: '某竞品', threat: 'high', notes: '低价策略' },
    ])
    expect((await t.call(t.w.as.seller, 'GET', url)).json().competitors).toHaveLength(1)
    expect((await t.call(t.w.as.seller, 'DELETE', url)).statusCode).toBe(403)
    expect((await t.call(t.w.as.director, 'DELETE', url)).statusCode).toBe(204)
    expect((await t.call(t.w.as.director, 'GET', url)).statusCode).toBe(404)
    const bin = await sql(`select object_type from recycle_bin where object_id = $1`, [opp.id])
    expect(bin).toEqual([{ object_type: 'opportunity' }])
  })
})

/**
 * Sales analytics on known numbers: ABC classes, stage conversion, velocity, win rate by owner,
 * source and campaign, forecast vs actual by month — each restricted to what the caller sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { newId } from '../../../platform/db/columns.js'
import { campaigns } from '../../campaigns/schema.js'
import { daysAgo as ago, type SalesData, type SalesTeam, salesData, salesTeam } from './sales.fixture.js'

let kit: Kit
let team: SalesTeam
let data: SalesData
const id: Record<string, string> = {}
let flow: Awaited<ReturnType<SalesData['pipeline']>>
let plan: Awaited<ReturnType<SalesData['pipeline']>>

const get = async (as: TestSession, url: string) => {
  const res = await kit.req(as, { method: 'GET', url: `/api/v1/sales/analytics/${url}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  data = salesData(kit.a)
  const seller = team.user.seller
  const seller2 = team.user.seller2

  // ABC: revenue 500, 300, 100, 50, 30, 20 (yuan, in 分) = 1000.
  const customer = async (name: string, ownerId = seller) => data.customer({ name, ownerId })
  const order = (customerId: string, total: number, v: Record<string, unknown> = {}) =>
    data.order({
      customerId,
      total: total * 100,
      status: 'completed',
      orderedAt: ago(30),
      ownerId: seller,
      ...v,
    })
  for (const [name, parts] of [
    ['甲', [300, 200]],
    ['乙', [300]],
    ['丙', [100]],
    ['丁', [60]],
    ['戊', [30]],
    ['己', [20]],
  ] as const) {
    id[name] = await customer(name)
    for (const p of parts) await order(id[name]!, p)
  }
  await kit.haina.database.pool.query(
    `update orders set refunded_total = 1000, status = 'shipped' where customer_id = $1`,
    [id.丁],
  )
  await order(id.己!, 1000, { status: 'draft' })
  await order(id.己!, 1000, { status: 'cancelled' })
  await order(id.己!, 1000, { orderedAt: ago(400) })
  id.庚 = await customer('庚', seller2)
  await order(id.庚, 2000, { ownerId: seller2 })

  // Stage conversion and velocity.
  flow = await data.pipeline('漏斗', [
    ['S1', 10, 'open'],
    ['S2', 40, 'open'],
    ['S3', 70, 'open'],
    ['赢单', 100, 'won'],
    ['输单', 0, 'lost'],
  ])
  const s = flow.stage
  const [c1, c2, c3] = [id.甲!, id.乙!, id.丙!]
  const opp = (v: Record<string, unknown>) =>
    data.opportunity({
      customerId: c1,
      pipelineId: flow.id,
      stageId: s.S1!,
      createdAt: ago(20),
      ownerId: seller,
      ...v,
    } as Parameters<SalesData['opportunity']>[0])
  const d = (n: number) => n * 86_400
  await opp({ name: 'o1' })
  id.o2 = await opp({ name: 'o2', stageId: s.S2 })
  await data.history(id.o2, [[s.S1!, s.S2!, ago(19), d(1)]])
  id.camp1 = newId()
  id.camp2 = newId()
  const where = { tenantId: kit.a.tenantId, unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId }
  await kit.a.sys.db.insert(campaigns).values([
    { ...where, id: id.camp1, name: '春季展会', kind: 'event', code: `a${Date.now()}` },
    { ...where, id: id.camp2, name: '搜索广告', kind: 'ads', code: `b${Date.now()}` },
  ])
  id.o3 = await opp({
    name: 'o3',
    stageId: s.赢单,
    status: 'won',
    amount: 100_000,
    closedAt: ago(10),
    source: '展会',
    firstCampaignId: id.camp1,
    customerId: c2,
  })
  await data.history(id.o3, [
    [s.S1!, s.S2!, ago(18), d(2)],
    [s.S2!, s.S3!, ago(16), d(4)],
    [s.S3!, s.赢单!, ago(10), d(6)],
  ])
  id.o4 = await opp({
    name: 'o4',
    stageId: s.输单,
    status: 'lost',
    amount: 40_000,
    closedAt: ago(12),
    source: '展会',
    firstCampaignId: id.camp2,
  })
  await data.history(id.o4, [
    [s.S1!, s.S2!, ago(17), d(3)],
    [s.S2!, s.输单!, ago(12), d(1)],
  ])
  await opp({ name: 'o5', stageId: s.S2 })
  id.o6 = await opp({ name: 'o6', stageId: s.S3, customerId: c3 })
  await data.history(id.o6, [
    [s.S1!, s.S2!, ago(18), d(2)],
    [s.S2!, s.S3!, ago(16), d(2)],
  ])
  // seller2's, in the same pipeline: won twice (one without source or campaign).
  await opp({
    name: 'o7',
    ownerId: seller2,
    stageId: s.赢单,
    status: 'won',
    amount: 5_000,
    closedAt: ago(5),
    source: '官网',
    firstCampaignId: id.camp1,
    createdAt: ago(300),
  })
  await opp({
    name: 'o8',
    ownerId: seller2,
    stageId: s.赢单,
    status: 'won',
    amount: 7_000,
    closedAt: ago(5),
    createdAt: ago(300),
  })

  // Forecast vs actual in 2030 (its own pipeline; orders by month).
  plan = await data.pipeline('计划', [
    ['P1', 10, 'open'],
    ['P2', 40, 'open'],
    ['P3', 70, 'open'],
    ['赢', 100, 'won'],
    ['输', 0, 'lost'],
  ])
  const p = plan.stage
  const fopp = (v: Record<string, unknown>) =>
    data.opportunity({
      customerId: c1,
      pipelineId: plan.id,
      stageId: p.P1!,
      ownerId: seller,
      ...v,
    } as Parameters<SalesData['opportunity']>[0])
  await fopp({
    name: 'jan-open',
    stageId: p.P2,
    amount: 1000,
    probability: 40,
    expectedCloseDate: '2030-01-20',
  })
  id.janWon = await fopp({
    name: 'jan-won',
    stageId: p.赢,
    status: 'won',
    amount: 2000,
    probability: 100,
    expectedCloseDate: '2030-01-31',
    closedAt: new Date('2030-01-15T02:00:00Z'),
  })
  await data.history(id.janWon, [
    [p.P1!, p.P2!, new Date('2030-01-05T00:00:00Z'), 100],
    [p.P2!, p.赢!, new Date('2030-01-15T02:00:00Z'), 100],
  ])
  id.janLost = await fopp({
    name: 'jan-lost',
    stageId: p.输,
    status: 'lost',
    amount: 500,
    probability: 0,
    expectedCloseDate: '2030-01-10',
    closedAt: new Date('2030-01-09T00:00:00Z'),
  })
  await data.history(id.janLost, [[p.P1!, p.输!, new Date('2030-01-09T00:00:00Z'), 100]])
  await fopp({
    name: 'feb-open',
    stageId: p.P3,
    amount: 10_000,
    probability: 70,
    expectedCloseDate: '2030-02-14',
  })
  await fopp({
    name: 'feb-other',
    ownerId: seller2,
    amount: 99_999,
    probability: 50,
    expectedCloseDate: '2030-02-14',
  })
  await data.order({
    customerId: c1,
    total: 3000,
    status: 'completed',
    orderedAt: new Date('2030-01-20T04:00:00Z'),
    ownerId: seller,
  })
  await data.order({
    customerId: c1,
    total: 500,
    refundedTotal: 100,
    status: 'confirmed',
    orderedAt: new Date('2030-01-31T17:00:00Z'), // 2030-02-01 01:00 in Shanghai
    ownerId: seller,
  })
})
afterAll(() => kit.close())

describe('sales analytics', () => {
  it('classes customers A/B/C by revenue', async () => {
    const v = await get(team.as.seller, 'abc')
    expect(v.totalRevenue).toBe(100_000)
    expect(v.customers).toBe(6)
    expect(v.classes).toEqual([
      { class: 'A', customers: 2, revenue: 80_000, share: 0.8 },
      { class: 'B', customers: 2, revenue: 15_000, share: 0.15 },
      { class: 'C', customers: 2, revenue: 5_000, share: 0.05 },
    ])
    expect(v.top.map((c: { name: string; class: string }) => `${c.name}${c.class}`)).toEqual([
      '甲A',
      '乙A',
      '丙B',
      '丁B',
      '戊C',
      '己C',
    ])
    expect(v.top[0]).toMatchObject({ rank: 1, orders: 2, revenue: 50_000, share: 0.5, cumulativeShare: 0.5 })
    // The whole workspace includes the other salesperson's customer (200 of 1200 → A).
    const all = await get(kit.a.admin, 'abc?top=1')
    expect(all.totalRevenue).toBe(300_000)
    expect(all.top).toEqual([expect.objectContaining({ name: '庚', class: 'A' })])
    // A window without orders.
    expect((await get(team.as.seller, 'abc?from=2020-01-01&to=2020-12-31')).classes[0]).toEqual({
      class: 'A',
      customers: 0,
      revenue: 0,
      share: null,
    })
    const bad = await kit.req(team.as.seller, {
      method: 'GET',
      url: '/api/v1/sales/analytics/abc?from=2020-13-01',
    })
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalid_date' })])
  })

  it('counts how far opportunities got through the stages', async () => {
    const v = await get(team.as.seller, `stage-conversion?pipelineId=${flow.id}`)
    expect(v).toMatchObject({ total: 6, won: 1, lost: 1, pipeline: { id: flow.id } })
    expect(
      v.stages.map((s: { name: string; reached: number; rateToNext: number | null }) => [
        s.name,
        s.reached,
        s.rateToNext,
      ]),
    ).toEqual([
      ['S1', 6, 0.8333],
      ['S2', 5, 0.4],
      ['S3', 2, 0.5],
      ['赢单', 1, null],
      ['输单', 1, null],
    ])
    // The manager also sees seller2's two won opportunities; a narrower window leaves them out.
    expect(await get(team.as.manager, `stage-conversion?pipelineId=${flow.id}`)).toMatchObject({
      total: 8,
      won: 3,
    })
    const recent = await get(
      team.as.manager,
      `stage-conversion?pipelineId=${flow.id}&from=${ago(100).toISOString().slice(0, 10)}`,
    )
    expect(recent).toMatchObject({ total: 6, won: 1 })
    const bad = await kit.req(team.as.seller, {
      method: 'GET',
      url: `/api/v1/sales/analytics/stage-conversion?pipelineId=${newId()}`,
    })
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'pipelineId', code: 'invalid_option' }),
    ])
  })

  it('measures velocity', async () => {
    const v = await get(team.as.seller, `velocity?pipelineId=${flow.id}`)
    expect(v.stages).toEqual([
      { id: flow.stage.S1, name: 'S1', moves: 4, avgDays: 2 },
      { id: flow.stage.S2, name: 'S2', moves: 3, avgDays: 2.33 },
      { id: flow.stage.S3, name: 'S3', moves: 1, avgDays: 6 },
    ])
    expect(v).toMatchObject({
      open: 4,
      won: 1,
      lost: 1,
      winRate: 0.5,
      avgDealAmount: 100_000,
      avgDaysToWin: 10,
      velocityPerDay: 20_000,
    })
  })

  it('gives win rates by owner, source and campaign', async () => {
    const owner = await get(team.as.manager, 'win-rate?by=owner')
    expect(owner.rows).toEqual([
      { key: team.user.seller2, label: 'seller2', won: 2, lost: 0, closed: 2, winRate: 1, wonAmount: 12_000 },
      {
        key: team.user.seller,
        label: 'seller',
        won: 1,
        lost: 1,
        closed: 2,
        winRate: 0.5,
        wonAmount: 100_000,
      },
    ])
    expect((await get(team.as.seller, 'win-rate?by=owner')).rows).toHaveLength(1)
    const source = await get(team.as.manager, 'win-rate?by=source')
    expect(
      source.rows.map((r: { label: string | null; won: number; lost: number }) => [r.label, r.won, r.lost]),
    ).toEqual([
      ['官网', 1, 0],
      [null, 1, 0],
      ['展会', 1, 1],
    ])
    const campaign = await get(team.as.manager, 'win-rate?by=campaign')
    expect(campaign.rows.map((r: { label: string | null; winRate: number }) => [r.label, r.winRate])).toEqual(
      [
        ['春季展会', 1],
        [null, 1],
        ['搜索广告', 0],
      ],
    )
  })

  it('sets the forecast against what was won and ordered, by month', async () => {
    const v = await get(
      team.as.seller,
      `forecast-vs-actual?from=2030-01-01&to=2030-03-31&pipelineId=${plan.id}`,
    )
    expect(v.months).toEqual([
      {
        month: '2030-01',
        count: 3,
        pipelineAmount: 3500,
        forecast: 1250,
        wonCount: 1,
        wonAmount: 2000,
        orderRevenue: 3000,
      },
      {
        month: '2030-02',
        count: 1,
        pipelineAmount: 10_000,
        forecast: 7000,
        wonCount: 0,
        wonAmount: 0,
        orderRevenue: 400,
      },
      {
        month: '2030-03',
        count: 0,
        pipelineAmount: 0,
        forecast: 0,
        wonCount: 0,
        wonAmount: 0,
        orderRevenue: 0,
      },
    ])
    expect(v.totals).toEqual({ pipelineAmount: 13_500, forecast: 8250, wonAmount: 2000, orderRevenue: 3400 })
    // The manager sees seller2's February opportunity too.
    const m = await get(
      team.as.manager,
      `forecast-vs-actual?from=2030-01-01&to=2030-03-31&pipelineId=${plan.id}`,
    )
    expect(m.months[1].forecast).toBe(7000 + 50_000)
  })

  it('needs opportunities.view', async () => {
    expect(
      (await kit.req(team.as.service, { method: 'GET', url: '/api/v1/sales/analytics/abc' })).statusCode,
    ).toBe(200)
    expect(
      (await kit.req(team.as.marketing, { method: 'GET', url: '/api/v1/sales/analytics/abc' })).statusCode,
    ).toBe(403)
  })
})

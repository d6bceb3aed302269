/** Kanban board and weighted forecast on a small known data set, in the caller's scope. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import type { Ctx } from '../../../platform/access/actor.js'
import { loadUserActor } from '../../../platform/access/load-actor.js'
import { salesSuite } from './fixture.js'
import { createPipeline, type PipelineWithStages } from './pipelines.service.js'
import { createOpportunity } from './service.js'
import { closeOpportunity } from './stage.service.js'

const t = salesSuite()

let p: PipelineWithStages
let seller: Ctx
let sellerB: Ctx
const month = (offset: number) => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + offset, 1))
  return d.toISOString().slice(0, 7)
}

beforeAll(async () => {
  p = await createPipeline(t.kit.a.sys, {
    name: '看板测试',
    stages: [
      { name: '线索', probability: 10, kind: 'open' },
      { name: '方案', probability: 40, kind: 'open' },
      { name: '谈判', probability: 75, kind: 'open' },
      { name: '赢单', probability: 100, kind: 'won' },
      { name: '输单', probability: 0, kind: 'lost' },
    ],
  })
  const as = async (userId: string): Promise<Ctx> => ({
    ...t.kit.a.sys,
    actor: (await loadUserActor(t.kit.a.sys.db, t.kit.a.tenantId, userId))!,
  })
  seller = await as(t.w.user.seller)
  sellerB = await as(t.w.user.sellerB)
  const cA = await t.w.customer({ ownerId: t.w.user.seller, unitId: t.w.unit.teamA, name: '华东制造' })
  const cB = await t.w.customer({ ownerId: t.w.user.sellerB, unitId: t.w.unit.teamB, name: '华南贸易' })
  const make = (
    ctx: Ctx,
    customerId: string,
    stage: number,
    amount: number,
    expectedCloseDate: string | null,
    name = '商机',
  ) =>
    createOpportunity(ctx, {
      name,
      customerId,
      pipelineId: p.id,
      stageId: p.stages[stage]!.id,
      amount,
      expectedCloseDate,
      ownerId: ctx.actor.id,
    })
  // Team A (seller): 线索 100000 + 33333, 方案 200000 (next month), 谈判 50000; one won 70000.
  await make(seller, cA, 0, 100000, `${month(0)}-10`, '扩容项目')
  await make(seller, cA, 0, 33333, `${month(0)}-20`)
  await make(seller, cA, 1, 200000, `${month(1)}-05`)
  await make(seller, cA, 2, 50000, null)
  const won = await make(seller, cA, 2, 70000, `${month(0)}-01`)
  await closeOpportunity(seller, won.id, 'won', { reason: '服务' })
  // Team B (sellerB): 方案 80000 this month.
  await make(sellerB, cB, 1, 80000, `${month(0)}-28`)
  // 55 small ones in 线索 for the director's paging.
  for (let i = 0; i < 55; i++) await make(sellerB, cB, 0, 10 + i, null)
})

const get = async (as: TestSession, url: string) => {
  const res = await t.kit.req(as, { method: 'GET', url })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
type Stage = {
  name: string
  count: number
  amount: number
  weightedAmount: number
  items: { amount: number; weightedAmount: number }[]
  nextCursor: string | null
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('kanban board', () => {
  it('totals each stage of the caller’s scope, equal to the sum of its cards', async () => {
    const board = await get(t.w.as.seller, `/api/v1/opportunities/board?pipelineId=${p.id}`)
    expect(board.pipeline.id).toBe(p.id)
    const stages: Stage[] = board.stages
    expect(stages.map((s) => [s.name, s.count, s.amount, s.weightedAmount])).toEqual([
      ['线索', 2, 133333, 13333],
      ['方案', 1, 200000, 80000],
      ['谈判', 1, 50000, 37500],
      ['赢单', 0, 0, 0],
      ['输单', 0, 0, 0],
    ])
    for (const s of stages) {
      expect(s.amount).toBe(sum(s.items.map((c) => c.amount)))
      expect(s.weightedAmount).toBe(sum(s.items.map((c) => c.weightedAmount)))
    }
    // Biggest first, with the customer's and owner's names.
    expect(stages[0]!.items[0]).toMatchObject({
      name: '扩容项目',
      customerName: '华东制造',
      ownerName: 'seller',
      amount: 100000,
    })
    const q = await get(
      t.w.as.manager,
      `/api/v1/opportunities/board?pipelineId=${p.id}&q=${encodeURIComponent('扩容')}`,
    )
    expect(q.stages.map((s: Stage) => s.count)).toEqual([1, 0, 0, 0, 0])
    const byCustomer = await get(
      t.w.as.manager,
      `/api/v1/opportunities/board?pipelineId=${p.id}&q=${encodeURIComponent('华东')}`,
    )
    expect(sum(byCustomer.stages.map((s: Stage) => s.count))).toBe(4)
  })

  it('pages a stage past the first 50 cards and filters by unit and owner', async () => {
    const board = await get(t.w.as.director, `/api/v1/opportunities/board?pipelineId=${p.id}`)
    const lead: Stage = board.stages[0]
    expect(lead.count).toBe(57)
    expect(lead.items).toHaveLength(50)
    expect(lead.nextCursor).not.toBeNull()
    const more = await get(
      t.w.as.director,
      `/api/v1/opportunities/board/stage?pipelineId=${p.id}&stageId=${p.stages[0]!.id}&cursor=${lead.nextCursor}`,
    )
    expect(more.items).toHaveLength(7)
    expect(more.nextCursor).toBeNull()
    expect(lead.amount).toBe(sum([...lead.items, ...more.items].map((c: { amount: number }) => c.amount)))
    const ids = new Set([...lead.items, ...more.items].map((c) => (c as unknown as { id: string }).id))
    expect(ids.size).toBe(57)
    const teamB = await get(
      t.w.as.director,
      `/api/v1/opportunities/board?pipelineId=${p.id}&unitId=${t.w.unit.teamB}`,
    )
    expect(teamB.stages.map((s: Stage) => s.count)).toEqual([55, 1, 0, 0, 0])
    const sales = await get(
      t.w.as.director,
      `/api/v1/opportunities/board?pipelineId=${p.id}&unitId=${t.w.unit.sales}`,
    )
    expect(sales.stages.map((s: Stage) => s.count)).toEqual([57, 2, 1, 0, 0])
    const owner = await get(
      t.w.as.director,
      `/api/v1/opportunities/board?pipelineId=${p.id}&ownerId=${t.w.user.seller}`,
    )
    expect(owner.stages.map((s: Stage) => s.count)).toEqual([2, 1, 1, 0, 0])
    // Scope still applies under a filter: team A's manager asking for team B sees nothing.
    const outside = await get(
      t.w.as.manager,
      `/api/v1/opportunities/board?pipelineId=${p.id}&unitId=${t.w.unit.teamB}`,
    )
    expect(outside.stages.every((s: Stage) => s.count === 0)).toBe(true)
    const b = await t.kit.req(t.kit.b.admin, {
      method: 'GET',
      url: `/api/v1/opportunities/board?pipelineId=${p.id}`,
    })
    expect(b.statusCode).toBe(400)
  })
})

describe('forecast', () => {
  const range = `from=${month(0)}-01&to=${month(1)}-28`
  it('sums open, weighted and won amounts per month in the caller’s scope', async () => {
    const f = await get(t.w.as.seller, `/api/v1/opportunities/forecast?${range}&pipelineId=${p.id}`)
    expect(f.rows).toEqual([
      {
        key: month(0),
        label: month(0),
        count: 2,
        amount: 133333,
        weightedAmount: 13333,
        wonCount: 1,
        wonAmount: 70000,
      },
      {
        key: month(1),
        label: month(1),
        count: 1,
        amount: 200000,
        weightedAmount: 80000,
        wonCount: 0,
        wonAmount: 0,
      },
    ])
    const team = await get(
      t.w.as.director,
      `/api/v1/opportunities/forecast?${range}&pipelineId=${p.id}&groupBy=unit`,
    )
    const byUnit = Object.fromEntries(team.rows.map((r: { key: string }) => [r.key, r]))
    expect(byUnit[t.w.unit.teamA]).toMatchObject({
      count: 3,
      amount: 333333,
      weightedAmount: 93333,
      wonAmount: 70000,
    })
    expect(byUnit[t.w.unit.teamB]).toMatchObject({
      count: 1,
      amount: 80000,
      weightedAmount: 32000,
      wonAmount: 0,
    })
    expect(team.totals).toMatchObject({
      count: 4,
      amount: 413333,
      weightedAmount: 125333,
      wonCount: 1,
      wonAmount: 70000,
    })
    const owners = await get(
      t.w.as.director,
      `/api/v1/opportunities/forecast?${range}&pipelineId=${p.id}&groupBy=owner`,
    )
    expect(owners.rows.find((r: { key: string }) => r.key === t.w.user.sellerB)).toMatchObject({
      label: 'sellerB',
      count: 1,
    })
    const bad = await t.kit.req(t.w.as.seller, {
      method: 'GET',
      url: `/api/v1/opportunities/forecast?from=${month(1)}-01&to=${month(0)}-01`,
    })
    expect(bad.statusCode).toBe(400)
  })
})

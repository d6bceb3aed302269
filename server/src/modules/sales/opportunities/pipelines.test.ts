/** Pipelines and stages over HTTP: validation, the default pipeline, stage edits, deletes in use, permissions. */
import { describe, expect, it } from 'vitest'
import { salesSuite } from './fixture.js'

const t = salesSuite()

let seq = 0
const stages = (extra: Record<string, unknown>[] = []) => [
  { name: '接洽', probability: 10, kind: 'open', requiredFields: [] },
  ...extra,
  { name: '赢单', probability: 100, kind: 'won' },
  { name: '输单', probability: 0, kind: 'lost' },
]
const newPipeline = async (body: Record<string, unknown> = {}) => {
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/pipelines', {
    name: `项目型销售${seq++}`,
    businessLine: '项目',
    stages: stages([{ name: '方案', probability: 50, kind: 'open', requiredFields: ['amount'] }]),
    ...body,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('pipelines', () => {
  it('creates the default pipeline on first read, with the Chinese stages and their gates', async () => {
    const res = await t.call(t.w.as.seller, 'GET', '/api/v1/pipelines')
    expect(res.statusCode, res.body).toBe(200)
    const [def] = res.json().items
    expect(def.isDefault).toBe(true)
    expect(
      def.stages.map((s: { name: string; probability: number; kind: string }) => [
        s.name,
        s.probability,
        s.kind,
      ]),
    ).toEqual([
      ['初步接洽', 10, 'open'],
      ['需求确认', 30, 'open'],
      ['方案报价', 50, 'open'],
      ['商务谈判', 70, 'open'],
      ['赢单', 100, 'won'],
      ['输单', 0, 'lost'],
    ])
    expect(def.stages[1].requiredFields).toEqual(['contactId', 'amount'])
    expect(def.stages[2].requiredFields).toEqual([
      'meddic.metrics',
      'meddic.economicBuyer',
      'meddic.identifyPain',
      'products',
    ])
    expect(def.stages[3].requiredFields).toHaveLength(7)
    const again = await t.call(t.kit.a.admin, 'GET', '/api/v1/pipelines')
    expect(again.json().items.filter((p: { isDefault: boolean }) => p.isDefault)).toHaveLength(1)
  })

  it('validates stages: kinds, probabilities and gate fields named with their stage', async () => {
    const bad = await t.call(
      t.kit.a.admin,
      'POST',
      '/api/v1/pipelines',
      {
        name: '坏流程',
        stages: [
          { name: 'A', probability: 10, kind: 'open', requiredFields: ['meddic.budget', 'amount'] },
          { name: 'B', probability: 20, kind: 'won' },
          { name: 'C', probability: 30, kind: 'won' },
        ],
      },
      'en',
    )
    expect(bad.statusCode).toBe(400)
    const errors = bad.json().errors
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'stages[0].requiredFields[0]',
          code: 'unknown_gate_field',
          message: 'The stage "A" requires an unknown field meddic.budget',
        }),
        expect.objectContaining({ field: 'stages', code: 'pipeline_stage_kinds' }),
      ]),
    )
    const prob = await t.call(t.kit.a.admin, 'POST', '/api/v1/pipelines', {
      name: '坏概率',
      stages: stages([{ name: 'X', probability: 120, kind: 'open' }]),
    })
    expect(prob.statusCode).toBe(400)
    expect(prob.json().errors[0].field).toBe('stages.1.probability')
    // A custom field of opportunities may be a gate once it exists.
    const custom = {
      name: '按预算',
      stages: stages([{ name: 'X', probability: 40, kind: 'open', requiredFields: ['custom.budget'] }]),
    }
    expect((await t.call(t.kit.a.admin, 'POST', '/api/v1/pipelines', custom)).statusCode).toBe(400)
    const def = await t.call(t.kit.a.admin, 'POST', '/api/v1/custom-fields', {
      object: 'opportunity',
      key: 'budget',
      label: '预算',
      type: 'money',
    })
    expect(def.statusCode, def.body).toBe(201)
    expect((await t.call(t.kit.a.admin, 'POST', '/api/v1/pipelines', custom)).statusCode).toBe(201)
  })

  it('replaces stages in order, keeps ids, refuses stale versions and non-configurers', async () => {
    const p = await newPipeline()
    const [first, mid, won, lost] = p.stages
    const res = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/pipelines/${p.id}`, {
      version: p.version,
      stages: [
        { id: first.id, name: first.name, probability: 15, kind: 'open' },
        { name: '谈判', probability: 70, kind: 'open', requiredFields: ['expectedCloseDate'] },
        { id: won.id, name: won.name, probability: 100, kind: 'won' },
        { id: lost.id, name: lost.name, probability: 0, kind: 'lost' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    const after = res.json()
    expect(after.version).toBe(p.version + 1)
    expect(after.stages.map((s: { name: string }) => s.name)).toEqual(['接洽', '谈判', '赢单', '输单'])
    expect(after.stages[0]).toMatchObject({ id: first.id, probability: 15, position: 0 })
    expect(after.stages.some((s: { id: string }) => s.id === mid.id)).toBe(false)
    const stale = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/pipelines/${p.id}`, {
      version: p.version,
      name: 'x',
    })
    expect(stale.statusCode).toBe(409)
    expect(
      (await t.call(t.w.as.seller, 'PATCH', `/api/v1/pipelines/${p.id}`, { name: 'x' })).statusCode,
    ).toBe(403)
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/pipelines/${p.id}`)).statusCode).toBe(404)
  })

  it('refuses to delete a pipeline or a stage in use (409) and the default pipeline', async () => {
    const p = await newPipeline()
    const customerId = await t.w.customer()
    const opp = await t.call(t.kit.a.admin, 'POST', '/api/v1/opportunities', {
      name: '在用',
      customerId,
      pipelineId: p.id,
    })
    expect(opp.statusCode, opp.body).toBe(201)
    const del = await t.call(t.kit.a.admin, 'DELETE', `/api/v1/pipelines/${p.id}`)
    expect(del.statusCode).toBe(409)
    expect(del.json()).toMatchObject({
      code: 'pipeline_in_use',
      detail: '该销售流程下还有 1 个商机，不能删除',
    })
    const drop = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/pipelines/${p.id}`, {
      stages: p.stages.slice(1).map((s: Record<string, unknown>) => ({
        id: s.id,
        name: s.name,
        probability: s.probability,
        kind: s.kind,
      })),
    })
    expect(drop.statusCode).toBe(409)
    expect(drop.json()).toMatchObject({
      code: 'stage_in_use',
      detail: '阶段「接洽」下还有 1 个商机，不能删除',
    })
    const unused = await newPipeline()
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/pipelines/${unused.id}`)).statusCode).toBe(204)
    expect((await t.call(t.kit.a.admin, 'GET', `/api/v1/pipelines/${unused.id}`)).statusCode).toBe(404)
    const def = (await t.call(t.kit.a.admin, 'GET', '/api/v1/pipelines')).json().items[0]
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/pipelines/${def.id}`)).json().code).toBe(
      'pipeline_is_default',
    )
  })

  it('moves the default flag: one default pipeline at a time', async () => {
    const p = await newPipeline({ isDefault: true })
    const items = (await t.call(t.kit.a.admin, 'GET', '/api/v1/pipelines')).json().items
    expect(items.filter((x: { isDefault: boolean }) => x.isDefault).map((x: { id: string }) => x.id)).toEqual(
      [p.id],
    )
    const back = items.find((x: { name: string }) => x.name === '默认销售流程')
    expect(
      (await t.call(t.kit.a.admin, 'PATCH', `/api/v1/pipelines/${back.id}`, { isDefault: true })).statusCode,
    ).toBe(200)
  })
})

/** createOpportunity (also called by lead conversion) and the default pipeline made on first use. */
import { describe, expect, it } from 'vitest'
import { salesSuite } from './fixture.js'
import { DEFAULT_STAGES, ensureDefaultPipeline } from './pipelines.service.js'
import { createOpportunity } from './service.js'

const t = salesSuite()

describe('createOpportunity', () => {
  it('creates the default pipeline once and enters its first open stage', async () => {
    const [p1, p2] = await Promise.all([
      ensureDefaultPipeline(t.kit.a.sys),
      ensureDefaultPipeline(t.kit.a.sys),
    ])
    expect(p1.id).toBe(p2.id)
    expect(p1.stages.map((s) => [s.name, s.probability, s.kind])).toEqual(
      DEFAULT_STAGES.map((s) => [s.name, s.probability, s.kind]),
    )
    const customerId = await t.w.customer({ ownerId: t.kit.a.adminId })
    const opp = await createOpportunity(t.kit.a.sys, {
      name: '年度采购',
      customerId,
      amount: 100000,
      meddic: { metrics: '降本 20%', champion: '王经理' },
      ownerId: t.kit.a.adminId,
    })
    expect(opp).toMatchObject({
      pipelineId: p1.id,
      stageId: p1.stages[0]!.id,
      probability: 10,
      meddicScore: 33,
      status: 'open',
      unitId: t.kit.a.rootUnitId,
    })
    const { rows } = await t.kit.haina.database.pool.query(
      'select from_stage_id, to_stage_id from opportunity_stage_history where opportunity_id = $1',
      [opp.id],
    )
    expect(rows).toEqual([{ from_stage_id: null, to_stage_id: p1.stages[0]!.id }])
    const audit = await t.kit.haina.database.pool.query(
      `select action from audit_log where object_type = 'opportunity' and object_id = $1`,
      [opp.id],
    )
    expect(audit.rows).toEqual([{ action: 'create' }])
  })
})

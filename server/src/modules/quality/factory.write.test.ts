import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { createDefinition } from '../../platform/custom-fields/definitions.service.js'
import { createChannel } from '../intake/channels.service.js'
import { ingestEvents } from '../intake/events.service.js'
import { type IntakeRecord, type IntakeSource, runFactory } from './factory.service.js'
import { saveDedupeRules, saveScoringRules } from './rules.service.js'
import { explainScore, rescoreLeads } from './scoring.service.js'

// The factory writes a run in one statement and scores leads as it writes them: these check that
// what it writes is what the separate statements (and rescoreLeads) would have left.
let kit: Kit
let channelId: string
beforeAll(async () => {
  kit = await createKit()
  const { channel } = await createChannel(kit.a.sys, {
    kind: 'app',
    name: 'App',
    code: 'app',
    unitId: kit.a.rootUnitId,
  })
  channelId = channel.id
})
afterAll(() => kit.close())

const source = (): IntakeSource => ({
  channelId,
  campaignId: null,
  importId: null,
  unitId: kit.a.rootUnitId,
  orgId: kit.a.rootUnitId,
  source: 'App',
})
const run = (...records: IntakeRecord[]) => runFactory(kit.a.sys, source(), records)
const lead = (l: Record<string, unknown>, more: Partial<IntakeRecord> = {}): IntakeRecord => ({
  lead: l,
  ...more,
})
const query = async (text: string, params: unknown[]) =>
  (await kit.haina.database.pool.query(text, params)).rows
const leadRow = async (id: string) => (await query('select * from leads where id = $1', [id]))[0]

describe('factory writes', () => {
  it('scores new and merged leads as rescoreLeads and the score explanation do', async () => {
    const ctx = kit.a.sys
    await createDefinition(ctx, { object: 'lead', key: 'budget', label: '预算', type: 'number' })
    await saveScoringRules(ctx, [
      {
        name: '完整度',
        kind: 'completeness',
        params: { fields: ['name', 'mobile', 'email', 'company', 'custom.budget'] },
        points: 30,
        enabled: true,
      },
      {
        name: '有预算',
        kind: 'field_present',
        params: { field: 'custom.budget' },
        points: 10,
        enabled: true,
      },
      { name: '多次意向', kind: 'intent_count', params: { min: 2 }, points: 20, enabled: true },
      { name: '近期', kind: 'recency', params: { days: 30 }, points: 15, enabled: true },
      { name: '渠道', kind: 'channel', params: { channelIds: [channelId] }, points: 7, enabled: true },
      {
        name: '浏览',
        kind: 'behaviour_count',
        params: { eventType: 'view', days: 30, min: 2 },
        points: 11,
        enabled: true,
      },
    ])
    // A visitor seen twice before leaving a lead: the new lead's person has behaviour already.
    const views = await ingestEvents(ctx, channelId, [
      { type: 'view', identity: { mobile: '13900000004' } },
      { type: 'view', identity: { mobile: '13900000004' } },
    ])
    expect(views.map((v) => v.status)).toEqual(['stored', 'stored'])

    const first = await run(
      lead({ name: '赵一', mobile: '13900000001' }, { custom: { budget: 5 } }),
      lead({ mobile: '13900000002' }),
    )
    await ingestEvents(ctx, channelId, [
      { type: 'view', identity: { mobile: '13900000001' } },
      { type: 'view', identity: { mobile: '13900000001' } },
    ])
    const second = await run(
      lead({ mobile: '13900000001', email: 'zy@example.com', company: '海纳' }), // into a stored lead
      lead({ name: '钱三', mobile: '13900000003' }),
      lead({ mobile: '13900000003', company: '星河' }), // into a lead of this batch
      lead({ name: '孙四', mobile: '13900000004' }), // new lead, person with behaviour
    )
    expect(first.map((r) => r.outcome)).toEqual(['created', 'created'])
    expect(second.map((r) => r.outcome)).toEqual(['merged', 'created', 'merged', 'created'])
    expect(second[0]!.leadId).toBe(first[0]!.leadId)
    expect(second[3]!.personId).toBe(views[0]!.personId)

    const ids = [...new Set([...first, ...second].map((r) => r.leadId!))]
    const written = new Map<string, unknown>()
    for (const id of ids) {
      const r = await leadRow(id)
      written.set(id, { score: r.score, grade: r.grade })
      const why = await explainScore(ctx, id)
      expect(
        why.reduce((s, w) => s + w.points, 0),
        id,
      ).toBe(r.score)
    }
    // The merged stored lead: every rule gives points (complete, budget, two intents, recent, channel, views).
    expect((await leadRow(first[0]!.leadId!)).score).toBe(30 + 10 + 20 + 15 + 7 + 11)
    expect((await leadRow(second[3]!.leadId!)).score).toBeGreaterThanOrEqual(11)
    await rescoreLeads(ctx, ids)
    for (const id of ids) {
      const r = await leadRow(id)
      expect({ score: r.score, grade: r.grade }, id).toEqual(written.get(id))
    }
  })

  it('overwrites stale leads: stored, from the same batch, and one also merged into', async () => {
    const ctx = kit.a.sys
    await saveDedupeRules(ctx, [
      {
        name: '同一手机号覆盖',
        enabled: true,
        conditions: [{ field: 'mobile', match: 'exact' }],
        scope: { sameOrg: true },
        action: 'overwrite',
      },
      {
        name: '同一邮箱合并',
        enabled: true,
        conditions: [{ field: 'email', match: 'exact' }],
        scope: { sameOrg: true },
        action: 'merge',
      },
    ])
    const [a] = await run(lead({ name: '甲', mobile: '13900000011' }))
    const [b] = await run(lead({ name: '甲', mobile: '13900000011', email: 'jia@example.com' }))
    expect(b!.outcome).toBe('overwritten')
    expect(b!.candidateLeadId).toBe(a!.leadId)
    expect(b!.personId).toBe(a!.personId)
    expect((await leadRow(a!.leadId!)).status).toBe('closed')
    expect((await leadRow(b!.leadId!)).status).toBe('new')

    // The second record replaces the first of the same batch.
    const [x, y] = await run(lead({ name: '乙', mobile: '13900000012' }), lead({ mobile: '13900000012' }))
    expect([x!.outcome, y!.outcome]).toEqual(['created', 'overwritten'])
    expect(y!.candidateLeadId).toBe(x!.leadId)
    expect((await leadRow(x!.leadId!)).status).toBe('closed')
    expect((await leadRow(y!.leadId!)).status).toBe('new')

    // A stored lead merged into by one record and replaced by the next: merged, then closed.
    const [c] = await run(lead({ name: '丙', mobile: '13900000013', email: 'bing@example.com' }))
    const [m, o] = await run(
      lead({ email: 'bing@example.com', title: '总监' }),
      lead({ name: '丙', mobile: '13900000013' }),
    )
    expect([m!.outcome, o!.outcome]).toEqual(['merged', 'overwritten'])
    expect(m!.leadId).toBe(c!.leadId)
    expect(o!.candidateLeadId).toBe(c!.leadId)
    const closed = await leadRow(c!.leadId!)
    expect(closed.status).toBe('closed')
    expect(closed.title).toBe('总监')
    expect(closed.intent_count).toBe(2)
    const merges = await query('select * from lead_merges where target_lead_id = $1', [c!.leadId])
    expect(merges).toHaveLength(1)
    const intents = await query(
      'select outcome from lead_intents where person_id = $1 order by received_at',
      [c!.personId],
    )
    expect(intents.map((i) => i.outcome).sort()).toEqual(['created', 'merged', 'overwritten'])
    await saveDedupeRules(ctx, [])
  })

  it('writes the run audit record and its events as writeAudit and publish do', async () => {
    const ctx = { ...kit.a.sys, requestId: 'req-factory-1', ip: '127.0.0.9' }
    const [c] = await runFactory(ctx, source(), [lead({ name: '戊', mobile: '13900000031' })])
    const [m] = await runFactory(ctx, source(), [lead({ mobile: '13900000031', title: '主管' })])
    expect([c!.outcome, m!.outcome]).toEqual(['created', 'merged'])
    const audit = await query(
      `select * from audit_log where tenant_id = $1 and action = 'intake' and request_id = $2 order by at, id`,
      [kit.a.tenantId, 'req-factory-1'],
    )
    expect(audit).toHaveLength(2)
    expect(audit[0]).toMatchObject({
      actor_type: 'system',
      actor_id: kit.a.sys.actor.id,
      actor_name: kit.a.sys.actor.name,
      object_type: 'lead',
      object_id: c!.leadId,
      summary: 'created 1',
      before: null,
      ip: '127.0.0.9',
      after: { channelId, importId: null, created: [c!.leadId], merged: [] },
    })
    expect(audit[1]).toMatchObject({ object_id: null, summary: 'merged 1', after: { merged: [c!.leadId] } })
    const events = await query(
      `select * from outbox where tenant_id = $1 and payload->'leadIds' ? $2 order by created_at, type`,
      [kit.a.tenantId, c!.leadId],
    )
    expect(events.map((e) => e.type)).toEqual(['lead.created', 'lead.merged'])
    expect(events[0]).toMatchObject({
      aggregate_type: 'lead',
      aggregate_id: null,
      actor_id: kit.a.sys.actor.id,
      attempts: 0,
      payload: { leadIds: [c!.leadId], channelId, importId: null },
    })
  })

  it('stamps persons as seen: a new person given a past time, a known person seen again', async () => {
    const t0 = Date.now()
    const [p] = await run(lead({ name: '丁', mobile: '13900000021' }, { receivedAt: new Date('2020-01-02') }))
    const person = async () =>
      (await query('select first_seen_at, last_seen_at from persons where id = $1', [p!.personId]))[0]
    const created = await person()
    expect(new Date(created.first_seen_at).toISOString()).toBe('2020-01-02T00:00:00.000Z')
    expect(new Date(created.last_seen_at).getTime()).toBeGreaterThan(t0 - 5000)
    await query('update persons set last_seen_at = $2 where id = $1', [p!.personId, new Date('2021-01-01')])
    const [again] = await run(lead({ mobile: '13900000021', title: '经理' }))
    expect(again!.personId).toBe(p!.personId)
    expect(new Date((await person()).last_seen_at).getTime()).toBeGreaterThan(t0 - 5000)
  })
})

/**
 * Rule-based tagging: add / remove / keep, manual tags untouched, exclusive groups (first match
 * wins), incremental runs, previews, and the change pipeline end to end (an ingested event or a
 * confirmed order → outbox → profile_changes → the changes job → the tag).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { dispatchNow } from '../../../platform/events/outbox.js'
import { drainJobs, enqueue } from '../../../platform/jobs/queue.js'
import { ingestEvents } from '../../intake/events.service.js'
import { changeStatus } from '../../leads/lifecycle.service.js'
import { updateLead } from '../../leads/service.js'
import { updateCustomer } from '../../sales/customers/service.js'
import { createOrder } from '../../sales/orders/service.js'
import { setOrderStatus } from '../../sales/orders/status.service.js'
import { type ProfileData, profileData } from '../conditions/fixture.js'
import type { ConditionNode } from '../conditions/types.js'
import { previewRule, runAllTagRules, runTagRule } from './autotag.service.js'
import { drainChanges, markChanged } from './changes.js'
import './jobs.js'

let kit: Kit
let d: ProfileData
const inShanghai = { field: 'person.regionCode', op: 'eq', value: '31' } as ConditionNode
const viewed = { field: 'events.count', op: 'gte', value: 1, params: { eventType: 'view' } } as ConditionNode

const q = async <R = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await kit.haina.database.pool.query(text, params)).rows as R[]
const eventsOf = (tagId: string) =>
  q<{ person_id: string; action: string; source: string; detail: Record<string, unknown>; tag_name: string }>(
    `select person_id, action, source, detail, tag_name from tag_events where tenant_id = $1 and tag_id = $2 order by at, action`,
    [kit.a.tenantId, tagId],
  )
const holders = async (tagId: string) =>
  Object.fromEntries(
    (
      await q<{ person_id: string; source: string }>(
        `select person_id, source from person_tags where tenant_id = $1 and tag_id = $2`,
        [kit.a.tenantId, tagId],
      )
    ).map((r) => [r.person_id, r.source]),
  )
const changed = async () =>
  (
    await q<{ person_id: string }>(`select person_id from profile_changes where tenant_id = $1`, [
      kit.a.tenantId,
    ])
  ).map((r) => r.person_id)
const clearChanges = () => q(`delete from profile_changes where tenant_id = $1`, [kit.a.tenantId])

beforeAll(async () => {
  kit = await createKit()
  d = profileData(kit.a)
})
afterAll(() => kit.close())

describe('runTagRule', () => {
  it('adds the tag where the rule holds, removes it where it stops holding, keeps it when told to', async () => {
    const g = await d.group('地区')
    const sh = await d.tag(g, '上海', { rule: inShanghai })
    const shKeep = await d.tag(g, '上海（保留）', { rule: inShanghai, removal: 'keep' })
    const a = await d.person({ name: 'A', regionCode: '310101' })
    const b = await d.person({ name: 'B', regionCode: '310115' })
    const c = await d.person({ name: 'C', regionCode: '110105' })
    const merged = await d.person({ name: 'M', regionCode: '310101', mergedInto: a })
    await clearChanges()

    expect(await runTagRule(kit.a.sys, sh)).toEqual({ matched: 2, added: 2, removed: 0 })
    expect(await holders(sh)).toEqual({ [a]: 'rule', [b]: 'rule' })
    const ev = await eventsOf(sh)
    expect(ev.map((e) => [e.person_id, e.action, e.source]).sort()).toEqual(
      [
        [a, 'added', 'rule'],
        [b, 'added', 'rule'],
      ].sort(),
    )
    expect(ev[0]!.detail).toEqual({ ruleVersion: 1 })
    expect(ev[0]!.tag_name).toBe('上海')
    const [row] = await q<{ rule_run_at: Date | null; rule_match_count: number }>(
      `select rule_run_at, rule_match_count from tags where tenant_id = $1 and id = $2`,
      [kit.a.tenantId, sh],
    )
    expect(row!.rule_match_count).toBe(2)
    expect(row!.rule_run_at).not.toBeNull()
    // A full run marks the persons it changed (segments reading tags follow).
    expect((await changed()).sort()).toEqual([a, b].sort())
    expect(await holders(sh)).not.toHaveProperty(merged)

    // Idempotent: nothing changes, nothing is written.
    expect(await runTagRule(kit.a.sys, sh)).toEqual({ matched: 2, added: 0, removed: 0 })
    expect(await eventsOf(sh)).toHaveLength(2)

    await runTagRule(kit.a.sys, shKeep)
    await q(`update persons set region_code = '110105' where tenant_id = $1 and id = $2`, [kit.a.tenantId, b])
    expect(await runTagRule(kit.a.sys, sh)).toEqual({ matched: 1, added: 0, removed: 1 })
    expect(await holders(sh)).toEqual({ [a]: 'rule' })
    expect((await eventsOf(sh)).at(-1)).toMatchObject({ person_id: b, action: 'removed', source: 'rule' })
    // removal 'keep': B keeps the tag it no longer qualifies for.
    expect(await runTagRule(kit.a.sys, shKeep)).toEqual({ matched: 1, added: 0, removed: 0 })
    expect(await holders(shKeep)).toEqual({ [a]: 'rule', [b]: 'rule' })
    expect(c).toBeTruthy()
  })

  it('never touches a tag given by hand; a rule matching a hand-tagged person leaves it alone', async () => {
    const g = await d.group('手工')
    const t = await d.tag(g, '华东', {
      rule: {
        match: 'all',
        conditions: [
          { field: 'person.regionCode', op: 'in', value: ['31', '32'] },
          { field: 'person.company', op: 'eq', value: '手工测试' },
        ],
      },
    })
    const byHand = await d.person({ regionCode: '320102', company: '手工测试' })
    const notMatching = await d.person({ regionCode: '440305', company: '手工测试' })
    const plain = await d.person({ regionCode: '310101', company: '手工测试' })
    await d.tagPerson(byHand, t, 'manual')
    await d.tagPerson(notMatching, t, 'import')
    expect(await runTagRule(kit.a.sys, t)).toEqual({ matched: 2, added: 1, removed: 0 })
    expect(await holders(t)).toEqual({ [byHand]: 'manual', [notMatching]: 'import', [plain]: 'rule' })
    expect((await eventsOf(t)).map((e) => e.person_id)).toEqual([plain])
  })

  it('runs incrementally for given persons only (matching, adding and removing)', async () => {
    const g = await d.group('增量')
    const t = await d.tag(g, '增量上海', { rule: inShanghai })
    await q(`update persons set region_code = null where tenant_id = $1`, [kit.a.tenantId])
    const n1 = await d.person({ regionCode: '310101' })
    const n2 = await d.person({ regionCode: '310101' })
    const stale = await d.person({ regionCode: '110105' })
    await d.tagPerson(stale, t, 'rule')
    await clearChanges()
    expect(await runTagRule(kit.a.sys, t, { personIds: [n1] })).toEqual({ matched: 1, added: 1, removed: 0 })
    expect(await holders(t)).toEqual({ [n1]: 'rule', [stale]: 'rule' })
    expect(await runTagRule(kit.a.sys, t, { personIds: [n2, stale] })).toEqual({
      matched: 1,
      added: 1,
      removed: 1,
    })
    expect(await holders(t)).toEqual({ [n1]: 'rule', [n2]: 'rule' })
    // Incremental runs do not record a full run.
    const [row] = await q<{ rule_run_at: Date | null }>(
      `select rule_run_at from tags where tenant_id = $1 and id = $2`,
      [kit.a.tenantId, t],
    )
    expect(row!.rule_run_at).toBeNull()
    expect(await runTagRule(kit.a.sys, t, { personIds: [] })).toEqual({ matched: 0, added: 0, removed: 0 })
  })
})

describe('exclusive groups', () => {
  it('gives a person at most one tag: the first matching enabled rule wins, a hand-given one is kept', async () => {
    const g = await d.group('活跃度', true)
    const active = await d.tag(g, '活跃', { rule: viewed, sortOrder: 1 })
    const local = await d.tag(g, '本地', { rule: inShanghai, sortOrder: 2 })
    const vip = await d.tag(g, '贵宾', { sortOrder: 3 })
    const both = await d.person({ regionCode: '310101' })
    await d.event(both, 'view', 1)
    const onlyLocal = await d.person({ regionCode: '310101' })
    const handTagged = await d.person({ regionCode: '310101' })
    await d.event(handTagged, 'view', 1)
    await d.tagPerson(handTagged, vip, 'manual')
    const stale = await d.person({ regionCode: '310101' })
    await d.tagPerson(stale, active, 'rule')
    const wasLocal = await d.person({ regionCode: '310101' })
    await d.tagPerson(wasLocal, local, 'rule')
    await d.event(wasLocal, 'view', 1)

    const r = await runAllTagRules(kit.a.sys, [both, onlyLocal, handTagged, stale, wasLocal])
    expect(r.errors).toEqual([])
    expect(await d.tagsOf(both, g)).toEqual({ [active]: 'rule' })
    expect(await d.tagsOf(onlyLocal, g)).toEqual({ [local]: 'rule' })
    expect(await d.tagsOf(handTagged, g)).toEqual({ [vip]: 'manual' })
    expect(await d.tagsOf(stale, g)).toEqual({ [local]: 'rule' })
    expect(await d.tagsOf(wasLocal, g)).toEqual({ [active]: 'rule' })
    const ex = (await eventsOf(local)).filter((e) => e.source === 'exclusive')
    expect(ex).toEqual([
      expect.objectContaining({
        person_id: wasLocal,
        action: 'removed',
        detail: expect.objectContaining({ tagId: active }),
      }),
    ])

    // With the first rule disabled, the next one wins and replaces it.
    await q(`update tags set rule_enabled = false where tenant_id = $1 and id = $2`, [kit.a.tenantId, active])
    await runAllTagRules(kit.a.sys)
    expect(await d.tagsOf(both, g)).toEqual({ [local]: 'rule' })
    expect(await d.tagsOf(handTagged, g)).toEqual({ [vip]: 'manual' })
    // Running one tag of the group on its own respects the same precedence.
    await q(`update tags set rule_enabled = true where tenant_id = $1 and id = $2`, [kit.a.tenantId, active])
    expect((await runTagRule(kit.a.sys, local, { personIds: [both] })).removed).toBe(1)
    expect(await d.tagsOf(both, g)).toEqual({})
    await runTagRule(kit.a.sys, active, { personIds: [both] })
    expect(await d.tagsOf(both, g)).toEqual({ [active]: 'rule' })
  })
})

describe('runAllTagRules and previewRule', () => {
  it('runs every enabled rule; a broken rule is reported and the others still run', async () => {
    const g = await d.group('全部')
    const ok = await d.tag(g, '好规则', { rule: { field: 'person.name', op: 'eq', value: '全部测试' } })
    const broken = await d.tag(g, '坏规则', { rule: { field: 'no.such.field', op: 'eq', value: 1 } })
    const off = await d.tag(g, '停用', {
      rule: { field: 'person.name', op: 'eq', value: '全部测试' },
      enabled: false,
    })
    const p = await d.person({ name: '全部测试' })
    const r = await runAllTagRules(kit.a.sys)
    expect(r.errors).toEqual([{ tagId: broken, error: expect.stringContaining('no.such.field') }])
    expect(await d.tagsOf(p)).toEqual({ [ok]: 'rule' })
    expect(await holders(off)).toEqual({})
    await q(`update tags set rule_enabled = false where tenant_id = $1 and id = $2`, [kit.a.tenantId, broken])
  })

  it('warns when a rule would tag everyone or no one', async () => {
    const total = Number(
      (
        await q<{ n: string }>(
          `select count(*) n from persons where tenant_id = $1 and merged_into_id is null`,
          [kit.a.tenantId],
        )
      )[0]!.n,
    )
    expect(
      await previewRule(kit.a.sys, { field: 'person.kind', op: 'eq', value: 'person' } as ConditionNode),
    ).toEqual({
      matches: total,
      total,
      warning: 'everyone',
    })
    expect(
      await previewRule(kit.a.sys, { field: 'person.name', op: 'eq', value: '没有这个人' } as ConditionNode),
    ).toEqual({
      matches: 0,
      total,
      warning: 'no_one',
    })
    expect((await previewRule(kit.a.sys, inShanghai)).warning).toBeNull()
    expect(await previewRule(kit.b.sys, inShanghai)).toEqual({ matches: 0, total: 0, warning: null })
  })

  it('tags 20,000 persons set-based in one pass', async () => {
    await clearChanges()
    const g = await d.group('批量')
    const t = await d.tag(g, '批量', { rule: { field: 'person.company', op: 'starts_with', value: '批量' } })
    await q(
      `insert into persons (tenant_id, id, company) select $1, gen_random_uuid(), '批量' || g from generate_series(1, 20000) g`,
      [kit.a.tenantId],
    )
    const started = Date.now()
    expect(await runTagRule(kit.a.sys, t)).toEqual({ matched: 20000, added: 20000, removed: 0 })
    const took = Date.now() - started
    expect(took).toBeLessThan(20_000)
    // A mass change asks for one full segment refresh instead of marking 20,000 persons.
    const jobs = await q<{ payload: Record<string, unknown> }>(
      `select payload from jobs where tenant_id = $1 and type = 'segments.refresh' and payload->>'tagId' = $2`,
      [kit.a.tenantId, t],
    )
    expect(jobs).toEqual([{ payload: { reason: 'autotag', tagId: t } }])
    expect(
      (
        await q(
          `select 1 from profile_changes c join persons p on p.tenant_id = c.tenant_id and p.id = c.person_id
        where c.tenant_id = $1 and p.company like '批量%'`,
          [kit.a.tenantId],
        )
      ).length,
    ).toBe(0)
    await q(`update persons set company = '别的' where tenant_id = $1 and company like '批量1%'`, [
      kit.a.tenantId,
    ])
    const r = await runTagRule(kit.a.sys, t)
    expect(r.removed).toBe(11111)
    expect(r.matched).toBe(20000 - 11111)
    await q(`delete from persons where tenant_id = $1 and (company like '批量%' or company = '别的')`, [
      kit.a.tenantId,
    ])
  })
})

describe('change pipeline', () => {
  it('marks persons changed (upsert, idempotent)', async () => {
    await clearChanges()
    const p = await d.person()
    await markChanged(kit.a.sys, kit.a.tenantId, [p, p, 'not-a-uuid', ''])
    await markChanged(kit.a.sys.db, kit.a.tenantId, [p])
    expect(await changed()).toEqual([p])
    await clearChanges()
  })

  it('an ingested event reaches the tag through outbox, profile_changes and the changes job', async () => {
    const g = await d.group('行为')
    const t = await d.tag(g, '参加直播', {
      rule: { field: 'events.count', op: 'gte', value: 2, params: { eventType: 'live', days: 7 } },
    })
    await dispatchNow(kit.haina.database.db)
    await clearChanges()
    const before = Number(
      (
        await q<{ n: string }>(
          `select count(*) n from outbox where tenant_id = $1 and type = 'behaviour.recorded'`,
          [kit.a.tenantId],
        )
      )[0]!.n,
    )
    const res = await ingestEvents(kit.a.sys, null, [
      { type: 'live', identity: { mobile: '13800138001' } },
      { type: 'live', identity: { mobile: '13800138001' } },
      { type: 'view', identity: { mobile: '13900139002' } },
    ])
    const [p1, , p2] = res.map((r) => r.personId!)
    // One outbox event per batch, with the distinct persons.
    const events = await q<{ payload: { personIds: string[] } }>(
      `select payload from outbox where tenant_id = $1 and type = 'behaviour.recorded' order by created_at`,
      [kit.a.tenantId],
    )
    expect(events.length).toBe(before + 1)
    expect(events.at(-1)!.payload.personIds.sort()).toEqual([p1, p2].sort())

    await dispatchNow(kit.haina.database.db)
    expect((await changed()).sort()).toEqual([p1, p2].sort())
    await enqueue(kit.haina.database.db, { type: 'profiles.changes', tenantId: kit.a.tenantId })
    await drainJobs(kit.haina.database.db)
    expect(await holders(t)).toEqual({ [p1]: 'rule' })
    expect(await changed()).toEqual([])
  })

  it('a confirmed order reaches the tag (order.confirmed → person of the order)', async () => {
    const g = await d.group('交易')
    const t = await d.tag(g, '已购', {
      rule: { field: 'orders.count', op: 'gte', value: 1, params: { days: 30 } },
    })
    const p = await d.person({ name: '买家' })
    const customerId = await d.customer(p)
    const order = await createOrder(kit.a.sys, {
      customerId,
      lines: [{ name: '奶粉', quantity: 2, unitPrice: 15_000 }],
    })
    await dispatchNow(kit.haina.database.db)
    await clearChanges()
    await setOrderStatus(kit.a.sys, order.id, 'confirmed')
    await dispatchNow(kit.haina.database.db)
    expect(await changed()).toEqual([p])
    const r = await drainChanges(kit.haina.database.db, kit.a.tenantId)
    expect(r).toMatchObject({ persons: 1, batches: 1, errors: [] })
    expect(await holders(t)).toEqual({ [p]: 'rule' })
  })

  it('edits of a lead or customer and a cancelled confirmed order mark their person changed', async () => {
    const [a, b, c, e] = await Promise.all([1, 2, 3, 4].map(() => d.person()))
    const lead = await d.lead(a!)
    const leadB = await d.lead(e!, { status: 'following' })
    const customer = await d.customer(b!)
    const buyer = await d.customer(c!)
    const order = await createOrder(kit.a.sys, {
      customerId: buyer,
      lines: [{ name: '纸尿裤', quantity: 1, unitPrice: 9_900 }],
    })
    await setOrderStatus(kit.a.sys, order.id, 'confirmed')
    await dispatchNow(kit.haina.database.db)
    await clearChanges()
    await updateLead(kit.a.sys, lead, { title: '采购经理' })
    await changeStatus(kit.a.sys, leadB, 'new')
    await updateCustomer(kit.a.sys, customer, { industry: '母婴零售' })
    await setOrderStatus(kit.a.sys, order.id, 'cancelled')
    await dispatchNow(kit.haina.database.db)
    expect((await changed()).sort()).toEqual([a, b, c, e].sort())
  })

  it('drains in batches and leaves other workspaces’ changes alone', async () => {
    await clearChanges()
    const ps = await Promise.all([1, 2, 3, 4, 5].map(() => d.person()))
    await markChanged(kit.a.sys, kit.a.tenantId, ps)
    const other = await profileData(kit.b).person()
    await markChanged(kit.b.sys, kit.b.tenantId, [other])
    const r = await drainChanges(kit.haina.database.db, kit.a.tenantId, { batch: 2 })
    expect(r).toMatchObject({ persons: 5, batches: 3 })
    expect(await changed()).toEqual([])
    expect((await q(`select 1 from profile_changes where tenant_id = $1`, [kit.b.tenantId])).length).toBe(1)
  })

  it('runs one tag or every rule as the profiles.autotag job', async () => {
    const g = await d.group('作业')
    const t = await d.tag(g, '作业标签', { rule: { field: 'person.name', op: 'eq', value: '作业' } })
    const p = await d.person({ name: '作业' })
    await enqueue(kit.haina.database.db, {
      type: 'profiles.autotag',
      tenantId: kit.a.tenantId,
      payload: { tagId: t },
    })
    await drainJobs(kit.haina.database.db)
    expect(await holders(t)).toEqual({ [p]: 'rule' })
    const [job] = await q<{ status: string; result: Record<string, unknown> }>(
      `select status, result from jobs where tenant_id = $1 and type = 'profiles.autotag' order by created_at desc limit 1`,
      [kit.a.tenantId],
    )
    expect(job).toMatchObject({ status: 'succeeded', result: { tagId: t, matched: 1, added: 1, removed: 0 } })
  })
})

describe('person ids of domain events', () => {
  it('resolves leads, merges, conversions and orders to persons', async () => {
    const { personsOfEvent } = await import('./jobs.js')
    const p = await d.person()
    const lead = await d.lead(p)
    const customer = await d.customer(p)
    const ctx = kit.a.sys
    expect(await personsOfEvent(ctx, { type: 'lead.created', payload: { leadIds: [lead] } })).toEqual([p])
    expect(
      await personsOfEvent(ctx, {
        type: 'lead.converted',
        payload: { leadId: lead, personId: p, customerId: customer },
      }),
    ).toEqual([p, p])
    expect(
      await personsOfEvent(ctx, {
        type: 'order.refunded',
        payload: { personId: null, customerId: customer },
      }),
    ).toEqual([p])
    expect(
      await personsOfEvent(ctx, { type: 'behaviour.recorded', payload: { personIds: [p, 'junk'] } }),
    ).toEqual([p])
  })
})

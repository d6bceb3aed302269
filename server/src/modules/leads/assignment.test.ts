/**
 * Assignment (分配): round robin, smooth weighted round robin and least loaded; conditions,
 * capacity, schedules and leave; the routing note when nobody can take a lead; manual and bulk
 * reassignment; notifications; concurrent assigners; a large set-based batch.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { dispatchNow } from '../../platform/events/outbox.js'
import { notifications } from '../../platform/notifications/schema.js'
import { roles, users } from '../../platform/org/schema.js'
import { createUnits } from '../../platform/org/units.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { runFactory } from '../quality/factory.service.js'
import { assignLeads, smoothWeightedSequence } from './assignment.service.js'
import { leadMoves } from './pools.schema.js'
import { assignmentRules, leaves, workSchedules } from './routing.schema.js'
import { localClock } from './schedules.service.js'
import { leads } from './schema.js'

let kit: Kit
const user: Record<string, string> = {}
const as: Record<string, TestSession> = {}
let team = ''
let dealer = ''

const api = (s: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(s, { method: method as 'POST', url: `/api/v1${url}`, payload: payload as object })

async function put(
  n: number,
  extra: Record<string, unknown> = {},
  unitId = kit.a.rootUnitId,
  orgId = kit.a.rootUnitId,
) {
  const rows = Array.from({ length: n }, (_, i) => ({
    tenantId: kit.a.tenantId,
    unitId,
    orgId,
    name: `线索${i}`,
    // Distinct creation times: rules take leads oldest first.
    createdAt: new Date(Date.now() - (n - i) * 1000),
    ...extra,
  }))
  const ids: string[] = []
  for (let i = 0; i < rows.length; i += 2000)
    ids.push(
      ...(
        await kit.a.sys.db
          .insert(leads)
          .values(rows.slice(i, i + 2000))
          .returning({ id: leads.id })
      ).map((r) => r.id),
    )
  return ids
}
const owners = async (ids: string[]) =>
  (
    await kit.a.sys.db
      .select({ id: leads.id, ownerId: leads.ownerId, createdAt: leads.createdAt })
      .from(leads)
      .where(and(eq(leads.tenantId, kit.a.tenantId), inArray(leads.id, ids)))
      .orderBy(leads.createdAt)
  ).map((r) => r.ownerId)
const countBy = (xs: (string | null)[]) => {
  const m: Record<string, number> = {}
  for (const x of xs) m[String(x)] = (m[String(x)] ?? 0) + 1
  return m
}
const rule = async (body: Record<string, unknown>) => {
  const res = await api(kit.a.admin, 'POST', '/assignment-rules', body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; cursor: number }
}
const members = (...keys: string[]) => keys.map((k) => ({ userId: user[k]! }))

beforeAll(async () => {
  kit = await createKit()
  const sys = kit.a.sys
  const [t] = await createUnits(sys, [{ parentId: kit.a.rootUnitId, type: 'team', name: '电销组' }])
  const [d] = await createUnits(sys, [{ parentId: kit.a.rootUnitId, type: 'dealer', name: '经销商' }])
  team = String(t!.id)
  dealer = String(d!.id)
  const [salesRole] = await sys.db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, kit.a.tenantId), eq(roles.key, 'sales_manager')))
  for (const key of ['a', 'b', 'c', 'd', 'mgr', 'dealerRep']) {
    const [u] = await createUsers(sys, [
      {
        email: `${key}@assign.test`,
        name: `销售${key}`,
        unitId: key === 'dealerRep' ? dealer : team,
        roleIds: key === 'mgr' ? [salesRole!.id] : [],
        password: 'Passw0rd!',
      },
    ])
    user[key] = u!.id
  }
  as.mgr = await kit.login(kit.a.tenantId, user.mgr!)
})
afterAll(() => kit.close())

beforeEach(async () => {
  // Each test configures its own rules; leads from earlier tests keep their owners (loads).
  await kit.a.sys.db.delete(assignmentRules).where(eq(assignmentRules.tenantId, kit.a.tenantId))
  await kit.a.sys.db.delete(leaves).where(eq(leaves.tenantId, kit.a.tenantId))
  await kit.a.sys.db.delete(workSchedules).where(eq(workSchedules.tenantId, kit.a.tenantId))
  await kit.a.sys.db
    .update(users)
    .set({ onLeave: false, status: 'active' })
    .where(eq(users.tenantId, kit.a.tenantId))
})

describe('smooth weighted round robin', () => {
  it('interleaves by weight', () => {
    expect(smoothWeightedSequence([5, 1, 1])).toEqual([0, 0, 1, 0, 2, 0, 0])
    expect(smoothWeightedSequence([3, 1])).toEqual([0, 0, 1, 0])
  })
})

describe('assignment', () => {
  it('changes nothing while no rule exists', async () => {
    const ids = await put(2)
    const out = await assignLeads(kit.a.sys, ids)
    expect(out.assigned.size).toBe(0)
    expect(await owners(ids)).toEqual([null, null])
  })

  it('round robin goes on from the cursor across batches', async () => {
    const r = await rule({ name: '轮询', strategy: 'round_robin', members: members('a', 'b', 'c') })
    const first = await put(4)
    await assignLeads(kit.a.sys, first)
    expect(await owners(first)).toEqual([user.a, user.b, user.c, user.a])
    const second = await put(2)
    await assignLeads(kit.a.sys, second)
    expect(await owners(second)).toEqual([user.b, user.c])
    const [row] = await kit.a.sys.db.select().from(assignmentRules).where(eq(assignmentRules.id, r.id))
    expect(row!.cursor).toBe(0)
    const [move] = await kit.a.sys.db.select().from(leadMoves).where(eq(leadMoves.leadId, first[0]!))
    expect(move).toMatchObject({ kind: 'assign', ruleId: r.id, toOwnerId: user.a, toStatus: 'assigned' })
    const [l] = await kit.a.sys.db.select().from(leads).where(eq(leads.id, first[0]!))
    expect(l!.assignedAt).not.toBeNull()
  })

  it('weighted shares by weight, smoothly', async () => {
    await rule({
      name: '加权',
      strategy: 'weighted',
      members: [
        { userId: user.a, weight: 3 },
        { userId: user.b, weight: 1 },
      ],
    })
    const ids = await put(8)
    await assignLeads(kit.a.sys, ids)
    const got = await owners(ids)
    expect(got.slice(0, 4)).toEqual([user.a, user.a, user.b, user.a])
    expect(countBy(got)).toEqual({ [user.a!]: 6, [user.b!]: 2 })
  })

  it('least loaded fills the emptiest first', async () => {
    // c and d hold fewer open leads than a and b after the tests above.
    await rule({ name: '最少', strategy: 'least_loaded', members: members('a', 'b', 'c', 'd') })
    const load = async () => {
      const rows = await kit.a.sys.db
        .select({ ownerId: leads.ownerId, n: sql<number>`count(*)::int` })
        .from(leads)
        .where(
          and(
            eq(leads.tenantId, kit.a.tenantId),
            inArray(leads.ownerId, [user.a!, user.b!, user.c!, user.d!]),
          ),
        )
        .groupBy(leads.ownerId)
      return Object.fromEntries(rows.map((r) => [r.ownerId, Number(r.n)]))
    }
    const before = await load()
    const ids = await put(20)
    await assignLeads(kit.a.sys, ids)
    const after = await load()
    const counts = [user.a, user.b, user.c, user.d].map((u) => after[u!] ?? 0)
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
    expect((after[user.d!] ?? 0) - (before[user.d!] ?? 0)).toBeGreaterThan(
      (after[user.a!] ?? 0) - (before[user.a!] ?? 0),
    )
  })

  it('applies conditions and falls through to the next rule', async () => {
    await rule({
      name: 'A 级给 d',
      conditions: [{ field: 'grade', op: 'eq', value: 'A' }],
      members: members('d'),
    })
    await rule({ name: '其余给 c', members: members('c') })
    const [gradeA] = await put(1, { grade: 'A' })
    const [gradeC] = await put(1, { grade: 'C' })
    await assignLeads(kit.a.sys, [gradeA!, gradeC!])
    expect(await owners([gradeA!])).toEqual([user.d])
    expect(await owners([gradeC!])).toEqual([user.c])
  })

  it('respects capacity and notes leads nobody can take', async () => {
    const held = async (u: string) =>
      Number(
        (
          await kit.a.sys.db
            .select({ n: sql<number>`count(*)::int` })
            .from(leads)
            .where(and(eq(leads.tenantId, kit.a.tenantId), eq(leads.ownerId, u)))
        )[0]!.n,
      )
    const capA = (await held(user.a!)) + 1
    const capB = (await held(user.b!)) + 2
    await rule({
      name: '有上限',
      members: [
        { userId: user.a, capacity: capA },
        { userId: user.b, capacity: capB },
      ],
    })
    const ids = await put(5)
    const out = await assignLeads(kit.a.sys, ids)
    expect(out.assigned.size).toBe(3)
    const rows = await kit.a.sys.db
      .select({ ownerId: leads.ownerId, note: leads.routingNote })
      .from(leads)
      .where(inArray(leads.id, ids))
    const stuck = rows.filter((r) => !r.ownerId)
    expect(stuck).toHaveLength(2)
    for (const s of stuck) expect(s.note).toMatch(/^no_eligible_assignee: .*2 at capacity/)
    // Room again (a's leads closed): a later run places the rest with a and clears their notes.
    await kit.a.sys.db.update(leads).set({ status: 'closed' }).where(eq(leads.ownerId, user.a!))
    const again = await assignLeads(kit.a.sys, ids)
    expect(again.assigned.size).toBe(2)
    const placed = await kit.a.sys.db
      .select({ ownerId: leads.ownerId, note: leads.routingNote })
      .from(leads)
      .where(inArray(leads.id, [...again.assigned.keys()]))
    expect(placed).toEqual([
      { ownerId: user.a, note: null },
      { ownerId: user.a, note: null },
    ])
  })

  it('skips people on leave, off duty or disabled', async () => {
    await rule({ name: '排班', members: members('a', 'b', 'c', 'd') })
    const now = new Date()
    await kit.a.sys.db.insert(leaves).values({
      tenantId: kit.a.tenantId,
      userId: user.a!,
      startsAt: new Date(now.getTime() - 3600_000),
      endsAt: new Date(now.getTime() + 3600_000),
    })
    await kit.a.sys.db.update(users).set({ onLeave: true }).where(eq(users.id, user.b!))
    // d works only on a day that is not today.
    const { weekday } = localClock(now, 'Asia/Shanghai')
    await kit.a.sys.db.insert(workSchedules).values({
      tenantId: kit.a.tenantId,
      userId: user.d!,
      weekdays: [(weekday % 7) + 1],
      startMinute: 0,
      endMinute: 1440,
    })
    const ids = await put(3)
    await assignLeads(kit.a.sys, ids, { at: now })
    expect(await owners(ids)).toEqual([user.c, user.c, user.c])
    await kit.a.sys.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.c!))
    const [stuck] = await put(1)
    await assignLeads(kit.a.sys, [stuck!], { at: now })
    const [row] = await kit.a.sys.db.select().from(leads).where(eq(leads.id, stuck!))
    expect(row!.ownerId).toBeNull()
    expect(row!.routingNote).toMatch(/no_eligible_assignee: .*1 disabled.*/)
    expect(row!.routingNote).toMatch(/2 on leave/)
    expect(row!.routingNote).toMatch(/1 off duty/)
  })

  it('ignores schedules and leave when the rule says so, never disabled people', async () => {
    await rule({ name: '不看排班', respectSchedule: false, members: members('a', 'b') })
    await kit.a.sys.db.update(users).set({ onLeave: true }).where(eq(users.id, user.a!))
    await kit.a.sys.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.b!))
    const ids = await put(2)
    await assignLeads(kit.a.sys, ids)
    expect(await owners(ids)).toEqual([user.a, user.a])
  })

  it('never assigns across an org boundary', async () => {
    await rule({ name: '跨组织', members: members('dealerRep', 'a') })
    const hq = await put(2)
    const [atDealer] = await put(1, {}, dealer, dealer)
    await assignLeads(kit.a.sys, [...hq, atDealer!])
    expect(await owners(hq)).toEqual([user.a, user.a])
    expect(await owners([atDealer!])).toEqual([user.dealerRep])
  })

  it('notifies each person once per batch with the count', async () => {
    await rule({ name: '通知', members: members('c', 'd') })
    const before = await kit.a.sys.db.select().from(notifications).where(eq(notifications.userId, user.c!))
    const ids = await put(6)
    await assignLeads(kit.a.sys, ids)
    const after = await kit.a.sys.db.select().from(notifications).where(eq(notifications.userId, user.c!))
    expect(after.length - before.length).toBe(1)
    const fresh = after.find((n) => !before.some((b) => b.id === n.id))!
    expect(fresh).toMatchObject({ kind: 'assigned' })
    expect(fresh.title).toContain('3')
  })

  it('assigns arrivals through the lead.created consumer', async () => {
    await rule({ name: '到达即分配', members: members('d') })
    const [r] = await runFactory(
      kit.a.sys,
      {
        channelId: null,
        campaignId: null,
        importId: null,
        unitId: kit.a.rootUnitId,
        orgId: kit.a.rootUnitId,
        source: '官网',
      },
      [{ lead: { name: '新到达', mobile: '13700137001' } }],
    )
    await dispatchNow(kit.haina.database.db)
    expect(await owners([r!.leadId!])).toEqual([user.d])
  })

  it('reassigns manually and in bulk within the caller scope', async () => {
    const ids = await put(3, {}, team, kit.a.rootUnitId)
    const res = await api(as.mgr!, 'POST', '/leads/assign', { ids, ownerId: user.a, reason: '重点客户' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().moved).toBe(3)
    expect(await owners(ids)).toEqual([user.a, user.a, user.a])
    const moves = await kit.a.sys.db.select().from(leadMoves).where(inArray(leadMoves.leadId, ids))
    expect(moves.every((m) => m.kind === 'assign' && m.reason === '重点客户' && m.actorId === user.mgr)).toBe(
      true,
    )
    // The dealer's rep is outside the team manager's scope: 400 naming ownerId.
    const outside = await api(as.mgr!, 'POST', '/leads/assign', { ids, ownerId: user.dealerRep })
    expect(outside.statusCode).toBe(400)
    expect(outside.json().errors[0].field).toBe('ownerId')
    // A lead outside the scope: 404.
    const [hqLead] = await put(1)
    const hidden = await api(as.mgr!, 'POST', '/leads/assign', { ids: [hqLead], ownerId: user.a })
    expect(hidden.statusCode).toBe(404)
    await kit.a.sys.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.b!))
    const disabled = await api(kit.a.admin, 'POST', '/leads/assign', { ids, ownerId: user.b })
    expect(disabled.json().errors[0]).toMatchObject({ field: 'ownerId', code: 'routing_owner_inactive' })
  })

  it('validates rules and reorders them', async () => {
    const bad = await api(kit.a.admin, 'POST', '/assignment-rules', {
      name: '坏',
      members: [{ userId: user.a }, { userId: user.a }, { userId: '00000000-0000-4000-8000-000000000000' }],
      conditions: [{ field: 'score', op: 'prefix', value: '1' }],
    })
    expect(bad.statusCode).toBe(400)
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['conditions[0].op', 'members[1].userId', 'members[2].userId'])
    const r1 = await rule({ name: '一', members: members('a') })
    const r2 = await rule({ name: '二', members: members('b') })
    const res = await api(kit.a.admin, 'POST', '/assignment-rules/reorder', { ids: [r2.id, r1.id] })
    expect(res.json().map((r: { name: string }) => r.name)).toEqual(['二', '一'])
    const patched = await api(kit.a.admin, 'PATCH', `/assignment-rules/${r1.id}`, {
      members: members('c'),
      version: 1,
    })
    expect(patched.statusCode, patched.body).toBe(409)
    const ok = await api(kit.a.admin, 'PATCH', `/assignment-rules/${r1.id}`, { members: members('c') })
    expect(ok.json()).toMatchObject({ members: [{ userId: user.c }], cursor: 0 })
    expect((await api(kit.a.admin, 'DELETE', `/assignment-rules/${r2.id}`)).statusCode).toBe(204)
  })

  it('keeps working hours and leave over HTTP', async () => {
    const bad = await api(kit.a.admin, 'PUT', `/work-schedules/${user.a}`, {
      weekdays: [1, 2],
      startMinute: 600,
      endMinute: 540,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('endMinute')
    const unset = await api(as.mgr!, 'GET', `/work-schedules/${user.a}`)
    expect(unset.json()).toMatchObject({ configured: false, weekdays: [1, 2, 3, 4, 5] })
    const put = await api(kit.a.admin, 'PUT', `/work-schedules/${user.a}`, {
      weekdays: [3, 1, 1],
      startMinute: 480,
      endMinute: 1020,
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json()).toEqual({
      userId: user.a,
      weekdays: [1, 3],
      startMinute: 480,
      endMinute: 1020,
      configured: true,
    })
    expect((await api(as.mgr!, 'GET', `/work-schedules/${user.mgr}`)).statusCode).toBe(200)
    expect((await api(as.mgr!, 'GET', `/work-schedules/${user.dealerRep}`)).statusCode).toBe(404)

    const wrong = await api(kit.a.admin, 'POST', '/leaves', {
      userId: user.a,
      startsAt: '2026-05-02T00:00:00+08:00',
      endsAt: '2026-05-01T00:00:00+08:00',
    })
    expect(wrong.json().errors[0].field).toBe('endsAt')
    const leave = await api(kit.a.admin, 'POST', '/leaves', {
      userId: user.a,
      startsAt: '2026-05-01T00:00:00+08:00',
      endsAt: '2026-05-06T00:00:00+08:00',
      reason: '五一',
    })
    expect(leave.statusCode, leave.body).toBe(201)
    const list = await api(as.mgr!, 'GET', `/leaves?userId=${user.a}`)
    expect(list.json().map((l: { id: string }) => l.id)).toEqual([leave.json().id])
    expect((await api(kit.a.admin, 'DELETE', `/leaves/${leave.json().id}`)).statusCode).toBe(204)
    expect((await api(as.mgr!, 'GET', '/leaves')).json()).toEqual([])
  })

  it('lets concurrent assigners share a rotation without double picks', async () => {
    const r = await rule({ name: '并发', members: members('a', 'b', 'c', 'd') })
    const batches = await Promise.all([put(5), put(5), put(5), put(5)])
    // The same leads offered twice at once: each is assigned exactly once.
    await Promise.all([...batches, ...batches].map((ids) => assignLeads(kit.a.sys, ids)))
    const all = batches.flat()
    const moves = await kit.a.sys.db
      .select()
      .from(leadMoves)
      .where(and(inArray(leadMoves.leadId, all), eq(leadMoves.kind, 'assign')))
    expect(moves).toHaveLength(20)
    expect(Object.values(countBy(await owners(all)))).toEqual([5, 5, 5, 5])
    const [row] = await kit.a.sys.db.select().from(assignmentRules).where(eq(assignmentRules.id, r.id))
    expect(row!.cursor).toBe(0)
  })

  it('assigns a large batch set-based', async () => {
    await rule({ name: '批量', members: members('a', 'b', 'c', 'd') })
    const ids = await put(3000)
    const started = Date.now()
    const out = await assignLeads(kit.a.sys, ids)
    const ms = Date.now() - started
    expect(out.assigned.size).toBe(3000)
    expect(Object.values(countBy(await owners(ids)))).toEqual([750, 750, 750, 750])
    expect(ms).toBeLessThan(20_000)
  })
})

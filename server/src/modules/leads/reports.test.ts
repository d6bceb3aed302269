/**
 * Funnel and pool reports over a few handmade leads, moves and follow-ups with known answers:
 * stage counts and rates, per-day activity in the workspace time zone, time to first contact
 * per person and team, and the caller's data scope on each.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, makeWorkspace, type TestSession } from '../../../test/kit.js'
import { roles } from '../../platform/org/schema.js'
import { createUnits } from '../../platform/org/units.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { followUps } from './followups.schema.js'
import { leadMoves, leadPools, leadSettings } from './pools.schema.js'
import { leads } from './schema.js'
import { createLeads } from './service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const db = () => kit.haina.database.db
const get = async (as: TestSession, url: string) => {
  const res = await kit.req(as, { method: 'GET', url })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const H = 3_600_000

/** A workspace with two departments, a salesperson in each and a manager of the first. */
async function arrange(name: string) {
  const ws = await makeWorkspace(kit.haina, name)
  const [d1, d2] = await createUnits(ws.sys, [
    { parentId: ws.rootUnitId, type: 'department', name: '销售一部' },
    { parentId: ws.rootUnitId, type: 'department', name: '销售二部' },
  ])
  const roleRows = await db().select().from(roles).where(eq(roles.tenantId, ws.tenantId))
  const role = (key: string) => roleRows.find((r) => r.key === key)!.id
  const [s1, s2, m1] = await createUsers(ws.sys, [
    { email: `s1@${name}.test`, name: '销售甲', unitId: String(d1!.id), roleIds: [role('salesperson')] },
    { email: `s2@${name}.test`, name: '销售乙', unitId: String(d2!.id), roleIds: [role('salesperson')] },
    { email: `m1@${name}.test`, name: '经理丙', unitId: String(d1!.id), roleIds: [role('sales_manager')] },
  ])
  const pool = async (kind: 'master' | 'sub' | 'public', poolName: string) => {
    // The master pool may already exist (made with the workspace).
    await db()
      .insert(leadPools)
      .values({ tenantId: ws.tenantId, name: poolName, kind, unitId: ws.rootUnitId, orgId: ws.rootUnitId })
      .onConflictDoNothing()
    const rows = await db().select().from(leadPools).where(eq(leadPools.tenantId, ws.tenantId))
    return rows.find((p) => (kind === 'master' ? p.kind === 'master' : p.name === poolName))!.id
  }
  return {
    ws,
    d1: String(d1!.id),
    d2: String(d2!.id),
    s1: s1!.id,
    s2: s2!.id,
    m1: m1!.id,
    unitOf: { [s1!.id]: String(d1!.id), [s2!.id]: String(d2!.id) } as Record<string, string>,
    master: await pool('master', '总线索池'),
    sub: await pool('sub', '华东子池'),
    pub: await pool('public', '公海'),
    login: (userId: string) => kit.login(ws.tenantId, userId),
  }
}
type Arranged = Awaited<ReturnType<typeof arrange>>

async function lead(a: Arranged, values: Partial<typeof leads.$inferInsert>) {
  const ownerId = values.ownerId ?? null
  const [row] = await db()
    .insert(leads)
    .values({
      tenantId: a.ws.tenantId,
      name: '线索',
      unitId: ownerId ? a.unitOf[ownerId]! : a.ws.rootUnitId,
      orgId: a.ws.rootUnitId,
      ...values,
    })
    .returning()
  return row!.id
}
const move = (a: Arranged, leadId: string, kind: string, at: Date, more: Record<string, unknown> = {}) =>
  db()
    .insert(leadMoves)
    .values({ tenantId: a.ws.tenantId, leadId, kind: kind as 'assign', at, ...more })
const followUp = (a: Arranged, leadId: string, occurredAt: Date, ownerId: string) =>
  db().insert(followUps).values({
    tenantId: a.ws.tenantId,
    subjectType: 'lead',
    subjectId: leadId,
    type: 'call',
    content: '电话沟通',
    occurredAt,
    ownerId,
    unitId: a.unitOf[ownerId]!,
    orgId: a.ws.rootUnitId,
  })

describe('funnel', () => {
  let a: Arranged
  beforeAll(async () => {
    a = await arrange('funnel')
    // Arrived 2026-03-01 … 03-07 (Asia/Shanghai); each reaches one stage further than the last.
    const at = new Date('2026-03-03T04:00:00Z')
    await lead(a, { poolId: a.master, createdAt: at })
    await lead(a, { poolId: a.sub, createdAt: at })
    await lead(a, { poolId: a.sub, ownerId: a.s1, status: 'assigned', createdAt: at })
    await lead(a, { poolId: a.sub, ownerId: a.s1, status: 'following', createdAt: at })
    // Closed now, but it was qualified once: it still counts as qualified.
    const closed = await lead(a, { poolId: a.sub, ownerId: a.s1, status: 'closed', createdAt: at })
    await move(a, closed, 'status', at, { fromStatus: 'qualified', toStatus: 'closed' })
    await lead(a, { poolId: a.sub, ownerId: a.s1, status: 'converted', createdAt: at })
    // Distributed to a dealer's sub-pool once, now back in the master pool; never assigned.
    const back = await lead(a, { poolId: a.master, createdAt: at })
    await move(a, back, 'distribute', at, { fromPoolId: a.master, toPoolId: a.sub })
    // A lead with a follow-up but nothing in its status: it is being followed.
    const followed = await lead(a, { poolId: a.pub, createdAt: at })
    await followUp(a, followed, at, a.s2)
    // Before the range (2026-02-28 23:30 in Shanghai) and after it (03-08 00:10 in Shanghai).
    await lead(a, { poolId: a.sub, ownerId: a.s1, createdAt: new Date('2026-02-28T15:30:00Z') })
    await lead(a, { poolId: a.sub, ownerId: a.s1, createdAt: new Date('2026-03-07T16:10:00Z') })
  })

  it('counts every lead up to the furthest stage it reached, with step rates', async () => {
    const r = await get(a.ws.admin, '/api/v1/lead-reports/funnel?from=2026-03-01&to=2026-03-07')
    expect(r.from).toBe('2026-03-01')
    expect(r.timezone).toBe('Asia/Shanghai')
    expect(r.stages.map((s: { key: string; count: number }) => [s.key, s.count])).toEqual([
      ['master_pool', 8],
      ['sub_pool', 7],
      ['assigned', 5],
      ['following', 4],
      ['qualified', 2],
      ['converted', 1],
    ])
    expect(r.stages[0].rate).toBeNull()
    expect(r.stages[1].rate).toBe(0.875)
    expect(r.stages[4].rate).toBe(0.5)
    expect(r.stages[5].overallRate).toBe(0.125)
    expect(r.plannedStages).toEqual(['opportunity', 'order'])
    const sub = r.pools.find((p: { poolId: string }) => p.poolId === a.sub)
    expect(sub).toMatchObject({ name: '华东子池', kind: 'sub', leads: 5, assigned: 4, converted: 1 })
    expect(r.pools.find((p: { poolId: string }) => p.poolId === a.master)).toMatchObject({ leads: 2 })
  })

  it('counts only the leads in the caller’s scope', async () => {
    const s1 = await get(await a.login(a.s1), '/api/v1/lead-reports/funnel?from=2026-03-01&to=2026-03-07')
    expect(s1.stages.map((s: { count: number }) => s.count)).toEqual([4, 4, 4, 3, 2, 1])
    const s2 = await get(await a.login(a.s2), '/api/v1/lead-reports/funnel?from=2026-03-01&to=2026-03-07')
    expect(s2.stages.map((s: { count: number }) => s.count)).toEqual([0, 0, 0, 0, 0, 0])
    expect(s2.stages[1].rate).toBeNull()
    // Another workspace sees none of it.
    const b = await get(kit.b.admin, '/api/v1/lead-reports/funnel?from=2026-03-01&to=2026-03-07')
    expect(b.stages[0].count).toBe(0)
  })

  it('refuses bad ranges naming the field', async () => {
    const bad = await kit.req(a.ws.admin, {
      method: 'GET',
      url: '/api/v1/lead-reports/funnel?from=2026-02-30&to=2026-03-01',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'from', code: 'invalid_date' })])
    const reversed = await kit.req(a.ws.admin, {
      method: 'GET',
      url: '/api/v1/lead-reports/funnel?from=2026-03-05&to=2026-03-01',
    })
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().errors[0]).toMatchObject({ field: 'to', code: 'ends_before_start' })
    const long = await kit.req(a.ws.admin, {
      method: 'GET',
      url: '/api/v1/lead-reports/pool-activity?from=2025-01-01&to=2026-03-01',
    })
    expect(long.statusCode).toBe(400)
    expect(long.json().errors[0]).toMatchObject({ field: 'to', code: 'range_too_long' })
    const format = await kit.req(a.ws.admin, { method: 'GET', url: '/api/v1/lead-reports/funnel?from=March' })
    expect(format.statusCode).toBe(400)
    expect(format.json().errors[0].field).toBe('querystring.from')
  })

  it('needs leads.view', async () => {
    const res = await kit.req(null, { method: 'GET', url: '/api/v1/lead-reports/funnel' })
    expect(res.statusCode).toBe(401)
  })
})

describe('pool activity', () => {
  let a: Arranged
  beforeAll(async () => {
    a = await arrange('activity')
    const mine = await lead(a, { poolId: a.sub, ownerId: a.s1, status: 'assigned' })
    const theirs = await lead(a, { poolId: a.sub, ownerId: a.s2, status: 'assigned' })
    const open = await lead(a, { poolId: a.pub })
    // 2026-03-01 17:30 UTC is 03-02 01:30 in Shanghai: it counts on the 2nd.
    await move(a, mine, 'claim', new Date('2026-03-01T17:30:00Z'), { fromPoolId: a.pub, toPoolId: a.sub })
    await move(a, mine, 'distribute', new Date('2026-03-01T01:00:00Z'), {
      fromPoolId: a.master,
      toPoolId: a.sub,
    })
    await move(a, mine, 'assign', new Date('2026-03-02T02:00:00Z'), { toOwnerId: a.s1 })
    await move(a, theirs, 'assign', new Date('2026-03-02T03:00:00Z'), { toOwnerId: a.s2 })
    await move(a, open, 'release', new Date('2026-03-03T03:00:00Z'), { fromPoolId: a.sub, toPoolId: a.pub })
    await move(a, open, 'reclaim', new Date('2026-03-04T03:00:00Z'), { fromPoolId: a.sub, toPoolId: a.pub })
    await move(a, open, 'status', new Date('2026-03-04T03:00:00Z'), { toStatus: 'invalid' })
    // 03-08 23:30 in Shanghai is in the range; 03-09 00:30 is not.
    await move(a, theirs, 'assign', new Date('2026-03-08T15:30:00Z'), { toOwnerId: a.s2 })
    await move(a, theirs, 'assign', new Date('2026-03-08T16:30:00Z'), { toOwnerId: a.s2 })
  })

  it('counts moves per day in the workspace time zone, every day present', async () => {
    const r = await get(a.ws.admin, '/api/v1/lead-reports/pool-activity?from=2026-03-01&to=2026-03-08')
    expect(r.days).toHaveLength(8)
    const day = (d: string) => r.days.find((x: { day: string }) => x.day === d)
    expect(day('2026-03-01')).toEqual({
      day: '2026-03-01',
      claims: 0,
      releases: 0,
      reclaims: 0,
      distributions: 1,
      assignments: 0,
    })
    expect(day('2026-03-02')).toMatchObject({ claims: 1, assignments: 2 })
    expect(day('2026-03-03')).toMatchObject({ releases: 1 })
    expect(day('2026-03-04')).toMatchObject({ reclaims: 1, releases: 0 })
    expect(day('2026-03-05')).toMatchObject({ claims: 0, assignments: 0 })
    expect(day('2026-03-08')).toMatchObject({ assignments: 1 })
    expect(r.totals).toEqual({ claims: 1, releases: 1, reclaims: 1, distributions: 1, assignments: 3 })
  })

  it('narrows to one pool and to the caller’s scope', async () => {
    const pub = await get(
      a.ws.admin,
      `/api/v1/lead-reports/pool-activity?from=2026-03-01&to=2026-03-08&poolId=${a.pub}`,
    )
    expect(pub.totals).toEqual({ claims: 1, releases: 1, reclaims: 1, distributions: 0, assignments: 0 })
    const s1 = await get(
      await a.login(a.s1),
      '/api/v1/lead-reports/pool-activity?from=2026-03-01&to=2026-03-08',
    )
    expect(s1.totals).toEqual({ claims: 1, releases: 0, reclaims: 0, distributions: 1, assignments: 1 })
    const bad = await kit.req(a.ws.admin, {
      method: 'GET',
      url: '/api/v1/lead-reports/pool-activity?poolId=nope',
    })
    expect(bad.statusCode).toBe(400)
  })
})

describe('time to first contact', () => {
  let a: Arranged
  const T0 = new Date(Date.now() - 100 * H)
  const at = (h: number) => new Date(T0.getTime() + h * H)
  const range = () => {
    const day = (d: Date) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(d)
    return `from=${day(at(-24))}&to=${day(new Date())}`
  }
  beforeAll(async () => {
    a = await arrange('contact')
    const { s1, s2 } = a
    // s1: contacted after 2 h (hit).
    const l1 = await lead(a, { ownerId: s1, status: 'following', assignedAt: at(0) })
    await move(a, l1, 'assign', at(0), { toOwnerId: s1 })
    await followUp(a, l1, at(2), s1)
    // s1 never called and lost it to the reclaim job after 48 h (a miss); s2 claimed it and called 10 h later (hit).
    const l2 = await lead(a, { ownerId: s2, status: 'following', assignedAt: at(50) })
    await move(a, l2, 'assign', at(0), { toOwnerId: s1 })
    await move(a, l2, 'reclaim', at(48), { fromOwnerId: s1, toOwnerId: null })
    await move(a, l2, 'claim', at(50), { fromOwnerId: null, toOwnerId: s2 })
    await followUp(a, l2, at(60), s2)
    // s1: contacted after 30 h (a miss, but contacted).
    const l3 = await lead(a, { ownerId: s1, status: 'following', assignedAt: at(0) })
    await move(a, l3, 'assign', at(0), { toOwnerId: s1 })
    await followUp(a, l3, at(30), s1)
    // s1: first contact known from the lead itself (4 h).
    const l6 = await lead(a, { ownerId: s1, status: 'following', assignedAt: at(1), firstContactAt: at(5) })
    await move(a, l6, 'assign', at(1), { toOwnerId: s1 })
    // s2: held for 100 h without a call (overdue).
    const l4 = await lead(a, { ownerId: s2, status: 'assigned', assignedAt: at(0) })
    await move(a, l4, 'assign', at(0), { toOwnerId: s2 })
    // s2: imported with an owner an hour ago, no move history, not due yet.
    await lead(a, { ownerId: s2, status: 'assigned', assignedAt: at(99) })
    // A closed lead nobody called is no longer waiting for a call.
    const l7 = await lead(a, { ownerId: s2, status: 'closed', assignedAt: at(95) })
    await move(a, l7, 'assign', at(95), { toOwnerId: s2 })
  })

  it('reports median, average and SLA hit rate per person', async () => {
    const r = await get(a.ws.admin, `/api/v1/lead-reports/first-contact?groupBy=user&${range()}`)
    expect(r.slaHours).toBe(24)
    const row = (id: string) => r.rows.find((x: { id: string }) => x.id === id)
    expect(row(a.s1)).toMatchObject({
      name: '销售甲',
      unitId: a.d1,
      assigned: 4,
      contacted: 3,
      medianHours: 4,
      avgHours: 12,
      slaHits: 2,
      slaDue: 4,
      slaHitRate: 0.5,
      uncontacted: 0,
      overdue: 0,
    })
    expect(row(a.s2)).toMatchObject({
      assigned: 4,
      contacted: 1,
      medianHours: 10,
      avgHours: 10,
      slaHits: 1,
      slaDue: 2,
      slaHitRate: 0.5,
      uncontacted: 2,
      overdue: 1,
    })
    expect(r.total).toMatchObject({ id: null, assigned: 8, contacted: 4, medianHours: 7, avgHours: 11.5 })
    expect(r.total.slaHitRate).toBe(0.5)
  })

  it('groups by team, follows the SLA setting and the caller’s scope', async () => {
    await db()
      .insert(leadSettings)
      .values({ tenantId: a.ws.tenantId, firstContactSlaHours: 48 })
      .onConflictDoUpdate({ target: leadSettings.tenantId, set: { firstContactSlaHours: 48 } })
    const r = await get(a.ws.admin, `/api/v1/lead-reports/first-contact?groupBy=unit&${range()}`)
    expect(r.slaHours).toBe(48)
    const d1 = r.rows.find((x: { id: string }) => x.id === a.d1)
    expect(d1).toMatchObject({ name: '销售一部', assigned: 4, slaHits: 3, slaDue: 4, slaHitRate: 0.75 })
    // Managers see their team, salespeople themselves — including the lead since reclaimed from them.
    const m1 = await get(await a.login(a.m1), `/api/v1/lead-reports/first-contact?${range()}`)
    expect(m1.rows.map((x: { id: string }) => x.id)).toEqual([a.s1])
    const s2 = await get(await a.login(a.s2), `/api/v1/lead-reports/first-contact?${range()}`)
    expect(s2.rows.map((x: { id: string }) => x.id)).toEqual([a.s2])
    expect(s2.total.assigned).toBe(4)
    const s1 = await get(await a.login(a.s1), `/api/v1/lead-reports/first-contact?${range()}`)
    expect(s1.total).toMatchObject({ assigned: 4, contacted: 3 })
    const b = await get(kit.b.admin, `/api/v1/lead-reports/first-contact?${range()}`)
    expect(b.rows).toEqual([])
    expect(b.total.assigned).toBe(0)
  })

  it('leaves out assignments before the range', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(
      new Date(),
    )
    const r = await get(a.ws.admin, `/api/v1/lead-reports/first-contact?from=${day}&to=${day}`)
    // Only what started today can be in it: at most the imported lead and the closed one.
    expect(r.total.assigned).toBeLessThanOrEqual(2)
  })
})

describe('through the real routes', () => {
  it('reports what assignment, follow-up and release record', async () => {
    const a = await arrange('flow')
    const [l] = await createLeads(a.ws.sys, [{ name: '流程线索', ownerId: null, unitId: a.ws.rootUnitId }])
    const id = String(l!.id)
    const send = async (as: TestSession, url: string, payload: Record<string, unknown>) => {
      const res = await kit.req(as, { method: 'POST', url, payload })
      expect(res.statusCode, res.body).toBeLessThan(300)
    }
    await send(a.ws.admin, '/api/v1/leads/assign', { ids: [id], ownerId: a.s1 })
    const s1 = await a.login(a.s1)
    await send(s1, '/api/v1/follow-ups', {
      subjectType: 'lead',
      subjectId: id,
      type: 'call',
      content: '首次电话',
    })
    await send(s1, `/api/v1/leads/${id}/release`, { reason: '暂无需求', poolId: a.pub })
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(
      new Date(),
    )
    const range = `from=${today}&to=${today}`
    const contact = await get(a.ws.admin, `/api/v1/lead-reports/first-contact?${range}`)
    expect(contact.total).toMatchObject({
      assigned: 1,
      contacted: 1,
      slaHits: 1,
      slaHitRate: 1,
      uncontacted: 0,
    })
    expect(contact.total.medianHours).toBeLessThan(0.1)
    const activity = await get(a.ws.admin, `/api/v1/lead-reports/pool-activity?${range}`)
    expect(activity.totals).toMatchObject({ assignments: 1, releases: 1 })
    const funnel = await get(a.ws.admin, `/api/v1/lead-reports/funnel?${range}`)
    expect(funnel.stages.map((x: { count: number }) => x.count)).toEqual([1, 1, 1, 1, 0, 0])
  })
})

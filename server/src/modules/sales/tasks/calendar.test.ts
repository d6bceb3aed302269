/**
 * GET /calendar: the window (from < to, at most 92 days), tasks and meetings owned or attended by
 * the people asked for, as far as the caller sees them, and follow-ups' next steps as 'follow_up'
 * events with their subject's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { followUps } from '../../leads/followups.schema.js'
import { type SalesData, type SalesTeam, salesData, salesTeam } from '../analytics/sales.fixture.js'

let kit: Kit
let team: SalesTeam
let data: SalesData
const rec: Record<string, string> = {}
const DAY = 86_400_000
const base = Date.parse('2031-03-02T00:00:00Z')
const day = (n: number, hours = 9) => new Date(base + n * DAY + hours * 3_600_000).toISOString()

const call = (as: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(as, { method: method as 'GET', url: `/api/v1${url}`, payload: payload as Record<string, unknown> })
const cal = (as: TestSession, from: string, to: string, userIds?: string[]) =>
  call(
    as,
    'GET',
    `/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${userIds ? `&userIds=${userIds.join(',')}` : ''}`,
  )
const titles = (events: { title: string }[]) => events.map((e) => e.title)
const task = async (as: TestSession, body: Record<string, unknown>) => {
  const res = await call(as, 'POST', '/tasks', body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  data = salesData(kit.a)
  rec.customer = await data.customer({ name: '东方制造', ownerId: team.user.seller })
  await task(team.as.seller, {
    kind: 'visit',
    title: '拜访东方制造',
    startAt: day(1),
    endAt: day(1, 11),
    subjectType: 'customer',
    subjectId: rec.customer,
  })
  await task(team.as.seller, { title: '发报价', dueAt: day(2) })
  await task(team.as.seller, { title: '窗口外', dueAt: day(40) })
  // A three-day trade fair that began before the window still shows.
  await task(team.as.seller, {
    kind: 'meeting',
    title: '展会',
    startAt: day(-1),
    endAt: day(1, 18),
    allDay: true,
  })
  await task(team.as.seller2, {
    kind: 'meeting',
    title: '联合演示',
    startAt: day(3),
    endAt: day(3, 10),
    participantIds: [team.user.seller],
  })
  await task(team.as.seller2, { title: '同事私事', dueAt: day(3) })
  const fu = {
    tenantId: kit.a.tenantId,
    subjectType: 'customer' as const,
    subjectId: rec.customer,
    type: 'call' as const,
    ownerId: team.user.seller,
    unitId: team.unit,
    orgId: kit.a.rootUnitId,
  }
  await kit.a.sys.db.insert(followUps).values([
    {
      ...fu,
      content: '电话沟通',
      occurredAt: new Date(day(-5)),
      nextAt: new Date(day(4)),
      nextStep: '寄样品',
    },
    { ...fu, content: '以前的', occurredAt: new Date(day(-9)), nextAt: new Date(day(5)), nextStep: '旧计划' },
  ])
})
afterAll(() => kit.close())

describe('calendar', () => {
  it('checks the window', async () => {
    const back = await cal(team.as.seller, day(2), day(1))
    expect(back.statusCode).toBe(400)
    expect(back.json().errors).toEqual([expect.objectContaining({ field: 'to', code: 'ends_before_start' })])
    const long = await cal(team.as.seller, day(0), day(93))
    expect(long.json().errors).toEqual([
      expect.objectContaining({ field: 'to', code: 'range_too_long', message: '日期范围不能超过 92 天' }),
    ])
    expect((await cal(team.as.seller, day(0), day(92, 0))).statusCode).toBe(200)
    expect((await call(team.as.seller, 'GET', '/calendar?from=yesterday&to=x')).statusCode).toBe(400)
    const badUser = await cal(team.as.seller, day(0), day(7), ['nobody'])
    expect(badUser.json().errors).toEqual([
      expect.objectContaining({ field: 'userIds[0]', code: 'invalid_user' }),
    ])
  })

  it('shows my tasks, meetings I attend and my follow-ups’ next steps, in time order', async () => {
    const res = await cal(team.as.seller, day(0, 0), day(7, 0))
    expect(res.statusCode, res.body).toBe(200)
    const events = res.json()
    expect(titles(events)).toEqual(['展会', '拜访东方制造', '发报价', '联合演示', '寄样品', '旧计划'])
    expect(events.find((e: { title: string }) => e.title === '拜访东方制造')).toMatchObject({
      kind: 'visit',
      start: day(1),
      end: day(1, 11),
      subjectType: 'customer',
      subjectId: rec.customer,
      subjectName: '东方制造',
      ownerId: team.user.seller,
    })
    expect(events.find((e: { title: string }) => e.title === '发报价')).toMatchObject({
      kind: 'task',
      start: day(2),
      end: null,
    })
    const steps = events.filter((e: { kind: string }) => e.kind === 'follow_up')
    expect(steps).toEqual([
      expect.objectContaining({ title: '寄样品', status: 'open', subjectName: '东方制造' }),
      // A later follow-up restated the plan: this step is no longer pending.
      expect.objectContaining({ title: '旧计划', status: 'done' }),
    ])
  })

  it('shows other people’s calendars only as far as the caller sees', async () => {
    // A salesperson asking for a colleague sees only the meeting they are both in.
    expect(titles((await cal(team.as.seller, day(0, 0), day(7, 0), [team.user.seller2])).json())).toEqual([
      '联合演示',
    ])
    // The manager (department tree) sees both people's.
    const both = await cal(team.as.manager, day(0, 0), day(7, 0), [team.user.seller, team.user.seller2])
    expect(titles(both.json())).toEqual([
      '展会',
      '拜访东方制造',
      '发报价',
      '联合演示',
      '同事私事',
      '寄样品',
      '旧计划',
    ])
    expect((await cal(kit.b.admin, day(0, 0), day(7, 0), [team.user.seller])).json()).toEqual([])
  })
})

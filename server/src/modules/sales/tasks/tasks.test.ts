/**
 * Tasks and meetings (日程) over HTTP: create with participants, subject and contacts; who sees a
 * task (scope, participants, other workspace); read-only participants; answers; optimistic
 * concurrency; complete/reopen; delete; invitations notified once; the task handover step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { hasMessage, translate } from '../../../platform/i18n/messages.js'
import { createLeads } from '../../leads/service.js'
import { type SalesData, type SalesTeam, salesData, salesTeam } from '../analytics/sales.fixture.js'

let kit: Kit
let team: SalesTeam
let data: SalesData
const rec: Record<string, string> = {}

const call = (as: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(as, { method: method as 'GET', url: `/api/v1${url}`, payload: payload as Record<string, unknown> })
const inbox = async (userId: string) =>
  (
    await kit.haina.database.pool.query(
      `select kind, title, subject_id from notifications where user_id = $1 order by created_at`,
      [userId],
    )
  ).rows as { kind: string; title: string; subject_id: string }[]
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString()

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  data = salesData(kit.a)
  rec.customer = await data.customer({ name: '华星科技', ownerId: team.user.seller })
  rec.contact = await data.contact(rec.customer, { name: '王经理' })
  rec.otherCustomer = await data.customer({ name: '别家客户', ownerId: team.user.seller2 })
  rec.otherContact = await data.contact(rec.otherCustomer, { name: '李总' })
})
afterAll(() => kit.close())

describe('tasks', () => {
  it('has every error and notification text in zh-CN, zh-TW and en', () => {
    const codes = [
      'task_read_only',
      'task_not_participant',
      'task_contact_not_of_subject',
      'task_reminder_needs_time',
    ]
    for (const code of [
      ...codes,
      'notify_task_invite_title',
      'notify_task_remind_title',
      'notify_task_overdue_title',
    ])
      for (const locale of ['zh-CN', 'zh-TW', 'en'] as const) {
        expect(hasMessage(code)).toBe(true)
        expect(translate(code, locale)).not.toBe(code)
      }
    expect(translate('task_read_only', 'zh-TW')).not.toBe(translate('task_read_only', 'zh-CN'))
  })

  it('creates a meeting with a subject, contacts and participants, who are notified once', async () => {
    const res = await call(team.as.seller, 'POST', '/tasks', {
      kind: 'meeting',
      title: '需求评审会',
      startAt: at(60),
      endAt: at(120),
      location: '客户会议室',
      priority: 'high',
      subjectType: 'customer',
      subjectId: rec.customer,
      contactIds: [rec.contact],
      participantIds: [team.user.outsider, team.user.seller],
      remindMinutesBefore: 15,
    })
    expect(res.statusCode, res.body).toBe(201)
    const task = res.json()
    expect(task).toMatchObject({
      kind: 'meeting',
      status: 'open',
      ownerId: team.user.seller,
      unitId: team.unit,
      subjectName: '华星科技',
      contacts: [{ id: rec.contact, name: '王经理' }],
      editable: true,
      version: 1,
    })
    expect(task.participants.map((p: { userId: string }) => p.userId).sort()).toEqual(
      [team.user.outsider, team.user.seller].sort(),
    )
    rec.task = task.id
    // The outsider is told; the owner inviting themself is not.
    expect((await inbox(team.user.outsider)).filter((n) => n.kind === 'task_invite')).toEqual([
      expect.objectContaining({ subject_id: rec.task, title: 'seller 邀请您参加：需求评审会' }),
    ])
    expect((await inbox(team.user.seller)).filter((n) => n.kind === 'task_invite')).toEqual([])
    const { rows } = await kit.haina.database.pool.query(
      `select action, after->'participantIds' as p from audit_log where object_type = 'task' and object_id = $1`,
      [rec.task],
    )
    expect(rows).toEqual([{ action: 'create', p: expect.arrayContaining([team.user.outsider]) }])
  })

  it('names every bad field; a subject the caller cannot see is 404', async () => {
    const bad = await call(team.as.seller, 'POST', '/tasks', {
      title: '坏日程',
      startAt: at(120),
      endAt: at(60),
      subjectType: 'customer',
      subjectId: rec.customer,
      contactIds: [rec.otherContact],
      participantIds: ['nobody'],
    })
    expect(bad.statusCode).toBe(400)
    expect(
      bad
        .json()
        .errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)
        .sort(),
    ).toEqual([
      'contactIds[0]:task_contact_not_of_subject',
      'endAt:ends_before_start',
      'participantIds[0]:invalid_user',
    ])
    const remind = await call(team.as.seller, 'POST', '/tasks', {
      title: '无时间提醒',
      remindMinutesBefore: 5,
    })
    expect(remind.json().errors).toEqual([
      expect.objectContaining({ field: 'remindMinutesBefore', code: 'task_reminder_needs_time' }),
    ])
    const en = await kit.req(team.as.seller, {
      method: 'POST',
      url: '/api/v1/tasks',
      headers: { 'accept-language': 'en' },
      payload: { title: 'x', startAt: at(10), endAt: at(5) },
    })
    expect(en.json().errors[0]).toMatchObject({
      field: 'endAt',
      message: 'The end date is before the start date',
    })
    const hidden = await call(team.as.seller, 'POST', '/tasks', {
      title: '别人的客户',
      subjectType: 'customer',
      subjectId: rec.otherCustomer,
    })
    expect(hidden.statusCode).toBe(404)
    // A salesperson places tasks only for themself.
    const forOther = await call(team.as.seller, 'POST', '/tasks', {
      title: '替人建',
      ownerId: team.user.seller2,
    })
    expect(forOther.json().errors).toEqual([
      expect.objectContaining({ field: 'ownerId', code: 'invalid_user' }),
    ])
  })

  it('takes the contacts of the customer a lead was converted into', async () => {
    const [lead] = await createLeads(kit.a.sys, [{ name: '已转化线索', ownerId: team.user.seller }])
    await data.conversion(String(lead!.id), rec.customer!)
    const res = await call(team.as.seller, 'POST', '/tasks', {
      kind: 'call',
      title: '回访线索',
      subjectType: 'lead',
      subjectId: lead!.id,
      contactIds: [rec.contact],
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      subjectName: '已转化线索',
      contacts: [{ id: rec.contact, name: '王经理' }],
    })
  })

  it('shows a task to its scope and its participants only; other workspaces get 404', async () => {
    const ids = async (as: TestSession) =>
      ((await call(as, 'GET', '/tasks?limit=200')).json().items as { id: string }[]).map((t) => t.id)
    expect(await ids(team.as.seller)).toContain(rec.task)
    expect(await ids(team.as.outsider)).toContain(rec.task)
    expect(await ids(team.as.manager)).toContain(rec.task)
    expect(await ids(team.as.seller2)).not.toContain(rec.task)
    expect((await call(team.as.seller2, 'GET', `/tasks/${rec.task}`)).statusCode).toBe(404)
    expect((await call(kit.b.admin, 'GET', `/tasks/${rec.task}`)).statusCode).toBe(404)
    expect(
      (await call(kit.b.admin, 'PATCH', `/tasks/${rec.task}`, { title: 'x', version: 1 })).statusCode,
    ).toBe(404)
    const asGuest = await call(team.as.outsider, 'GET', `/tasks/${rec.task}`)
    expect(asGuest.statusCode).toBe(200)
    // The outsider does not see the customer itself: no name leaks through the task.
    expect(asGuest.json()).toMatchObject({ editable: false, myResponse: 'pending', subjectName: null })
    const mine = await call(
      team.as.outsider,
      'GET',
      `/tasks?filter=${encodeURIComponent(JSON.stringify({ userId: team.user.outsider }))}`,
    )
    expect(mine.json().items.map((t: { id: string }) => t.id)).toEqual([rec.task])
  })

  it('sorts by due time with tasks without one last, page after page', async () => {
    for (const [title, due] of [
      ['排序1', 180],
      ['排序2', 60],
      ['排序3', null],
      ['排序4', 120],
    ] as const)
      await call(team.as.seller, 'POST', '/tasks', { title, dueAt: due === null ? null : at(due) })
    const filter = encodeURIComponent(JSON.stringify({ title: { startsWith: '排序' } }))
    const pages = async (sort: string, limit: number) => {
      const out: string[][] = []
      let cursor: string | null = null
      do {
        const res = await call(
          team.as.seller,
          'GET',
          `/tasks?sort=${sort}&limit=${limit}&filter=${filter}${cursor ? `&cursor=${cursor}` : ''}`,
        )
        expect(res.statusCode, res.body).toBe(200)
        out.push(res.json().items.map((t: { title: string }) => t.title))
        cursor = res.json().nextCursor
      } while (cursor)
      return out
    }
    expect(await pages('dueAt', 2)).toEqual([
      ['排序2', '排序4'],
      ['排序1', '排序3'],
    ])
    expect(await pages('-dueAt', 3)).toEqual([['排序1', '排序4', '排序2'], ['排序3']])
  })

  it('lets participants answer but not change the task', async () => {
    const edit = await call(team.as.outsider, 'PATCH', `/tasks/${rec.task}`, { title: '改名', version: 1 })
    expect(edit.statusCode).toBe(403)
    expect(edit.json().code).toBe('task_read_only')
    expect((await call(team.as.outsider, 'POST', `/tasks/${rec.task}/complete`)).statusCode).toBe(403)
    expect(
      (await call(team.as.seller2, 'POST', `/tasks/${rec.task}/respond`, { response: 'accepted' }))
        .statusCode,
    ).toBe(404)
    expect(
      (await call(team.as.manager, 'POST', `/tasks/${rec.task}/respond`, { response: 'accepted' })).json()
        .code,
    ).toBe('task_not_participant')
    const yes = await call(team.as.outsider, 'POST', `/tasks/${rec.task}/respond`, { response: 'accepted' })
    expect(yes.statusCode, yes.body).toBe(200)
    expect(yes.json().myResponse).toBe('accepted')
    await call(team.as.outsider, 'POST', `/tasks/${rec.task}/respond`, { response: 'accepted' })
    expect((await inbox(team.user.seller)).filter((n) => n.kind === 'task_response')).toEqual([
      expect.objectContaining({ title: 'outsider 已接受：需求评审会' }),
    ])
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from audit_log where object_type = 'task' and object_id = $1 and action = 'respond'`,
      [rec.task],
    )
    expect(rows[0].n).toBe(1)
  })

  it('refuses a stale version with 409 and the current task; keeps answers of staying participants', async () => {
    const ok = await call(team.as.seller, 'PATCH', `/tasks/${rec.task}`, {
      title: '需求评审会（改期）',
      participantIds: [team.user.outsider, team.user.seller2],
      version: 1,
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().version).toBe(2)
    const answers = Object.fromEntries(
      ok.json().participants.map((p: { userId: string; response: string }) => [p.userId, p.response]),
    )
    expect(answers).toEqual({ [team.user.outsider]: 'accepted', [team.user.seller2]: 'pending' })
    const stale = await call(team.as.seller, 'PATCH', `/tasks/${rec.task}`, { title: '旧版本', version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current).toMatchObject({ title: '需求评审会（改期）', version: 2 })
    // seller2 is invited now (and sees it); the outsider is not invited twice.
    expect((await call(team.as.seller2, 'GET', `/tasks/${rec.task}`)).statusCode).toBe(200)
    expect((await inbox(team.user.outsider)).filter((n) => n.kind === 'task_invite')).toHaveLength(1)
    expect((await inbox(team.user.seller2)).filter((n) => n.kind === 'task_invite')).toHaveLength(1)
    const bad = await call(team.as.seller, 'PATCH', `/tasks/${rec.task}`, { endAt: at(30), version: 2 })
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'endAt', code: 'ends_before_start' }),
    ])
  })

  it.skipIf(!process.env.DATABASE_URL)('lets one of two simultaneous saves of a version win', async () => {
    const id = (await call(team.as.seller, 'POST', '/tasks', { title: '同时修改' })).json().id
    const saves = await Promise.all(
      ['甲改', '乙改'].map((title) => call(team.as.seller, 'PATCH', `/tasks/${id}`, { title, version: 1 })),
    )
    expect(saves.map((r) => r.statusCode).sort()).toEqual([200, 409])
    expect((await call(team.as.seller, 'GET', `/tasks/${id}`)).json().version).toBe(2)
  })

  it('completes and reopens; deletes to the recycle bin', async () => {
    const done = await call(team.as.seller, 'POST', `/tasks/${rec.task}/complete`, { version: 2 })
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({ status: 'done', version: 3 })
    expect(done.json().completedAt).toBeTruthy()
    expect((await call(team.as.seller, 'POST', `/tasks/${rec.task}/reopen`, { version: 2 })).statusCode).toBe(
      409,
    )
    const open = await call(team.as.seller, 'POST', `/tasks/${rec.task}/reopen`)
    expect(open.json()).toMatchObject({ status: 'open', completedAt: null, version: 4 })
    expect((await call(team.as.outsider, 'DELETE', `/tasks/${rec.task}`)).statusCode).toBe(403)
    expect((await call(team.as.seller, 'DELETE', `/tasks/${rec.task}`)).statusCode).toBe(204)
    expect((await call(team.as.seller, 'GET', `/tasks/${rec.task}`)).statusCode).toBe(404)
    const { rows } = await kit.haina.database.pool.query(
      `select object_type from recycle_bin where object_id = $1`,
      [rec.task],
    )
    expect(rows).toEqual([{ object_type: 'task' }])
  })

  it('hands open tasks over to the receiver, into the receiver’s unit', async () => {
    const made = async (title: string) =>
      (
        await call(kit.a.admin, 'POST', '/tasks', { title, ownerId: team.user.seller2, dueAt: at(600) })
      ).json().id as string
    const open = await made('待办一')
    const done = await made('已完成')
    await call(kit.a.admin, 'POST', `/tasks/${done}/complete`)
    const people = { fromUserId: team.user.seller2, toUserId: team.user.outsider }
    const preview = await call(kit.a.admin, 'POST', '/handovers/preview', people)
    expect(preview.json().counts.task).toBe(1)
    const res = await call(kit.a.admin, 'POST', '/handovers', { ...people, reason: '离职' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().counts.task).toBe(1)
    const now = (await call(kit.a.admin, 'GET', `/tasks/${open}`)).json()
    expect(now.ownerId).toBe(team.user.outsider)
    expect(now.unitId).not.toBe(team.unit)
    expect((await call(kit.a.admin, 'GET', `/tasks/${done}`)).json().ownerId).toBe(team.user.seller2)
    expect((await call(team.as.outsider, 'GET', `/tasks/${open}`)).json().editable).toBe(true)
  })
})

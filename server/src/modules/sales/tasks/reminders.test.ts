/**
 * The 'sales.task-reminders' job: owner and participants (not those who declined) are reminded
 * once when a task's reminder time comes; an open task past its due time alerts its owner once;
 * running the job again notifies nobody twice. A new time is reminded of again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import type { Ctx } from '../../../platform/access/actor.js'
import { loadUserActor } from '../../../platform/access/load-actor.js'
import { registeredSchedules } from '../../../platform/jobs/cron.js'
import { drainJobs, enqueue } from '../../../platform/jobs/queue.js'
import { type SalesTeam, salesTeam } from '../analytics/sales.fixture.js'
import { runTaskReminders } from './reminders.job.js'
import { createTask, respondToTask, updateTask } from './service.js'

let kit: Kit
let team: SalesTeam
let seller: Ctx
const minutes = (n: number, from = Date.now()) => new Date(from + n * 60_000)
const inbox = async (userId: string, kind: string) =>
  (
    await kit.haina.database.pool.query(
      `select title, body, subject_id from notifications where user_id = $1 and kind = $2 order by created_at`,
      [userId, kind],
    )
  ).rows as { title: string; body: string; subject_id: string }[]

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  seller = { ...kit.a.sys, actor: (await loadUserActor(kit.a.sys.db, kit.a.tenantId, team.user.seller))! }
})
afterAll(() => kit.close())

describe('task reminders', () => {
  it('reminds the owner and the participants who did not decline, once', async () => {
    const startAt = minutes(30)
    const task = await createTask(seller, {
      kind: 'meeting',
      title: '季度复盘',
      startAt,
      endAt: minutes(90),
      remindMinutesBefore: 15,
      participantIds: [team.user.seller2, team.user.manager],
    })
    const asManager = {
      ...seller,
      actor: (await loadUserActor(kit.a.sys.db, kit.a.tenantId, team.user.manager))!,
    }
    await respondToTask(asManager, task.id, 'declined')
    // 20 minutes before the start is too early for a 15-minute reminder.
    expect(await runTaskReminders(kit.a.sys, { now: minutes(-20, startAt.getTime()) })).toEqual({
      reminded: 0,
      overdue: 0,
    })
    const at = minutes(-10, startAt.getTime())
    expect(await runTaskReminders(kit.a.sys, { now: at })).toEqual({ reminded: 2, overdue: 0 })
    expect(await runTaskReminders(kit.a.sys, { now: at })).toEqual({ reminded: 0, overdue: 0 })
    const [mine] = await inbox(team.user.seller, 'task_remind')
    expect(mine).toMatchObject({ title: '日程提醒：季度复盘', subject_id: task.id })
    expect(mine!.body).toMatch(/^时间：\d\d\/\d\d \d\d:\d\d$/)
    expect(await inbox(team.user.seller2, 'task_remind')).toHaveLength(1)
    expect(await inbox(team.user.manager, 'task_remind')).toHaveLength(0)

    // Moved to another time: reminded again at the new time.
    const later = minutes(24 * 60)
    await updateTask(seller, task.id, { startAt: later, endAt: minutes(60, later.getTime()) })
    expect(await runTaskReminders(kit.a.sys, { now: at })).toMatchObject({ reminded: 0 })
    expect(await runTaskReminders(kit.a.sys, { now: minutes(-5, later.getTime()) })).toMatchObject({
      reminded: 2,
    })
  })

  it('alerts the owner once when an open task is overdue; done tasks are quiet', async () => {
    const due = minutes(-30)
    const late = await createTask(seller, { title: '提交方案', dueAt: due })
    const done = await createTask(seller, { title: '已完成的事', dueAt: due })
    await kit.haina.database.pool.query(`update tasks set status = 'done' where id = $1`, [done.id])
    expect(await runTaskReminders(kit.a.sys)).toMatchObject({ overdue: 1 })
    expect(await runTaskReminders(kit.a.sys)).toMatchObject({ overdue: 0 })
    expect(await inbox(team.user.seller, 'task_overdue')).toEqual([
      expect.objectContaining({ title: '任务已逾期：提交方案', subject_id: late.id }),
    ])
  })

  // Real parallel sessions: runs that overlap claim each task once.
  it.skipIf(!process.env.DATABASE_URL)('notifies once when runs overlap', async () => {
    const startAt = minutes(60 * 24 * 3)
    const made = []
    for (let i = 0; i < 12; i++)
      made.push(await createTask(seller, { title: `并发提醒${i}`, startAt, remindMinutesBefore: 30 }))
    const at = minutes(-10, startAt.getTime())
    const runs = await Promise.all([1, 2, 3, 4].map(() => runTaskReminders(kit.a.sys, { now: at })))
    expect(runs.reduce((n, r) => n + r.reminded, 0)).toBe(12)
    const titles = (await inbox(team.user.seller, 'task_remind')).map((n) => n.title)
    for (const t of made) expect(titles.filter((x) => x === `日程提醒：${t.title}`)).toHaveLength(1)
  })

  it('runs every 5 minutes per workspace as a job', async () => {
    expect(registeredSchedules().find((s) => s.name === 'sales-task-reminders')).toMatchObject({
      pattern: '0 */5 * * * *',
      perTenant: true,
      jobType: 'sales.task-reminders',
    })
    await createTask(seller, { title: '作业提醒', dueAt: minutes(5), remindMinutesBefore: 10 })
    await enqueue(kit.haina.database.db, { type: 'sales.task-reminders', tenantId: kit.a.tenantId })
    await drainJobs(kit.haina.database.db)
    expect((await inbox(team.user.seller, 'task_remind')).map((n) => n.title)).toContain('日程提醒：作业提醒')
  })
})

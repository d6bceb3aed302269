/**
 * The 'leads.reminders' job: next-step reminders, overdue alerts to owner and manager, first-contact
 * SLA alerts; each exactly once however often the job runs, in the recipient's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import type { Ctx } from '../../platform/access/actor.js'
import { registeredSchedules } from '../../platform/jobs/cron.js'
import { drainJobs, enqueue } from '../../platform/jobs/queue.js'
import { createUsers } from '../../platform/org/users.service.js'
import { createFollowUp } from './followups.service.js'
import { moveLeads } from './moves.service.js'
import { runLeadReminders } from './reminders.job.js'
import { createLeads } from './service.js'

let kit: Kit
let sys: Ctx
const uid: Record<string, string> = {}

async function person(key: string, managerId?: string, locale?: string) {
  const [u] = await createUsers(kit.a.sys, [
    {
      email: `${key}-${Date.now()}@rem.test`,
      name: key,
      unitId: kit.a.rootUnitId,
      roleIds: [],
      managerId,
    },
  ])
  uid[key] = u!.id
  if (locale)
    await kit.haina.database.pool.query(`update users set locale = $1 where id = $2`, [locale, u!.id])
}
const lead = async (owner: string) => {
  const [l] = await createLeads(sys, [{ name: `客户-${owner}-${Math.random()}`, ownerId: uid[owner]! }])
  return String(l!.id)
}
const inbox = async (key: string) =>
  (
    await kit.haina.database.pool.query(
      `select kind, title, body, subject_id, dedupe_key from notifications where user_id = $1 order by created_at, title`,
      [uid[key]],
    )
  ).rows as { kind: string; title: string; body: string; subject_id: string; dedupe_key: string }[]
const minutes = (n: number) => new Date(Date.now() + n * 60_000)

beforeAll(async () => {
  kit = await createKit()
  sys = kit.a.sys
  await person('boss', undefined, 'en')
  await person('sam', uid.boss)
  await person('solo')
})
afterAll(() => kit.close())

describe('follow-up reminders', () => {
  it('reminds the owner of a due next step once, then alerts owner and manager when it is late', async () => {
    const id = await lead('sam')
    const nextAt = minutes(10)
    await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: id,
      type: 'call',
      content: '约好回电',
      nextAt,
      nextStep: '回电确认需求',
    })
    const early = await runLeadReminders(sys, { now: minutes(-10) })
    expect(early.due).toBe(0)
    expect(await runLeadReminders(sys)).toMatchObject({ due: 1, overdue: 0 })
    expect(await runLeadReminders(sys)).toMatchObject({ due: 0, overdue: 0 })
    const [due] = await inbox('sam')
    expect(due).toMatchObject({ kind: 'followup_due', subject_id: id })
    expect(due!.title).toMatch(/^跟进提醒：客户-sam/)
    expect(due!.body).toMatch(/^下一步：回电确认需求（\d\d\/\d\d \d\d:\d\d）$/)

    const late = new Date(nextAt.getTime() + 61 * 60_000)
    expect(await runLeadReminders(sys, { now: late })).toMatchObject({ overdue: 2 })
    expect(await runLeadReminders(sys, { now: late })).toMatchObject({ due: 0, overdue: 0 })
    expect((await inbox('sam')).map((n) => n.kind)).toEqual(['followup_due', 'followup_overdue'])
    const [alert] = (await inbox('boss')).filter((n) => n.subject_id === id)
    // The manager reads it in their own language.
    expect(alert).toMatchObject({ kind: 'followup_overdue' })
    expect(alert!.title).toMatch(/^Follow-up overdue: 客户-sam/)
    expect(alert!.body).toContain('sam’s next step “回电确认需求” was due')
  })

  it('takes a later follow-up as the step done, and a moved next step as a new one', async () => {
    const id = await lead('sam')
    const past = minutes(-180)
    await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: id,
      type: 'visit',
      content: '拜访',
      occurredAt: minutes(-240),
      nextAt: past,
    })
    await createFollowUp(sys, { subjectType: 'lead', subjectId: id, type: 'wechat', content: '微信已回复' })
    const before = (await inbox('sam')).length
    expect(await runLeadReminders(sys)).toMatchObject({ due: 0, overdue: 0 })

    const id2 = await lead('sam')
    const fu = await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: id2,
      type: 'call',
      content: '电话',
      nextAt: minutes(5),
    })
    expect((await runLeadReminders(sys)).due).toBe(1)
    const { updateFollowUp } = await import('./followups.service.js')
    await updateFollowUp(sys, fu.id, { nextAt: minutes(12) })
    expect((await runLeadReminders(sys)).due).toBe(1)
    expect((await inbox('sam')).length).toBe(before + 2)
  })

  it('leaves closed leads and people without a manager alone where there is nobody to tell', async () => {
    const closed = await lead('sam')
    await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: closed,
      type: 'call',
      content: 'x',
      nextAt: minutes(1),
    })
    await moveLeads(sys, [closed], { status: 'closed', closeReason: 'no_need' }, { kind: 'status' })
    const solo = await lead('solo')
    await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: solo,
      type: 'call',
      content: 'y',
      nextAt: minutes(1),
    })
    await runLeadReminders(sys, { now: minutes(120) })
    // solo: one due reminder and one overdue alert (no manager to copy); the closed lead: nothing.
    expect((await inbox('solo')).filter((n) => n.subject_id === solo).map((n) => n.kind)).toEqual([
      'followup_due',
      'followup_overdue',
    ])
    expect((await inbox('sam')).filter((n) => n.subject_id === closed)).toEqual([])
  })
})

describe('first contact SLA', () => {
  it('alerts owner and manager once per assignment when nobody contacted the lead in time', async () => {
    const pool = kit.haina.database.pool
    const ids = await Promise.all([1, 2, 3].map(() => lead('sam')))
    await moveLeads(sys, ids, { ownerId: uid.solo }, { kind: 'assign' })
    await moveLeads(sys, ids, { ownerId: uid.sam }, { kind: 'assign' })
    await pool.query(`update leads set assigned_at = now() - interval '25 hours' where id = any($1)`, [ids])
    // One of them was contacted.
    await createFollowUp(sys, { subjectType: 'lead', subjectId: ids[2]!, type: 'call', content: '已联系' })
    const first = await runLeadReminders(sys)
    expect(first.slaMissed).toBe(4)
    expect((await runLeadReminders(sys)).slaMissed).toBe(0)
    const sla = (await inbox('sam')).filter((n) => n.kind === 'sla_missed').map((n) => n.subject_id)
    expect(sla.sort()).toEqual([ids[0], ids[1]].sort())
    expect((await inbox('boss')).filter((n) => n.kind === 'sla_missed')[0]!.title).toMatch(
      /^First contact overdue/,
    )

    // A new owner starts a new clock; a workspace with a longer SLA is not yet late.
    await moveLeads(sys, [ids[0]!], { ownerId: uid.solo }, { kind: 'assign' })
    await pool.query(`update leads set assigned_at = now() - interval '25 hours' where id = $1`, [ids[0]])
    await pool.query(
      `insert into lead_settings (tenant_id, first_contact_sla_hours) values ($1, 48)
       on conflict (tenant_id) do update set first_contact_sla_hours = 48`,
      [kit.a.tenantId],
    )
    expect((await runLeadReminders(sys)).slaMissed).toBe(0)
    expect((await runLeadReminders(sys, { now: minutes(24 * 60) })).slaMissed).toBe(1)
    await pool.query(`delete from lead_settings where tenant_id = $1`, [kit.a.tenantId])
  })
})

describe('at volume', () => {
  it('reminds of 1,500 due next steps in one run, set-based, and of none the second time', async () => {
    const pool = kit.haina.database.pool
    const { rows } = await pool.query(`select id, org_id from org_units where id = $1`, [kit.a.rootUnitId])
    const { id: unit, org_id: org } = rows[0]
    await pool.query(
      `with l as (
         insert into leads (tenant_id, id, name, unit_id, org_id, owner_id, status)
         select $1, gen_random_uuid(), '批量' || g, $2, $3, $4, 'following' from generate_series(1, 1500) g
         returning id)
       insert into follow_ups (tenant_id, id, subject_type, subject_id, type, content, occurred_at, next_at, unit_id, org_id, owner_id)
       select $1, gen_random_uuid(), 'lead', l.id, 'call', '批量跟进', now() - interval '1 hour', now() + interval '5 minutes', $2, $3, $4
       from l`,
      [kit.a.tenantId, unit, org, uid.solo],
    )
    expect((await runLeadReminders(sys)).due).toBe(1500)
    expect((await runLeadReminders(sys)).due).toBe(0)
  })
})

describe('the job', () => {
  it('runs per workspace every 5 minutes and touches only its own workspace', async () => {
    const schedule = registeredSchedules().find((s) => s.jobType === 'leads.reminders')
    expect(schedule).toMatchObject({ perTenant: true, pattern: '0 */5 * * * *' })
    const id = await lead('sam')
    await createFollowUp(sys, {
      subjectType: 'lead',
      subjectId: id,
      type: 'sms',
      content: '短信',
      nextAt: minutes(3),
    })
    const db = kit.haina.database.db
    await enqueue(db, { type: 'leads.reminders', tenantId: kit.b.tenantId })
    await drainJobs(db)
    expect((await inbox('sam')).filter((n) => n.subject_id === id)).toEqual([])
    await enqueue(db, { type: 'leads.reminders', tenantId: kit.a.tenantId })
    await drainJobs(db)
    expect((await inbox('sam')).filter((n) => n.subject_id === id).map((n) => n.kind)).toEqual([
      'followup_due',
    ])
  })
})

/** Automatic reclaim into the public pool: rules per grade, not converted, reminders, locks, idempotence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { registeredSchedules } from '../../platform/jobs/cron.js'
import { drainJobs, enqueue } from '../../platform/jobs/queue.js'
import { type PoolWorld, poolWorld } from './pools.fixture.js'
import { reclaimLeads } from './reclaim.job.js'

let kit: Kit
let w: PoolWorld
const lead: Record<string, string> = {}
let target = ''
beforeAll(async () => {
  kit = await createKit()
  w = await poolWorld(kit)
})
afterAll(() => kit.close())

const sql = async (text: string, params: unknown[] = []) =>
  (await kit.haina.database.pool.query(text, params)).rows
const call = (as: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(as, { method: method as 'GET', url, payload: payload as Record<string, unknown> })
const pool = async (body: Record<string, unknown>) => {
  const res = await call(kit.a.admin, 'POST', '/api/v1/lead-pools', { unitId: w.unit.sh, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}
/** A lead held by `owner` in `poolId`, assigned `days` ago, last followed up `followed` days ago. */
const held = async (
  key: string,
  poolId: string | null,
  owner: string,
  days: number,
  extra: { followed?: number; grade?: string; status?: string } = {},
) => {
  const id = await w.lead({ name: key, poolId, ownerId: owner })
  await sql(
    `update leads set assigned_at = now() - make_interval(secs => $2::float8 * 86400), grade = $3,
            last_follow_up_at = case when $4::float8 is null then null else now() - make_interval(secs => $4 * 86400) end,
            status = coalesce($5, status)
      where id = $1`,
    [id, days, extra.grade ?? 'B', extra.followed ?? null, extra.status ?? null],
  )
  lead[key] = id
}

describe('reclaim', () => {
  it('returns neglected leads to the public pool, per grade and conversion deadline', async () => {
    target = await pool({
      name: '回收公海',
      kind: 'public',
      settings: {
        reclaimLockDays: 7,
        reclaim: {
          enabled: true,
          noFollowUpDays: 3,
          noFollowUpDaysByGrade: { A: 10 },
          notConvertedDays: 30,
          remindDaysBefore: 1,
        },
      },
    })
    const quiet = await pool({
      name: '不回收公海',
      kind: 'public',
      sort: 10,
      settings: { reclaim: { enabled: false } },
    })
    const sub = await pool({ name: '上海子池', kind: 'sub', reclaimPoolId: target })
    const keep = await pool({ name: '不回收子池', kind: 'sub', reclaimPoolId: quiet })
    await held('stale', sub, w.user.seller!, 5)
    await held('gradeA', sub, w.user.seller!, 5, { grade: 'A' })
    await held('followed', sub, w.user.seller!, 5, { followed: 1 })
    await held('soon', sub, w.user.seller!, 2.5)
    await held('old', sub, w.user.seller!, 40, { followed: 1, status: 'following' })
    await held('converted', sub, w.user.seller!, 40, { status: 'converted' })
    await held('claimed', target, w.user.seller2!, 5)
    await held('unpooled', null, w.user.seller3!, 5)
    await held('elsewhere', keep, w.user.seller3!, 50)

    const result = await reclaimLeads(kit.haina.database.db, kit.a.tenantId, new Date(), { batchSize: 2 })
    expect(result).toMatchObject({ candidates: 4, reclaimed: 4, reminded: 1, notified: 3, batches: 2 })
    const rows = await sql(
      `select name, owner_id, pool_id, unit_id, status from leads where tenant_id = $1 and name = any($2) order by name`,
      [kit.a.tenantId, Object.keys(lead)],
    )
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]))
    for (const k of ['stale', 'old', 'claimed', 'unpooled'])
      expect(byName[k], k).toMatchObject({
        owner_id: null,
        pool_id: target,
        unit_id: w.unit.sh,
        status: 'new',
      })
    for (const k of ['gradeA', 'followed', 'soon', 'converted', 'elsewhere'])
      expect(byName[k]!.owner_id, k).not.toBeNull()

    const moves = await sql(
      `select lead_id, kind, actor_id, from_owner_id, to_pool_id, reason from lead_moves where tenant_id = $1 and kind = 'reclaim'`,
      [kit.a.tenantId],
    )
    expect(moves).toHaveLength(4)
    const reasonOf = (k: string) => moves.find((m) => m.lead_id === lead[k])!.reason
    expect(reasonOf('stale')).toBe('3 天未跟进，自动收回公海')
    expect(reasonOf('old')).toBe('30 天未转化，自动收回公海')
    expect(moves.every((m) => m.actor_id === null && m.to_pool_id === target)).toBe(true)
    const [audit] = await sql(
      `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'reclaim' and object_type = 'lead'`,
      [kit.a.tenantId],
    )
    expect(audit.n).toBe(4)
    const history = (await call(kit.a.admin, 'GET', `/api/v1/leads/${lead.stale}/moves`)).json().items
    expect(history[0]).toMatchObject({ kind: 'reclaim', actorName: null, fromOwnerId: w.user.seller })
  })

  it('locks the previous owner out and tells owners what they lost and what they are about to lose', async () => {
    const locked = await call(w.as.seller!, 'POST', `/api/v1/leads/${lead.stale}/claim`)
    expect(locked.statusCode).toBe(409)
    expect(locked.json().code).toBe('claim_locked')
    const notes = await sql(
      `select user_id, kind, title, subject_id from notifications where tenant_id = $1 order by kind, title`,
      [kit.a.tenantId],
    )
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: w.user.seller, kind: 'reclaimed', title: '2 条线索已被收回公海' }),
        expect.objectContaining({
          user_id: w.user.seller2,
          kind: 'reclaimed',
          title: '线索「claimed」已被收回公海',
          subject_id: lead.claimed,
        }),
        expect.objectContaining({ user_id: w.user.seller, kind: 'reclaim_soon', subject_id: lead.soon }),
      ]),
    )
    expect(notes).toHaveLength(4)
    const [soon] = await sql(
      `select id, body, link from notifications where tenant_id = $1 and kind = 'reclaim_soon'`,
      [kit.a.tenantId],
    )
    expect(soon.body).toMatch(/^请在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前跟进/)
    expect(soon.link).toBe(`/leads/${lead.soon}`)
    expect(soon.id[14]).toBe('7') // a UUIDv7 like every other id
  })

  it('changes nothing more when run again', async () => {
    const before = await sql(`select count(*)::int as n from lead_moves where tenant_id = $1`, [
      kit.a.tenantId,
    ])
    const again = await reclaimLeads(kit.haina.database.db, kit.a.tenantId)
    expect(again).toMatchObject({ reclaimed: 0, reminded: 0, notified: 0 })
    const after = await sql(`select count(*)::int as n from lead_moves where tenant_id = $1`, [
      kit.a.tenantId,
    ])
    expect(after[0].n).toBe(before[0].n)
    const [notes] = await sql(`select count(*)::int as n from notifications where tenant_id = $1`, [
      kit.a.tenantId,
    ])
    expect(notes.n).toBe(4)
  })

  it('runs as the hourly per-workspace job leads.reclaim', async () => {
    expect(registeredSchedules().find((s) => s.jobType === 'leads.reclaim')).toMatchObject({
      perTenant: true,
    })
    await sql(`update leads set assigned_at = now() - interval '20 days' where id = $1`, [lead.gradeA])
    const db = kit.haina.database.db
    const [job] = await enqueue(db, { type: 'leads.reclaim', tenantId: kit.a.tenantId })
    await drainJobs(db)
    const [row] = await sql('select status, result from jobs where id = $1', [job!.id])
    expect(row.status).toBe('succeeded')
    expect(row.result).toMatchObject({ reclaimed: 1 })
    const [moved] = await sql('select owner_id, pool_id from leads where id = $1', [lead.gradeA])
    expect(moved).toEqual({ owner_id: null, pool_id: target })
  })
})

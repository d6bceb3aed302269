/** Segments: CRUD and validation, refresh writing only the difference, incremental refresh, the job, live count. */
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { registeredSchedules } from '../../../platform/jobs/cron.js'
import { drainJobs, enqueue } from '../../../platform/jobs/queue.js'
import {
  all,
  makeLead,
  makePerson,
  makeUser,
  segmentsSuite,
  setPerson,
  storedMembers,
  uniq,
} from './fixture.js'
import { refreshSegment, refreshSegmentsFor } from './refresh.service.js'

const t = segmentsSuite()
const admin = () => t.kit.a.admin

const create = async (body: Record<string, unknown>) => {
  const res = await t.call(admin(), 'POST', '/api/v1/segments', { name: uniq('人群'), ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const companyIs = (marker: string) => ({ field: 'person.company', op: 'eq', value: marker })
const regionIs = (code: string) => ({ field: 'person.regionCode', op: 'eq', value: code })
const sizes = async (id: string) => {
  const res = await t.call(admin(), 'GET', `/api/v1/segments/${id}/sizes`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json().items as { size: number; added: number; removed: number; trigger: string }[]
}
const addedAt = async (segmentId: string) => {
  const res = await t.kit.a.sys.db.execute(
    sql`select person_id, added_at::text as at from segment_members where segment_id = ${segmentId}`,
  )
  return new Map(res.rows.map((r) => [String(r.person_id), String(r.at)]))
}

describe('segments CRUD', () => {
  it('creates, lists, changes and deletes segments; names are unique per workspace', async () => {
    const name = uniq('高价值客户')
    const s = await create({ name, kind: 'static', description: '手工名单' })
    expect(s).toMatchObject({ name, kind: 'static', conditions: null, memberCount: 0, version: 1 })
    expect(s.createdBy).toBe(t.kit.a.adminId)

    const dup = await t.call(admin(), 'POST', '/api/v1/segments', { name, kind: 'static' }, 'en')
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toMatchObject({
      code: 'segment_name_taken',
      errors: [{ field: 'name', code: 'not_unique' }],
    })
    expect(dup.json().detail).toContain(name)
    // Another workspace may use the same name, and cannot see this one.
    expect(
      (await t.call(t.kit.b.admin, 'POST', '/api/v1/segments', { name, kind: 'static' })).statusCode,
    ).toBe(201)
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/segments/${s.id}`)).statusCode).toBe(404)

    const list = await t.call(admin(), 'GET', `/api/v1/segments?q=${encodeURIComponent(name)}`)
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([s.id])

    const stale = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, { name: 'x', version: 9 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current).toMatchObject({ id: s.id, version: 1 })
    const other = await create({ kind: 'static' })
    const rename = await t.call(admin(), 'PATCH', `/api/v1/segments/${other.id}`, { name, version: 1 })
    expect(rename.statusCode).toBe(409)
    expect(rename.json().errors[0]).toMatchObject({ field: 'name' })

    const ok = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, {
      description: '改了',
      version: 1,
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ description: '改了', version: 2 })

    expect((await t.call(admin(), 'DELETE', `/api/v1/segments/${s.id}`)).statusCode).toBe(204)
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${s.id}`)).statusCode).toBe(404)
    const { rows } = await t.kit.haina.database.pool.query(
      `select action from audit_log where tenant_id = $1 and object_type = 'segment' and object_id = $2 order by at, id`,
      [t.kit.a.tenantId, s.id],
    )
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete'])
    const bin = await t.kit.haina.database.pool.query(
      `select 1 from recycle_bin where tenant_id = $1 and object_id = $2`,
      [t.kit.a.tenantId, s.id],
    )
    expect(bin.rows).toHaveLength(1)
  })

  it('refuses bad conditions with 400 naming the condition, and conditions on a static segment', async () => {
    const staticWith = await t.call(admin(), 'POST', '/api/v1/segments', {
      name: uniq('s'),
      kind: 'static',
      conditions: all(regionIs('31')),
    })
    expect(staticWith.statusCode).toBe(400)
    expect(staticWith.json().errors).toEqual([
      expect.objectContaining({ field: 'conditions', code: 'static_segment_conditions' }),
    ])

    const none = await t.call(admin(), 'POST', '/api/v1/segments', { name: uniq('d'), kind: 'dynamic' })
    expect(none.statusCode).toBe(400)
    expect(none.json().errors[0]).toMatchObject({ field: 'conditions', code: 'required' })

    const unknown = await t.call(admin(), 'POST', '/api/v1/segments', {
      name: uniq('d'),
      kind: 'dynamic',
      conditions: all(regionIs('31'), { field: 'person.shoeSize', op: 'eq', value: 42 }),
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().errors[0]).toMatchObject({
      field: expect.stringMatching(/^conditions\.conditions\[1\]/),
      code: 'unknown_condition_field',
    })

    const regex = await t.call(admin(), 'POST', '/api/v1/segments', {
      name: uniq('d'),
      kind: 'dynamic',
      conditions: all({ field: 'person.name', op: 'regex', value: '([' }),
    })
    expect(regex.statusCode).toBe(400)
    expect(regex.json().errors[0]).toMatchObject({
      field: expect.stringMatching(/^conditions\.conditions\[0\]/),
      code: 'invalid_regex',
    })

    const empty = await t.call(admin(), 'POST', '/api/v1/segments', {
      name: uniq('d'),
      kind: 'dynamic',
      conditions: { match: 'any', conditions: [] },
    })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors[0].code).toBe('empty_condition_group')

    // A static segment keeps refusing conditions when changed; turning it dynamic needs them.
    const s = await create({ kind: 'static' })
    const patch = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, {
      conditions: all(regionIs('31')),
    })
    expect(patch.json().errors[0].code).toBe('static_segment_conditions')
    const toDynamic = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, { kind: 'dynamic' })
    expect(toDynamic.json().errors[0]).toMatchObject({ field: 'conditions', code: 'required' })
    // Nothing was stored by the refused requests.
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${s.id}`)).json()).toMatchObject({ version: 1 })
  })
})

describe('refresh', () => {
  it('computes a dynamic segment at once and writes only the difference on refresh', async () => {
    const m = uniq('公司')
    const sh = await Promise.all(
      [1, 2, 3].map(() => makePerson(t.kit.a, { company: m, regionCode: '310101' })),
    )
    const bj = await Promise.all([1, 2].map(() => makePerson(t.kit.a, { company: m, regionCode: '110101' })))
    await makePerson(t.kit.b, { company: m, regionCode: '310101' })
    const s = await create({ kind: 'dynamic', conditions: all(companyIs(m), regionIs('31')) })
    expect(s.memberCount).toBe(3)
    expect(s.refreshedAt).not.toBeNull()
    expect(await storedMembers(t.kit.a, s.id)).toEqual([...sh].sort())
    expect(await sizes(s.id)).toEqual([
      expect.objectContaining({ size: 3, added: 3, removed: 0, trigger: 'full' }),
    ])
    const before = await addedAt(s.id)

    // sh[0] moves to Beijing, bj[0] to Shanghai, sh[1] is merged into bj[1] (Beijing), one new Shanghai person.
    await setPerson(t.kit.a, sh[0]!, { regionCode: '110105' })
    await setPerson(t.kit.a, bj[0]!, { regionCode: '310115' })
    await setPerson(t.kit.a, sh[1]!, { mergedIntoId: bj[1]! })
    const fresh = await makePerson(t.kit.a, { company: m, regionCode: '31' })

    const res = await t.call(admin(), 'POST', `/api/v1/segments/${s.id}/refresh`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ size: 3, added: 2, removed: 2 })
    expect(await storedMembers(t.kit.a, s.id)).toEqual([sh[2]!, bj[0]!, fresh].sort())
    // The member that stayed was not rewritten.
    const after = await addedAt(s.id)
    expect(after.get(sh[2]!)).toBe(before.get(sh[2]!))
    expect((await sizes(s.id)).map((x) => [x.size, x.added, x.removed, x.trigger])).toEqual([
      [3, 3, 0, 'full'],
      [3, 2, 2, 'full'],
    ])
    const { rows } = await t.kit.haina.database.pool.query(
      `select after from audit_log where object_id = $1 and action = 'refresh'`,
      [s.id],
    )
    expect(rows[0].after).toEqual({ size: 3, added: 2, removed: 2 })

    // Nothing changed: no difference written, still one more history row for the requested refresh.
    expect((await t.call(admin(), 'POST', `/api/v1/segments/${s.id}/refresh`)).json()).toEqual({
      size: 3,
      added: 0,
      removed: 0,
    })

    // New conditions are refreshed on save.
    const patch = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, {
      conditions: all(companyIs(m), regionIs('11')),
      version: s.version,
    })
    expect(patch.statusCode, patch.body).toBe(200)
    expect(patch.json().memberCount).toBe(2)
    expect(await storedMembers(t.kit.a, s.id)).toEqual([sh[0]!, bj[1]!].sort())

    // Turned static, it keeps its members as a list.
    const frozen = await t.call(admin(), 'PATCH', `/api/v1/segments/${s.id}`, { kind: 'static' })
    expect(frozen.json()).toMatchObject({ kind: 'static', conditions: null, memberCount: 2 })
    await setPerson(t.kit.a, sh[0]!, { regionCode: '310101' })
    await refreshSegment(t.kit.a.sys, s.id, 'full')
    expect(await storedMembers(t.kit.a, s.id)).toEqual([sh[0]!, bj[1]!].sort())
  })

  it('refreshes incrementally for changed persons only', async () => {
    const m = uniq('公司')
    const [p1, p2, p3] = await Promise.all(
      [1, 2, 3].map(() => makePerson(t.kit.a, { company: m, regionCode: '44' })),
    )
    const seg = await create({ kind: 'dynamic', conditions: all(companyIs(m), regionIs('44')) })
    const paused = await create({ kind: 'dynamic', conditions: all(companyIs(m)), autoRefresh: false })
    expect(seg.memberCount).toBe(3)
    const q = await makePerson(t.kit.a, { company: m, regionCode: '4403' })
    await setPerson(t.kit.a, p1!, { regionCode: '11' })
    await setPerson(t.kit.a, p2!, { regionCode: '12' })

    // Only p1 and q are said to have changed: p2 stays a member until it is refreshed too.
    const results = await refreshSegmentsFor(t.kit.a.sys, [p1!, q, 'not-a-uuid'])
    expect(results.find((r) => r.segmentId === seg.id)).toEqual({
      segmentId: seg.id,
      size: 3,
      added: 1,
      removed: 1,
    })
    expect(results.find((r) => r.segmentId === paused.id)).toBeUndefined()
    expect(await storedMembers(t.kit.a, seg.id)).toEqual([p2!, p3!, q].sort())
    expect(await storedMembers(t.kit.a, paused.id)).toHaveLength(3)
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${seg.id}`)).json().memberCount).toBe(3)
    expect((await sizes(seg.id)).map((x) => [x.size, x.added, x.removed, x.trigger])).toEqual([
      [3, 3, 0, 'full'],
      [3, 1, 1, 'incremental'],
    ])

    // Unchanged persons: no history row.
    await refreshSegmentsFor(t.kit.a.sys, [p3!])
    expect(await sizes(seg.id)).toHaveLength(2)

    await refreshSegmentsFor(t.kit.a.sys, [p2!])
    expect(await storedMembers(t.kit.a, seg.id)).toEqual([p3!, q].sort())
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${seg.id}`)).json().memberCount).toBe(2)
    // Persons of another workspace are never touched.
    const other = await makePerson(t.kit.b, { company: m, regionCode: '44' })
    await refreshSegmentsFor(t.kit.a.sys, [other])
    expect(await storedMembers(t.kit.a, seg.id)).toEqual([p3!, q].sort())
  })

  it('runs the refresh job for one segment or all auto-refreshing ones, hourly per workspace', async () => {
    expect(registeredSchedules().find((s) => s.jobType === 'segments.refresh')).toMatchObject({
      perTenant: true,
      pattern: '0 40 * * * *',
    })
    const m = uniq('公司')
    const p = await makePerson(t.kit.a, { company: m, regionCode: '50' })
    const auto = await create({ kind: 'dynamic', conditions: all(companyIs(m)) })
    const paused = await create({ kind: 'dynamic', conditions: all(companyIs(m)), autoRefresh: false })
    const list = await create({ kind: 'static' })
    const survivor = await makePerson(t.kit.a, { company: 'other' })
    await t.call(admin(), 'POST', `/api/v1/segments/${list.id}/members`, { subjectType: 'person', ids: [p] })
    const later = await makePerson(t.kit.a, { company: m })
    await setPerson(t.kit.a, p, { mergedIntoId: survivor })

    const db = t.kit.haina.database.db
    await enqueue(db, { type: 'segments.refresh', tenantId: t.kit.a.tenantId, payload: {} })
    await drainJobs(db)
    expect(await storedMembers(t.kit.a, auto.id)).toEqual([later])
    expect(await storedMembers(t.kit.a, paused.id)).toEqual([p])
    // A static list follows the merge to the surviving person.
    expect(await storedMembers(t.kit.a, list.id)).toEqual([survivor])

    await setPerson(t.kit.a, later, { company: 'gone' })
    await enqueue(db, {
      type: 'segments.refresh',
      tenantId: t.kit.a.tenantId,
      payload: { segmentId: paused.id },
    })
    await drainJobs(db)
    expect(await storedMembers(t.kit.a, paused.id)).toEqual([])
    const { rows } = await t.kit.haina.database.pool.query(
      `select status, result from jobs where type = 'segments.refresh' and tenant_id = $1 order by created_at`,
      [t.kit.a.tenantId],
    )
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
  })
})

describe('live count', () => {
  it('counts a draft among the persons the caller sees, and names a bad condition', async () => {
    const m = uniq('公司')
    const seller = await makeUser(t.kit, t.kit.a, ['segments.view'])
    const people = await Promise.all(
      [1, 2, 3, 4].map((i) => makePerson(t.kit.a, { company: m, regionCode: i < 4 ? '3101' : '11' })),
    )
    await makeLead(t.kit.a, people[0]!, { ownerId: seller.id })
    await makeLead(t.kit.a, people[3]!, { ownerId: seller.id })
    const body = { conditions: all(companyIs(m), regionIs('31')) }

    const res = await t.call(admin(), 'POST', '/api/v1/segments/count', body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ count: 3 })
    expect(res.json().total).toBeGreaterThanOrEqual(4)
    expect(res.json().tookMs).toBeGreaterThanOrEqual(0)

    const scoped = await t.call(seller.session, 'POST', '/api/v1/segments/count', body)
    expect(scoped.json()).toMatchObject({ count: 1, total: 2 })

    const bad = await t.call(admin(), 'POST', '/api/v1/segments/count', {
      conditions: all(companyIs(m), { field: 'orders.count', op: 'gte', value: 'many' }),
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0]).toMatchObject({
      field: expect.stringMatching(/^conditions\.conditions\[1\]/),
      code: 'invalid_condition_value',
    })
  })
})

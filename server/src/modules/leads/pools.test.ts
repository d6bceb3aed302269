/** The pyramid of pools over HTTP: master pool, sub-pools, nesting, visibility by role, lifecycle, settings, views. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { MIGRATIONS_DIR } from '../../platform/db/index.js'
import { type PoolWorld, poolWorld } from './pools.fixture.js'

let kit: Kit
let w: PoolWorld
const pool: Record<string, string> = {}
beforeAll(async () => {
  kit = await createKit()
  w = await poolWorld(kit)
})
afterAll(() => kit.close())

const call = (as: TestSession, method: string, url: string, payload?: unknown) =>
  kit.req(as, { method: method as 'GET', url, payload: payload as Record<string, unknown> })
const admin = (method: string, url: string, payload?: unknown) => call(kit.a.admin, method, url, payload)
const create = async (body: Record<string, unknown>, as = kit.a.admin) => {
  const res = await call(as, 'POST', '/api/v1/lead-pools', body)
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; version: number; parentId: string | null; unitId: string; orgId: string }
}
const poolsOf = async (as: TestSession) => {
  const res = await call(as, 'GET', '/api/v1/lead-pools')
  expect(res.statusCode, res.body).toBe(200)
  return res.json().items as { id: string; name: string; kind: string; myRole: string; leadCount: number }[]
}
const view = async (as: TestSession) => Object.fromEntries((await poolsOf(as)).map((p) => [p.name, p.myRole]))

describe('pools', () => {
  it('creates the master pool once, even when the first callers come at the same time', async () => {
    const lists = await Promise.all([poolsOf(kit.a.admin), poolsOf(kit.a.admin), poolsOf(w.as.director!)])
    for (const items of lists)
      expect(items.filter((p) => p.kind === 'master').map((p) => p.name)).toEqual(['总线索池'])
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from lead_pools where tenant_id = $1 and kind = 'master'`,
      [kit.a.tenantId],
    )
    expect(rows[0].n).toBe(1)
    pool.master = lists[0]!.find((p) => p.kind === 'master')!.id
    expect((await poolsOf(kit.b.admin)).find((p) => p.kind === 'master')!.id).not.toBe(pool.master)
  })

  it('builds the pyramid: sub-pools under the master pool, nesting, public pools', async () => {
    const east = await create({ name: '华东子池', kind: 'sub', unitId: w.unit.east })
    expect(east.parentId).toBe(pool.master)
    pool.east = east.id
    pool.shTeam = (
      await create({ name: '上海一组池', kind: 'sub', parentId: east.id, unitId: w.unit.shTeam })
    ).id
    pool.category = (
      await create({
        name: '大客户池',
        kind: 'sub',
        criteria: [
          { field: 'category', op: 'eq', value: '工业设备' },
          { field: 'score', op: 'gte', value: 60 },
        ],
      })
    ).id
    pool.shPublic = (
      await create({ name: '上海公海', kind: 'public', unitId: w.unit.sh, settings: { dailyClaimLimit: 5 } })
    ).id
    pool.hqPublic = (
      await create({ name: '总部公海', kind: 'public', memberUnitIds: [w.unit.east], settings: {} })
    ).id
    // Nesting must never loop: the east pool cannot go below its own sub-pool.
    const cycle = await admin('PATCH', `/api/v1/lead-pools/${pool.east}`, { parentId: pool.shTeam })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.json().errors).toEqual([expect.objectContaining({ field: 'parentId', code: 'pool_cycle' })])
    const masterMove = await admin('PATCH', `/api/v1/lead-pools/${pool.master}`, { parentId: pool.east })
    expect(masterMove.statusCode).toBe(400)
    expect(masterMove.json().code).toBe('master_pool_fixed')
  })

  it('refuses bad pools naming each field', async () => {
    const bad = await admin('POST', '/api/v1/lead-pools', {
      name: '坏池',
      kind: 'public',
      criteria: [{ field: 'nope', op: 'eq', value: 1 }],
      settings: { hiddenFields: ['mobile', 'passwordHash'], reclaim: { enabled: true, noFollowUpDays: 3 } },
      reclaimPoolId: pool.east,
      parentId: pool.hqPublic,
      memberUnitIds: [kit.b.rootUnitId],
    })
    expect(bad.statusCode).toBe(400)
    expect(
      bad
        .json()
        .errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)
        .sort(),
    ).toEqual(
      [
        'criteria[0].field:unknown_filter_field',
        'memberUnitIds:invalid_unit',
        'parentId:invalid_pool',
        'reclaimPoolId:not_public_pool',
        'settings.hiddenFields[1]:invalid_hidden_field',
      ].sort(),
    )
    const unknownSetting = await admin('POST', '/api/v1/lead-pools', {
      name: 'x',
      kind: 'public',
      settings: { x: 1 },
    })
    expect(unknownSetting.statusCode).toBe(400)
    const dup = await admin('POST', '/api/v1/lead-pools', { name: '华东子池', kind: 'sub' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().errors[0].field).toBe('name')
    const reclaimOnSub = await admin('POST', '/api/v1/lead-pools', {
      name: '子池回收',
      kind: 'sub',
      settings: { reclaim: { enabled: true, noFollowUpDays: 3 } },
    })
    expect(reclaimOnSub.json().errors).toEqual([expect.objectContaining({ field: 'settings.reclaim' })])
  })

  it('shows each role the pools seed 002 gives it', async () => {
    const all = {
      总线索池: 'admin',
      华东子池: 'admin',
      上海一组池: 'admin',
      大客户池: 'admin',
      上海公海: 'admin',
      总部公海: 'admin',
    }
    expect(await view(w.as.director!)).toEqual(all)
    // Marketing owns the master pool and splits it: it may configure pools.
    expect(await view(w.as.marketing!)).toEqual(all)
    // A regional manager works in their region's pool and the pools below it, sees the rest of the
    // region without configuring it, and claims from the public pool opened to the region.
    expect(await view(w.as.eastManager!)).toEqual({
      华东子池: 'member',
      上海一组池: 'member',
      上海公海: 'viewer',
      总部公海: 'member',
    })
    // A salesperson: their own sub-pool and the public pools open to their unit.
    expect(await view(w.as.seller!)).toEqual({ 上海一组池: 'member', 上海公海: 'member', 总部公海: 'member' })
    expect(await view(w.as.southSeller!)).toEqual({})
    expect((await call(w.as.southSeller!, 'GET', `/api/v1/lead-pools/${pool.shPublic}`)).statusCode).toBe(404)
    expect((await call(w.as.seller!, 'GET', `/api/v1/lead-pools/${pool.master}`)).statusCode).toBe(404)
  })

  it('gives the marketing role of workspaces made before pools leads.configure (migration 0006)', async () => {
    const db = kit.haina.database.db
    const marketing = sql`tenant_id = ${kit.b.tenantId} and key = 'marketing'`
    await db.execute(sql`update roles set permissions = permissions - 'leads.configure' where ${marketing}`)
    await db.execute(
      sql.raw(readFileSync(join(MIGRATIONS_DIR, '0006_marketing_configures_pools.sql'), 'utf8')),
    )
    await db.execute(
      sql.raw(readFileSync(join(MIGRATIONS_DIR, '0006_marketing_configures_pools.sql'), 'utf8')),
    )
    const { rows } = await db.execute<{ permissions: string[] }>(
      sql`select permissions from roles where ${marketing}`,
    )
    expect(rows[0]!.permissions.filter((p) => p === 'leads.configure')).toHaveLength(1)
  })

  it('manages admins and members; membership opens a pool and its sub-pools', async () => {
    const put = await admin('PUT', `/api/v1/lead-pools/${pool.east}/members`, {
      members: [
        { userId: w.user.southSeller, role: 'member' },
        { userId: w.user.eastManager, role: 'admin' },
      ],
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json().members.map((m: { name: string; role: string }) => `${m.name}:${m.role}`)).toEqual([
      'eastManager:admin',
      'southSeller:member',
    ])
    expect(await view(w.as.southSeller!)).toEqual({ 华东子池: 'member', 上海一组池: 'member' })
    expect((await view(w.as.eastManager!)).上海一组池).toBe('admin')
    const one = (await admin('GET', `/api/v1/lead-pools/${pool.east}`)).json()
    expect(one.members).toHaveLength(2)
    const bad = await admin('PUT', `/api/v1/lead-pools/${pool.east}/members`, {
      members: [{ userId: kit.b.adminId, role: 'member' }],
    })
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'members[0].userId', code: 'invalid_user' }),
    ])
    // Seeing a pool is not configuring it.
    const viewer = await call(w.as.marketing!, 'PATCH', `/api/v1/lead-pools/${pool.east}`, { sort: 3 })
    expect(viewer.statusCode, viewer.body).toBe(200)
    expect(
      (await call(w.as.seller!, 'PATCH', `/api/v1/lead-pools/${pool.east}`, { sort: 3 })).statusCode,
    ).toBe(403)
  })

  it('counts leads per pool and deletes only empty pools', async () => {
    await w.lead({ poolId: pool.east })
    await w.lead({ poolId: pool.east, ownerId: w.user.seller })
    await w.lead({ poolId: pool.shPublic })
    await w.lead({ poolId: pool.shPublic, ownerId: w.user.seller })
    const counts = Object.fromEntries((await poolsOf(kit.a.admin)).map((p) => [p.name, p.leadCount]))
    expect(counts).toMatchObject({ 华东子池: 2, 上海公海: 1 })
    const busy = await admin('DELETE', `/api/v1/lead-pools/${pool.east}`)
    expect(busy.statusCode).toBe(409)
    expect(busy.json().code).toBe('pool_in_use')
    expect((await admin('DELETE', `/api/v1/lead-pools/${pool.master}`)).json().code).toBe('master_pool_fixed')
    const empty = await create({ name: '临时池', kind: 'sub' })
    expect((await admin('DELETE', `/api/v1/lead-pools/${empty.id}`)).statusCode).toBe(204)
    expect((await admin('GET', `/api/v1/lead-pools/${empty.id}`)).statusCode).toBe(404)
  })

  it('keeps a stale pool save from overwriting', async () => {
    const p = await create({ name: '版本池', kind: 'sub' })
    expect(
      (await admin('PATCH', `/api/v1/lead-pools/${p.id}`, { name: '版本池一', version: p.version }))
        .statusCode,
    ).toBe(200)
    const stale = await admin('PATCH', `/api/v1/lead-pools/${p.id}`, { name: '版本池二', version: p.version })
    expect(stale.statusCode).toBe(409)
  })
})

describe('lead lifecycle', () => {
  it('changes status with history; closed and invalid need a configured reason', async () => {
    const id = await w.lead({ ownerId: w.user.seller, unitId: w.unit.shTeam })
    const noReason = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/status`, { status: 'closed' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().errors).toEqual([
      expect.objectContaining({ field: 'closeReason', code: 'required' }),
    ])
    const wrong = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/status`, {
      status: 'closed',
      closeReason: 'invalid_number',
    })
    expect(wrong.json().errors).toEqual([
      expect.objectContaining({ field: 'closeReason', code: 'invalid_option' }),
    ])
    const following = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/status`, { status: 'following' })
    expect(following.statusCode, following.body).toBe(200)
    expect(following.json()).toMatchObject({ status: 'following', closeReason: null })
    const closed = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/status`, {
      status: 'closed',
      closeReason: 'no_need',
    })
    expect(closed.json()).toMatchObject({ status: 'closed', closeReason: 'no_need' })
    const moves = (await call(w.as.seller!, 'GET', `/api/v1/leads/${id}/moves`)).json().items
    expect(
      moves.map(
        (m: { kind: string; fromStatus: string; toStatus: string }) =>
          `${m.kind}:${m.fromStatus}>${m.toStatus}`,
      ),
    ).toEqual(['status:following>closed', 'status:assigned>following'])
    expect(moves[0]).toMatchObject({ actorId: w.user.seller, actorName: 'seller', reason: 'no_need' })
    expect(moves[1]).toMatchObject({ reason: null })
    expect((await call(w.as.southSeller!, 'GET', `/api/v1/leads/${id}/moves`)).statusCode).toBe(404)
    const unowned = await w.lead({})
    const needsOwner = await admin('POST', `/api/v1/leads/${unowned}/status`, { status: 'following' })
    expect(needsOwner.json().errors).toEqual([
      expect.objectContaining({ field: 'status', code: 'status_needs_owner' }),
    ])
  })

  it('records owner and status changes made by PATCH in the history', async () => {
    const id = await w.lead({})
    const res = await admin('PATCH', `/api/v1/leads/${id}`, { ownerId: w.user.seller })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ ownerId: w.user.seller, status: 'assigned', unitId: w.unit.shTeam })
    expect(res.json().assignedAt).not.toBeNull()
    const bad = await admin('PATCH', `/api/v1/leads/${id}`, { status: 'invalid' })
    expect(bad.statusCode).toBe(400)
    expect(
      (await admin('PATCH', `/api/v1/leads/${id}`, { status: 'invalid', closeReason: 'duplicate' }))
        .statusCode,
    ).toBe(200)
    const kinds = (await admin('GET', `/api/v1/leads/${id}/moves`))
      .json()
      .items.map((m: { kind: string }) => m.kind)
    expect(kinds).toEqual(['status', 'assign'])
  })

  it('moves leads between pools of one org; across orgs it refuses', async () => {
    const a = await w.lead({ poolId: pool.master })
    const b = await w.lead({ poolId: pool.master })
    const moved = await call(w.as.director!, 'POST', '/api/v1/leads/bulk/move', {
      ids: [a, b],
      poolId: pool.category,
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json()).toEqual({ moved: 2 })
    const list = await admin(
      'GET',
      `/api/v1/leads?filter=${encodeURIComponent(JSON.stringify({ poolId: pool.category }))}`,
    )
    expect(
      list
        .json()
        .items.map((l: { id: string }) => l.id)
        .sort(),
    ).toEqual([a, b].sort())
    const dealerPool = await create({ name: '上海经销商池', kind: 'sub', unitId: w.unit.sh })
    const cross = await admin('POST', '/api/v1/leads/bulk/move', { ids: [a], poolId: dealerPool.id })
    expect(cross.statusCode).toBe(400)
    expect(cross.json().errors).toEqual([
      expect.objectContaining({ field: 'poolId', code: 'cross_org_move' }),
    ])
    const notMine = await call(w.as.eastManager!, 'POST', '/api/v1/leads/bulk/move', {
      ids: [a],
      poolId: pool.east,
    })
    expect(notMine.statusCode).toBe(404)
  })

  it('keeps collaborators, audited', async () => {
    const id = await w.lead({ ownerId: w.user.seller, unitId: w.unit.shTeam })
    const res = await call(w.as.seller!, 'PUT', `/api/v1/leads/${id}/collaborators`, {
      userIds: [w.user.seller2, w.user.seller3],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().userIds.sort()).toEqual([w.user.seller2, w.user.seller3].sort())
    const bad = await call(w.as.seller!, 'PUT', `/api/v1/leads/${id}/collaborators`, {
      userIds: [kit.b.adminId],
    })
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'userIds[0]', code: 'invalid_user' }),
    ])
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and object_id = $2 and action = 'collaborators'`,
      [kit.a.tenantId, id],
    )
    expect(rows[0].n).toBe(1)
  })

  it('lists leads with the new filters and fields', async () => {
    const id = await w.lead({ poolId: pool.east })
    await kit.haina.database.pool.query(
      `update leads set grade = 'A', category = '工业设备', score = 80 where id = $1`,
      [id],
    )
    const f = encodeURIComponent(
      JSON.stringify({ grade: 'A', category: '工业设备', score: { gte: 70 }, poolId: pool.east }),
    )
    const res = await admin('GET', `/api/v1/leads?filter=${f}&sort=-score`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().items).toEqual([
      expect.objectContaining({
        id,
        grade: 'A',
        score: 80,
        poolId: pool.east,
        category: '工业设备',
        routingNote: null,
      }),
    ])
  })
})

describe('lead settings and saved views', () => {
  it('starts from Chinese defaults and saves with a version', async () => {
    const first = (await admin('GET', '/api/v1/lead-settings')).json()
    expect(first.closeReasons.map((r: { label: string }) => r.label)).toEqual(
      expect.arrayContaining(['无效号码', '重复线索', '无需求', '已购竞品', '联系不上']),
    )
    const saved = await admin('PUT', '/api/v1/lead-settings', {
      firstContactSlaHours: 4,
      defaultPublicPoolId: pool.hqPublic,
      version: first.version,
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json()).toMatchObject({ firstContactSlaHours: 4, defaultPublicPoolId: pool.hqPublic })
    const stale = await admin('PUT', '/api/v1/lead-settings', {
      firstContactSlaHours: 8,
      version: first.version,
    })
    expect(stale.statusCode).toBe(409)
    const bad = await admin('PUT', '/api/v1/lead-settings', {
      defaultPublicPoolId: pool.east,
      closeReasons: [
        { key: 'a', label: 'A', status: 'closed' },
        { key: 'a', label: 'B', status: 'invalid' },
      ],
    })
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['closeReasons[1].key', 'defaultPublicPoolId'])
    expect(
      (await call(w.as.seller!, 'PUT', '/api/v1/lead-settings', { firstContactSlaHours: 1 })).statusCode,
    ).toBe(403)
    expect(
      (await kit.req(kit.b.admin, { method: 'GET', url: '/api/v1/lead-settings' })).json()
        .firstContactSlaHours,
    ).toBe(24)
  })

  it('keeps views per person; shared ones are visible to all but changed only by their owner', async () => {
    const mine = await call(w.as.seller!, 'POST', '/api/v1/saved-views', {
      name: '我的A类',
      query: { filter: { grade: 'A' } },
      columns: ['name', 'grade'],
    })
    expect(mine.statusCode, mine.body).toBe(201)
    const shared = await call(w.as.eastManager!, 'POST', '/api/v1/saved-views', {
      name: '华东共享',
      shared: true,
      layout: 'board',
    })
    await call(w.as.eastManager!, 'POST', '/api/v1/saved-views', { name: '经理私有' })
    const names = (await call(w.as.seller!, 'GET', '/api/v1/saved-views?object=lead'))
      .json()
      .items.map((v: { name: string }) => v.name)
    expect(names).toEqual(['我的A类', '华东共享'])
    expect(
      (await call(w.as.seller!, 'PATCH', `/api/v1/saved-views/${shared.json().id}`, { name: 'x' }))
        .statusCode,
    ).toBe(404)
    expect((await call(w.as.seller!, 'DELETE', `/api/v1/saved-views/${shared.json().id}`)).statusCode).toBe(
      404,
    )
    const renamed = await call(w.as.seller!, 'PATCH', `/api/v1/saved-views/${mine.json().id}`, {
      name: '我的A类线索',
      version: mine.json().version,
    })
    expect(renamed.json()).toMatchObject({ name: '我的A类线索', layout: 'list', object: 'lead' })
    expect((await call(w.as.seller!, 'DELETE', `/api/v1/saved-views/${mine.json().id}`)).statusCode).toBe(204)
  })
})

/**
 * The public pool (公海) over HTTP: listing with hidden fields, claim limits, locks, protection,
 * release, and concurrent claims (exactly one wins; run this file on PostgreSQL too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { type PoolWorld, poolWorld } from './pools.fixture.js'

let kit: Kit
let w: PoolWorld
beforeAll(async () => {
  kit = await createKit()
  w = await poolWorld(kit)
})
afterAll(() => kit.close())

let seq = 0
const call = (
  as: TestSession,
  method: string,
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => kit.req(as, { method: method as 'GET', url, payload: payload as Record<string, unknown>, headers })
const publicPool = async (settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
  const res = await call(kit.a.admin, 'POST', '/api/v1/lead-pools', {
    name: `公海${seq++}`,
    kind: 'public',
    unitId: w.unit.sh,
    settings,
    ...extra,
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}
const waiting = (poolId: string, n = 1, extra: Record<string, unknown> = {}) =>
  Promise.all(Array.from({ length: n }, () => w.lead({ poolId, unitId: w.unit.sh, ...extra })))
const claim = (as: TestSession, id: string, headers?: Record<string, string>) =>
  call(as, 'POST', `/api/v1/leads/${id}/claim`, undefined, headers)
const sql = async (text: string, params: unknown[] = []) =>
  (await kit.haina.database.pool.query(text, params)).rows
const openHeld = async (where: string, param: string) =>
  (
    await sql(
      `select count(*)::int as n from leads l join users u on u.tenant_id = l.tenant_id and u.id = l.owner_id
        where l.tenant_id = $1 and ${where} = $2 and l.status in ('new','assigned','following','qualified')`,
      [kit.a.tenantId, param],
    )
  )[0].n as number

describe('public pool', () => {
  it('lists unclaimed leads to the people it is open to, with hidden fields nulled and unsearchable', async () => {
    const poolId = await publicPool({ hiddenFields: ['mobile', 'company'] })
    const [shown] = await waiting(poolId, 1, { name: '隐藏客户', mobile: '13912345678', company: '某某科技' })
    await w.lead({ poolId, ownerId: w.user.seller2, name: '已被领取' })
    const res = await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().items).toEqual([
      expect.objectContaining({
        id: shown,
        name: '隐藏客户',
        mobile: null,
        company: null,
        claimableAt: null,
        lockedUntil: null,
      }),
    ])
    const byHidden = await call(
      w.as.seller!,
      'GET',
      `/api/v1/public-pools/${poolId}/leads?filter=${encodeURIComponent(JSON.stringify({ mobile: '+8613912345678' }))}`,
    )
    expect(byHidden.statusCode).toBe(400)
    expect(byHidden.json().errors[0].field).toBe('filter.mobile')
    const q = await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads?q=1391234`)
    expect(q.json().items).toEqual([])
    expect(
      (await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads?q=隐藏`)).json().items,
    ).toHaveLength(1)
    expect((await call(w.as.southSeller!, 'GET', `/api/v1/public-pools/${poolId}/leads`)).statusCode).toBe(
      404,
    )
  })

  it('claims a lead once: the claimer owns it, the next one finds it claimed', async () => {
    const poolId = await publicPool()
    const [id] = await waiting(poolId)
    const res = await claim(w.as.seller!, id!)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      ownerId: w.user.seller,
      status: 'assigned',
      unitId: w.unit.shTeam,
      poolId,
    })
    const again = await claim(w.as.seller2!, id!)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('already_claimed')
    expect((await claim(w.as.southSeller!, id!)).statusCode).toBe(404)
    expect((await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads`)).json().items).toEqual([])
    const moves = (await call(w.as.seller!, 'GET', `/api/v1/leads/${id}/moves`)).json().items
    expect(moves[0]).toMatchObject({
      kind: 'claim',
      fromOwnerId: null,
      toOwnerId: w.user.seller,
      actorName: 'seller',
    })
  })

  it('protects new leads for the configured hours', async () => {
    const poolId = await publicPool({ protectionHours: 24 })
    const [id] = await waiting(poolId)
    const listed = (await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads`)).json().items[0]
    expect(new Date(listed.claimableAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000)
    const res = await claim(w.as.seller!, id!)
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('claim_protected')
    await sql(`update leads set pool_entered_at = now() - interval '25 hours' where id = $1`, [id])
    expect((await claim(w.as.seller!, id!)).statusCode).toBe(200)
  })

  it('stops at the daily limit with a message naming it, in the caller’s language', async () => {
    const poolId = await publicPool({ dailyClaimLimit: 2 })
    const ids = await waiting(poolId, 4)
    expect((await claim(w.as.seller2!, ids[0]!)).statusCode).toBe(200)
    expect((await claim(w.as.seller2!, ids[1]!)).statusCode).toBe(200)
    const over = await claim(w.as.seller2!, ids[2]!, { 'accept-language': 'en' })
    expect(over.statusCode).toBe(409)
    expect(over.json()).toMatchObject({ code: 'claim_daily_limit', params: { limit: 2 } })
    expect(over.json().detail).toContain('Daily claim limit reached (2 per day)')
    const zh = await claim(w.as.seller2!, ids[2]!, { 'accept-language': 'zh-TW' })
    expect(zh.json().detail).toContain('每天 2 條')
    // Yesterday's claims (workspace time zone) do not count.
    await sql(
      `update lead_moves set at = now() - interval '2 days' where tenant_id = $1 and kind = 'claim' and actor_id = $2`,
      [kit.a.tenantId, w.user.seller2],
    )
    expect((await claim(w.as.seller2!, ids[2]!)).statusCode).toBe(200)
  })

  it('caps what a person and a department may hold', async () => {
    const held = await openHeld('l.owner_id', w.user.seller3!)
    const personal = await publicPool({ userHoldingCap: held + 1 })
    const ids = await waiting(personal, 2)
    expect((await claim(w.as.seller3!, ids[0]!)).statusCode).toBe(200)
    const over = await claim(w.as.seller3!, ids[1]!)
    expect(over.json()).toMatchObject({ code: 'claim_holding_cap', params: { limit: held + 1 } })

    const team = await openHeld('u.unit_id', w.unit.shTeam)
    const unitPool = await publicPool({ unitHoldingCap: team + 1 })
    const [a, b] = await waiting(unitPool, 2)
    expect((await claim(w.as.seller!, a!)).statusCode).toBe(200)
    const full = await claim(w.as.seller2!, b!)
    expect(full.statusCode).toBe(409)
    expect(full.json()).toMatchObject({ code: 'claim_unit_cap', params: { limit: team + 1 } })
  })

  it('releases with a reason and locks the previous owner out for N days', async () => {
    const poolId = await publicPool({ reclaimLockDays: 7 })
    const [id] = await waiting(poolId)
    expect((await claim(w.as.seller!, id!)).statusCode).toBe(200)
    const noReason = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/release`, { reason: ' ' })
    expect(noReason.statusCode).toBe(400)
    const rel = await call(w.as.seller!, 'POST', `/api/v1/leads/${id}/release`, { reason: '多次联系不上' })
    expect(rel.statusCode, rel.body).toBe(200)
    expect(rel.json()).toEqual({ released: 1, poolIds: [poolId] })
    const [lead] = await sql('select owner_id, pool_id, unit_id, status from leads where id = $1', [id])
    expect(lead).toEqual({ owner_id: null, pool_id: poolId, unit_id: w.unit.sh, status: 'new' })
    const listed = (await call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/leads`)).json().items[0]
    expect(new Date(listed.lockedUntil).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000)
    const locked = await claim(w.as.seller!, id!)
    expect(locked.statusCode).toBe(409)
    expect(locked.json().code).toBe('claim_locked')
    expect((await claim(w.as.seller2!, id!)).statusCode).toBe(200)
    const moves = (await call(kit.a.admin, 'GET', `/api/v1/leads/${id}/moves`)).json().items
    expect(moves.map((m: { kind: string }) => m.kind)).toEqual(['claim', 'release', 'claim'])
    expect(moves[1].reason).toBe('多次联系不上')
  })

  it('releases to the pool’s reclaim pool (inherited down the nesting), and refuses when there is none', async () => {
    const target = await publicPool()
    const sub = await call(kit.a.admin, 'POST', '/api/v1/lead-pools', {
      name: `回收子池${seq++}`,
      kind: 'sub',
      unitId: w.unit.sh,
      reclaimPoolId: target,
    })
    const [a, b] = await Promise.all([
      w.lead({ poolId: sub.json().id, ownerId: w.user.seller }),
      w.lead({ poolId: sub.json().id, ownerId: w.user.seller }),
    ])
    // A sub-pool nested below it without its own reclaim pool releases to the same one.
    const nested = await call(kit.a.admin, 'POST', '/api/v1/lead-pools', {
      name: `嵌套子池${seq++}`,
      kind: 'sub',
      unitId: w.unit.sh,
      parentId: sub.json().id,
    })
    const c = await w.lead({ poolId: nested.json().id, ownerId: w.user.seller })
    const bulk = await call(w.as.seller!, 'POST', '/api/v1/leads/bulk/release', {
      ids: [a, b, c],
      reason: '其他',
    })
    expect(bulk.json()).toEqual({ released: 3, poolIds: [target] })
    const notPublic = await call(kit.a.admin, 'POST', `/api/v1/leads/${a}/release`, {
      reason: 'x',
      poolId: sub.json().id,
    })
    expect(notPublic.json().errors).toEqual([
      expect.objectContaining({ field: 'poolId', code: 'not_public_pool' }),
    ])
    const [other] = await kit.haina.database.pool
      .query(
        `insert into leads (tenant_id, id, name, unit_id, org_id, owner_id, status)
       values ($1, gen_random_uuid(), 'B', $2, $2, $3, 'assigned') returning id`,
        [kit.b.tenantId, kit.b.rootUnitId, kit.b.adminId],
      )
      .then((r) => r.rows)
    const none = await kit.req(kit.b.admin, {
      method: 'POST',
      url: `/api/v1/leads/${other.id}/release`,
      payload: { reason: '其他' },
    })
    expect(none.statusCode).toBe(400)
    expect(none.json().code).toBe('no_public_pool')
    expect(
      (await call(w.as.southSeller!, 'POST', `/api/v1/leads/${a}/release`, { reason: 'x' })).statusCode,
    ).toBe(404)
  })

  it('claims in bulk, answering each lead', async () => {
    const poolId = await publicPool({ dailyClaimLimit: 1 })
    const ids = await waiting(poolId, 2)
    const res = await call(w.as.seller3!, 'POST', '/api/v1/leads/claim', {
      ids: [...ids, '00000000-0000-7000-8000-000000000000'],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results).toEqual([
      { id: ids[0], ok: true },
      { id: ids[1], ok: false, code: 'claim_daily_limit', params: { limit: 1 } },
      { id: '00000000-0000-7000-8000-000000000000', ok: false, code: 'not_found' },
    ])
  })
})

describe('concurrent claims (exactly one wins)', () => {
  const codes = (res: { statusCode: number; json(): { code?: string } }[]) =>
    res.map((r) => (r.statusCode === 200 ? 'ok' : r.json().code)).sort()

  it('two people, one lead', async () => {
    const poolId = await publicPool()
    for (let round = 0; round < 3; round++) {
      const [id] = await waiting(poolId)
      const res = await Promise.all([
        claim(w.as.seller!, id!),
        claim(w.as.seller2!, id!),
        claim(w.as.eastManager!, id!),
      ])
      expect(codes(res)).toEqual(['already_claimed', 'already_claimed', 'ok'])
      const [row] = await sql('select count(*)::int as n from lead_moves where lead_id = $1', [id])
      expect(row.n).toBe(1)
    }
  })

  it('one person, the last daily slot', async () => {
    const poolId = await publicPool({ dailyClaimLimit: 1 })
    const ids = await waiting(poolId, 3)
    const res = await Promise.all(ids.map((id) => claim(w.as.seller3!, id)))
    expect(codes(res)).toEqual(['claim_daily_limit', 'claim_daily_limit', 'ok'])
  })

  it('one department, the last holding slot', async () => {
    const team = await openHeld('u.unit_id', w.unit.shTeam)
    const poolId = await publicPool({ unitHoldingCap: team + 1 })
    const ids = await waiting(poolId, 3)
    const res = await Promise.all([
      claim(w.as.seller!, ids[0]!),
      claim(w.as.seller2!, ids[1]!),
      claim(w.as.seller3!, ids[2]!),
    ])
    expect(codes(res)).toEqual(['claim_unit_cap', 'claim_unit_cap', 'ok'])
  })
})

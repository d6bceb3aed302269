/**
 * The customer public pool (公海) under the lead pools' rules: hidden fields, claims and their
 * limits, locks and protection, release, automatic reclaim; concurrent claims (exactly one wins;
 * run this file on PostgreSQL too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { registeredSchedules } from '../../../platform/jobs/cron.js'
import { type CustomerWorld, customerWorld } from './fixture.js'
import { reclaimCustomers } from './reclaim.service.js'

let kit: Kit
let w: CustomerWorld
let n = 0
beforeAll(async () => {
  kit = await createKit()
  w = await customerWorld(kit)
})
afterAll(() => kit.close())

/** Customers waiting (no owner) in `poolId`, placed in the pool's unit as a release leaves them. */
async function waiting(poolId: string, count = 1, extra: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const c = await w.customer(kit.a.admin, {
      name: `公海客户${n++}`,
      unitId: w.unit.sh,
      ownerId: null,
      ...extra,
    })
    await w.sql('update customers set pool_id = $1, pool_entered_at = now() where id = $2', [poolId, c.id])
    ids.push(c.id)
  }
  return ids
}
const claim = (as: TestSession, id: string, headers?: Record<string, string>) =>
  w.call(as, 'POST', `/api/v1/customers/${id}/claim`, undefined, headers)
const held = async (where: string, param: string) =>
  (
    await w.sql(
      `select count(*)::int as n from customers c join users u on u.tenant_id = c.tenant_id and u.id = c.owner_id
        where c.tenant_id = $1 and ${where} = $2 and c.status = 'active'`,
      [kit.a.tenantId, param],
    )
  )[0].n as number

describe('customer public pool', () => {
  it('lists waiting customers to the pool’s people with hidden fields nulled and unsearchable', async () => {
    const poolId = await w.publicPool({ hiddenFields: ['mobile', 'creditCode', 'custom.note'] })
    const [id] = await waiting(poolId, 1, { phone: '13912345678', address: '上海市浦东新区' })
    const res = await w.call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/customers`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().items).toEqual([
      expect.objectContaining({
        id,
        phone: null,
        address: '上海市浦东新区',
        claimableAt: null,
        lockedUntil: null,
      }),
    ])
    const byHidden = await w.call(
      w.as.seller!,
      'GET',
      `/api/v1/public-pools/${poolId}/customers?filter=${encodeURIComponent(JSON.stringify({ phone: '+8613912345678' }))}`,
    )
    expect(byHidden.statusCode).toBe(400)
    expect(byHidden.json().errors[0].field).toBe('filter.phone')
    expect(
      (await w.call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/customers?q=12345678`)).json().items,
    ).toEqual([])
    expect(
      (await w.call(w.as.southSeller!, 'GET', `/api/v1/public-pools/${poolId}/customers`)).statusCode,
    ).toBe(404)
    // Not in the caller's scope: a salesperson sees it only through the pool.
    expect((await w.call(w.as.seller!, 'GET', `/api/v1/customers/${id}`)).statusCode).toBe(404)
  })

  it('claims once: the claimer owns it with its contacts, the next finds it claimed', async () => {
    const poolId = await w.publicPool()
    const [id] = await waiting(poolId)
    await w.call(kit.a.admin, 'POST', '/api/v1/contacts', { customerId: id, name: '公海联系人' })
    const res = await claim(w.as.seller!, id!)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ ownerId: w.user.seller, unitId: w.unit.shTeam, poolId })
    const [ct] = await w.sql('select owner_id, unit_id from contacts where customer_id = $1', [id])
    expect(ct).toEqual({ owner_id: w.user.seller, unit_id: w.unit.shTeam })
    const again = await claim(w.as.seller2!, id!)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('already_claimed')
    expect((await claim(w.as.southSeller!, id!)).statusCode).toBe(404)
    expect((await w.call(w.as.seller!, 'GET', `/api/v1/customers/${id}`)).statusCode).toBe(200)
    const [audit] = await w.sql(
      `select actor_id, before, after from audit_log where object_type = 'customer' and object_id = $1 and action = 'claim'`,
      [id],
    )
    expect(audit).toMatchObject({ actor_id: w.user.seller, before: { ownerId: null, poolId } })
  })

  it('protects new arrivals, limits daily claims and holdings per person and department', async () => {
    const protectedPool = await w.publicPool({ protectionHours: 24 })
    const [p] = await waiting(protectedPool)
    const listed = (
      await w.call(w.as.seller!, 'GET', `/api/v1/public-pools/${protectedPool}/customers`)
    ).json().items[0]
    expect(new Date(listed.claimableAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000)
    expect((await claim(w.as.seller!, p!)).json().code).toBe('claim_protected')
    await w.sql(`update customers set pool_entered_at = now() - interval '25 hours' where id = $1`, [p])
    expect((await claim(w.as.seller!, p!)).statusCode).toBe(200)

    const daily = await w.publicPool({ dailyClaimLimit: 2 })
    const ids = await waiting(daily, 3)
    expect((await claim(w.as.seller2!, ids[0]!)).statusCode).toBe(200)
    expect((await claim(w.as.seller2!, ids[1]!)).statusCode).toBe(200)
    const over = await claim(w.as.seller2!, ids[2]!, { 'accept-language': 'en' })
    expect(over.statusCode).toBe(409)
    expect(over.json()).toMatchObject({ code: 'claim_daily_limit', params: { limit: 2 } })
    expect(over.json().detail).toContain('2 per day')

    const mine = await held('c.owner_id', w.user.seller3!)
    const capped = await w.publicPool({ userHoldingCap: mine + 1 })
    const [a, b] = await waiting(capped, 2)
    expect((await claim(w.as.seller3!, a!)).statusCode).toBe(200)
    expect((await claim(w.as.seller3!, b!)).json()).toMatchObject({
      code: 'claim_holding_cap',
      params: { limit: mine + 1 },
    })

    const team = await held('u.unit_id', w.unit.shTeam)
    const unitPool = await w.publicPool({ unitHoldingCap: team + 1 })
    const [x, y] = await waiting(unitPool, 2)
    expect((await claim(w.as.seller!, x!)).statusCode).toBe(200)
    expect((await claim(w.as.seller2!, y!)).json()).toMatchObject({
      code: 'claim_unit_cap',
      params: { limit: team + 1 },
    })

    const bulk = await w.call(w.as.seller3!, 'POST', '/api/v1/customers/claim', { ids: [b, p] })
    expect(bulk.json().results).toEqual([
      { id: b, ok: false, code: 'claim_holding_cap', params: { limit: mine + 1 } },
      { id: p, ok: false, code: 'already_claimed' },
    ])
  })

  it('releases with a reason to its pool and locks the previous owner out', async () => {
    const poolId = await w.publicPool({ reclaimLockDays: 7 })
    const [id] = await waiting(poolId)
    expect((await claim(w.as.seller!, id!)).statusCode).toBe(200)
    const noReason = await w.call(w.as.seller!, 'POST', `/api/v1/customers/${id}/release`, { reason: ' ' })
    expect(noReason.statusCode).toBe(400)
    const rel = await w.call(w.as.seller!, 'POST', `/api/v1/customers/${id}/release`, {
      reason: '多次联系不上',
    })
    expect(rel.statusCode, rel.body).toBe(200)
    expect(rel.json()).toEqual({ released: 1, poolIds: [poolId] })
    const [row] = await w.sql('select owner_id, pool_id, unit_id from customers where id = $1', [id])
    expect(row).toEqual({ owner_id: null, pool_id: poolId, unit_id: w.unit.sh })
    const listed = (await w.call(w.as.seller!, 'GET', `/api/v1/public-pools/${poolId}/customers`)).json()
      .items[0]
    expect(new Date(listed.lockedUntil).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000)
    expect((await claim(w.as.seller!, id!)).json().code).toBe('claim_locked')
    expect((await claim(w.as.seller2!, id!)).statusCode).toBe(200)
    const [audit] = await w.sql(
      `select summary from audit_log where object_type = 'customer' and object_id = $1 and action = 'release'`,
      [id],
    )
    expect(audit.summary).toContain('多次联系不上')

    // A customer that never was in a pool goes to the workspace's default public pool.
    const own = await w.customer(w.as.seller!, { name: `自建客户${n++}` })
    const dflt = await w.publicPool()
    await w.call(kit.a.admin, 'PUT', '/api/v1/lead-settings', { defaultPublicPoolId: dflt })
    const toDefault = await w.call(w.as.seller!, 'POST', `/api/v1/customers/${own.id}/release`, {
      reason: '其他',
    })
    expect(toDefault.json().poolIds).toEqual([dflt])
    expect(
      (await w.call(w.as.seller2!, 'POST', `/api/v1/customers/${own.id}/release`, { reason: '其他' }))
        .statusCode,
    ).toBe(404)
  })

  it('reclaims customers nobody followed up (and who ordered nothing) into the public pool', async () => {
    const target = await w.publicPool({ reclaimLockDays: 3, reclaim: { enabled: true, noFollowUpDays: 10 } })
    await w.call(kit.a.admin, 'PUT', '/api/v1/lead-settings', { defaultPublicPoolId: target })
    const make = async (
      name: string,
      assignedDaysAgo: number,
      extra: { followed?: number; orderedDaysAgo?: number } = {},
    ) => {
      const c = await w.customer(w.as.seller!, { name: `${name}${n++}` })
      await w.sql(
        `update customers set assigned_at = now() - make_interval(days => $2),
                last_follow_up_at = case when $3::int is null then null else now() - make_interval(days => $3::int) end
          where id = $1`,
        [c.id, assignedDaysAgo, extra.followed ?? null],
      )
      if (extra.orderedDaysAgo != null)
        await w.sql(
          `insert into orders (tenant_id, id, number, customer_id, status, total, ordered_at, unit_id, org_id, owner_id)
           values ($1, gen_random_uuid(), $2, $3, 'completed', 100, now() - make_interval(days => $4), $5, $6, $7)`,
          [kit.a.tenantId, `SO-R-${n++}`, c.id, extra.orderedDaysAgo, c.unitId, c.orgId, c.ownerId],
        )
      return c.id as string
    }
    const stale = await make('久未跟进', 20)
    const followed = await make('最近跟进', 20, { followed: 2 })
    const ordered = await make('最近下单', 20, { orderedDaysAgo: 3 })
    const fresh = await make('刚领取', 2)
    const res = await reclaimCustomers(kit.haina.database.db, kit.a.tenantId)
    expect(res).toMatchObject({ reclaimed: 1, notified: 1 })
    const rows = await w.sql('select id, owner_id, pool_id from customers where id = any($1)', [
      [stale, followed, ordered, fresh],
    ])
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]))
    expect(byId[stale]).toMatchObject({ owner_id: null, pool_id: target })
    for (const id of [followed, ordered, fresh]) expect(byId[id].owner_id).toBe(w.user.seller)
    expect((await claim(w.as.seller!, stale)).json().code).toBe('claim_locked')
    const [note] = await w.sql(
      `select title, link from notifications where tenant_id = $1 and user_id = $2 and kind = 'reclaimed' and subject_id = $3`,
      [kit.a.tenantId, w.user.seller, stale],
    )
    expect(note.title).toContain('客户「久未跟进')
    expect(note.link).toBe(`/customers/${stale}`)
    expect((await reclaimCustomers(kit.haina.database.db, kit.a.tenantId)).reclaimed).toBe(0)
    expect(registeredSchedules()).toContainEqual(
      expect.objectContaining({ jobType: 'sales.customers-reclaim' }),
    )
  })
})

describe('concurrent customer claims (exactly one wins)', () => {
  const codes = (res: { statusCode: number; json(): { code?: string } }[]) =>
    res.map((r) => (r.statusCode === 200 ? 'ok' : r.json().code)).sort()

  it('two people, one customer', async () => {
    const poolId = await w.publicPool()
    for (let round = 0; round < 3; round++) {
      const [id] = await waiting(poolId)
      const res = await Promise.all([claim(w.as.seller!, id!), claim(w.as.seller2!, id!)])
      expect(codes(res)).toEqual(['already_claimed', 'ok'])
      const [row] = await w.sql(
        `select count(*)::int as n from audit_log where object_type = 'customer' and object_id = $1 and action = 'claim'`,
        [id],
      )
      expect(row.n).toBe(1)
    }
  })

  it('one person, the last daily slot', async () => {
    const poolId = await w.publicPool({ dailyClaimLimit: 1 })
    const ids = await waiting(poolId, 3)
    const res = await Promise.all(ids.map((id) => claim(w.as.seller3!, id)))
    expect(codes(res)).toEqual(['claim_daily_limit', 'claim_daily_limit', 'ok'])
  })
})

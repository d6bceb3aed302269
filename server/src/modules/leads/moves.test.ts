/** moveLeads: the one path for pool/org/owner/status changes, with history and audit, at any batch size. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { createUnits } from '../../platform/org/units.service.js'
import { leadMovesOf, moveLeads } from './moves.service.js'
import { createPool } from './pools.service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const sql = async (text: string, params: unknown[] = []) =>
  (await kit.haina.database.pool.query(text, params)).rows

describe('moveLeads', () => {
  it('moves pool, owner and status with one history row and one audit entry per lead', async () => {
    const sys = kit.a.sys
    const pool = await createPool(sys, { name: '移动池', kind: 'sub' })
    const [dealer] = await createUnits(sys, [{ parentId: kit.a.rootUnitId, type: 'dealer', name: '经销商' }])
    const [row] = await sql(
      `insert into leads (tenant_id, id, name, unit_id, org_id, status) values ($1, gen_random_uuid(), '甲', $2, $2, 'new') returning id`,
      [kit.a.tenantId, kit.a.rootUnitId],
    )
    const id = row.id as string
    await moveLeads(sys, [id], { poolId: pool.id }, { kind: 'pool' })
    const [afterPool] = await sql('select pool_id, pool_entered_at, status from leads where id = $1', [id])
    expect(afterPool).toMatchObject({ pool_id: pool.id, status: 'new' })
    expect(afterPool.pool_entered_at).not.toBeNull()
    const [moved] = await moveLeads(
      sys,
      [id],
      { ownerId: kit.a.adminId, unitId: String(dealer!.id) },
      { kind: 'assign', reason: '手工' },
    )
    expect(moved).toMatchObject({
      ownerId: kit.a.adminId,
      unitId: dealer!.id,
      orgId: dealer!.id,
      status: 'assigned',
    })
    expect(moved!.assignedAt).not.toBeNull()
    await moveLeads(sys, [id], { status: 'invalid', closeReason: 'duplicate' }, { kind: 'status' })
    const history = await leadMovesOf(sys, id)
    expect(history.map((m) => `${m.kind}:${m.fromStatus}>${m.toStatus}`)).toEqual([
      'pool:new>new',
      'assign:new>assigned',
      'status:assigned>invalid',
    ])
    expect(history[1]).toMatchObject({ fromOrgId: kit.a.rootUnitId, toOrgId: dealer!.id, reason: '手工' })
    const audit = await sql(
      `select action, before, after from audit_log where tenant_id = $1 and object_id = $2 order by at, id`,
      [kit.a.tenantId, id],
    )
    expect(audit.map((a) => a.action)).toEqual(['pool', 'assign', 'status'])
    expect(audit[2]).toMatchObject({
      before: { status: 'assigned', closeReason: null },
      after: { status: 'invalid', closeReason: 'duplicate' },
    })
  })

  it('moves a batch past the bind-parameter limit (5,000 leads in one call)', async () => {
    const pool = await createPool(kit.a.sys, { name: '大批量池', kind: 'sub' })
    const rows = await sql(
      `insert into leads (tenant_id, id, name, unit_id, org_id)
       select $1, gen_random_uuid(), '批量' || g, $2, $2 from generate_series(1, 5000) g returning id`,
      [kit.a.tenantId, kit.a.rootUnitId],
    )
    const moved = await moveLeads(
      kit.a.sys,
      rows.map((r) => r.id),
      { poolId: pool.id, ownerId: kit.a.adminId },
      { kind: 'assign' },
    )
    expect(moved).toHaveLength(5000)
    const [n] = await sql(
      `select count(*)::int as n from lead_moves where tenant_id = $1 and to_pool_id = $2`,
      [kit.a.tenantId, pool.id],
    )
    expect(n.n).toBe(5000)
    const [a] = await sql(
      `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'assign'`,
      [kit.a.tenantId],
    )
    expect(a.n).toBeGreaterThanOrEqual(5000)
  })

  it('never touches another workspace’s leads', async () => {
    const [row] = await sql(
      `insert into leads (tenant_id, id, name, unit_id, org_id) values ($1, gen_random_uuid(), 'B', $2, $2) returning id`,
      [kit.b.tenantId, kit.b.rootUnitId],
    )
    expect(
      await moveLeads(kit.a.sys, [row.id], { status: 'closed', closeReason: 'no_need' }, { kind: 'status' }),
    ).toEqual([])
    expect((await sql('select status from leads where id = $1', [row.id]))[0].status).toBe('new')
  })
})

/**
 * Test fixture for the pool tests: an org tree like seed 002/003 (HQ with marketing and sales,
 * region 华东 with dealer 上海 and its team, region 华南 with dealer 深圳 and its team) and one
 * person per ready-made role, signed in.
 */
import type { Kit, TestSession } from '../../../test/kit.js'
import { createUnits } from '../../platform/org/units.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { createLeads, type LeadInput } from './service.js'

export interface PoolWorld {
  unit: Record<'mkt' | 'sales' | 'east' | 'sh' | 'shTeam' | 'south' | 'sz' | 'szTeam', string>
  user: Record<string, string>
  as: Record<string, TestSession>
  lead(input: Partial<LeadInput> & { poolId?: string | null }): Promise<string>
}

let seq = 0
export async function poolWorld(kit: Kit): Promise<PoolWorld> {
  const sys = kit.a.sys
  const root = kit.a.rootUnitId
  const add = async (parentId: string, type: 'department' | 'region' | 'dealer' | 'team', name: string) =>
    String((await createUnits(sys, [{ parentId, type, name }]))[0]!.id)
  const mkt = await add(root, 'department', '市场部')
  const sales = await add(root, 'department', '销售部')
  const east = await add(root, 'region', '华东大区')
  const sh = await add(east, 'dealer', '上海经销商')
  const shTeam = await add(sh, 'team', '上海一组')
  const south = await add(root, 'region', '华南大区')
  const sz = await add(south, 'dealer', '深圳经销商')
  const szTeam = await add(sz, 'team', '深圳一组')
  const { rows } = await kit.haina.database.pool.query(`select id, key from roles where tenant_id = $1`, [
    kit.a.tenantId,
  ])
  const role = (key: string) => rows.find((r: { key: string }) => r.key === key)!.id as string
  const people: [string, string, string][] = [
    ['director', sales, 'sales_director'],
    ['marketing', mkt, 'marketing'],
    ['eastManager', east, 'sales_manager'],
    ['seller', shTeam, 'salesperson'],
    ['seller2', shTeam, 'salesperson'],
    ['seller3', shTeam, 'salesperson'],
    ['southSeller', szTeam, 'salesperson'],
  ]
  const user: Record<string, string> = {}
  const as: Record<string, TestSession> = {}
  const made = await createUsers(
    sys,
    people.map(([key, unitId, r]) => ({
      email: `${key}-${seq++}@pools.test`,
      name: key,
      unitId,
      roleIds: [role(r)],
      password: 'Passw0rd!2026',
    })),
  )
  for (const [i, [key]] of people.entries()) {
    user[key] = made[i]!.id
    as[key] = await kit.login(kit.a.tenantId, made[i]!.id)
  }
  return {
    unit: { mkt, sales, east, sh, shTeam, south, sz, szTeam },
    user,
    as,
    async lead(input) {
      const { poolId, ...rest } = input
      const [l] = await createLeads(sys, [{ name: `线索${seq++}`, ownerId: null, unitId: root, ...rest }])
      if (poolId !== undefined)
        await kit.haina.database.pool.query(
          'update leads set pool_id = $1, pool_entered_at = now() where id = $2',
          [poolId, l!.id],
        )
      return String(l!.id)
    },
  }
}

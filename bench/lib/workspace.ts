import { type Ctx, systemActor } from '../../server/src/platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../server/src/platform/access/permissions.js'
import type { Database } from '../../server/src/platform/db/index.js'
import { createUnits } from '../../server/src/platform/org/units.service.js'
import { createUsers } from '../../server/src/platform/org/users.service.js'
import { createWorkspace } from '../../server/src/platform/tenancy/service.js'

export interface BenchWorkspaceOptions {
  name: string
  slug: string
  /** Sales teams under the root unit: 销售1组 … ('team') or 销售1部 … ('department'). */
  teams: number
  unitType?: 'team' | 'department'
  /** Salespeople per team: s000@bench.test … (s<i> in team i mod teams). */
  perTeam: number
  /** A sales manager per team: m0@bench.test …. */
  managers?: boolean
  /** More users at the root unit, with the key of their built-in role (e.g. marketing, sales_director). */
  extraUsers?: { email: string; name: string; role: string }[]
}

type User = Awaited<ReturnType<typeof createUsers>>[number]

export interface BenchWorkspace {
  tenantId: string
  rootUnitId: string
  adminId: string
  /** The system actor at the root unit (everything allowed). */
  sys: Ctx
  /** Team unit ids, in order. */
  teams: string[]
  sellers: User[]
  managers: User[]
  extraUsers: User[]
}

/**
 * A bench workspace: admin@bench.test, the teams, their salespeople (and managers) and the extra
 * users at the root unit, made through the product services in one createUsers call.
 */
export async function benchWorkspace(d: Database, opts: BenchWorkspaceOptions): Promise<BenchWorkspace> {
  const made = await createWorkspace(d.db, {
    name: opts.name,
    slug: opts.slug,
    admin: { name: 'Admin', email: 'admin@bench.test', password: 'Passw0rd!2026' },
  })
  const tenantId = made.tenant.id
  const root = made.rootUnit.id
  const sys: Ctx = {
    db: d.db,
    actor: { ...systemActor(tenantId, ALL_PERMISSIONS), unitId: root },
    locale: 'zh-CN',
  }
  const type = opts.unitType ?? 'team'
  const teams = (
    await createUnits(
      sys,
      Array.from({ length: opts.teams }, (_, i) => ({
        parentId: root,
        type,
        name: `销售${i + 1}${type === 'team' ? '组' : '部'}`,
      })),
    )
  ).map((u) => String(u.id))
  const roleIds = new Map<string, string>()
  const role = async (key: string) => {
    if (!roleIds.has(key)) {
      const { rows } = await d.pool.query(`select id from roles where tenant_id = $1 and key = $2`, [
        tenantId,
        key,
      ])
      if (!rows[0]) throw new Error(`no built-in role ${key}`)
      roleIds.set(key, String(rows[0].id))
    }
    return roleIds.get(key)!
  }
  const seller = await role('salesperson')
  const manager = opts.managers ? await role('sales_manager') : null
  const extra = []
  for (const u of opts.extraUsers ?? [])
    extra.push({ email: u.email, name: u.name, unitId: root, roleIds: [await role(u.role)] })
  const sellerCount = opts.teams * opts.perTeam
  const managerCount = manager ? teams.length : 0
  const users = await createUsers(sys, [
    ...Array.from({ length: sellerCount }, (_, i) => ({
      email: `s${String(i).padStart(3, '0')}@bench.test`,
      name: `销售${i}`,
      unitId: teams[i % opts.teams]!,
      roleIds: [seller],
    })),
    ...(manager
      ? teams.map((unitId, i) => ({
          email: `m${i}@bench.test`,
          name: `经理${i}`,
          unitId,
          roleIds: [manager],
        }))
      : []),
    ...extra,
  ])
  return {
    tenantId,
    rootUnitId: root,
    adminId: made.admin.id,
    sys,
    teams,
    sellers: users.slice(0, sellerCount),
    managers: users.slice(sellerCount, sellerCount + managerCount),
    extraUsers: users.slice(sellerCount + managerCount),
  }
}

import { and, eq } from 'drizzle-orm'
import { type Ctx, systemActor } from '../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../platform/access/permissions.js'
import { createDefinition } from '../platform/custom-fields/definitions.service.js'
import { analyzeStale } from '../platform/db/autoanalyze.js'
import type { Db } from '../platform/db/index.js'
import { roles } from '../platform/org/schema.js'
import { createUnits } from '../platform/org/units.service.js'
import { createUsers } from '../platform/org/users.service.js'
import { createWorkspace } from '../platform/tenancy/service.js'
import { seedDemoLeads } from './leads.seed.js'
import { person } from './people.js'
import { type DemoOrg, seedPools } from './pools.seed.js'
import { seedProfiles } from './profiles.seed.js'
import { rng } from './random.js'
import { seedSales } from './sales.seed.js'

export const DEMO_LOGIN = { workspace: 'demo', email: 'admin@demo.haina.local', password: 'Haina2026!' }

/**
 * The demo workspace: HQ with marketing, sales and service departments, three sales regions with
 * two dealers each (two teams per dealer), people in every ready-made role, two custom fields,
 * `leads` leads, lead pools with rules and two months of history (pools.seed.ts), and sales —
 * `customers` customers (300) with contacts, opportunities, quotes, 18 months of orders and
 * tasks (sales.seed.ts) — created through the real services (in bulk through their repositories
 * where the volume asks for it).
 */
export async function seedDemo(db: Db, opts: { seed: number; leads: number; customers?: number }) {
  const r = rng(opts.seed)
  const ws = await createWorkspace(db, {
    name: '海纳演示集团',
    slug: DEMO_LOGIN.workspace,
    admin: { name: '系统管理员', email: DEMO_LOGIN.email, password: DEMO_LOGIN.password },
  })
  const ctx: Ctx = { db, actor: systemActor(ws.tenant.id, ALL_PERMISSIONS), locale: 'zh-CN' }
  const roleRows = await db
    .select()
    .from(roles)
    .where(and(eq(roles.tenantId, ws.tenant.id)))
  const roleId = (key: string) => roleRows.find((x) => x.key === key)!.id
  const hq = ws.rootUnit.id
  const unit = async (
    parentId: string,
    type: Parameters<typeof createUnits>[1][number]['type'],
    name: string,
    code: string,
  ) => String((await createUnits(ctx, [{ parentId, type, name, code }]))[0]!.id)

  const marketing = await unit(hq, 'department', '市场部', 'MKT')
  const salesDept = await unit(hq, 'department', '销售部', 'SALES')
  const service = await unit(hq, 'department', '客服部', 'CS')
  const teams: string[] = []
  const regions: DemoOrg['regions'] = []
  const dealerRegions = [
    ['华东大区', 'EAST', ['上海浦东经销商', '杭州西湖经销商']],
    ['华南大区', 'SOUTH', ['深圳南山经销商', '广州天河经销商']],
    ['华北大区', 'NORTH', ['北京朝阳经销商', '天津和平经销商']],
  ] as const
  const staff: {
    email: string
    name: string
    phone: string
    unitId: string
    roleIds: string[]
    password: string
  }[] = []
  const hire = (unitId: string, role: string, n = 1) => {
    for (let i = 0; i < n; i++) {
      const p = person(r)
      staff.push({
        email: `${role}.${staff.length + 1}@demo.haina.local`,
        name: p.name,
        phone: p.mobile,
        unitId,
        roleIds: [roleId(role)],
        password: DEMO_LOGIN.password,
      })
    }
  }
  hire(hq, 'management')
  hire(hq, 'auditor')
  hire(marketing, 'marketing', 2)
  hire(salesDept, 'sales_director')
  hire(service, 'customer_service', 2)
  for (const [regionName, code, dealers] of dealerRegions) {
    const regionId = await unit(hq, 'region', regionName, code)
    const regionEntry: DemoOrg['regions'][number] = { id: regionId, name: regionName, code, dealers: [] }
    regions.push(regionEntry)
    hire(regionId, 'sales_manager')
    for (const [i, dealerName] of dealers.entries()) {
      const dealer = await unit(regionId, 'dealer', dealerName, `${code}-D${i + 1}`)
      hire(dealer, 'sales_manager')
      regionEntry.dealers.push({ id: dealer, name: dealerName, teams: [] })
      for (const t of [1, 2]) {
        const team = await unit(dealer, 'team', `${dealerName.slice(0, 2)}${t}组`, `${code}-D${i + 1}-T${t}`)
        teams.push(team)
        regionEntry.dealers.at(-1)!.teams.push(team)
        hire(team, 'salesperson', 3)
      }
    }
  }
  const people = await createUsers(ctx, staff)
  const sellers = people.filter((u) => u.roleIds.includes(roleId('salesperson')))

  await createDefinition(ctx, {
    object: 'lead',
    key: 'level',
    label: '意向等级',
    type: 'single_select',
    options: [
      { value: 'A', label: 'A 高意向', color: 'red' },
      { value: 'B', label: 'B 中意向', color: 'orange' },
      { value: 'C', label: 'C 低意向', color: 'blue' },
    ],
  })
  await createDefinition(ctx, { object: 'lead', key: 'region', label: '所在地区', type: 'region' })
  await createDefinition(ctx, { object: 'lead', key: 'budget', label: '预算', type: 'money' })

  const intake = await seedDemoLeads(ctx, r, {
    leads: opts.leads,
    seed: opts.seed,
    marketingUnitId: marketing,
    sellerIds: sellers.map((s) => s.id),
  })
  const pools = await seedPools(db, ctx, r, { hq, marketing, regions }, people, roleId)
  // Sales draw from a generator of their own: how many draws the pools' playback takes depends on
  // the order the database returns leads in, and the sales data must not.
  const sales = await seedSales(db, ctx, rng(opts.seed + 5), people, roleId, {
    customers: opts.customers ?? 300,
    adminId: ws.admin.id,
  })
  const profiles = await seedProfiles(db, ctx, rng(opts.seed + 6), people, roleId)
  // The first pages opened on a fresh demo plan with real statistics, not a guess of a few rows.
  await analyzeStale(db)
  return {
    tenantId: ws.tenant.id,
    units: 4 + dealerRegions.length * 7,
    users: people.length + 1,
    leads: intake.leads,
    intake,
    pools: pools.pools,
    followUps: pools.followUps,
    sales,
    profiles,
    teams,
  }
}

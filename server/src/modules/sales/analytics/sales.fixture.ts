/**
 * Test fixture: sales records written straight into their tables (tenant-correct, placed in the
 * owner's unit), so the tasks, 360 and analytics tests do not depend on the other sales services.
 * Also a small org: a team with two salespeople and a manager, and people by ready-made role.
 */
import { and, eq } from 'drizzle-orm'
import type { Kit, TestSession, Workspace } from '../../../../test/kit.js'
import type { Ctx } from '../../../platform/access/actor.js'
import { newId } from '../../../platform/db/columns.js'
import { createRole } from '../../../platform/org/roles.service.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { createUnits } from '../../../platform/org/units.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { contacts, customers, leadConversions } from '../customers/schema.js'
import { opportunities, opportunityStageHistory, pipelineStages, pipelines } from '../opportunities/schema.js'
import { orders } from '../orders/schema.js'
import { quotes } from '../quotes/schema.js'

let seq = 0

/** The instant `days` days before now (negative: ahead). */
export const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)
type Insert<T extends { $inferInsert: unknown }> = Partial<T['$inferInsert']>

/** Unit and org of a record owned by `ownerId` (the owner's unit), or of the root unit. */
async function placeOf(ctx: Ctx, ownerId: string | null | undefined, rootUnitId: string) {
  let unitId = rootUnitId
  if (ownerId) {
    const [u] = await ctx.db
      .select({ unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ownerId)))
    unitId = u!.unitId
  }
  const [unit] = await ctx.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ctx.actor.tenantId), eq(orgUnits.id, unitId)))
  return { unitId, orgId: unit!.orgId }
}

export function salesData(ws: Workspace) {
  const ctx = ws.sys
  const tenantId = ws.tenantId
  const placed = async (ownerId: string | null | undefined) => ({
    tenantId,
    ownerId: ownerId ?? null,
    ...(await placeOf(ctx, ownerId, ws.rootUnitId)),
  })
  return {
    async customer(v: Insert<typeof customers> = {}) {
      const id = newId()
      await ctx.db.insert(customers).values({
        name: `客户${seq++}`,
        ...(await placed(v.ownerId === undefined ? ws.adminId : v.ownerId)),
        ...v,
        id,
        tenantId,
      })
      return id
    },
    async contact(customerId: string, v: Insert<typeof contacts> = {}) {
      const [c] = await ctx.db
        .select({ ownerId: customers.ownerId, unitId: customers.unitId, orgId: customers.orgId })
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
      const id = newId()
      await ctx.db.insert(contacts).values({ name: `联系人${seq++}`, ...c!, ...v, customerId, id, tenantId })
      return id
    },
    /** A pipeline with stages in order: [name, probability, kind]. Answers its id and stage ids by name. */
    async pipeline(name: string, stages: [string, number, 'open' | 'won' | 'lost'][]) {
      const id = newId()
      await ctx.db.insert(pipelines).values({ id, tenantId, name: `${name}${seq++}` })
      const ids: Record<string, string> = {}
      for (const [i, [stage, probability, kind]] of stages.entries()) {
        ids[stage] = newId()
        await ctx.db
          .insert(pipelineStages)
          .values({ id: ids[stage], tenantId, pipelineId: id, name: stage, position: i, probability, kind })
      }
      return { id, stage: ids }
    },
    async opportunity(
      v: Insert<typeof opportunities> & { customerId: string; pipelineId: string; stageId: string },
    ) {
      const id = newId()
      await ctx.db.insert(opportunities).values({
        name: `商机${seq++}`,
        ...(await placed(v.ownerId === undefined ? ws.adminId : v.ownerId)),
        ...v,
        id,
        tenantId,
      })
      return id
    },
    /** Stage history rows of one opportunity: [fromStageId, toStageId, at, secondsInStage]. */
    async history(opportunityId: string, moves: [string | null, string, Date, number | null][]) {
      await ctx.db.insert(opportunityStageHistory).values(
        moves.map(([fromStageId, toStageId, at, secondsInStage]) => ({
          tenantId,
          opportunityId,
          fromStageId,
          toStageId,
          at,
          secondsInStage,
        })),
      )
    },
    async quote(v: Insert<typeof quotes> & { opportunityId: string; customerId: string }) {
      const id = newId()
      await ctx.db.insert(quotes).values({
        number: `Q${seq++}`,
        title: '报价',
        ...(await placed(v.ownerId === undefined ? ws.adminId : v.ownerId)),
        ...v,
        id,
        tenantId,
      })
      return id
    },
    async order(v: Insert<typeof orders> & { customerId: string }) {
      const id = newId()
      await ctx.db.insert(orders).values({
        number: `SO${Date.now()}-${seq++}`,
        ...(await placed(v.ownerId === undefined ? ws.adminId : v.ownerId)),
        ...v,
        id,
        tenantId,
      })
      return id
    },
    async conversion(leadId: string, customerId: string, opportunityId?: string) {
      await ctx.db.insert(leadConversions).values({ tenantId, leadId, customerId, opportunityId })
    },
  }
}
export type SalesData = ReturnType<typeof salesData>

export interface SalesTeam {
  unit: string
  user: Record<'manager' | 'seller' | 'seller2' | 'service' | 'marketing' | 'outsider', string>
  as: Record<'manager' | 'seller' | 'seller2' | 'service' | 'marketing' | 'outsider', TestSession>
}

/**
 * A sales team in workspace A: a manager (department tree) over two salespeople (scope self), a
 * customer-service person without pii.view (custom role), marketing, and a salesperson of
 * another team.
 */
export async function salesTeam(kit: Kit): Promise<SalesTeam> {
  const ws = kit.a
  const add = async (parentId: string, name: string) =>
    String((await createUnits(ws.sys, [{ parentId, type: 'team', name: `${name}${seq++}` }]))[0]!.id)
  const unit = await add(ws.rootUnitId, '销售一组')
  const other = await add(ws.rootUnitId, '销售二组')
  const { rows } = await kit.haina.database.pool.query(`select id, key from roles where tenant_id = $1`, [
    ws.tenantId,
  ])
  const role = (key: string) => rows.find((r: { key: string }) => r.key === key)!.id as string
  // A customer-service desk without pii.view: sees customers of its org, masked.
  const noPii = await createRole(ws.sys, {
    name: `客服无隐私${seq++}`,
    permissions: ['customers.view', 'orders.view', 'opportunities.view', 'tasks.view'],
    dataScope: 'org',
  })
  const people = [
    ['manager', unit, role('sales_manager')],
    ['seller', unit, role('salesperson')],
    ['seller2', unit, role('salesperson')],
    ['service', unit, String(noPii.id)],
    ['marketing', unit, role('marketing')],
    ['outsider', other, role('salesperson')],
  ] as const
  const made = await createUsers(
    ws.sys,
    people.map(([key, unitId, roleId]) => ({
      email: `${key}-${seq++}-${Date.now()}@sales.test`,
      name: key,
      unitId,
      roleIds: [roleId],
      password: 'Passw0rd!2026',
    })),
  )
  const user = {} as SalesTeam['user']
  const as = {} as SalesTeam['as']
  for (const [i, [key]] of people.entries()) {
    user[key] = made[i]!.id
    as[key] = await kit.login(ws.tenantId, made[i]!.id)
  }
  return { unit, user, as }
}

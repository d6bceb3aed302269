/**
 * Test fixture for quotes and orders: a sales org (a sales department with two teams), one
 * person per sales role (signed in, the sellers reporting to the manager), and arrangers that
 * insert customers, contacts, opportunities and products straight into their tables (tenant and
 * scope set as the customers and opportunities modules set them).
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { createKit, type Kit, type TestSession, type Workspace } from '../../../../test/kit.js'
import { newId } from '../../../platform/db/columns.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { createUnits } from '../../../platform/org/units.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { contacts, customers } from '../customers/schema.js'
import { opportunities, opportunityLines, pipelineStages, pipelines } from '../opportunities/schema.js'
import { priceBookEntries, priceBooks, products } from '../products/schema.js'

let seq = 0

export interface SalesArrange {
  customer(input?: Partial<typeof customers.$inferInsert> & { ownerId?: string | null }): Promise<string>
  contact(customerId: string, input?: Partial<typeof contacts.$inferInsert>): Promise<string>
  opportunity(
    input?: Partial<typeof opportunities.$inferInsert> & {
      lines?: {
        productId?: string
        name: string
        quantity: number
        unitPrice: number
        discountPct?: number
      }[]
    },
  ): Promise<string>
  product(input?: Partial<typeof products.$inferInsert>): Promise<string>
  priceBook(entries: { productId: string; unitPrice: number }[], isDefault?: boolean): Promise<string>
}

/** Arrangers for workspace `ws`; records belong to `defaultOwner` (the admin unless given). */
export function salesArrange(ws: Workspace, defaultOwner = ws.adminId): SalesArrange {
  const db = ws.sys.db
  const tenantId = ws.tenantId
  const placeOf = async (ownerId: string | null) => {
    const [u] = ownerId
      ? await db
          .select({ unitId: users.unitId, orgId: orgUnits.orgId })
          .from(users)
          .innerJoin(orgUnits, and(eq(orgUnits.tenantId, users.tenantId), eq(orgUnits.id, users.unitId)))
          .where(and(eq(users.tenantId, tenantId), eq(users.id, ownerId)))
      : []
    return { ownerId, unitId: u?.unitId ?? ws.rootUnitId, orgId: u?.orgId ?? ws.rootUnitId }
  }
  let pipeline: Promise<{ id: string; open: string; won: string; lost: string }> | null = null
  const stages = () => {
    pipeline ??= (async () => {
      const id = newId()
      await db.insert(pipelines).values({ tenantId, id, name: `流程${seq++}` })
      const mk = async (
        name: string,
        position: number,
        kind: 'open' | 'won' | 'lost',
        probability: number,
      ) => {
        const sid = newId()
        await db
          .insert(pipelineStages)
          .values({ tenantId, id: sid, pipelineId: id, name, position, kind, probability })
        return sid
      }
      return {
        id,
        open: await mk('方案', 0, 'open', 40),
        won: await mk('赢单', 1, 'won', 100),
        lost: await mk('输单', 2, 'lost', 0),
      }
    })()
    return pipeline
  }
  return {
    async customer(input = {}) {
      const id = newId()
      const place = await placeOf(input.ownerId === undefined ? defaultOwner : input.ownerId)
      await db.insert(customers).values({ name: `客户${seq++}`, ...place, ...input, tenantId, id })
      return id
    },
    async contact(customerId, input = {}) {
      const id = newId()
      const [c] = await db
        .select({ ownerId: customers.ownerId, unitId: customers.unitId, orgId: customers.orgId })
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
      await db.insert(contacts).values({ name: `联系人${seq++}`, ...c!, ...input, tenantId, id, customerId })
      return id
    },
    async opportunity(input = {}) {
      const { lines, ...rest } = input
      const id = newId()
      const s = await stages()
      const customerId = rest.customerId ?? (await this.customer({ ownerId: rest.ownerId ?? defaultOwner }))
      const place = await placeOf(rest.ownerId === undefined ? defaultOwner : rest.ownerId)
      const won = rest.status === 'won'
      await db.insert(opportunities).values({
        name: `商机${seq++}`,
        pipelineId: s.id,
        stageId: won ? s.won : s.open,
        ...place,
        ...rest,
        customerId,
        tenantId,
        id,
      })
      if (lines?.length)
        await db.insert(opportunityLines).values(
          lines.map((l, position) => ({
            tenantId,
            opportunityId: id,
            position,
            productId: l.productId ?? null,
            name: l.name,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            discountPct: l.discountPct ?? 0,
            amount: Math.round(l.quantity * l.unitPrice * (1 - (l.discountPct ?? 0) / 100)),
          })),
        )
      return id
    },
    async product(input = {}) {
      const id = newId()
      const n = seq++
      await db
        .insert(products)
        .values({ code: `P-${n}`, name: `产品${n}`, listPrice: 10000, ...input, tenantId, id })
      return id
    },
    async priceBook(entries, isDefault = false) {
      const id = newId()
      await db.insert(priceBooks).values({ tenantId, id, name: `价格表${seq++}`, isDefault })
      if (entries.length)
        await db.insert(priceBookEntries).values(entries.map((e) => ({ ...e, tenantId, priceBookId: id })))
      return id
    },
  }
}

export interface SalesWorld extends SalesArrange {
  unit: { sales: string; east: string; south: string }
  user: Record<'manager' | 'seller' | 'seller2' | 'southSeller' | 'director' | 'marketing', string>
  as: Record<'manager' | 'seller' | 'seller2' | 'southSeller' | 'director' | 'marketing', TestSession>
}

/**
 * Workspace A's sales org: 销售部 (manager, director) with 华东组 (seller, seller2, reporting to
 * the manager) and 华南组 (southSeller, reporting to nobody), plus a marketing person.
 */
export async function salesWorld(kit: Kit): Promise<SalesWorld> {
  const sys = kit.a.sys
  const add = async (parentId: string, name: string) =>
    String((await createUnits(sys, [{ parentId, type: 'department', name }]))[0]!.id)
  const sales = await add(kit.a.rootUnitId, `销售部${seq++}`)
  const east = await add(sales, `华东组${seq++}`)
  const south = await add(sales, `华南组${seq++}`)
  const { rows } = await kit.haina.database.pool.query(`select id, key from roles where tenant_id = $1`, [
    kit.a.tenantId,
  ])
  const role = (key: string) => rows.find((r: { key: string }) => r.key === key)!.id as string
  const make = async (key: string, unitId: string, r: string, managerId?: string) => {
    const [u] = await createUsers(sys, [
      {
        email: `${key}-${seq++}@sales.test`,
        name: key,
        unitId,
        roleIds: [role(r)],
        password: 'Passw0rd!2026',
        managerId,
      },
    ])
    return u!.id
  }
  const director = await make('director', sales, 'sales_director')
  const manager = await make('manager', sales, 'sales_manager')
  const user = {
    director,
    manager,
    seller: await make('seller', east, 'salesperson', manager),
    seller2: await make('seller2', east, 'salesperson', manager),
    southSeller: await make('southSeller', south, 'salesperson'),
    marketing: await make('marketing', sales, 'marketing'),
  }
  const as = {} as SalesWorld['as']
  for (const [k, id] of Object.entries(user)) as[k as keyof typeof user] = await kit.login(kit.a.tenantId, id)
  return { ...salesArrange(kit.a, user.seller), unit: { sales, east, south }, user, as }
}

/**
 * The kit (workspaces A and B) and A's sales world for one test file, made before its tests and
 * closed after; `call` sends a request as a session, `rows` runs SQL for assertions.
 */
export function salesTestBed() {
  const bed = {} as { kit: Kit; w: SalesWorld }
  beforeAll(async () => {
    bed.kit = await createKit()
    bed.w = await salesWorld(bed.kit)
  })
  afterAll(() => bed.kit.close())
  return {
    get kit() {
      return bed.kit
    },
    get w() {
      return bed.w
    },
    call: (as: TestSession, method: string, url: string, payload?: unknown) =>
      bed.kit.req(as, { method: method as 'GET', url, payload: payload as Record<string, unknown> }),
    rows: async (text: string, params: unknown[] = []) =>
      (await bed.kit.haina.database.pool.query(text, params)).rows,
  }
}

/**
 * Test fixture for the opportunity tests: a sales department with two teams, one person per sales
 * role (signed in), and customers/contacts written straight to their tables (the customers module
 * has its own tests; these only need rows to point at).
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { createKit, type Kit, type TestSession, type Workspace } from '../../../../test/kit.js'
import { orgUnits } from '../../../platform/org/schema.js'
import { createUnits } from '../../../platform/org/units.service.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { contacts, customers } from '../customers/schema.js'

export interface SalesWorld {
  unit: Record<'sales' | 'teamA' | 'teamB', string>
  user: Record<'director' | 'manager' | 'seller' | 'seller2' | 'sellerB', string>
  as: Record<'director' | 'manager' | 'seller' | 'seller2' | 'sellerB', TestSession>
  customer(input?: { ownerId?: string | null; unitId?: string; name?: string }): Promise<string>
  contact(customerId: string, name?: string): Promise<string>
}

let seq = 0

/** A customer row in `ws` (owner and unit as given; the admin's root unit by default). */
export async function insertCustomer(
  ws: Workspace,
  input: { ownerId?: string | null; unitId?: string; name?: string } = {},
): Promise<string> {
  const unitId = input.unitId ?? ws.rootUnitId
  const [unit] = await ws.sys.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ws.tenantId), eq(orgUnits.id, unitId)))
  const [row] = await ws.sys.db
    .insert(customers)
    .values({
      tenantId: ws.tenantId,
      name: input.name ?? `客户${seq++}`,
      ownerId: input.ownerId === undefined ? ws.adminId : input.ownerId,
      unitId,
      orgId: unit!.orgId,
    })
    .returning({ id: customers.id })
  return row!.id
}

/** A contact of `customerId`, with the customer's scope columns. */
export async function insertContact(ws: Workspace, customerId: string, name = `联系人${seq++}`) {
  const [c] = await ws.sys.db
    .select({ ownerId: customers.ownerId, unitId: customers.unitId, orgId: customers.orgId })
    .from(customers)
    .where(and(eq(customers.tenantId, ws.tenantId), eq(customers.id, customerId)))
  const [row] = await ws.sys.db
    .insert(contacts)
    .values({ tenantId: ws.tenantId, customerId, name, ...c! })
    .returning({ id: contacts.id })
  return row!.id
}

export async function salesWorld(kit: Kit): Promise<SalesWorld> {
  const ws = kit.a
  const add = async (parentId: string, type: 'department' | 'team', name: string) =>
    String((await createUnits(ws.sys, [{ parentId, type, name }]))[0]!.id)
  const sales = await add(ws.rootUnitId, 'department', `销售部${seq++}`)
  const teamA = await add(sales, 'team', `销售一组${seq++}`)
  const teamB = await add(sales, 'team', `销售二组${seq++}`)
  const { rows } = await kit.haina.database.pool.query(`select id, key from roles where tenant_id = $1`, [
    ws.tenantId,
  ])
  const role = (key: string) => rows.find((r: { key: string }) => r.key === key)!.id as string
  const people = [
    ['director', sales, 'sales_director'],
    ['manager', teamA, 'sales_manager'],
    ['seller', teamA, 'salesperson'],
    ['seller2', teamA, 'salesperson'],
    ['sellerB', teamB, 'salesperson'],
  ] as const
  const made = await createUsers(
    ws.sys,
    people.map(([key, unitId, r]) => ({
      email: `${key}-${seq++}-${Date.now()}@opps.test`,
      name: key,
      unitId,
      roleIds: [role(r)],
      password: 'Passw0rd!2026',
    })),
  )
  const user = {} as SalesWorld['user']
  const as = {} as SalesWorld['as']
  for (const [i, [key]] of people.entries()) {
    user[key] = made[i]!.id
    as[key] = await kit.login(ws.tenantId, made[i]!.id)
  }
  return {
    unit: { sales, teamA, teamB },
    user,
    as,
    customer: (input) => insertCustomer(ws, input),
    contact: (customerId, name) => insertContact(ws, customerId, name),
  }
}

export interface SalesSuite {
  kit: Kit
  w: SalesWorld
  /** A request as `as`, in `lang` (zh-CN by default). */
  call(as: TestSession, method: string, url: string, payload?: unknown, lang?: string): ReturnType<Kit['req']>
}

/**
 * A test file's kit (two workspaces) and, unless `world: false`, the sales world in workspace A;
 * made before the file's tests and closed after them.
 */
export function salesSuite(opts: { world?: boolean } = {}): SalesSuite {
  const t = {
    call: (as, method, url, payload, lang = 'zh-CN') =>
      t.kit.req(as, {
        method: method as 'GET',
        url,
        payload: payload as Record<string, unknown>,
        headers: { 'accept-language': lang },
      }),
  } as SalesSuite
  beforeAll(async () => {
    t.kit = await createKit()
    if (opts.world !== false) t.w = await salesWorld(t.kit)
  })
  afterAll(() => t.kit.close())
  return t
}

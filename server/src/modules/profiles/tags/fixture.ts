/**
 * Test fixture of the tag tests: leads and persons made through the data factory (as production
 * makes them), owned by a given user, and customers written straight to their table.
 */
import { and, eq } from 'drizzle-orm'
import type { Workspace } from '../../../../test/kit.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { runFactory } from '../../quality/factory.service.js'
import { customers } from '../../sales/customers/schema.js'

async function placeOf(ws: Workspace, ownerId: string | null) {
  let unitId = ws.rootUnitId
  if (ownerId) {
    const [u] = await ws.sys.db
      .select({ unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, ws.tenantId), eq(users.id, ownerId)))
    unitId = u!.unitId
  }
  const [unit] = await ws.sys.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ws.tenantId), eq(orgUnits.id, unitId)))
  return { unitId, orgId: unit!.orgId }
}

let seq = 0
/** A distinct valid Chinese mobile per call. */
export const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`

/** A lead (and its person) through the data factory, owned by `ownerId` (the admin by default). */
export async function leadOf(
  ws: Workspace,
  input: { name?: string; mobile?: string; email?: string; company?: string } = {},
  ownerId: string | null = ws.adminId,
): Promise<{ leadId: string; personId: string; mobile: string }> {
  const m = input.mobile ?? mobile()
  const [r] = await runFactory(
    ws.sys,
    {
      channelId: null,
      campaignId: null,
      importId: null,
      ...(await placeOf(ws, ownerId)),
      ownerId,
      source: 'test',
    },
    [{ lead: { name: input.name ?? `客户${seq++}`, mobile: m, email: input.email, company: input.company } }],
  )
  if (!r?.personId || !r.leadId) throw new Error(`lead not stored: ${JSON.stringify(r)}`)
  return { leadId: r.leadId, personId: r.personId, mobile: m }
}

/** A customer row without a person (as customers made by hand are), owned by `ownerId`. */
export async function customerOf(
  ws: Workspace,
  input: { name?: string; kind?: 'organisation' | 'individual'; phone?: string; regionCode?: string } = {},
  ownerId: string | null = ws.adminId,
): Promise<string> {
  const [row] = await ws.sys.db
    .insert(customers)
    .values({
      tenantId: ws.tenantId,
      name: input.name ?? `客户公司${seq++}`,
      kind: input.kind ?? 'organisation',
      phone: input.phone ?? null,
      regionCode: input.regionCode ?? null,
      ownerId,
      ...(await placeOf(ws, ownerId)),
    })
    .returning({ id: customers.id })
  return row!.id
}

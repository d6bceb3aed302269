import { type ExtraConfigColumn, foreignKey, index } from 'drizzle-orm/pg-core'
import { orgUnits, users } from '../org/schema.js'

interface OwnedColumns {
  tenantId: ExtraConfigColumn
  id: ExtraConfigColumn
  ownerId: ExtraConfigColumn
  unitId: ExtraConfigColumn
  orgId: ExtraConfigColumn
  createdAt: ExtraConfigColumn
}

/**
 * What every owned record (customer, opportunity, order…) has besides its own keys: foreign keys
 * from its scope columns (owner, unit, org boundary) and the keyset indexes its lists page by —
 * newest first for the workspace, per owner, per unit and per org (NULLS FIRST, as ORDER BY … DESC
 * sorts, or the index cannot give the order).
 */
export function ownedRecordKeys(table: string, t: OwnedColumns) {
  // A function, not a shared array: .desc() sets the column's order for the next .on() only.
  const newest = () => [t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()] as const
  return [
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.orgId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index(`${table}_tenant_created_idx`).on(t.tenantId, ...newest()),
    index(`${table}_owner_idx`).on(t.tenantId, t.ownerId, ...newest()),
    index(`${table}_unit_idx`).on(t.tenantId, t.unitId, ...newest()),
    index(`${table}_org_idx`).on(t.tenantId, t.orgId, ...newest()),
  ]
}

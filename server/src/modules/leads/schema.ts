import { foreignKey, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { createdAt, custom, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { orgUnits, users } from '../../platform/org/schema.js'

/**
 * Leads (线索). The foundation ships the record and its scoped CRUD; the intake and pool
 * issues extend it (channels, pools, statuses, scoring) through their own migrations.
 */
export const leads = pgTable(
  'leads',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    mobile: text('mobile'),
    email: text('email'),
    company: text('company'),
    title: text('title'),
    source: text('source'),
    status: text('status').notNull().default('new'),
    notes: text('notes'),
    /** Data-scope columns: owner (self), owning unit (department/tree) and org boundary. */
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    custom: custom(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.orgId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('leads_owner_idx').on(
      t.tenantId,
      t.ownerId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('leads_unit_idx').on(
      t.tenantId,
      t.unitId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('leads_org_idx').on(t.tenantId, t.orgId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The list's keyset order (created_at desc, id desc — NULLS FIRST as in ORDER BY … DESC) comes
    // straight from these indexes: no sort.
    index('leads_tenant_created_idx').on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('leads_custom_idx').using('gin', t.custom),
    index('leads_mobile_idx').on(t.tenantId, t.mobile),
  ],
)

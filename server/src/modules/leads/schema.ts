import { sql } from 'drizzle-orm'
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
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
    /** Data factory (issue #3): more contact keys, the resolved person, provenance and quality. */
    phone: text('phone'),
    creditCode: text('credit_code'),
    address: text('address'),
    regionCode: text('region_code'),
    personId: uuid('person_id'),
    channelId: uuid('channel_id'),
    firstCampaignId: uuid('first_campaign_id'),
    lastCampaignId: uuid('last_campaign_id'),
    importId: uuid('import_id'),
    intentCount: integer('intent_count').notNull().default(1),
    lastIntentAt: timestamp('last_intent_at', { withTimezone: true }).notNull().defaultNow(),
    score: integer('score').notNull().default(0),
    grade: text('grade'),
    /** ok, or flagged with the validation issues kept (the workspace chose "keep flagged"). */
    quality: text('quality').$type<'ok' | 'flagged'>().notNull().default('ok'),
    qualityIssues: jsonb('quality_issues').$type<{ field: string; code: string }[]>().notNull().default([]),
    /** Matching keys: simplified, NFKC, lower-case name and company (no legal suffix), pinyin. */
    nameKey: text('name_key'),
    companyKey: text('company_key'),
    pinyinFull: text('pinyin_full'),
    pinyinInitials: text('pinyin_initials'),
    /** Data-scope columns: owner (self), owning unit (department/tree) and org boundary. */
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    /** Lead pools (issue #4): the pool it sits in, product category, lifecycle times. */
    poolId: uuid('pool_id'),
    category: text('category'),
    /** When it entered its current pool (public-pool protection interval counts from here). */
    poolEnteredAt: timestamp('pool_entered_at', { withTimezone: true }),
    /** When the current owner got it (assignment or claim): reclaim and SLA count from here. */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    lastFollowUpAt: timestamp('last_follow_up_at', { withTimezone: true }),
    nextFollowUpAt: timestamp('next_follow_up_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    /** Why automatic distribution/assignment left the lead where it is (no eligible person…). */
    routingNote: text('routing_note'),
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
    // Campaign attribution (first and last touch) counts leads per campaign.
    index('leads_first_campaign_idx')
      .on(t.tenantId, t.firstCampaignId)
      .where(sql`${t.firstCampaignId} is not null`),
    index('leads_last_campaign_idx')
      .on(t.tenantId, t.lastCampaignId)
      .where(sql`${t.lastCampaignId} is not null`),
    index('leads_pool_idx').on(
      t.tenantId,
      t.poolId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The reminders job looks for owned leads not yet contacted past the first-contact SLA.
    index('leads_uncontacted_idx')
      .on(t.tenantId, t.assignedAt)
      .where(sql`${t.firstContactAt} is null and ${t.ownerId} is not null`),
    // Open leads held per person (capacity, least-loaded assignment, holding caps), counted from
    // the index alone: at 1M leads 0.43 s → 0.01–0.08 s for a team of 20 (bench pools).
    index('leads_open_owner_idx')
      .on(t.tenantId, t.ownerId)
      .where(sql`${t.status} in ('new', 'assigned', 'following', 'qualified')`),
    index('leads_custom_idx').using('gin', t.custom),
    index('leads_mobile_idx').on(t.tenantId, t.mobile),
    index('leads_person_idx').on(t.tenantId, t.personId),
    index('leads_import_idx').on(t.tenantId, t.importId),
    // Look-alikes at a company: the leads whose names sound nearest (data factory blocking).
    index('leads_company_pinyin_idx').on(t.tenantId, t.companyKey, t.pinyinFull),
    index('leads_name_key_idx').on(t.tenantId, t.nameKey, t.companyKey),
    // Fuzzy candidates (name / company typos) and pinyin search go through trigram indexes.
    index('leads_name_key_trgm').using('gin', sql`${t.nameKey} gin_trgm_ops`),
    index('leads_company_key_trgm').using('gin', sql`${t.companyKey} gin_trgm_ops`),
    index('leads_pinyin_idx').on(t.tenantId, t.pinyinInitials),
  ],
)

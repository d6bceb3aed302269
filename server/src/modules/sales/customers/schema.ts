import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  date,
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
import { createdAt, custom, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'
import { ownedRecordKeys } from '../../../platform/db/owned.js'
import { users } from '../../../platform/org/schema.js'
import { leadPools } from '../../leads/pools.schema.js'
import { leads } from '../../leads/schema.js'

export const CUSTOMER_KINDS = ['organisation', 'individual'] as const
export type CustomerKind = (typeof CUSTOMER_KINDS)[number]

/** Customer groups of seed 001 (客单价 × 下单频次): A potential … E high value and frequent. */
export const CUSTOMER_GROUPS = ['A', 'B', 'C', 'D', 'E'] as const
export type CustomerGroup = (typeof CUSTOMER_GROUPS)[number]

/**
 * Customers (客户): the party that transacts, an organisation (with parent/child structure for
 * groups and subsidiaries) or an individual. Scoped like leads (owner, unit, org boundary); can
 * wait in a public pool (公海) without an owner, claimed and reclaimed like leads.
 */
export const customers = pgTable(
  'customers',
  {
    tenantId: tenantId(),
    id: id(),
    kind: text('kind').$type<CustomerKind>().notNull().default('organisation'),
    name: text('name').notNull(),
    /** Group / subsidiary structure. */
    parentId: uuid('parent_id'),
    industry: text('industry'),
    /** Head count band: '1-49', '50-199', '200-999', '1000+'. */
    size: text('size'),
    regionCode: text('region_code'),
    address: text('address'),
    /** 统一社会信用代码 (organisations). */
    creditCode: text('credit_code'),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    source: text('source'),
    /** Customer level set by people (key account, normal…), distinct from the computed group. */
    level: text('level'),
    /** Computed by the groups job from completed orders (seed 001 A–E). */
    customerGroup: text('customer_group').$type<CustomerGroup>().notNull().default('A'),
    groupComputedAt: timestamp('group_computed_at', { withTimezone: true }),
    status: text('status').$type<'active' | 'inactive'>().notNull().default('active'),
    /** Order totals kept by the orders module (minor units, completed/confirmed orders). */
    orderCount: integer('order_count').notNull().default(0),
    orderTotal: bigint('order_total', { mode: 'number' }).notNull().default(0),
    firstOrderAt: timestamp('first_order_at', { withTimezone: true }),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true }),
    /** Provenance: the person identity, the lead converted into it, channel and campaigns. */
    personId: uuid('person_id'),
    leadId: uuid('lead_id'),
    channelId: uuid('channel_id'),
    firstCampaignId: uuid('first_campaign_id'),
    lastCampaignId: uuid('last_campaign_id'),
    /** Duplicate check keys (same normalisation as leads: no legal suffix, simplified, NFKC). */
    nameKey: text('name_key'),
    /** Public pool (公海) the customer waits in, with no owner. */
    poolId: uuid('pool_id'),
    poolEnteredAt: timestamp('pool_entered_at', { withTimezone: true }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    lastFollowUpAt: timestamp('last_follow_up_at', { withTimezone: true }),
    nextFollowUpAt: timestamp('next_follow_up_at', { withTimezone: true }),
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
    ...ownedRecordKeys('customers', t),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [leads.tenantId, leads.id] }),
    foreignKey({ columns: [t.tenantId, t.poolId], foreignColumns: [leadPools.tenantId, leadPools.id] }),
    index('customers_pool_idx').on(t.tenantId, t.poolId).where(sql`${t.poolId} is not null`),
    index('customers_parent_idx').on(t.tenantId, t.parentId).where(sql`${t.parentId} is not null`),
    index('customers_credit_code_idx').on(t.tenantId, t.creditCode).where(sql`${t.creditCode} is not null`),
    index('customers_name_key_idx').on(t.tenantId, t.nameKey),
    index('customers_name_key_trgm').using('gin', sql`${t.nameKey} gin_trgm_ops`),
    index('customers_person_idx').on(t.tenantId, t.personId),
    index('customers_lead_idx').on(t.tenantId, t.leadId),
    index('customers_order_total_idx').on(t.tenantId, t.orderTotal.desc()),
    index('customers_custom_idx').using('gin', t.custom),
  ],
)

/** The previous owner may not re-claim a released/reclaimed customer until `until` (as for leads). */
export const customerClaimLocks = pgTable(
  'customer_claim_locks',
  {
    tenantId: tenantId(),
    customerId: uuid('customer_id').notNull(),
    userId: uuid('user_id').notNull(),
    until: timestamp('until', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.userId] }),
    foreignKey({
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }).onDelete('cascade'),
  ],
)

/** Seed 003: a contact's role in the deal. */
export const DEAL_ROLES = [
  'decision_maker',
  'economic_buyer',
  'influencer',
  'finance',
  'user',
  'gatekeeper',
] as const
export type DealRole = (typeof DEAL_ROLES)[number]

/** Contacts (联系人) of a customer, with reporting lines (a tree through reportsToId). */
export const contacts = pgTable(
  'contacts',
  {
    tenantId: tenantId(),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    name: text('name').notNull(),
    title: text('title'),
    department: text('department'),
    dealRole: text('deal_role').$type<DealRole>(),
    reportsToId: uuid('reports_to_id'),
    /** The first of each list is the primary one; phones are E.164. */
    mobile: text('mobile'),
    email: text('email'),
    phones: jsonb('phones').$type<string[]>().notNull().default([]),
    emails: jsonb('emails').$type<string[]>().notNull().default([]),
    wechatIds: jsonb('wechat_ids').$type<string[]>().notNull().default([]),
    birthday: date('birthday'),
    preferences: text('preferences'),
    isPrimary: boolean('is_primary').notNull().default(false),
    personId: uuid('person_id'),
    leadId: uuid('lead_id'),
    /** Scope columns copied from the customer, so contact lists filter on their own. */
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
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.reportsToId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('contacts_customer_idx').on(t.tenantId, t.customerId),
    index('contacts_tenant_created_idx').on(
      t.tenantId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('contacts_owner_idx').on(t.tenantId, t.ownerId),
    index('contacts_mobile_idx').on(t.tenantId, t.mobile),
    index('contacts_person_idx').on(t.tenantId, t.personId),
    index('contacts_custom_idx').using('gin', t.custom),
  ],
)

/**
 * Lead conversion (线索转化): one row per converted lead — the primary key makes a second
 * conversion impossible, and the row points at what the first one made.
 */
export const leadConversions = pgTable(
  'lead_conversions',
  {
    tenantId: tenantId(),
    leadId: uuid('lead_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    contactId: uuid('contact_id'),
    opportunityId: uuid('opportunity_id'),
    /** True when the customer already existed (found by the duplicate check) rather than created. */
    existingCustomer: boolean('existing_customer').notNull().default(false),
    convertedBy: uuid('converted_by'),
    convertedAt: timestamp('converted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.leadId] }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [leads.tenantId, leads.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('lead_conversions_customer_idx').on(t.tenantId, t.customerId),
  ],
)

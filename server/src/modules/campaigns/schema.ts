import {
  bigint,
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { orgUnits } from '../../platform/org/schema.js'

export const CAMPAIGN_KINDS = [
  'seo',
  'ads',
  'article',
  'sms',
  'email',
  'official_account_post',
  'event',
  'live_stream',
  'referral',
  'other',
] as const

export const CAMPAIGN_STATUSES = ['planned', 'active', 'ended'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

/** Promotion campaigns (运营推广, OC-2): cost in 分, attributed to the leads they bring. */
export const campaigns = pgTable(
  'campaigns',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /** Campaign code carried by links and forms (utm_campaign), unique in the workspace. */
    code: text('code').notNull(),
    channelId: uuid('channel_id'),
    startsOn: date('starts_on'),
    endsOn: date('ends_on'),
    budget: bigint('budget', { mode: 'number' }).notNull().default(0),
    actualCost: bigint('actual_cost', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    status: text('status').$type<CampaignStatus>().notNull().default('planned'),
    ownerId: uuid('owner_id'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('campaigns_code_key').on(t.tenantId, t.code),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    index('campaigns_created_idx').on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
)

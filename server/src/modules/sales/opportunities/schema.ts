import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, custom, id, tenantId, updatedAt, version } from '../../../platform/db/columns.js'
import { ownedRecordKeys } from '../../../platform/db/owned.js'
import { leads } from '../../leads/schema.js'
import { contacts, customers } from '../customers/schema.js'
import { competitors, priceBooks, products } from '../products/schema.js'

/** Sales pipelines (销售流程), one per business line, each with its own stages. */
export const pipelines = pgTable(
  'pipelines',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    businessLine: text('business_line'),
    isDefault: boolean('is_default').notNull().default(false),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('pipelines_name_key').on(t.tenantId, t.name),
    uniqueIndex('pipelines_default_key').on(t.tenantId).where(sql`${t.isDefault}`),
  ],
)

export const STAGE_KINDS = ['open', 'won', 'lost'] as const
export type StageKind = (typeof STAGE_KINDS)[number]

/**
 * Stages of a pipeline, ordered by position, each with a win probability (0–100) and a stage
 * gate: the fields an opportunity must have filled to enter it ('amount', 'expectedCloseDate',
 * 'contactId', 'products', 'competitors', 'meddic.metrics' … 'meddic.champion', 'custom.<key>').
 */
export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    tenantId: tenantId(),
    id: id(),
    pipelineId: uuid('pipeline_id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    probability: integer('probability').notNull().default(0),
    kind: text('kind').$type<StageKind>().notNull().default('open'),
    requiredFields: jsonb('required_fields').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.pipelineId],
      foreignColumns: [pipelines.tenantId, pipelines.id],
    }).onDelete('cascade'),
    index('pipeline_stages_pipeline_idx').on(t.tenantId, t.pipelineId, t.position),
  ],
)

/** MEDDIC qualification (seed 004): free text per letter; buyer and champion may name a contact. */
export interface Meddic {
  metrics?: string | null
  economicBuyer?: string | null
  economicBuyerContactId?: string | null
  decisionCriteria?: string | null
  decisionProcess?: string | null
  identifyPain?: string | null
  champion?: string | null
  championContactId?: string | null
}
export const MEDDIC_KEYS = [
  'metrics',
  'economicBuyer',
  'decisionCriteria',
  'decisionProcess',
  'identifyPain',
  'champion',
] as const

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number]

/** Opportunities (商机): one intent to buy of a customer, moving through a pipeline's stages. */
export const opportunities = pgTable(
  'opportunities',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    customerId: uuid('customer_id').notNull(),
    contactId: uuid('contact_id'),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    status: text('status').$type<OpportunityStatus>().notNull().default('open'),
    /** Minor units (分). */
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    /** The stage's probability unless a person overrides it. */
    probability: integer('probability').notNull().default(0),
    expectedCloseDate: date('expected_close_date'),
    priceBookId: uuid('price_book_id'),
    meddic: jsonb('meddic').$type<Meddic>().notNull().default({}),
    /** Filled MEDDIC letters × 100 / 6, kept on every save. */
    meddicScore: integer('meddic_score').notNull().default(0),
    source: text('source'),
    leadId: uuid('lead_id'),
    channelId: uuid('channel_id'),
    firstCampaignId: uuid('first_campaign_id'),
    lastCampaignId: uuid('last_campaign_id'),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    closeNote: text('close_note'),
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
    ...ownedRecordKeys('opportunities', t),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }),
    foreignKey({ columns: [t.tenantId, t.pipelineId], foreignColumns: [pipelines.tenantId, pipelines.id] }),
    foreignKey({
      columns: [t.tenantId, t.stageId],
      foreignColumns: [pipelineStages.tenantId, pipelineStages.id],
    }),
    foreignKey({
      columns: [t.tenantId, t.priceBookId],
      foreignColumns: [priceBooks.tenantId, priceBooks.id],
    }),
    foreignKey({ columns: [t.tenantId, t.leadId], foreignColumns: [leads.tenantId, leads.id] }),
    index('opportunities_customer_idx').on(t.tenantId, t.customerId),
    // Kanban: a team's open opportunities of a pipeline, per stage biggest first, answered from the
    // index alone (probability and owner ride along as trailing keys: Drizzle has no INCLUDE). A
    // team's rows are spread over the whole table; without this the board read every heap page.
    index('opportunities_board_idx')
      .on(
        t.tenantId,
        t.pipelineId,
        t.unitId,
        t.stageId,
        t.amount.desc().nullsFirst(),
        t.id.desc().nullsFirst(),
        t.probability,
        t.ownerId,
      )
      .where(sql`${t.status} = 'open'`),
    // Forecast: open opportunities by expected close date, with what the sums and scope read.
    index('opportunities_forecast_idx')
      .on(t.tenantId, t.expectedCloseDate, t.amount, t.probability, t.ownerId, t.unitId, t.pipelineId)
      .where(sql`${t.status} = 'open'`),
    index('opportunities_closed_idx').on(t.tenantId, t.status, t.closedAt),
    index('opportunities_lead_idx').on(t.tenantId, t.leadId),
    index('opportunities_custom_idx').using('gin', t.custom),
  ],
)

/** Every stage change of an opportunity (stage conversion, velocity). Append-only. */
export const opportunityStageHistory = pgTable(
  'opportunity_stage_history',
  {
    tenantId: tenantId(),
    id: id(),
    opportunityId: uuid('opportunity_id').notNull(),
    fromStageId: uuid('from_stage_id'),
    toStageId: uuid('to_stage_id').notNull(),
    /** Seconds spent in the stage it left. */
    secondsInStage: integer('seconds_in_stage'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.opportunityId],
      foreignColumns: [opportunities.tenantId, opportunities.id],
    }).onDelete('cascade'),
    index('opportunity_stage_history_opp_idx').on(t.tenantId, t.opportunityId, t.at),
    index('opportunity_stage_history_to_idx').on(t.tenantId, t.toStageId, t.at),
  ],
)

/** Products of an opportunity, priced from its price book (minor units; quantity may be fractional). */
export const opportunityLines = pgTable(
  'opportunity_lines',
  {
    tenantId: tenantId(),
    id: id(),
    opportunityId: uuid('opportunity_id').notNull(),
    position: integer('position').notNull().default(0),
    productId: uuid('product_id'),
    name: text('name').notNull(),
    quantity: numeric('quantity', { precision: 14, scale: 3, mode: 'number' }).notNull().default(1),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull().default(0),
    discountPct: numeric('discount_pct', { precision: 5, scale: 2, mode: 'number' }).notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.opportunityId],
      foreignColumns: [opportunities.tenantId, opportunities.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.productId], foreignColumns: [products.tenantId, products.id] }),
    index('opportunity_lines_opp_idx').on(t.tenantId, t.opportunityId),
  ],
)

/** Competitors in one deal, with how threatening they are and notes. */
export const opportunityCompetitors = pgTable(
  'opportunity_competitors',
  {
    tenantId: tenantId(),
    opportunityId: uuid('opportunity_id').notNull(),
    competitorId: uuid('competitor_id').notNull(),
    threat: text('threat').$type<'low' | 'medium' | 'high'>().notNull().default('medium'),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.opportunityId, t.competitorId] }),
    foreignKey({
      columns: [t.tenantId, t.opportunityId],
      foreignColumns: [opportunities.tenantId, opportunities.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.competitorId],
      foreignColumns: [competitors.tenantId, competitors.id],
    }).onDelete('cascade'),
  ],
)

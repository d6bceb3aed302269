import { sql } from 'drizzle-orm'
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'

/**
 * A person or party (一个客户身份): the hub that every channel id, lead and behaviour event of one
 * real person or company points at. Leads are the scoped, owned view of a person; persons themselves
 * are only reached through a lead or an event the caller may see.
 */
export const persons = pgTable(
  'persons',
  {
    tenantId: tenantId(),
    id: id(),
    kind: text('kind').$type<'person' | 'organisation'>().notNull().default('person'),
    name: text('name'),
    company: text('company'),
    regionCode: text('region_code'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when this person was merged into another: lookups follow it. */
    mergedIntoId: uuid('merged_into_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // The person directory pages newest-active first.
    index('persons_last_seen_idx').on(t.tenantId, t.lastSeenAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
)

export const IDENTITY_KINDS = [
  'mobile',
  'phone',
  'email',
  'openid',
  'unionid',
  'device',
  'external',
  'credit_code',
] as const
export type IdentityKind = (typeof IDENTITY_KINDS)[number]

/**
 * Exact identity keys. The primary key makes one key belong to one person: concurrent intakes of
 * the same phone cannot create two people. `namespace` is the WeChat app for openids and the channel
 * for external ids ('' when global).
 */
export const personIdentities = pgTable(
  'person_identities',
  {
    tenantId: tenantId(),
    kind: text('kind').$type<IdentityKind>().notNull(),
    namespace: text('namespace').notNull().default(''),
    value: text('value').notNull(),
    personId: uuid('person_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.kind, t.namespace, t.value] }),
    foreignKey({
      columns: [t.tenantId, t.personId],
      foreignColumns: [persons.tenantId, persons.id],
    }).onDelete('cascade'),
    index('person_identities_person_idx').on(t.tenantId, t.personId),
  ],
)

export const INTENT_OUTCOMES = ['created', 'merged', 'overwritten', 'duplicate', 'review', 'invalid'] as const
export type IntentOutcome = (typeof INTENT_OUTCOMES)[number]

/**
 * Every record that reached the data factory (an intent, 意向): what came in, from where, and what
 * the factory did with it. A repeat intent of a known person is a row here, not a second lead.
 * Unique (channel, external id) gives channels exactly-once delivery on their own ids.
 */
export const leadIntents = pgTable(
  'lead_intents',
  {
    tenantId: tenantId(),
    id: id(),
    leadId: uuid('lead_id'),
    personId: uuid('person_id'),
    channelId: uuid('channel_id'),
    campaignId: uuid('campaign_id'),
    importId: uuid('import_id'),
    externalId: text('external_id'),
    outcome: text('outcome').$type<IntentOutcome>().notNull(),
    /** The rule that matched, and the issues found by validation. */
    ruleId: uuid('rule_id'),
    issues: jsonb('issues').$type<{ field: string; code: string }[]>().notNull().default([]),
    /** The normalised record as received (after channel mapping). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('lead_intents_external_key').on(t.tenantId, t.channelId, t.externalId),
    index('lead_intents_lead_idx').on(t.tenantId, t.leadId, t.receivedAt),
    index('lead_intents_import_idx').on(t.tenantId, t.importId),
    index('lead_intents_channel_idx').on(t.tenantId, t.channelId, t.receivedAt),
    // A person's intents (profile channels, intents.count conditions).
    index('lead_intents_person_idx').on(t.tenantId, t.personId, t.receivedAt),
    // A campaign's responses newest first: its member list walks them, its trend reads a range.
    index('lead_intents_campaign_time_idx')
      .on(t.tenantId, t.campaignId, t.receivedAt, t.id, t.leadId)
      .where(sql`${t.campaignId} is not null`),
    // A campaign's responses by lead: the member list's "a newer one?" probe and counts, and the
    // figures' distinct leads (read in lead order, no sort).
    index('lead_intents_campaign_lead_idx')
      .on(t.tenantId, t.campaignId, t.leadId, t.receivedAt, t.id)
      .where(sql`${t.campaignId} is not null`),
  ],
)

/**
 * One merge: the target lead's before-image (to undo), the fields it changed, and either the intent
 * that merged into it or the source lead that was absorbed (whose full row is kept to restore it).
 */
export const leadMerges = pgTable(
  'lead_merges',
  {
    tenantId: tenantId(),
    id: id(),
    targetLeadId: uuid('target_lead_id').notNull(),
    sourceLeadId: uuid('source_lead_id'),
    intentId: uuid('intent_id'),
    importId: uuid('import_id'),
    before: jsonb('before').$type<Record<string, unknown>>().notNull(),
    sourceBefore: jsonb('source_before').$type<Record<string, unknown>>(),
    changed: jsonb('changed').$type<string[]>().notNull().default([]),
    mergedBy: uuid('merged_by'),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('lead_merges_target_idx').on(t.tenantId, t.targetLeadId, t.mergedAt),
    index('lead_merges_import_idx').on(t.tenantId, t.importId),
  ],
)

export const DEDUPE_ACTIONS = ['merge', 'overwrite', 'review', 'reject'] as const
export type DedupeAction = (typeof DEDUPE_ACTIONS)[number]
export const MATCH_FIELDS = [
  'mobile',
  'phone',
  'email',
  'openid',
  'unionid',
  'deviceId',
  'externalId',
  'creditCode',
  'name',
  'company',
  'regionCode',
] as const
export type MatchField = (typeof MATCH_FIELDS)[number]

export interface MatchCondition {
  field: MatchField
  /** exact: equal normalised keys; fuzzy: similarity ≥ threshold (0..1). */
  match: 'exact' | 'fuzzy'
  threshold?: number
}
export interface RuleScope {
  sameChannel?: boolean
  sameCampaign?: boolean
  /** Only leads whose last intent is within this many days. */
  windowDays?: number | null
  /** Only leads in the same org boundary (default: confidentiality between dealers). */
  sameOrg?: boolean
}

/** Workspace dedupe rules, tried in priority order; the first that matches decides the action. */
export const dedupeRules = pgTable(
  'dedupe_rules',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    priority: integer('priority').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    conditions: jsonb('conditions').$type<MatchCondition[]>().notNull(),
    scope: jsonb('scope').$type<RuleScope>().notNull().default({}),
    action: text('action').$type<DedupeAction>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
)

export type ValidationPolicy = 'reject' | 'flag'
export interface QualitySettingsValue {
  /** Per validation rule: reject the record, or keep it flagged. */
  validation: Record<
    'mobile' | 'phone' | 'email' | 'disposableEmail' | 'wechat' | 'creditCode',
    ValidationPolicy
  >
  /** Field survivorship on merge: newest value wins, the longest (most complete) wins, or by channel priority. */
  survivorship: { default: 'newest' | 'most_complete' | 'channel_priority'; channelPriority: string[] }
  /** Score thresholds for grades A/B/C (below C is D). */
  grades: { A: number; B: number; C: number }
}

export const qualitySettings = pgTable('quality_settings', {
  tenantId: tenantId().primaryKey(),
  value: jsonb('value').$type<QualitySettingsValue>().notNull(),
  updatedAt: updatedAt(),
  version: version(),
})

export const REVIEW_KINDS = ['duplicate', 'invalid'] as const
/** The cleansing queue: suspected duplicates and flagged records waiting for a person. */
export const reviewItems = pgTable(
  'review_items',
  {
    tenantId: tenantId(),
    id: id(),
    kind: text('kind').$type<(typeof REVIEW_KINDS)[number]>().notNull(),
    leadId: uuid('lead_id').notNull(),
    candidateLeadId: uuid('candidate_lead_id'),
    ruleId: uuid('rule_id'),
    /** The rule's name as it was when it raised the item: the shipped rules have no id, and a saved rule set replaces its rules. */
    ruleName: text('rule_name'),
    similarity: real('similarity'),
    reasons: jsonb('reasons').$type<{ field: string; code: string }[]>().notNull().default([]),
    /** Scope columns copied from the lead: the queue is filtered like leads. */
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    status: text('status').$type<'open' | 'merged' | 'dismissed'>().notNull().default('open'),
    resolvedBy: uuid('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('review_items_open_idx').on(
      t.tenantId,
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('review_items_lead_idx').on(t.tenantId, t.leadId),
    // A merge closes the open items naming either lead: without this, a scan of the open queue per merge.
    index('review_items_candidate_idx').on(t.tenantId, t.candidateLeadId),
  ],
)

export const SCORING_KINDS = [
  'completeness',
  'field_present',
  'behaviour_count',
  'intent_count',
  'recency',
  'channel',
] as const
export type ScoringKind = (typeof SCORING_KINDS)[number]

/** Scoring rules (评分): each adds points when it holds; the sum gives the grade. */
export const scoringRules = pgTable(
  'scoring_rules',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    kind: text('kind').$type<ScoringKind>().notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    points: integer('points').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
)

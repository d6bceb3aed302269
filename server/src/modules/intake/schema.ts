import {
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.js'
import { orgUnits } from '../../platform/org/schema.js'

export const CHANNEL_KINDS = [
  'official_account',
  'mini_program',
  'app',
  'web_form',
  'ecommerce',
  'third_party',
  'offline_event',
  'import',
  'manual',
] as const
export type ChannelKind = (typeof CHANNEL_KINDS)[number]

/**
 * Field mapping from a channel's payload to the unified lead standard: target field (base field or
 * `custom.<key>`) → a dotted path into the payload, with an optional fixed value.
 */
export type ChannelMapping = Record<string, { path?: string; value?: string }>

/** Channels (渠道 / 触点): where leads and behaviour come from, each owned by an org unit. */
export const channels = pgTable(
  'channels',
  {
    tenantId: tenantId(),
    id: id(),
    kind: text('kind').$type<ChannelKind>().notNull(),
    name: text('name').notNull(),
    code: text('code').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** The unit that owns what the channel brings in, and its org boundary (scope columns). */
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** The API key the channel authenticates with (platform api_keys, role `channel`). */
    apiKeyId: uuid('api_key_id'),
    mapping: jsonb('mapping').$type<ChannelMapping>().notNull().default({}),
    /** Web form settings: allowed origins, fields shown, thank-you text. */
    form: jsonb('form').$type<Record<string, unknown>>().notNull().default({}),
    /** Public id of the web form (embeddable snippet), unguessable. */
    formKey: text('form_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('channels_code_key').on(t.tenantId, t.code),
    uniqueIndex('channels_api_key_key').on(t.tenantId, t.apiKeyId),
    uniqueIndex('channels_form_key').on(t.tenantId, t.formKey),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.orgId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
  ],
)

export const EVENT_TYPES = [
  'view',
  'register',
  'login',
  'favourite',
  'add_to_cart',
  'order',
  'pay',
  'share',
  'follow',
  'check_in',
  'consult',
  'click',
  'submit_form',
] as const

/**
 * Behaviour events (行为), append-only, linked to the resolved person. (tenant, channel, event_key)
 * dedupes a channel's retries of the same event.
 */
export const behaviourEvents = pgTable(
  'behaviour_events',
  {
    tenantId: tenantId(),
    id: id(),
    personId: uuid('person_id').notNull(),
    channelId: uuid('channel_id'),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    eventKey: text('event_key'),
    identity: jsonb('identity').$type<Record<string, string>>().notNull().default({}),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('behaviour_events_person_idx').on(t.tenantId, t.personId, t.occurredAt.desc()),
    // person_id last: behaviour conditions (profiles) count a type's events in a window per person
    // from the index alone, without visiting 20M rows.
    index('behaviour_events_type_idx').on(t.tenantId, t.type, t.occurredAt, t.personId),
    uniqueIndex('behaviour_events_key').on(t.tenantId, t.channelId, t.eventKey),
  ],
)

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const IMPORT_STATUSES = [
  'uploaded',
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'undoing',
  'undone',
] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

export interface ImportCounts {
  rows: number
  created: number
  merged: number
  duplicate: number
  review: number
  invalid: number
}

/** An import of history (一键导入): the file, its mapping, its job and its result. */
export const imports = pgTable(
  'imports',
  {
    tenantId: tenantId(),
    id: id(),
    fileName: text('file_name').notNull(),
    /** What the rows become: leads (through the data factory) or orders (e-commerce history, issue #5). */
    target: text('target').$type<'lead' | 'order'>().notNull().default('lead'),
    format: text('format').$type<'csv' | 'xlsx'>().notNull(),
    encoding: text('encoding'),
    sheet: text('sheet'),
    sizeBytes: integer('size_bytes').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull().default([]),
    /** header column index → target field (base field or custom.<key>). */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull().default({}),
    channelId: uuid('channel_id'),
    campaignId: uuid('campaign_id'),
    status: text('status').$type<ImportStatus>().notNull().default('uploaded'),
    totalRows: integer('total_rows'),
    /** The last row fully committed: a resumed job starts after it. */
    checkpointRow: integer('checkpoint_row').notNull().default(0),
    counts: jsonb('counts').$type<ImportCounts>().notNull().default({
      rows: 0,
      created: 0,
      merged: 0,
      duplicate: 0,
      review: 0,
      invalid: 0,
    }),
    jobId: uuid('job_id'),
    error: text('error'),
    unitId: uuid('unit_id').notNull(),
    orgId: uuid('org_id').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('imports_created_idx').on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
)

/** The uploaded file, in the database so any server instance can resume the job. */
export const importFiles = pgTable(
  'import_files',
  {
    tenantId: tenantId(),
    importId: uuid('import_id').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.seq] }),
    foreignKey({
      columns: [t.tenantId, t.importId],
      foreignColumns: [imports.tenantId, imports.id],
    }).onDelete('cascade'),
  ],
)

/** Rows that did not go in (or were flagged), with the original cells: the downloadable error file. */
export const importErrors = pgTable(
  'import_errors',
  {
    tenantId: tenantId(),
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
    reasons: jsonb('reasons').$type<{ field: string; code: string }[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.importId, t.rowNumber] }),
    foreignKey({
      columns: [t.tenantId, t.importId],
      foreignColumns: [imports.tenantId, imports.id],
    }).onDelete('cascade'),
  ],
)

/** Saved column mappings, reused when the same kind of file comes again. */
export const importMappings = pgTable(
  'import_mappings',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    /** header text → target field. */
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('import_mappings_name_key').on(t.tenantId, t.name),
  ],
)

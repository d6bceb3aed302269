import { sql } from 'drizzle-orm'
import {
  boolean,
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
import { persons } from '../quality/schema.js'
import type { ConditionNode } from './conditions/types.js'

/**
 * Tag groups (标签组): a dimension of the profile such as 人生阶段 or 消费能力. An exclusive group
 * holds mutually exclusive options: a person carries at most one of its tags.
 */
export const tagGroups = pgTable(
  'tag_groups',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    color: text('color'),
    exclusive: boolean('exclusive').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('tag_groups_name_key').on(t.tenantId, t.name),
  ],
)

export const TAG_REMOVAL = ['remove', 'keep'] as const

/**
 * Tags (标签). A tag with an enabled rule is automatic (自动打标): the rule is evaluated on change
 * and on schedule; when it stops holding the tag is removed (`ruleRemoval` remove) or kept (keep).
 */
export const tags = pgTable(
  'tags',
  {
    tenantId: tenantId(),
    id: id(),
    groupId: uuid('group_id').notNull(),
    name: text('name').notNull(),
    color: text('color'),
    description: text('description'),
    sortOrder: integer('sort_order').notNull().default(0),
    rule: jsonb('rule').$type<ConditionNode | null>(),
    ruleEnabled: boolean('rule_enabled').notNull().default(false),
    ruleRemoval: text('rule_removal').$type<(typeof TAG_REMOVAL)[number]>().notNull().default('remove'),
    /** The last full run of the rule: when, and how many persons matched. */
    ruleRunAt: timestamp('rule_run_at', { withTimezone: true }),
    ruleMatchCount: integer('rule_match_count'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.groupId],
      foreignColumns: [tagGroups.tenantId, tagGroups.id],
    }).onDelete('cascade'),
    uniqueIndex('tags_group_name_key').on(t.tenantId, t.groupId, t.name),
    index('tags_rule_idx').on(t.tenantId).where(sql`${t.ruleEnabled}`),
  ],
)

export const TAG_SOURCES = ['manual', 'bulk', 'import', 'rule'] as const
export type TagSource = (typeof TAG_SOURCES)[number]

/**
 * The tags a person carries. Tags live on the person (the one customer record): tagging a lead or
 * a customer tags its person, so every view of that person shows the same tags.
 */
export const personTags = pgTable(
  'person_tags',
  {
    tenantId: tenantId(),
    personId: uuid('person_id').notNull(),
    tagId: uuid('tag_id').notNull(),
    source: text('source').$type<TagSource>().notNull(),
    addedBy: uuid('added_by'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.personId, t.tagId] }),
    foreignKey({
      columns: [t.tenantId, t.personId],
      foreignColumns: [persons.tenantId, persons.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.tagId], foreignColumns: [tags.tenantId, tags.id] }).onDelete(
      'cascade',
    ),
    index('person_tags_tag_idx').on(t.tenantId, t.tagId, t.personId),
  ],
)

/**
 * Tag history (打标记录): every add and remove, by whom or by which rule, with what it was about
 * (the lead or customer it was tagged through, the import, the rule's explanation). Kept when the
 * tag is deleted, so the name is copied in.
 */
export const tagEvents = pgTable(
  'tag_events',
  {
    tenantId: tenantId(),
    id: id(),
    personId: uuid('person_id').notNull(),
    tagId: uuid('tag_id').notNull(),
    tagName: text('tag_name').notNull(),
    action: text('action').$type<'added' | 'removed'>().notNull(),
    source: text('source').$type<TagSource | 'group_deleted' | 'exclusive'>().notNull(),
    actorId: uuid('actor_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('tag_events_person_idx').on(t.tenantId, t.personId, t.at.desc()),
    index('tag_events_tag_idx').on(t.tenantId, t.tagId, t.at.desc()),
  ],
)

export const SEGMENT_KINDS = ['dynamic', 'static'] as const
export type SegmentKind = (typeof SEGMENT_KINDS)[number]

/**
 * Segments (人群): dynamic from conditions (membership refreshed on schedule and for changed
 * persons), or static from a list or an uploaded file. Later modules target them through
 * `segmentMembers(segmentId)`.
 */
export const segments = pgTable(
  'segments',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    description: text('description'),
    kind: text('kind').$type<SegmentKind>().notNull(),
    conditions: jsonb('conditions').$type<ConditionNode | null>(),
    /** Dynamic segments refresh on the schedule unless paused. */
    autoRefresh: boolean('auto_refresh').notNull().default(true),
    memberCount: integer('member_count').notNull().default(0),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('segments_name_key').on(t.tenantId, t.name),
  ],
)

/** Stored membership: a refresh writes only the difference (added and removed persons). */
export const segmentMembers = pgTable(
  'segment_members',
  {
    tenantId: tenantId(),
    segmentId: uuid('segment_id').notNull(),
    personId: uuid('person_id').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.segmentId, t.personId] }),
    foreignKey({
      columns: [t.tenantId, t.segmentId],
      foreignColumns: [segments.tenantId, segments.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.tenantId, t.personId],
      foreignColumns: [persons.tenantId, persons.id],
    }).onDelete('cascade'),
    index('segment_members_person_idx').on(t.tenantId, t.personId),
  ],
)

/** Size history: one row per refresh (full or incremental) that changed or checked the size. */
export const segmentSizes = pgTable(
  'segment_sizes',
  {
    tenantId: tenantId(),
    id: id(),
    segmentId: uuid('segment_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    size: integer('size').notNull(),
    added: integer('added').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    /** full (whole workspace), incremental (changed persons) or manual (static list edit). */
    trigger: text('trigger').$type<'full' | 'incremental' | 'manual'>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.segmentId],
      foreignColumns: [segments.tenantId, segments.id],
    }).onDelete('cascade'),
    index('segment_sizes_segment_idx').on(t.tenantId, t.segmentId, t.at),
  ],
)

/**
 * Persons whose data changed (a lead, an order, a tag, a behaviour event…) since automatic tags and
 * dynamic segments were last evaluated for them. A job drains it every minute.
 */
export const profileChanges = pgTable(
  'profile_changes',
  {
    tenantId: tenantId(),
    personId: uuid('person_id').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.personId] })],
)

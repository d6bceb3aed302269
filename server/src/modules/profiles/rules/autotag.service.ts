import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { enqueue } from '../../../platform/jobs/queue.js'
import { sqlArray } from '../../quality/bulk.js'
import { type CompileNode, countMatching, countPersons, matchingPersonIdsSql } from '../conditions/compile.js'
import type { ConditionNode } from '../conditions/types.js'
import { personTags, tagEvents, tagGroups, tags } from '../schema.js'
import { markChanged } from './changes.js'

/**
 * Rule-based tagging (自动打标). A tag's rule is evaluated set-based: the matching persons are one
 * query, the difference with the persons carrying the tag is written with INSERT … SELECT and
 * DELETE … USING in the same statement, with a tag_events row for every change. Nothing travels
 * through the application per person, so a rule over 1M persons is a handful of hash joins.
 *
 * - A rule adds the tag (source 'rule'); it removes only tags it added itself (source 'rule'), and
 *   only when the tag's rule_removal is 'remove'. A manual, bulk or imported tag is never touched.
 * - Exclusive groups: a person carries at most one tag of the group. Among the group's enabled
 *   rules the first that matches (sort order, then name) wins; winning removes the person's other
 *   rule tags of the group (tag_events source 'exclusive'). A person who carries a tag of the
 *   group given by hand keeps it, and the group's rules leave that person alone.
 * - `personIds` restricts everything (matching, adds, removals) to those persons: the incremental
 *   run of the profile_changes job.
 */

export interface RuleResult {
  matched: number
  added: number
  removed: number
}

export interface RuleWarning {
  matches: number
  total: number
  warning: 'everyone' | 'no_one' | null
}

/** How many persons a rule would tag, of how many; warns when that is everyone or no one. */
export async function previewRule(ctx: Ctx, node: ConditionNode): Promise<RuleWarning> {
  const [matches, total] = [await countMatching(ctx, node), await countPersons(ctx)]
  const warning = total === 0 ? null : matches === 0 ? 'no_one' : matches === total ? 'everyone' : null
  return { matches, total, warning }
}

/** A full run marks at most this many changed persons; beyond, it asks for one full segment refresh. */
export const MARK_LIMIT = 5000

/** node-postgres answers uuid[] as an array, PGlite may answer its text form. */
const parseIds = (v: string[] | string | null): string[] =>
  Array.isArray(v)
    ? v
    : typeof v === 'string'
      ? v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean)
      : []

/** A UUIDv7 made in SQL (PostgreSQL 15 functions) for rows made by INSERT … SELECT. */
const uuidV7 = sql.raw(`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
  52, 1), 53, 1), 'hex')::uuid`)

interface TagRuleRow {
  id: string
  name: string
  groupId: string
  rule: ConditionNode | null
  ruleEnabled: boolean
  ruleRemoval: 'remove' | 'keep'
  version: number
  sortOrder: number
}
interface GroupInfo {
  exclusive: boolean
  /** The group's tags in rule precedence order. */
  tags: TagRuleRow[]
}

async function loadGroup(ctx: Ctx, groupId: string): Promise<GroupInfo> {
  const t = ctx.actor.tenantId
  const [g] = await ctx.db
    .select({ exclusive: tagGroups.exclusive })
    .from(tagGroups)
    .where(sql`${tagGroups.tenantId} = ${t} and ${tagGroups.id} = ${groupId}`)
  const rows = (await ctx.db
    .select({
      id: tags.id,
      name: tags.name,
      groupId: tags.groupId,
      rule: tags.rule,
      ruleEnabled: tags.ruleEnabled,
      ruleRemoval: tags.ruleRemoval,
      version: tags.version,
      sortOrder: tags.sortOrder,
    })
    .from(tags)
    .where(sql`${tags.tenantId} = ${t} and ${tags.groupId} = ${groupId}`)
    .orderBy(tags.sortOrder, tags.name, tags.id)) as TagRuleRow[]
  return { exclusive: g?.exclusive ?? false, tags: rows }
}

/**
 * Runs one tag's rule now (the whole workspace, or only `personIds`). A tag without a rule does
 * nothing. A full run records rule_run_at and rule_match_count and marks the persons it changed,
 * so segments that read tags follow.
 */
export async function runTagRule(
  ctx: Ctx,
  tagId: string,
  opts: { personIds?: readonly string[]; markChanges?: boolean; enabledOnly?: boolean } = {},
): Promise<RuleResult> {
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    // Lock the tag: two runs of one rule (schedule and a manual run) take turns.
    const [tag] = (
      await tx.db.execute<{ group_id: string; rule_enabled: boolean }>(
        sql`select group_id, rule_enabled from ${tags} where tenant_id = ${t} and id = ${tagId}::uuid for update`,
      )
    ).rows
    if (!tag || (opts.enabledOnly && !tag.rule_enabled)) return { matched: 0, added: 0, removed: 0 }
    const group = await loadGroup(tx, tag.group_id)
    return applyRule(tx, group, tagId, opts)
  })
}

async function applyRule(
  ctx: Ctx,
  group: GroupInfo,
  tagId: string,
  opts: { personIds?: readonly string[]; markChanges?: boolean },
): Promise<RuleResult> {
  const t = ctx.actor.tenantId
  const tag = group.tags.find((x) => x.id === tagId)
  if (!tag?.rule) return { matched: 0, added: 0, removed: 0 }
  const restricted = opts.personIds !== undefined
  if (restricted && opts.personIds!.length === 0) return { matched: 0, added: 0, removed: 0 }
  const mark = opts.markChanges ?? !restricted
  const others = group.tags.filter((x) => x.id !== tagId).map((x) => x.id)
  const exclusive = group.exclusive && others.length > 0

  // Earlier enabled rules of an exclusive group take precedence: this tag only where none holds.
  let node: CompileNode = tag.rule
  if (exclusive) {
    const index = group.tags.findIndex((x) => x.id === tagId)
    const earlier = group.tags.slice(0, index).filter((x) => x.ruleEnabled && x.rule)
    if (earlier.length)
      node = {
        match: 'all',
        conditions: [tag.rule, ...earlier.map((x) => ({ not: x.rule! }))] as ConditionNode[],
      }
  }
  const matching = matchingPersonIdsSql(ctx, node, { personIds: opts.personIds })
  const othersArr = exclusive ? sqlArray(others, 'uuid') : sql`'{}'::uuid[]`
  const detail = JSON.stringify({ ruleVersion: tag.version })
  const only = (col: SQL) =>
    restricted ? sql` and ${col} = any(${sqlArray(opts.personIds!, 'uuid')})` : sql``

  // Matching persons (eligible: not holding a hand-given tag of an exclusive group) FULL JOIN the
  // current holders: a hash or merge join by construction (a full join has no nested-loop plan),
  // so the difference never degenerates into a per-person scan whatever the estimates.
  const eligible = exclusive
    ? sql`not exists (select 1 from ${personTags} b where b.tenant_id = ${t} and b.person_id = m.id
        and b.tag_id = any(${othersArr}) and b.source <> 'rule')`
    : sql`true`
  const removal =
    tag.ruleRemoval === 'remove'
      ? sql`delete from ${personTags} pt using d where d.has and not d.want and d.source = 'rule'
          and pt.tenant_id = ${t} and pt.tag_id = ${tagId}::uuid and pt.person_id = d.pid${only(sql`pt.person_id`)} returning pt.person_id`
      : sql`select null::uuid as person_id where false`
  const exclusion = exclusive
    ? sql`delete from ${personTags} pt using d where d.want and pt.tenant_id = ${t} and pt.person_id = d.pid
          and pt.tag_id = any(${othersArr}) and pt.source = 'rule'${only(sql`pt.person_id`)} returning pt.person_id, pt.tag_id`
    : sql`select null::uuid as person_id, null::uuid as tag_id where false`
  const stmt = sql`
    with d as materialized (
      select coalesce(e.id, h.person_id) as pid, e.id is not null as matched, coalesce(e.eligible, false) as want,
        h.person_id is not null as has, h.source
      from (select m.id, ${eligible} as eligible from (${matching}) m) e
      full join (select pt.person_id, pt.source from ${personTags} pt
        where pt.tenant_id = ${t} and pt.tag_id = ${tagId}::uuid${only(sql`pt.person_id`)}) h on h.person_id = e.id),
    ins as (insert into ${personTags} (tenant_id, person_id, tag_id, source, added_at)
      select ${t}::uuid, d.pid, ${tagId}::uuid, 'rule', now() from d where d.want and not d.has
      on conflict do nothing returning person_id),
    del as (${removal}),
    excl as (${exclusion}),
    ev as (insert into ${tagEvents} (tenant_id, id, person_id, tag_id, tag_name, action, source, actor_id, detail, at)
      select ${t}::uuid, ${uuidV7}, x.person_id, x.tag_id, tg.name, x.action, x.source, null, x.detail::jsonb, now()
      from (select person_id, ${tagId}::uuid as tag_id, 'added' as action, 'rule' as source, ${detail} as detail from ins
        union all select person_id, ${tagId}::uuid, 'removed', 'rule', ${detail} from del
        union all select person_id, tag_id, 'removed', 'exclusive', ${JSON.stringify({ ruleVersion: tag.version, tagId, tagName: tag.name })} from excl) x
      join ${tags} tg on tg.tenant_id = ${t} and tg.id = x.tag_id
      returning 1)
    select (select count(*) from d where d.matched)::int as matched, (select count(*) from ins)::int as added,
      ((select count(*) from del) + (select count(*) from excl))::int as removed,
      (select array_agg(distinct c.person_id) from (select person_id from ins union all select person_id from del
        union all select person_id from excl limit ${MARK_LIMIT + 1}) c) as changed`
  // The writes join the materialized difference, whose row estimate PostgreSQL cannot know: a
  // nested loop over it would rescan it per holder (quadratic: 4,000 holders took 7.7 s). Hash and
  // merge joins only, for this one statement (SET LOCAL also ends with a rolled-back savepoint).
  const [{ v: nestloop }] = (
    await ctx.db.execute<{ v: string }>(sql`select current_setting('enable_nestloop') as v`)
  ).rows as [{ v: string }]
  await ctx.db.execute(sql`select set_config('enable_nestloop', 'off', true)`)
  const res = await ctx.db.execute<{
    matched: number
    added: number
    removed: number
    changed: string[] | null
  }>(stmt)
  await ctx.db.execute(sql`select set_config('enable_nestloop', ${nestloop}, true)`)
  const r = res.rows[0]!
  const result = { matched: Number(r.matched), added: Number(r.added), removed: Number(r.removed) }
  // Segments reading tags follow: a few changed persons are marked (the changes job refreshes
  // them within a minute), a mass change refreshes every segment once instead.
  if (mark && result.added + result.removed > 0) {
    const ids = parseIds(r.changed)
    if (result.added + result.removed <= MARK_LIMIT) await markChanged(ctx, t, ids)
    else await enqueue(ctx, { type: 'segments.refresh', tenantId: t, payload: { reason: 'autotag', tagId } })
  }
  if (!restricted)
    await ctx.db
      .update(tags)
      .set({ ruleRunAt: new Date(), ruleMatchCount: result.matched })
      .where(sql`${tags.tenantId} = ${t} and ${tags.id} = ${tagId}`)
  return result
}

export interface RunAllResult extends RuleResult {
  rules: number
  /** Rules that failed (each in its own savepoint: the others still ran). */
  errors: { tagId: string; error: string }[]
}

/**
 * Every enabled rule of the workspace, group by group in precedence order (so an exclusive group's
 * earlier rules are settled first), for the whole workspace or only `personIds`.
 */
export async function runAllTagRules(ctx: Ctx, personIds?: readonly string[]): Promise<RunAllResult> {
  const t = ctx.actor.tenantId
  const out: RunAllResult = { rules: 0, matched: 0, added: 0, removed: 0, errors: [] }
  if (personIds && personIds.length === 0) return out
  const groups = (
    await ctx.db.execute<{ group_id: string }>(sql`select distinct g.id as group_id, g.sort_order, g.name
      from ${tags} tg join ${tagGroups} g on g.tenant_id = tg.tenant_id and g.id = tg.group_id
      where tg.tenant_id = ${t} and tg.rule_enabled and tg.rule is not null
      order by g.sort_order, g.name`)
  ).rows.map((r) => r.group_id)
  for (const groupId of groups) {
    const group = await loadGroup(ctx, groupId)
    for (const tag of group.tags) {
      if (!tag.ruleEnabled || !tag.rule) continue
      try {
        // A savepoint (or a transaction of its own): one broken rule does not undo the others.
        const r = await ctx.db.transaction((sp) =>
          applyRule({ ...ctx, db: sp, inTx: true }, group, tag.id, { personIds }),
        )
        out.rules++
        out.matched += r.matched
        out.added += r.added
        out.removed += r.removed
      } catch (err) {
        out.errors.push({ tagId: tag.id, error: err instanceof Error ? err.message : String(err) })
      }
    }
  }
  return out
}

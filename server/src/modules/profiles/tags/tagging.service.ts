import { sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { markChanged } from '../rules/changes.js'
import { personTags, type TagSource, tagGroups, tags } from '../schema.js'
import './messages.js'
import { sqlArray, uuidV7 } from './sql.js'

/** A tag as a person carries it: where it came from, when, by whom; `auto` when a rule added it. */
export interface TagView {
  id: string
  name: string
  color: string | null
  groupId: string
  groupName: string
  source: TagSource
  addedAt: Date
  addedBy: string | null
  addedByName: string | null
  auto: boolean
}

export interface TagChange {
  add?: string[]
  remove?: string[]
  source: TagSource
  /** Kept on every history row of the change (the lead or customer tagged through, the import file…). */
  detail?: Record<string, unknown>
}

export interface TaggingResult {
  /** Tags put on (a tag already held is not counted) and taken off (exclusive siblings included). */
  added: number
  removed: number
  /** Persons whose tags changed. */
  changed: string[]
}

export interface TagInfo {
  id: string
  name: string
  groupId: string
  groupName: string
  exclusive: boolean
}

/** Persons per statement: the id list is one array parameter. */
const CHUNK = 5000

/** The tags `ids` of the workspace with their group (unknown ids are absent). */
export async function tagInfos(ctx: Ctx, ids: string[]): Promise<Map<string, TagInfo>> {
  const valid = [...new Set(ids.filter(isUuid))]
  if (!valid.length) return new Map()
  const res = await ctx.db.execute<{
    id: string
    name: string
    group_id: string
    group_name: string
    exclusive: boolean
  }>(sql`
    select t.id, t.name, t.group_id, g.name as group_name, g.exclusive
    from ${tags} t join ${tagGroups} g on g.tenant_id = t.tenant_id and g.id = t.group_id
    where t.tenant_id = ${ctx.actor.tenantId} and t.id = any(${sqlArray(valid, 'uuid')})`)
  return new Map(
    res.rows.map((r) => [
      String(r.id),
      {
        id: String(r.id),
        name: String(r.name),
        groupId: String(r.group_id),
        groupName: String(r.group_name),
        exclusive: Boolean(r.exclusive),
      },
    ]),
  )
}

/**
 * Checks a change's tag lists: every tag known (`<list>[i]` unknown_tag), none both added and
 * removed, at most one added tag per exclusive group. Answers the tags, 400 otherwise.
 */
export async function checkTagChange(
  ctx: Ctx,
  add: string[],
  remove: string[],
  prefix = '',
): Promise<Map<string, TagInfo>> {
  const infos = await tagInfos(ctx, [...add, ...remove])
  const errors: FieldError[] = []
  const exclusiveSeen = new Map<string, string>()
  for (const [i, id] of add.entries()) {
    const info = infos.get(id)
    if (!info) {
      errors.push({ field: `${prefix}add[${i}]`, code: 'unknown_tag' })
      continue
    }
    if (info.exclusive) {
      const other = exclusiveSeen.get(info.groupId)
      if (other && other !== id)
        errors.push({
          field: `${prefix}add[${i}]`,
          code: 'tag_exclusive_conflict',
          params: { group: info.groupName },
        })
      exclusiveSeen.set(info.groupId, id)
    }
  }
  const adding = new Set(add)
  remove.forEach((id, i) => {
    if (!infos.has(id)) errors.push({ field: `${prefix}remove[${i}]`, code: 'unknown_tag' })
    else if (adding.has(id)) errors.push({ field: `${prefix}remove[${i}]`, code: 'tag_in_add_and_remove' })
  })
  if (errors.length) throw validationFailed(errors)
  return infos
}

/**
 * Puts tags on persons and takes tags off, set-based (one statement per 5,000 persons). Adding a
 * tag of an exclusive group takes the person's other tags of that group off (history source
 * `exclusive`). Only real changes are written to the history: adding a tag already held, or
 * removing one not held, is a no-op. Merged-away and unknown persons are ignored. The persons
 * changed are marked for re-evaluation of automatic tags and dynamic segments.
 *
 * The caller has decided that `personIds` may be tagged (visibility is the route's business).
 */
export async function tagPersons(ctx: Ctx, personIds: string[], change: TagChange): Promise<TaggingResult> {
  const add = [...new Set(change.add ?? [])]
  const remove = [...new Set(change.remove ?? [])]
  const ids = [...new Set(personIds.filter(isUuid))]
  const result: TaggingResult = { added: 0, removed: 0, changed: [] }
  if (!ids.length || (!add.length && !remove.length)) return result
  return inTransaction(ctx, async (tx) => {
    const infos = await checkTagChange(tx, add, remove)
    const t = tx.actor.tenantId
    const exclusiveGroups = [...new Set(add.map((id) => infos.get(id)!).filter((i) => i.exclusive))].map(
      (i) => i.groupId,
    )
    // The other tags of the exclusive groups a tag is added from.
    const siblings = exclusiveGroups.length
      ? (
          await tx.db.execute<{ id: string }>(sql`select id from ${tags}
            where tenant_id = ${t} and group_id = any(${sqlArray(exclusiveGroups, 'uuid')})
              and id <> all(${sqlArray(add, 'uuid')})`)
        ).rows.map((r) => String(r.id))
      : []
    const detail = JSON.stringify(change.detail ?? {})
    const actor = tx.actor.id
    const changed = new Set<string>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = sqlArray(ids.slice(i, i + CHUNK), 'uuid')
      // Exclusive groups: the persons are locked first, so that two taggings of one person cannot
      // each add a different option (this statement then sees the other's committed tags).
      if (siblings.length)
        await tx.db.execute(sql`select id from persons where tenant_id = ${t} and id = any(${chunk})
          order by id for update`)
      const res = await tx.db.execute<{ person_id: string; added: number; removed: number }>(sql`
        with p as (
          select id from persons where tenant_id = ${t} and id = any(${chunk}) and merged_into_id is null
        ), ex as (
          delete from ${personTags} pt using p
          where pt.tenant_id = ${t} and pt.person_id = p.id and pt.tag_id = any(${sqlArray(siblings, 'uuid')})
          returning pt.person_id, pt.tag_id
        ), rm as (
          delete from ${personTags} pt using p
          where pt.tenant_id = ${t} and pt.person_id = p.id and pt.tag_id = any(${sqlArray(remove, 'uuid')})
          returning pt.person_id, pt.tag_id
        ), ad as (
          insert into person_tags (tenant_id, person_id, tag_id, source, added_by, added_at)
          select ${t}::uuid, p.id, a.tag_id, ${change.source}, ${actor}::uuid, now()
          from p cross join unnest(${sqlArray(add, 'uuid')}) as a(tag_id)
          on conflict do nothing
          returning person_id, tag_id
        ), changes as (
          select person_id, tag_id, 'removed'::text as action, 'exclusive'::text as source from ex
          union all select person_id, tag_id, 'removed', ${change.source}::text from rm
          union all select person_id, tag_id, 'added', ${change.source}::text from ad
        ), ev as (
          -- clock_timestamp: rows of one change keep their order (an exclusive removal before the add).
          insert into tag_events (tenant_id, id, person_id, tag_id, tag_name, action, source, actor_id, detail, at)
          select ${t}::uuid, ${uuidV7}, c.person_id, c.tag_id, tg.name, c.action, c.source, ${actor}::uuid,
            ${detail}::jsonb, clock_timestamp()
          from changes c join ${tags} tg on tg.tenant_id = ${t} and tg.id = c.tag_id
        )
        select person_id, count(*) filter (where action = 'added')::int as added,
          count(*) filter (where action = 'removed')::int as removed
        from changes group by person_id`)
      for (const r of res.rows) {
        changed.add(String(r.person_id))
        result.added += Number(r.added)
        result.removed += Number(r.removed)
      }
    }
    result.changed = [...changed]
    if (result.changed.length) await markChanged(tx, t, result.changed)
    return result
  })
}

/**
 * The tags each person carries (every asked id is in the map, [] when none), in the taxonomy's
 * order: group sort order and name, then tag sort order and name.
 */
export async function personTagsOf(ctx: Ctx, personIds: string[]): Promise<Map<string, TagView[]>> {
  const ids = [...new Set(personIds.filter(isUuid))]
  const out = new Map<string, TagView[]>(ids.map((id) => [id, []]))
  if (!ids.length) return out
  const res = await ctx.db.execute<Record<string, unknown>>(sql`
    select pt.person_id, t.id, t.name, t.color, g.id as group_id, g.name as group_name, pt.source,
      pt.added_at, pt.added_by, u.name as added_by_name
    from ${personTags} pt
    join ${tags} t on t.tenant_id = pt.tenant_id and t.id = pt.tag_id
    join ${tagGroups} g on g.tenant_id = t.tenant_id and g.id = t.group_id
    left join users u on u.tenant_id = pt.tenant_id and u.id = pt.added_by
    where pt.tenant_id = ${ctx.actor.tenantId} and pt.person_id = any(${sqlArray(ids, 'uuid')})
    order by g.sort_order, g.name, t.sort_order, t.name`)
  for (const r of res.rows) {
    const source = String(r.source) as TagSource
    out.get(String(r.person_id))!.push({
      id: String(r.id),
      name: String(r.name),
      color: (r.color as string | null) ?? null,
      groupId: String(r.group_id),
      groupName: String(r.group_name),
      source,
      addedAt: r.added_at instanceof Date ? r.added_at : new Date(String(r.added_at)),
      addedBy: (r.added_by as string | null) ?? null,
      addedByName: (r.added_by_name as string | null) ?? null,
      auto: source === 'rule',
    })
  }
  return out
}

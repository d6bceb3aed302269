import { sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { decodeCursor, encodeCursor, isUuid } from '../../../platform/access/data-access.js'
import { notFound } from '../../../platform/http/errors.js'
import { explainConditions } from '../conditions/explain.js'
import type { ConditionNode, ExplainedCondition } from '../conditions/types.js'
import { assertPersonVisible } from '../persons/scope.js'
import { personTags, tagEvents, tagGroups, tags } from '../schema.js'
import { systemCtx } from './taxonomy.service.js'

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/

export interface TagEventView {
  id: string
  tagId: string
  tagName: string
  action: 'added' | 'removed'
  source: string
  actorId: string | null
  actorName: string | null
  detail: Record<string, unknown>
  at: Date
}

/**
 * A person's tag history (打标记录), newest first, with the actor's name; keyset pages on (at, id).
 * 404 unless the caller sees the person.
 */
export async function tagHistory(
  ctx: Ctx,
  personId: string,
  opts: { cursor?: string | null; limit?: number } = {},
): Promise<{ items: TagEventView[]; nextCursor: string | null }> {
  await assertPersonVisible(ctx, personId)
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200)
  const cur = opts.cursor ? decodeCursor(opts.cursor) : null
  const after =
    cur &&
    typeof cur[0] === 'string' &&
    TIMESTAMP.test(cur[0]) &&
    typeof cur[1] === 'string' &&
    isUuid(cur[1])
      ? { at: cur[0], id: cur[1] }
      : null
  // `at` is read as the database's text: it keeps the microseconds the cursor needs.
  const res = await ctx.db.execute<Record<string, unknown>>(sql`
    select e.id, e.tag_id, e.tag_name, e.action, e.source, e.actor_id, u.name as actor_name, e.detail,
      e.at::text as at_text
    from ${tagEvents} e
    left join users u on u.tenant_id = e.tenant_id and u.id = e.actor_id
    where e.tenant_id = ${ctx.actor.tenantId} and e.person_id = ${personId}::uuid
      ${after ? sql`and (e.at, e.id) < (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
    order by e.at desc, e.id desc
    limit ${limit + 1}`)
  const rows = res.rows.slice(0, limit)
  const last = rows[rows.length - 1]
  return {
    items: rows.map((r) => ({
      id: String(r.id),
      tagId: String(r.tag_id),
      tagName: String(r.tag_name),
      action: r.action as 'added' | 'removed',
      source: String(r.source),
      actorId: (r.actor_id as string | null) ?? null,
      actorName: (r.actor_name as string | null) ?? null,
      detail: (r.detail as Record<string, unknown>) ?? {},
      at: new Date(String(r.at_text)),
    })),
    nextCursor:
      res.rows.length > limit && last ? encodeCursor([String(last.at_text), String(last.id)]) : null,
  }
}

export interface TagExplanation {
  tag: {
    id: string
    name: string
    color: string | null
    groupId: string
    groupName: string
    rule: ConditionNode | null
    ruleEnabled: boolean
  }
  /** Whether the person carries the tag now, and how it came. */
  carried: boolean
  source: string | null
  addedAt: Date | null
  addedBy: string | null
  addedByName: string | null
  /** The rule evaluated for the person now (null when no rule is explained). */
  holds: boolean | null
  conditions: ExplainedCondition[]
}

/**
 * Why a person carries a tag (GET /persons/:id/tags/:tagId/explanation). A tag a rule put on (or
 * one the person does not carry, when the tag has a rule) is explained by the tag's current rule,
 * evaluated for this person over the whole workspace exactly as the rule runs; a tag put on by
 * hand, in bulk or by import says who and when, without conditions.
 */
export async function explainTag(ctx: Ctx, personId: string, tagId: string): Promise<TagExplanation> {
  await assertPersonVisible(ctx, personId)
  if (!isUuid(tagId)) throw notFound()
  const t = ctx.actor.tenantId
  const res = await ctx.db.execute<Record<string, unknown>>(sql`
    select tg.id, tg.name, tg.color, tg.group_id, g.name as group_name, tg.rule, tg.rule_enabled,
      pt.source, pt.added_at, pt.added_by, u.name as added_by_name
    from ${tags} tg
    join ${tagGroups} g on g.tenant_id = tg.tenant_id and g.id = tg.group_id
    left join ${personTags} pt on pt.tenant_id = tg.tenant_id and pt.tag_id = tg.id and pt.person_id = ${personId}::uuid
    left join users u on u.tenant_id = pt.tenant_id and u.id = pt.added_by
    where tg.tenant_id = ${t} and tg.id = ${tagId}::uuid`)
  const r = res.rows[0]
  if (!r) throw notFound()
  const rule = (r.rule as ConditionNode | null) ?? null
  const source = (r.source as string | null) ?? null
  const carried = source !== null
  const explain = rule && (!carried || source === 'rule')
  const explanation = explain ? await explainConditions(systemCtx(ctx), rule, personId) : null
  return {
    tag: {
      id: String(r.id),
      name: String(r.name),
      color: (r.color as string | null) ?? null,
      groupId: String(r.group_id),
      groupName: String(r.group_name),
      rule,
      ruleEnabled: Boolean(r.rule_enabled),
    },
    carried,
    source,
    addedAt: r.added_at
      ? new Date(String(r.added_at instanceof Date ? r.added_at.toISOString() : r.added_at))
      : null,
    addedBy: (r.added_by as string | null) ?? null,
    addedByName: (r.added_by_name as string | null) ?? null,
    holds: explanation ? explanation.holds : null,
    conditions: explanation?.conditions ?? [],
  }
}

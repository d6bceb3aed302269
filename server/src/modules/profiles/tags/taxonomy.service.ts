import { and, asc, eq, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { createRepository, isUuid } from '../../../platform/access/data-access.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import {
  AppError,
  conflict,
  type FieldError,
  notFound,
  validationFailed,
} from '../../../platform/http/errors.js'
import { enqueue } from '../../../platform/jobs/queue.js'
import { type ConditionNode, isGroup } from '../conditions/types.js'
import { validateConditionTree } from '../conditions/validate.js'
import { previewRule, runTagRule } from '../rules/autotag.service.js'
import { markChanged } from '../rules/changes.js'
import { personTags, segments, type TAG_REMOVAL, tagGroups, tags } from '../schema.js'
import './messages.js'
import { normaliseColor, sqlArray, uuidV7 } from './sql.js'

/**
 * The tag taxonomy (标签体系): groups and their tags, workspace configuration (no data scope).
 * Deletes go to the recycle bin (a group with its tags); the tags persons carried are removed with
 * a history entry each (source group_deleted).
 */
export const tagGroupsRepo = createRepository({
  table: tagGroups,
  objectType: 'tag_group',
  sortable: ['createdAt', 'name', 'sortOrder'],
  dependents: [{ table: tags, column: tags.groupId }],
})
export const tagsRepo = createRepository({
  table: tags,
  objectType: 'tag',
  sortable: ['createdAt', 'name', 'sortOrder'],
})

/** The job that runs one tag's rule over the workspace (registered by rules/). */
export const AUTOTAG_JOB = 'profiles.autotag'

type Row = Record<string, unknown>
export type TagGroupRow = typeof tagGroups.$inferSelect
export type TagRow = typeof tags.$inferSelect

export interface TagGroupInput {
  name: string
  description?: string | null
  color?: string | null
  exclusive?: boolean
  sortOrder?: number
}

export interface TagInput {
  groupId: string
  name: string
  color?: string | null
  description?: string | null
  sortOrder?: number
  rule?: ConditionNode | null
  ruleEnabled?: boolean
  ruleRemoval?: (typeof TAG_REMOVAL)[number]
  /** Save a rule that matches everyone or no one anyway. */
  acknowledgeWarning?: boolean
}

/** The system context of the caller's workspace: rules are evaluated over the whole workspace. */
export const systemCtx = (ctx: Ctx): Ctx => ({
  ...ctx,
  actor: systemActor(ctx.actor.tenantId, ALL_PERMISSIONS),
})

/** A taken name as a 409 `duplicate` naming the field, with the name in the field's message. */
function nameTaken(code: 'tag_group_name_taken' | 'tag_name_taken', name: string) {
  return (err: unknown): never => {
    if (err instanceof AppError && err.code === 'duplicate')
      throw new AppError(409, 'duplicate', { field: 'name' }, [{ field: 'name', code, params: { name } }])
    throw err
  }
}

function checkColor(color: string | null | undefined, errors: FieldError[]): string | null | undefined {
  if (color === undefined) return undefined
  const c = normaliseColor(color)
  if (c === undefined) errors.push({ field: 'color', code: 'tag_invalid_color' })
  return c ?? null
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Persons per tag of the workspace: one GROUP BY over person_tags (its tag index). */
export async function personCounts(ctx: Ctx, tagId?: string): Promise<Map<string, number>> {
  const res = await ctx.db.execute<{ tag_id: string; n: number }>(sql`
    select tag_id, count(*)::int as n from ${personTags}
    where tenant_id = ${ctx.actor.tenantId} ${tagId ? sql`and tag_id = ${tagId}::uuid` : sql``}
    group by tag_id`)
  return new Map(res.rows.map((r) => [String(r.tag_id), Number(r.n)]))
}

export interface TagOut extends TagRow {
  personCount: number
}

/** Every group with its tags (sort order, then name), each tag with the number of persons carrying it. */
export async function listTagGroups(ctx: Ctx) {
  const t = ctx.actor.tenantId
  const [groups, tagRows, counts] = await Promise.all([
    ctx.db
      .select()
      .from(tagGroups)
      .where(eq(tagGroups.tenantId, t))
      .orderBy(asc(tagGroups.sortOrder), asc(tagGroups.name)),
    ctx.db.select().from(tags).where(eq(tags.tenantId, t)).orderBy(asc(tags.sortOrder), asc(tags.name)),
    personCounts(ctx),
  ])
  const byGroup = new Map<string, TagOut[]>()
  for (const tag of tagRows) {
    const list = byGroup.get(tag.groupId) ?? []
    list.push({ ...tag, personCount: counts.get(tag.id) ?? 0 })
    byGroup.set(tag.groupId, list)
  }
  return groups.map((g) => ({ ...g, tags: byGroup.get(g.id) ?? [] }))
}

/** One tag with its group's name and its person count; 404 when unknown. */
export async function getTag(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound()
  const [row] = await ctx.db
    .select({ tag: tags, groupName: tagGroups.name, exclusive: tagGroups.exclusive })
    .from(tags)
    .innerJoin(tagGroups, and(eq(tagGroups.tenantId, tags.tenantId), eq(tagGroups.id, tags.groupId)))
    .where(and(eq(tags.tenantId, ctx.actor.tenantId), eq(tags.id, id)))
  if (!row) throw notFound()
  const counts = await personCounts(ctx, id)
  return { ...row.tag, groupName: row.groupName, exclusive: row.exclusive, personCount: counts.get(id) ?? 0 }
}

// ---------------------------------------------------------------------------------------------
// Tag groups

export async function createTagGroup(ctx: Ctx, input: TagGroupInput) {
  const errors: FieldError[] = []
  const color = checkColor(input.color, errors)
  if (errors.length) throw validationFailed(errors)
  const name = input.name.trim()
  return inTransaction(ctx, async (tx) => {
    const [row] = await tagGroupsRepo
      .insert(tx, [{ ...input, name, color: color ?? null, createdBy: tx.actor.id }])
      .catch(nameTaken('tag_group_name_taken', name))
    return { ...(row as TagGroupRow), tags: [] as TagOut[] }
  })
}

/** Persons carrying two or more tags of a group (it cannot become exclusive while there are any). */
async function personsWithSeveral(ctx: Ctx, groupId: string): Promise<number> {
  const res = await ctx.db.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select pt.person_id from ${personTags} pt
      join ${tags} t on t.tenant_id = pt.tenant_id and t.id = pt.tag_id
      where pt.tenant_id = ${ctx.actor.tenantId} and t.group_id = ${groupId}::uuid
      group by pt.person_id having count(*) > 1) x`)
  return Number(res.rows[0]?.n ?? 0)
}

export async function updateTagGroup(
  ctx: Ctx,
  id: string,
  patch: Partial<TagGroupInput> & { version?: number },
) {
  const { version, ...fields } = patch
  const errors: FieldError[] = []
  const values: Row = { ...fields }
  const color = checkColor(fields.color, errors)
  if (color !== undefined) values.color = color
  if (fields.name !== undefined) values.name = fields.name.trim()
  if (errors.length) throw validationFailed(errors)
  return inTransaction(ctx, async (tx) => {
    const current = (await tagGroupsRepo.get(tx, id, { raw: true, forUpdate: true })) as TagGroupRow
    if (version !== undefined && current.version !== version) throw conflict(current)
    if (fields.exclusive && !current.exclusive) {
      const persons = await personsWithSeveral(tx, id)
      if (persons > 0)
        throw new AppError(409, 'tag_group_not_exclusive', { persons }, [
          { field: 'exclusive', code: 'tag_group_not_exclusive', params: { persons } },
        ])
    }
    await tagGroupsRepo
      .update(tx, id, values)
      .catch(nameTaken('tag_group_name_taken', String(values.name ?? current.name)))
    return (await listTagGroups(tx)).find((g) => g.id === id)!
  })
}

// ---------------------------------------------------------------------------------------------
// Deleting (in use → confirm)

export interface TagUsage {
  tags: number
  persons: number
  segments: number
  /** Other tags whose rule names one of these tags. */
  rules: number
}

/** How much the tags `tagIds` are in use: distinct carriers, segments and other tags' rules naming them. */
async function usageOf(ctx: Ctx, tagIds: string[]): Promise<TagUsage> {
  if (tagIds.length === 0) return { tags: 0, persons: 0, segments: 0, rules: 0 }
  const t = ctx.actor.tenantId
  const ids = sqlArray(tagIds, 'uuid')
  const texts = sqlArray(tagIds, 'text')
  // A condition names a tag by its id in a value list: the id in the tree's JSON text finds it.
  const names = (col: unknown) =>
    sql`exists (select 1 from unnest(${texts}) x where ${col}::text like '%' || x || '%')`
  const res = await ctx.db.execute<{ persons: number; segments: number; rules: number }>(sql`
    select
      (select count(distinct person_id)::int from ${personTags} where tenant_id = ${t} and tag_id = any(${ids})) as persons,
      (select count(*)::int from ${segments} s where s.tenant_id = ${t} and s.conditions is not null
        and ${names(sql`s.conditions`)}) as segments,
      (select count(*)::int from ${tags} o where o.tenant_id = ${t} and o.rule is not null
        and o.id <> all(${ids}) and ${names(sql`o.rule`)}) as rules`)
  const r = res.rows[0]!
  return {
    tags: tagIds.length,
    persons: Number(r.persons),
    segments: Number(r.segments),
    rules: Number(r.rules),
  }
}

/**
 * The carriers of `tagIds` lose them: one history row each (removed, source group_deleted), in
 * one INSERT … SELECT. Answers the persons concerned (for re-evaluation of rules and segments).
 */
async function recordRemoval(ctx: Ctx, tagIds: string[], detail: Row): Promise<string[]> {
  const t = ctx.actor.tenantId
  const res = await ctx.db.execute<{ person_id: string }>(sql`
    with ev as (
      insert into tag_events (tenant_id, id, person_id, tag_id, tag_name, action, source, actor_id, detail, at)
      select pt.tenant_id, ${uuidV7}, pt.person_id, pt.tag_id, tg.name, 'removed', 'group_deleted',
        ${ctx.actor.id}::uuid, ${JSON.stringify(detail)}::jsonb, now()
      from ${personTags} pt join ${tags} tg on tg.tenant_id = pt.tenant_id and tg.id = pt.tag_id
      where pt.tenant_id = ${t} and pt.tag_id = any(${sqlArray(tagIds, 'uuid')})
      returning person_id)
    select distinct person_id from ev`)
  return res.rows.map((r) => String(r.person_id))
}

/** The 409 that asks for confirmation: counts as params (message) and in the body. */
function inUse(code: 'tag_group_in_use' | 'tag_in_use', usage: TagUsage) {
  return new AppError(409, code, { ...usage }, [], { ...usage })
}

const usageSummary = (u: TagUsage) =>
  `${u.tags} 个标签，${u.persons} 人，${u.segments} 个人群，${u.rules} 条规则`

/**
 * Deletes a group and its tags (to the recycle bin). In use — persons carry its tags, segments or
 * other tags' rules name them — it needs `confirm`: 409 tag_group_in_use with the counts otherwise.
 */
export async function deleteTagGroup(ctx: Ctx, id: string, confirm: boolean): Promise<TagUsage> {
  const changed = await inTransaction(ctx, async (tx) => {
    const group = (await tagGroupsRepo.get(tx, id, { raw: true, forUpdate: true })) as TagGroupRow
    const tagIds = (
      await tx.db
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.tenantId, tx.actor.tenantId), eq(tags.groupId, id)))
    ).map((r) => r.id)
    const usage = await usageOf(tx, tagIds)
    const used = usage.persons + usage.segments + usage.rules > 0
    if (used && !confirm) throw inUse('tag_group_in_use', usage)
    const persons = usage.persons
      ? await recordRemoval(tx, tagIds, { groupId: id, groupName: group.name })
      : []
    await tagGroupsRepo.remove(tx, [id])
    if (used)
      await writeAudit(tx, [
        {
          action: 'untag',
          objectType: 'tag_group',
          objectId: id,
          summary: `${group.name}：${usageSummary(usage)}`,
          after: { ...usage },
        },
      ])
    if (persons.length) await markChanged(tx, tx.actor.tenantId, persons)
    return usage
  })
  return changed
}

/** Deletes a tag (to the recycle bin); in use without `confirm` → 409 tag_in_use with the counts. */
export async function deleteTag(ctx: Ctx, id: string, confirm: boolean): Promise<TagUsage> {
  return inTransaction(ctx, async (tx) => {
    const tag = (await tagsRepo.get(tx, id, { raw: true, forUpdate: true })) as TagRow
    const usage = await usageOf(tx, [id])
    const used = usage.persons + usage.segments + usage.rules > 0
    if (used && !confirm) throw inUse('tag_in_use', usage)
    const persons = usage.persons ? await recordRemoval(tx, [id], { tagDeleted: true }) : []
    await tagsRepo.remove(tx, [id])
    if (used)
      await writeAudit(tx, [
        {
          action: 'untag',
          objectType: 'tag',
          objectId: id,
          summary: `${tag.name}：${usageSummary(usage)}`,
          after: { ...usage },
        },
      ])
    if (persons.length) await markChanged(tx, tx.actor.tenantId, persons)
    return usage
  })
}

// ---------------------------------------------------------------------------------------------
// Tags and their rules

/**
 * A rule may not test its own tag: "孕期 when not 孕期" would flip on every run. 400 naming the
 * condition that refers to it.
 */
function assertNotSelfReferencing(rule: ConditionNode, tagId: string) {
  const errors: FieldError[] = []
  const walk = (n: ConditionNode, path: string) => {
    if (isGroup(n)) {
      for (const [i, c] of n.conditions.entries()) walk(c, `${path}.conditions[${i}]`)
    } else if (
      n.field === 'tags' &&
      Array.isArray(n.value) &&
      n.value.some((v) => String(v).toLowerCase() === tagId)
    )
      errors.push({ field: `${path}.value`, code: 'rule_self_reference' })
  }
  walk(rule, 'rule')
  if (errors.length) throw validationFailed(errors)
}

/** 400 naming the condition when the rule is not valid; 409 rule_warning when it tags everyone or no one. */
async function checkRule(ctx: Ctx, rule: ConditionNode, acknowledge: boolean | undefined, tagId?: string) {
  await validateConditionTree(ctx, rule, 'rule')
  if (tagId) assertNotSelfReferencing(rule, tagId)
  const preview = await previewRule(systemCtx(ctx), rule)
  if (preview.warning && !acknowledge)
    throw new AppError(409, 'rule_warning', { matches: preview.matches, total: preview.total }, [], {
      warning: preview.warning,
      matches: preview.matches,
      total: preview.total,
    })
  return preview
}

/** Validates and previews a draft rule (profiles.configure): {matches, total, warning}. */
export async function rulePreview(ctx: Ctx, rule: ConditionNode) {
  await validateConditionTree(ctx, rule, 'rule')
  return previewRule(systemCtx(ctx), rule)
}

async function assertGroup(ctx: Ctx, groupId: string) {
  if (!isUuid(groupId)) throw validationFailed([{ field: 'groupId', code: 'unknown_tag_group' }])
  const [g] = await ctx.db
    .select({ id: tagGroups.id })
    .from(tagGroups)
    .where(and(eq(tagGroups.tenantId, ctx.actor.tenantId), eq(tagGroups.id, groupId)))
  if (!g) throw validationFailed([{ field: 'groupId', code: 'unknown_tag_group' }])
}

const enqueueRun = (ctx: Ctx, tagId: string) =>
  enqueue(ctx, { type: AUTOTAG_JOB, tenantId: ctx.actor.tenantId, payload: { tagId } })

export async function createTag(ctx: Ctx, input: TagInput) {
  const errors: FieldError[] = []
  const color = checkColor(input.color, errors)
  if (errors.length) throw validationFailed(errors)
  await assertGroup(ctx, input.groupId)
  const rule = input.rule ?? null
  if (input.ruleEnabled && !rule) throw validationFailed([{ field: 'rule', code: 'tag_rule_required' }])
  if (rule) {
    if (input.ruleEnabled) await checkRule(ctx, rule, input.acknowledgeWarning)
    else await validateConditionTree(ctx, rule, 'rule')
  }
  const name = input.name.trim()
  const id = await inTransaction(ctx, async (tx) => {
    const { acknowledgeWarning: _a, ...fields } = input
    const [row] = await tagsRepo
      .insert(tx, [{ ...fields, name, color: color ?? null, rule, createdBy: tx.actor.id }])
      .catch(nameTaken('tag_name_taken', name))
    const tagId = String(row!.id)
    if (input.ruleEnabled) await enqueueRun(tx, tagId)
    return tagId
  })
  return getTag(ctx, id)
}

export type TagPatch = Partial<Omit<TagInput, 'groupId'>> & { version?: number }

/**
 * Changes a tag. A rule is validated (400 naming the condition); an enabled rule — newly enabled
 * or changed — is previewed first (409 rule_warning when it tags everyone or no one, unless
 * acknowledged), and its run is queued once saved.
 */
export async function updateTag(ctx: Ctx, id: string, patch: TagPatch) {
  const { version, acknowledgeWarning, ...fields } = patch
  const current = (await tagsRepo.get(ctx, id, { raw: true })) as TagRow
  if (version !== undefined && current.version !== version) throw conflict(current)
  const errors: FieldError[] = []
  const values: Row = { ...fields }
  const color = checkColor(fields.color, errors)
  if (color !== undefined) values.color = color
  if (fields.name !== undefined) values.name = fields.name.trim()
  if (errors.length) throw validationFailed(errors)
  const rule = fields.rule !== undefined ? fields.rule : current.rule
  const enabled = fields.ruleEnabled ?? current.ruleEnabled
  const ruleChanged =
    fields.rule !== undefined && JSON.stringify(fields.rule) !== JSON.stringify(current.rule)
  if (enabled && !rule)
    throw validationFailed([
      { field: fields.rule === null ? 'rule' : 'ruleEnabled', code: 'tag_rule_required' },
    ])
  const run =
    enabled &&
    (ruleChanged ||
      !current.ruleEnabled ||
      (fields.ruleRemoval !== undefined && fields.ruleRemoval !== current.ruleRemoval))
  if (rule && enabled && (ruleChanged || !current.ruleEnabled))
    await checkRule(ctx, rule, acknowledgeWarning, id)
  else if (rule && ruleChanged) {
    await validateConditionTree(ctx, rule, 'rule')
    assertNotSelfReferencing(rule, id)
  }
  await inTransaction(ctx, async (tx) => {
    await tagsRepo
      .update(tx, id, values, version ?? current.version)
      .catch(nameTaken('tag_name_taken', String(values.name ?? current.name)))
    if (run) await enqueueRun(tx, id)
  })
  return getTag(ctx, id)
}

/**
 * Runs a tag's rule now over the whole workspace (synchronously) and audits the outcome on the
 * tag: {matched, added, removed}. 409 tag_no_rule when the tag has none.
 */
export async function runTagNow(ctx: Ctx, id: string) {
  const tag = (await tagsRepo.get(ctx, id, { raw: true })) as TagRow
  if (!tag.rule) throw new AppError(409, 'tag_no_rule')
  const result = await runTagRule(systemCtx(ctx), id)
  await writeAudit(ctx, [
    {
      action: 'run_rule',
      objectType: 'tag',
      objectId: id,
      summary: `${tag.name}：匹配 ${result.matched}，新增 ${result.added}，移除 ${result.removed}`,
      after: { ...result },
    },
  ])
  return result
}

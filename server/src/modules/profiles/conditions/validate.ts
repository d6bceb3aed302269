import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { region } from '../../../platform/custom-fields/regions.js'
import { isValidDate, normaliseDateTime } from '../../../platform/custom-fields/values.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { channels } from '../../intake/schema.js'
import { IDENTITY_KINDS } from '../../quality/schema.js'
import { tags } from '../schema.js'
import { type FieldSpec, loadFieldCatalogue, type ParamName } from './fields.js'
import './messages.js'
import { CONDITION_OPERATORS, type ConditionOperator, MAX_CONDITION_DEPTH, MAX_CONDITIONS } from './types.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_LIST = 500
const MAX_TEXT = 500
export const MAX_DAYS = 3650
const PARAM_NAMES: readonly ParamName[] = ['days', 'eventType', 'property', 'propertyValue', 'channelId']

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isDays = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_DAYS
/** A calendar day (YYYY-MM-DD, the workspace's day) or an ISO 8601 instant with a zone. */
export const isIsoDate = (v: unknown): v is string =>
  typeof v === 'string' && (isValidDate(v) || normaliseDateTime(v) !== null)
const dateMs = (v: string) => (isValidDate(v) ? Date.parse(`${v}T00:00:00Z`) : Date.parse(v))

interface Leaf {
  path: string
  spec: FieldSpec
  op: ConditionOperator
  value: unknown
}

/**
 * Checks a condition tree against the workspace's catalogue and throws ONE 400 listing every bad
 * part by its path (`conditions.conditions[1].op`): unknown field, operator not allowed for the
 * field's kind, wrong value type, bad parameters, unknown tags or channels, a regular expression
 * PostgreSQL refuses, an empty group, nesting deeper than MAX_CONDITION_DEPTH, more than
 * MAX_CONDITIONS conditions.
 */
export async function validateConditionTree(ctx: Ctx, node: unknown, prefix = 'conditions'): Promise<void> {
  const errors: FieldError[] = []
  const catalogue = await loadFieldCatalogue(ctx)
  const leaves: Leaf[] = []
  let count = 0
  const tagRefs: { path: string; ids: string[] }[] = []
  const channelRefs: { path: string; ids: string[] }[] = []

  const walk = (n: unknown, path: string, depth: number) => {
    if (!isObject(n)) {
      errors.push({ field: path, code: 'invalid_condition' })
      return
    }
    if ('conditions' in n || 'match' in n) {
      if (depth > MAX_CONDITION_DEPTH) {
        errors.push({ field: path, code: 'condition_too_deep', params: { max: MAX_CONDITION_DEPTH } })
        return
      }
      if (n.match !== 'all' && n.match !== 'any')
        errors.push({ field: `${path}.match`, code: 'invalid_condition_match', params: { match: n.match } })
      if (!Array.isArray(n.conditions)) {
        errors.push({ field: `${path}.conditions`, code: 'invalid_condition' })
        return
      }
      if (n.conditions.length === 0) {
        errors.push({ field: path, code: 'empty_condition_group' })
        return
      }
      for (const [i, c] of n.conditions.entries()) walk(c, `${path}.conditions[${i}]`, depth + 1)
      return
    }
    count++
    checkLeaf(n, path)
  }

  const checkLeaf = (n: Record<string, unknown>, path: string) => {
    const field = n.field
    const spec = typeof field === 'string' ? catalogue.get(field) : undefined
    if (!spec) {
      errors.push({
        field: `${path}.field`,
        code: 'unknown_condition_field',
        params: { field: String(field) },
      })
      return
    }
    const op = n.op as ConditionOperator
    if (typeof op !== 'string' || !CONDITION_OPERATORS.includes(op) || !spec.ops.includes(op)) {
      errors.push({
        field: `${path}.op`,
        code: 'invalid_condition_op',
        params: { op: String(op), field: spec.field },
      })
      return
    }
    checkParams(spec, n.params, path)
    if (op === 'empty' || op === 'not_empty') return
    const expected = checkValue(spec, op, n.value)
    if (expected) {
      errors.push({
        field: `${path}.value`,
        code: n.value === undefined || n.value === null ? 'required' : 'invalid_condition_value',
        params: { op, expected },
      })
      return
    }
    if (spec.kind === 'tags')
      tagRefs.push({ path: `${path}.value`, ids: (n.value as string[]).map((v) => v.toLowerCase()) })
    if (spec.kind === 'channel')
      channelRefs.push({
        path: `${path}.value`,
        ids: (Array.isArray(n.value) ? n.value : [n.value]).map((v) => String(v).toLowerCase()),
      })
    leaves.push({ path, spec, op, value: n.value })
  }

  const checkParams = (spec: FieldSpec, params: unknown, path: string) => {
    if (params === undefined || params === null) {
      for (const p of spec.requiredParams ?? [])
        errors.push({ field: `${path}.params.${p}`, code: 'required' })
      return
    }
    if (!isObject(params)) {
      errors.push({ field: `${path}.params`, code: 'invalid_condition_param', params: { param: 'params' } })
      return
    }
    const bad = (p: string, code = 'invalid_condition_param') =>
      errors.push({ field: `${path}.params.${p}`, code, params: { param: p } })
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined || v === null) continue
      if (!PARAM_NAMES.includes(k as ParamName) || !spec.params.includes(k as ParamName)) {
        bad(k)
        continue
      }
      switch (k as ParamName) {
        case 'days':
          if (!isDays(v)) bad(k, 'condition_days_range')
          break
        case 'eventType':
        case 'property':
          if (typeof v !== 'string' || v.trim() === '' || v.length > 100) bad(k)
          break
        case 'propertyValue':
          if (typeof v !== 'string' || v.length > MAX_TEXT) bad(k)
          break
        case 'channelId':
          if (typeof v !== 'string' || !UUID.test(v)) bad(k)
          else channelRefs.push({ path: `${path}.params.channelId`, ids: [v.toLowerCase()] })
          break
      }
    }
    for (const p of spec.requiredParams ?? [])
      if (params[p] === undefined || params[p] === null)
        errors.push({ field: `${path}.params.${p}`, code: 'required' })
    const hasProp = params.property !== undefined && params.property !== null
    const hasValue = params.propertyValue !== undefined && params.propertyValue !== null
    if (hasProp !== hasValue)
      errors.push({ field: `${path}.params.${hasProp ? 'propertyValue' : 'property'}`, code: 'required' })
  }

  walk(node, prefix, 1)
  if (count > MAX_CONDITIONS)
    errors.push({ field: prefix, code: 'too_many_conditions', params: { max: MAX_CONDITIONS } })

  // References to the workspace's tags and channels.
  const t = ctx.actor.tenantId
  const tagIds = [...new Set(tagRefs.flatMap((r) => r.ids))]
  if (tagIds.length) {
    const found = new Set(
      (
        await ctx.db
          .select({ id: tags.id })
          .from(tags)
          .where(and(eq(tags.tenantId, t), inArray(tags.id, tagIds)))
      ).map((r) => r.id),
    )
    for (const r of tagRefs) {
      const missing = r.ids.filter((id) => !found.has(id))
      if (missing.length)
        errors.push({ field: r.path, code: 'condition_unknown_tag', params: { ids: missing.join(', ') } })
    }
  }
  const channelIds = [...new Set(channelRefs.flatMap((r) => r.ids))]
  if (channelIds.length) {
    const found = new Set(
      (
        await ctx.db
          .select({ id: channels.id })
          .from(channels)
          .where(and(eq(channels.tenantId, t), inArray(channels.id, channelIds)))
      ).map((r) => r.id),
    )
    for (const r of channelRefs) {
      const missing = r.ids.filter((id) => !found.has(id))
      if (missing.length)
        errors.push({ field: r.path, code: 'condition_unknown_channel', params: { ids: missing.join(', ') } })
    }
  }

  // Regular expressions: PostgreSQL's own dialect (ARE) decides, each in a savepoint so a refusal
  // does not abort the caller's transaction.
  for (const leaf of leaves) {
    if (leaf.op !== 'regex') continue
    const error = await regexError(ctx, String(leaf.value))
    if (error) errors.push({ field: `${leaf.path}.value`, code: 'invalid_regex', params: { error } })
  }

  if (errors.length) throw validationFailed(errors)
}

/** PostgreSQL's complaint about a regular expression, or null when it compiles. */
export async function regexError(ctx: Ctx, pattern: string): Promise<string | null> {
  try {
    await ctx.db.transaction(async (sp) => {
      await sp.execute(sql`select '' ~ ${pattern}`)
    })
    return null
  } catch (err) {
    const e = err as { message?: string; cause?: { message?: string } }
    const msg = e.cause?.message ?? e.message ?? 'invalid'
    return msg.replace(/^.*invalid regular expression:\s*/i, '').slice(0, 200)
  }
}

/** What was expected when the value is wrong (a short token for the UI), or null when it is right. */
function checkValue(spec: FieldSpec, op: ConditionOperator, value: unknown): string | null {
  const list = (ok: (v: unknown) => boolean) =>
    Array.isArray(value) && value.length > 0 && value.length <= MAX_LIST && value.every(ok)
  const listOps = op === 'in' || op === 'not_in' || op === 'all'
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT
  const number = (v: unknown) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!spec.integer || Number.isInteger(v)) &&
    Math.abs(v) < 1e15
  const uuid = (v: unknown) => typeof v === 'string' && UUID.test(v)
  const regionCode = (v: unknown) => typeof v === 'string' && /^\d{2,6}$/.test(v) && region(v) !== undefined
  const option = (v: unknown) =>
    typeof v === 'string' && (!spec.options?.length || spec.options.some((o) => o.value === v))
  const one = (ok: (v: unknown) => boolean, name: string) =>
    listOps ? (list(ok) ? null : `${name}[]`) : ok(value) ? null : name

  switch (spec.kind) {
    case 'date':
      if (op === 'in_last_days' || op === 'not_in_last_days') return isDays(value) ? null : 'days'
      if (op === 'between')
        return Array.isArray(value) &&
          value.length === 2 &&
          isIsoDate(value[0]) &&
          isIsoDate(value[1]) &&
          dateMs(value[0]) <= dateMs(value[1])
          ? null
          : '[date, date]'
      return isIsoDate(value) ? null : 'date'
    case 'number':
    case 'money':
      if (op === 'between')
        return Array.isArray(value) &&
          value.length === 2 &&
          number(value[0]) &&
          number(value[1]) &&
          value[0] <= value[1]
          ? null
          : '[number, number]'
      return number(value) ? null : spec.integer ? 'integer' : 'number'
    case 'text':
      if (op === 'regex')
        return typeof value === 'string' && value !== '' && value.length <= MAX_TEXT ? null : 'regex'
      return one(text, 'text')
    case 'enum':
      return one(option, 'option')
    case 'region':
      return one(regionCode, 'region')
    case 'uuid':
    case 'channel':
    case 'tags':
      return one(uuid, 'uuid')
    case 'identity':
      return one(
        (v) => typeof v === 'string' && (IDENTITY_KINDS as readonly string[]).includes(v),
        'identity',
      )
    case 'boolean':
      return typeof value === 'boolean' ? null : 'boolean'
  }
}

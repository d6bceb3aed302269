import { and, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../platform/access/actor.js'
import { loadDefinitions } from '../../platform/custom-fields/definitions.service.js'
import '../../platform/custom-fields/messages.js'
import type { CustomFieldType } from '../../platform/custom-fields/schema.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import type { LeadCondition } from './pools.schema.js'
import { leads } from './schema.js'

/**
 * Conditions over lead fields (sub-pool criteria, distribution and assignment rules): validated
 * once when a rule is saved, then evaluated either in SQL (`conditionsSql`, set-based routing) or
 * in memory (`matchesConditions`, a lead already loaded). Both give the same answer; the tests
 * hold them to it.
 *
 * Semantics: all conditions must hold (AND). A missing value never satisfies eq, in, prefix,
 * contains or a comparison, and always satisfies ne and not_in ("is not X" includes "unknown").
 * Text `contains` ignores case; `prefix` does not (region codes: '31' matches '310101').
 * Custom fields are compared by the JSON type of the stored value, so a stray value of another
 * type never matches a comparison and never makes the query fail.
 *
 * Tags (标签) are not a condition field yet: they arrive with the customer-profile issue, which adds
 * a `tags` entry to BASE_FIELDS (multi-value, like a multi_select custom field).
 */
export const CONDITION_OPS = [
  'eq',
  'ne',
  'in',
  'not_in',
  'prefix',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'empty',
  'not_empty',
] as const
export type ConditionOp = (typeof CONDITION_OPS)[number]

type Kind = 'text' | 'uuid' | 'number'

/** The lead columns a condition may use, by kind. */
const BASE_FIELDS: Record<string, { kind: Kind; column: AnyPgColumn }> = {
  regionCode: { kind: 'text', column: leads.regionCode },
  category: { kind: 'text', column: leads.category },
  grade: { kind: 'text', column: leads.grade },
  source: { kind: 'text', column: leads.source },
  status: { kind: 'text', column: leads.status },
  company: { kind: 'text', column: leads.company },
  name: { kind: 'text', column: leads.name },
  title: { kind: 'text', column: leads.title },
  channelId: { kind: 'uuid', column: leads.channelId },
  firstCampaignId: { kind: 'uuid', column: leads.firstCampaignId },
  lastCampaignId: { kind: 'uuid', column: leads.lastCampaignId },
  unitId: { kind: 'uuid', column: leads.unitId },
  orgId: { kind: 'uuid', column: leads.orgId },
  score: { kind: 'number', column: leads.score },
  intentCount: { kind: 'number', column: leads.intentCount },
}
export const CONDITION_FIELDS = Object.keys(BASE_FIELDS)

const TEXT_OPS: ConditionOp[] = ['eq', 'ne', 'in', 'not_in', 'prefix', 'contains', 'empty', 'not_empty']
const UUID_OPS: ConditionOp[] = ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty']
const NUMBER_OPS: ConditionOp[] = ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'empty', 'not_empty']
const ORDERED_TEXT_OPS: ConditionOp[] = [
  'eq',
  'ne',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'empty',
  'not_empty',
]

/** Operators per custom field type, and the JSON type each value must have. */
const CUSTOM_OPS: Record<CustomFieldType, { ops: ConditionOp[]; value: 'string' | 'number' | 'boolean' }> = {
  text: { ops: TEXT_OPS, value: 'string' },
  long_text: { ops: ['contains', 'empty', 'not_empty'], value: 'string' },
  phone: { ops: TEXT_OPS, value: 'string' },
  email: { ops: TEXT_OPS, value: 'string' },
  url: { ops: TEXT_OPS, value: 'string' },
  single_select: { ops: ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'], value: 'string' },
  // contains: has every given option; in: has any of them.
  multi_select: { ops: ['contains', 'in', 'not_in', 'empty', 'not_empty'], value: 'string' },
  // Region values are {province, city, district}: compared by their most specific code.
  region: { ops: ['eq', 'ne', 'in', 'not_in', 'prefix', 'empty', 'not_empty'], value: 'string' },
  user: { ops: UUID_OPS, value: 'string' },
  number: { ops: NUMBER_OPS, value: 'number' },
  money: { ops: NUMBER_OPS, value: 'number' },
  date: { ops: ORDERED_TEXT_OPS, value: 'string' },
  datetime: { ops: ORDERED_TEXT_OPS, value: 'string' },
  boolean: { ops: ['eq', 'ne', 'empty', 'not_empty'], value: 'boolean' },
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_LIST = 500

/**
 * Checks field, operator and value of every condition; throws one validation error naming each
 * bad part as `${prefix}[i].field|op|value`.
 */
export async function validateConditions(
  ctx: Ctx,
  conditions: LeadCondition[],
  prefix: string,
): Promise<void> {
  const errors: FieldError[] = []
  const needsDefs = conditions.some((c) => typeof c?.field === 'string' && c.field.startsWith('custom.'))
  const defs = needsDefs ? new Map((await loadDefinitions(ctx, 'lead')).map((d) => [d.key, d])) : new Map()
  conditions.forEach((c, i) => {
    const at = `${prefix}[${i}]`
    if (typeof c !== 'object' || c === null) {
      errors.push({ field: at, code: 'invalid_type' })
      return
    }
    let ops: ConditionOp[]
    let valueType: 'string' | 'number' | 'boolean' | 'uuid'
    let multi = false
    if (typeof c.field === 'string' && c.field.startsWith('custom.')) {
      const def = defs.get(c.field.slice('custom.'.length))
      if (!def) {
        errors.push({ field: `${at}.field`, code: 'unknown_filter_field', params: { field: c.field } })
        return
      }
      const spec = CUSTOM_OPS[def.type as CustomFieldType]
      ops = spec.ops
      valueType = def.type === 'user' ? 'uuid' : spec.value
      multi = def.type === 'multi_select'
    } else {
      const base = typeof c.field === 'string' ? BASE_FIELDS[c.field] : undefined
      if (!base || !Object.hasOwn(BASE_FIELDS, c.field)) {
        errors.push({ field: `${at}.field`, code: 'unknown_filter_field', params: { field: c.field } })
        return
      }
      ops = base.kind === 'text' ? TEXT_OPS : base.kind === 'uuid' ? UUID_OPS : NUMBER_OPS
      valueType = base.kind === 'text' ? 'string' : base.kind
    }
    if (!ops.includes(c.op as ConditionOp)) {
      errors.push({ field: `${at}.op`, code: 'invalid_filter_op', params: { op: c.op } })
      return
    }
    const op = c.op as ConditionOp
    if (op === 'empty' || op === 'not_empty') return
    const okScalar = (v: unknown) =>
      valueType === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : valueType === 'boolean'
          ? typeof v === 'boolean'
          : valueType === 'uuid'
            ? typeof v === 'string' && UUID.test(v)
            : typeof v === 'string' && v.trim() !== ''
    const list = op === 'in' || op === 'not_in' || (multi && op === 'contains' && Array.isArray(c.value))
    const good = list
      ? Array.isArray(c.value) && c.value.length > 0 && c.value.length <= MAX_LIST && c.value.every(okScalar)
      : okScalar(c.value)
    if (!good)
      errors.push({
        field: `${at}.value`,
        code:
          c.value === undefined || c.value === null || c.value === '' ? 'required' : 'invalid_filter_value',
        params: { op },
      })
  })
  if (errors.length) throw validationFailed(errors)
}

// ---------------------------------------------------------------- SQL

const textArray = (vs: string[]) =>
  sql`array[${sql.join(
    vs.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`
const numArray = (vs: number[]) =>
  sql`array[${sql.join(
    vs.map((v) => sql`${v}`),
    sql`, `,
  )}]::numeric[]`
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])
const lowerUuid = (v: unknown) => String(v).toLowerCase()

function baseSql(kind: Kind, column: AnyPgColumn, op: ConditionOp, value: unknown): SQL {
  // uuid columns compare as text, so the same code path serves both (values lower-cased).
  const col = kind === 'uuid' ? sql`${column}::text` : sql`${column}`
  // Numbers are cast explicitly: a parameter compared with an integer column would be read as one.
  const norm = (v: unknown) => (kind === 'uuid' ? lowerUuid(v) : kind === 'number' ? sql`${v}::numeric` : v)
  const arr = (vs: unknown[]) =>
    kind === 'number' ? numArray(vs as number[]) : textArray(vs.map((v) => String(norm(v))))
  switch (op) {
    case 'eq':
      return sql`coalesce(${col} = ${norm(value)}, false)`
    case 'ne':
      return sql`coalesce(${col} <> ${norm(value)}, true)`
    case 'in':
      return sql`coalesce(${col} = any(${arr(asList(value))}), false)`
    case 'not_in':
      return sql`coalesce(not (${col} = any(${arr(asList(value))})), true)`
    case 'prefix':
      return sql`coalesce(starts_with(${col}, ${String(value)}), false)`
    case 'contains':
      return sql`coalesce(strpos(lower(${col}), lower(${String(value)})) > 0, false)`
    case 'gt':
      return sql`coalesce(${col} > ${norm(value)}, false)`
    case 'gte':
      return sql`coalesce(${col} >= ${norm(value)}, false)`
    case 'lt':
      return sql`coalesce(${col} < ${norm(value)}, false)`
    case 'lte':
      return sql`coalesce(${col} <= ${norm(value)}, false)`
    case 'empty':
      return kind === 'text' ? sql`(${col} is null or ${col} = '')` : sql`(${col} is null)`
    case 'not_empty':
      return kind === 'text' ? sql`(${col} is not null and ${col} <> '')` : sql`(${col} is not null)`
  }
}

function customSql(key: string, op: ConditionOp, value: unknown): SQL {
  const j = sql`(${leads.custom} -> ${key})`
  // Text view: a string, or a region's most specific code. Numbers: only stored JSON numbers.
  const text = sql`(case jsonb_typeof(${j}) when 'string' then ${j} #>> '{}' when 'object' then coalesce(${j} ->> 'district', ${j} ->> 'city', ${j} ->> 'province') end)`
  const num = sql`(case when jsonb_typeof(${j}) = 'number' then (${j} #>> '{}')::numeric end)`
  const isArray = sql`coalesce(jsonb_typeof(${j}) = 'array', false)`
  const one = (v: unknown): SQL => {
    if (typeof v === 'number') return sql`coalesce(${num} = ${v}, false)`
    if (typeof v === 'boolean') return sql`coalesce(${j} = ${JSON.stringify(v)}::jsonb, false)`
    const s = String(v)
    return sql`(coalesce(${text} = ${s}, false) or (${isArray} and ${j} @> ${JSON.stringify([s])}::jsonb))`
  }
  const anyOf = (vs: unknown[]) => sql`(${sql.join(vs.map(one), sql` or `)})`
  const cmp = (symbol: string) =>
    typeof value === 'number'
      ? sql`coalesce(${num} ${sql.raw(symbol)} ${value}, false)`
      : sql`coalesce(${text} collate "C" ${sql.raw(symbol)} ${String(value)}, false)`
  const empty = sql`coalesce(${j}, 'null'::jsonb) in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)`
  switch (op) {
    case 'eq':
      return one(value)
    case 'ne':
      return sql`not ${one(value)}`
    case 'in':
      return anyOf(asList(value))
    case 'not_in':
      return sql`not ${anyOf(asList(value))}`
    case 'prefix':
      return sql`coalesce(starts_with(${text}, ${String(value)}), false)`
    case 'contains':
      if (Array.isArray(value))
        return sql`(${isArray} and ${j} @> ${JSON.stringify(value.map(String))}::jsonb)`
      return sql`(coalesce(strpos(lower(${text}), lower(${String(value)})) > 0, false) or (${isArray} and ${j} @> ${JSON.stringify([String(value)])}::jsonb))`
    case 'gt':
      return cmp('>')
    case 'gte':
      return cmp('>=')
    case 'lt':
      return cmp('<')
    case 'lte':
      return cmp('<=')
    case 'empty':
      return sql`(${empty})`
    case 'not_empty':
      return sql`(not ${empty})`
  }
}

/** One condition as SQL over `leads` (call validateConditions when the conditions are saved). */
export function conditionSql(c: LeadCondition): SQL {
  const op = c.op as ConditionOp
  if (c.field.startsWith('custom.')) return customSql(c.field.slice('custom.'.length), op, c.value)
  const base = BASE_FIELDS[c.field]
  if (!base || !Object.hasOwn(BASE_FIELDS, c.field)) throw new Error(`unknown condition field ${c.field}`)
  return baseSql(base.kind, base.column, op, c.value)
}

/** All conditions (AND) as SQL over the `leads` table; undefined when there are none. */
export function conditionsSql(conditions: LeadCondition[]): SQL | undefined {
  if (conditions.length === 0) return undefined
  return and(...conditions.map(conditionSql))
}

// ---------------------------------------------------------------- in memory

const isEmptyJson = (v: unknown) =>
  v === null ||
  v === undefined ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)

function customText(v: unknown): string | null {
  if (typeof v === 'string') return v
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const r = v as Record<string, unknown>
    for (const k of ['district', 'city', 'province'])
      if (r[k] !== undefined && r[k] !== null)
        return typeof r[k] === 'string' ? (r[k] as string) : String(r[k])
  }
  return null
}

function compare(a: unknown, op: ConditionOp, b: unknown): boolean {
  if (a === null || a === undefined) return false
  const x = a as number | string
  const y = b as number | string
  switch (op) {
    case 'gt':
      return x > y
    case 'gte':
      return x >= y
    case 'lt':
      return x < y
    case 'lte':
      return x <= y
    default:
      return false
  }
}

function matchesBase(kind: Kind, raw: unknown, op: ConditionOp, value: unknown): boolean {
  const v = raw === undefined ? null : kind === 'uuid' && raw !== null ? lowerUuid(raw) : raw
  const norm = (x: unknown) => (kind === 'uuid' ? lowerUuid(x) : x)
  switch (op) {
    case 'eq':
      return v !== null && v === norm(value)
    case 'ne':
      return v === null || v !== norm(value)
    case 'in':
      return v !== null && asList(value).some((x) => norm(x) === v)
    case 'not_in':
      return v === null || !asList(value).some((x) => norm(x) === v)
    case 'prefix':
      return typeof v === 'string' && v.startsWith(String(value))
    case 'contains':
      return typeof v === 'string' && v.toLowerCase().includes(String(value).toLowerCase())
    case 'empty':
      return v === null || v === ''
    case 'not_empty':
      return v !== null && v !== ''
    default:
      return compare(v, op, value)
  }
}

function matchesCustom(j: unknown, op: ConditionOp, value: unknown): boolean {
  const text = customText(j)
  const num = typeof j === 'number' ? j : null
  const one = (x: unknown): boolean => {
    if (typeof x === 'number') return num !== null && num === x
    if (typeof x === 'boolean') return j === x
    const s = String(x)
    return text === s || (Array.isArray(j) && j.includes(s))
  }
  switch (op) {
    case 'eq':
      return one(value)
    case 'ne':
      return !one(value)
    case 'in':
      return asList(value).some(one)
    case 'not_in':
      return !asList(value).some(one)
    case 'prefix':
      return text?.startsWith(String(value)) ?? false
    case 'contains':
      if (Array.isArray(value)) return Array.isArray(j) && value.every((x) => j.includes(String(x)))
      return (
        text?.toLowerCase().includes(String(value).toLowerCase()) ||
        (Array.isArray(j) && j.includes(String(value)))
      )
    case 'empty':
      return isEmptyJson(j)
    case 'not_empty':
      return !isEmptyJson(j)
    default:
      return typeof value === 'number' ? compare(num, op, value) : compare(text, op, String(value))
  }
}

/** Whether a lead (a row of `leads`, camelCase keys) satisfies every condition. */
export function matchesConditions(lead: Record<string, unknown>, conditions: LeadCondition[]): boolean {
  return conditions.every((c) => {
    const op = c.op as ConditionOp
    if (c.field.startsWith('custom.')) {
      const custom = (lead.custom ?? {}) as Record<string, unknown>
      return matchesCustom(custom[c.field.slice('custom.'.length)], op, c.value)
    }
    const base = BASE_FIELDS[c.field]
    if (!base || !Object.hasOwn(BASE_FIELDS, c.field)) return false
    return matchesBase(base.kind, lead[c.field], op, c.value)
  })
}

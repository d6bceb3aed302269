/**
 * The API's list conventions, shared by every list route:
 *   ?limit=1..200 (20)  &cursor=<opaque>  &sort=-createdAt | name  &filter=<url-encoded JSON>
 * where filter is { "<field>": { "<op>": value } } or { "<field>": value } (eq). Fields are the
 * route's base columns and, for objects with custom fields, `custom.<key>` typed by the field's
 * definition. Ops: eq ne gt gte lt lte in nin contains startsWith isEmpty between.
 * Unknown fields and ops wrong for the field's type are 400 validation_failed naming `filter.<field>`.
 *
 *   const q = await buildListQuery(req.query, { ctx, columns: { name: leads.name, … }, object: 'lead' })
 *   return leadRepo.list(ctx, { ...q, limit: req.query.limit, cursor: req.query.cursor })
 */
import {
  and,
  between,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  not,
  notInArray,
  or,
  type SQL,
  sql,
} from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Ctx } from '../access/actor.js'
import { type FieldDefinition, loadDefinitions } from '../custom-fields/definitions.service.js'
import '../custom-fields/messages.js'
import { customColumnOf, customFieldObject } from '../custom-fields/objects.js'
import type { CustomFieldType } from '../custom-fields/schema.js'
import { checkValue, isValidDate, normaliseDateTime, normalisePhone } from '../custom-fields/values.js'
import { workspacePhoneRegion } from '../tenancy/phone-region.js'
import { type FieldError, validationFailed } from './errors.js'

/** Querystring fragment of every list route; extend it with route-specific parameters. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(1000).optional(),
  sort: z.string().max(80).optional().describe('Field to sort by; prefix with - for descending: -createdAt'),
  filter: z
    .string()
    .max(10_000)
    .optional()
    .describe(
      'URL-encoded JSON: `{"<field>": {"<op>": value}}` or `{"<field>": value}`; fields include `custom.<key>`',
    ),
})
export type ListQuery = z.infer<typeof listQuerySchema>

export const FILTER_OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'startsWith',
  'isEmpty',
  'between',
] as const
export type FilterOp = (typeof FILTER_OPS)[number]

/** Filter for one key beyond plain columns (full-text `q`, joins…): returns the condition. */
export type FilterHandler = (value: unknown, field: string) => SQL | undefined

export interface ListQueryOptions {
  /** Filterable base fields: API name → column. Keys double as sort keys (the table's property names). */
  columns: Record<string, AnyPgColumn>
  /** Sort keys allowed (default: every key of `columns`). */
  sortable?: string[]
  /** Enables `custom.<key>` filters with this object's field definitions. */
  object?: string
  /** Table whose `custom` column is filtered (default: the object's registered table). */
  customTable?: PgTable
  /** Needed to read the definitions when a `custom.*` filter is present (unless `definitions` is given). */
  ctx?: Ctx
  definitions?: FieldDefinition[]
  /** Special keys handled by the route itself. */
  extra?: Record<string, FilterHandler>
}

export interface BuiltListQuery {
  where: SQL | undefined
  sort: { column: string; dir: 'asc' | 'desc' } | undefined
}

type Kind = 'text' | 'uuid' | 'number' | 'timestamp' | 'date' | 'boolean' | 'other'

const BASE_OPS: Record<Kind, readonly FilterOp[]> = {
  text: ['eq', 'ne', 'in', 'nin', 'contains', 'startsWith', 'isEmpty'],
  uuid: ['eq', 'ne', 'in', 'nin', 'isEmpty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between', 'isEmpty'],
  timestamp: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty'],
  boolean: ['eq', 'ne', 'isEmpty'],
  other: ['isEmpty'],
}

const CUSTOM_OPS: Record<CustomFieldType, readonly FilterOp[]> = {
  text: BASE_OPS.text,
  long_text: ['contains', 'startsWith', 'isEmpty', 'eq', 'ne'],
  phone: BASE_OPS.text,
  email: BASE_OPS.text,
  url: BASE_OPS.text,
  number: BASE_OPS.number,
  money: BASE_OPS.number,
  date: BASE_OPS.date,
  datetime: BASE_OPS.timestamp,
  boolean: BASE_OPS.boolean,
  single_select: ['eq', 'ne', 'in', 'nin', 'isEmpty'],
  user: ['eq', 'ne', 'in', 'nin', 'isEmpty'],
  multi_select: ['in', 'nin', 'contains', 'isEmpty'],
  region: ['eq', 'in', 'nin', 'isEmpty'],
}

function kindOf(column: AnyPgColumn): Kind {
  switch (column.columnType) {
    case 'PgText':
    case 'PgVarchar':
    case 'PgChar':
    case 'PgEnumColumn':
      return 'text'
    case 'PgUUID':
      return 'uuid'
    case 'PgInteger':
    case 'PgSmallInt':
    case 'PgBigInt53':
    case 'PgSerial':
    case 'PgSmallSerial':
    case 'PgBigSerial53':
    case 'PgNumeric':
    case 'PgNumericNumber':
    case 'PgReal':
    case 'PgDoublePrecision':
      return 'number'
    case 'PgTimestamp':
    case 'PgTimestampString':
      return 'timestamp'
    case 'PgDate':
    case 'PgDateString':
      return 'date'
    case 'PgBoolean':
      return 'boolean'
    default:
      return 'other'
  }
}

/** Thrown inside conversions; becomes a field error naming `filter.<field>`. */
class BadValue extends Error {}
const bad = (): never => {
  throw new BadValue()
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_LIST = 500

function asNumber(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return bad()
}
function asText(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return bad()
}
function asList(v: unknown): unknown[] {
  return Array.isArray(v) && v.length > 0 && v.length <= MAX_LIST ? v : bad()
}
function asPair(v: unknown): [unknown, unknown] {
  return Array.isArray(v) && v.length === 2 ? (v as [unknown, unknown]) : bad()
}
function asBool(v: unknown): boolean {
  return typeof v === 'boolean' ? v : bad()
}
/** contains/startsWith search text, LIKE wildcards escaped. */
function likeText(v: unknown): string {
  const s = asText(v)
  return s === '' ? bad() : s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Parses ?filter (a JSON string, or an already parsed object) into field → { op: value }. */
export function parseFilter(raw: unknown): Record<string, Record<string, unknown>> {
  if (raw === undefined || raw === null || raw === '') return {}
  let value = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      throw validationFailed([{ field: 'filter', code: 'invalid_filter_json' }])
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw validationFailed([{ field: 'filter', code: 'invalid_filter_json' }])
  const out: Record<string, Record<string, unknown>> = {}
  for (const [field, cond] of Object.entries(value as Record<string, unknown>)) {
    const isOps =
      typeof cond === 'object' &&
      cond !== null &&
      !Array.isArray(cond) &&
      Object.keys(cond).length > 0 &&
      Object.keys(cond).every((k) => (FILTER_OPS as readonly string[]).includes(k))
    out[field] = isOps ? (cond as Record<string, unknown>) : { eq: cond }
  }
  return out
}

/** Parses ?sort: 'name' ascending, '-createdAt' descending. */
export function parseSort(raw: string | undefined, allowed: string[]): BuiltListQuery['sort'] {
  if (!raw) return undefined
  const dir = raw.startsWith('-') ? 'desc' : 'asc'
  const column = raw.replace(/^[-+]/, '')
  if (!allowed.includes(column))
    throw validationFailed([{ field: 'sort', code: 'invalid_sort', params: { field: column } }])
  return { column, dir }
}

export async function buildListQuery(
  input: { filter?: unknown; sort?: string },
  opts: ListQueryOptions,
): Promise<BuiltListQuery> {
  const sort = parseSort(input.sort, opts.sortable ?? Object.keys(opts.columns))
  const filter = parseFilter(input.filter)
  const errors: FieldError[] = []
  const conds: (SQL | undefined)[] = []
  let defs: Map<string, FieldDefinition> | undefined
  let phoneRegion: string | undefined

  for (const [field, ops] of Object.entries(filter)) {
    const name = `filter.${field}`
    if (opts.extra && Object.hasOwn(opts.extra, field)) {
      conds.push(opts.extra[field]!(ops.eq ?? ops, name))
      continue
    }
    let build: ((op: FilterOp, value: unknown) => SQL) | undefined
    let allowed: readonly FilterOp[] = []
    if (field.startsWith('custom.') && opts.object) {
      if (!defs) {
        const list = opts.definitions ?? (opts.ctx ? await loadDefinitions(opts.ctx, opts.object) : undefined)
        if (!list) throw new Error('buildListQuery: custom.* filters need ctx or definitions')
        defs = new Map(list.map((d) => [d.key, d]))
      }
      const def = defs.get(field.slice('custom.'.length))
      const table = opts.customTable ?? customFieldObject(opts.object)?.table
      if (def && table) {
        allowed = CUSTOM_OPS[def.type]
        // A phone value is compared as stored: read in the workspace's phone region.
        if (def.type === 'phone' && !phoneRegion && opts.ctx)
          phoneRegion = await workspacePhoneRegion(opts.ctx.db, opts.ctx.actor.tenantId)
        build = customCondition(customColumnOf(table), def, phoneRegion)
      }
    } else if (Object.hasOwn(opts.columns, field)) {
      const column = opts.columns[field]!
      allowed = BASE_OPS[kindOf(column)]
      build = baseCondition(column, kindOf(column))
    }
    if (!build) {
      errors.push({ field: name, code: 'unknown_filter_field' })
      continue
    }
    for (const [op, value] of Object.entries(ops)) {
      if (!allowed.includes(op as FilterOp)) {
        errors.push({ field: name, code: 'invalid_filter_op', params: { op } })
        continue
      }
      try {
        conds.push(build(op as FilterOp, value))
      } catch (err) {
        if (!(err instanceof BadValue)) throw err
        errors.push({ field: name, code: 'invalid_filter_value', params: { op } })
      }
    }
  }
  if (errors.length) throw validationFailed(errors)
  return { where: and(...conds), sort }
}

function baseCondition(column: AnyPgColumn, kind: Kind): (op: FilterOp, value: unknown) => SQL {
  const scalar = (v: unknown): unknown => {
    switch (kind) {
      case 'text':
        return asText(v)
      case 'uuid':
        return typeof v === 'string' && UUID.test(v) ? v : bad()
      case 'number':
        return asNumber(v)
      case 'timestamp': {
        const t = typeof v === 'string' ? Date.parse(v) : Number.NaN
        return Number.isNaN(t) ? bad() : new Date(t)
      }
      case 'date':
        return typeof v === 'string' && isValidDate(v) ? v : bad()
      case 'boolean':
        return asBool(v)
      default:
        return bad()
    }
  }
  return (op, value) => {
    switch (op) {
      case 'eq':
        return value === null ? isNull(column) : eq(column, scalar(value))
      case 'ne':
        return value === null ? not(isNull(column)) : or(ne(column, scalar(value)), isNull(column))!
      case 'gt':
        return gt(column, scalar(value))
      case 'gte':
        return gte(column, scalar(value))
      case 'lt':
        return lt(column, scalar(value))
      case 'lte':
        return lte(column, scalar(value))
      case 'between': {
        const [a, b] = asPair(value)
        return between(column, scalar(a), scalar(b))
      }
      case 'in':
        return inArray(column, asList(value).map(scalar))
      case 'nin':
        return or(notInArray(column, asList(value).map(scalar)), isNull(column))!
      case 'contains':
        return ilike(column, `%${likeText(value)}%`)
      case 'startsWith':
        return ilike(column, `${likeText(value)}%`)
      case 'isEmpty': {
        const empty = kind === 'text' ? or(isNull(column), eq(column, ''))! : isNull(column)
        return asBool(value) ? empty : not(empty)
      }
    }
  }
}

/**
 * Conditions on `custom->key`. Equality is containment (`custom @> {"k": v}`) so the GIN index
 * on `custom` serves it; ranges cast only values stored with the right JSON type, so a stray
 * value can never make the query fail.
 */
function customCondition(
  custom: AnyPgColumn,
  def: FieldDefinition,
  phoneRegion?: string,
): (op: FilterOp, value: unknown) => SQL {
  const key = def.key
  const json = sql`(${custom} -> ${key})`
  const text = sql`(${custom} ->> ${key})`
  const contains = (v: unknown) => sql`${custom} @> ${JSON.stringify({ [key]: v })}::jsonb`
  const anyOf = (vs: unknown[]) => or(...vs.map(contains))!
  const textArray = (vs: string[]) =>
    sql`array[${sql.join(
      vs.map((v) => sql`${v}`),
      sql`, `,
    )}]::text[]`

  const scalar = (v: unknown): unknown => {
    switch (def.type) {
      case 'number':
      case 'money':
        return asNumber(v)
      case 'date':
        return typeof v === 'string' && isValidDate(v) ? v : bad()
      case 'datetime':
        return (typeof v === 'string' && normaliseDateTime(v)) || bad()
      case 'boolean':
        return asBool(v)
      case 'phone':
        // Compare in the stored E.164 form, so 13800138000 finds +8613800138000.
        return normalisePhone(asText(v), phoneRegion) ?? asText(v)
      case 'email':
        return asText(v).trim().toLowerCase()
      case 'user':
        return typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : bad()
      case 'region': {
        const r = checkValue(def, v)
        return r.ok ? r.value : bad()
      }
      default:
        return asText(v)
    }
  }
  // The value as an ordered SQL expression, or null when stored with another JSON type.
  const ordered = (): SQL => {
    if (def.type === 'number' || def.type === 'money')
      return sql`(case when jsonb_typeof(${json}) = 'number' then ${text}::numeric end)`
    // date and datetime are stored fixed-width (YYYY-MM-DD, UTC ISO), so byte order is time order.
    return sql`(case when jsonb_typeof(${json}) = 'string' then ${text} end) collate "C"`
  }
  const cmp = (symbol: string, v: unknown) => sql`${ordered()} ${sql.raw(symbol)} ${scalar(v)}`
  const empty = sql`coalesce(${json}, 'null'::jsonb) in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)`

  return (op, value) => {
    switch (op) {
      case 'eq':
        return value === null ? empty : contains(scalar(value))
      case 'ne':
        return value === null ? not(empty) : not(contains(scalar(value)))
      case 'gt':
        return cmp('>', value)
      case 'gte':
        return cmp('>=', value)
      case 'lt':
        return cmp('<', value)
      case 'lte':
        return cmp('<=', value)
      case 'between': {
        const [a, b] = asPair(value)
        return sql`${ordered()} between ${scalar(a)} and ${scalar(b)}`
      }
      case 'in':
      case 'nin': {
        const list = asList(value)
        const cond =
          def.type === 'multi_select'
            ? sql`coalesce(${json} ?| ${textArray(list.map(asText))}, false)`
            : anyOf(list.map(scalar))
        return op === 'in' ? cond : not(cond)
      }
      case 'contains':
        if (def.type === 'multi_select') {
          // All of the given options.
          const vs = Array.isArray(value) ? asList(value).map(asText) : [asText(value)]
          return contains(vs)
        }
        return sql`${text} ilike ${`%${likeText(def.type === 'phone' ? asText(value).replace(/^\+?86/, '') : value)}%`}`
      case 'startsWith': {
        // Phones are stored as +86…: "138" means the national number's start.
        const prefix = def.type === 'phone' && !asText(value).startsWith('+') ? `+86${asText(value)}` : value
        return sql`${text} ilike ${`${likeText(prefix)}%`}`
      }
      case 'isEmpty':
        return asBool(value) ? empty : not(empty)
    }
  }
}

/** A page whose items the database wrote as JSON (`listJson`), sent as it is: no parse, no serialise. */
export function sendJsonPage(reply: FastifyReply, page: { items: string; nextCursor: string | null }) {
  return reply
    .type('application/json; charset=utf-8')
    .send(`{"items":${page.items},"nextCursor":${JSON.stringify(page.nextCursor)}}`)
}

import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { tenants } from '../../../platform/tenancy/schema.js'
import { behaviourEvents } from '../../intake/schema.js'
import { leads } from '../../leads/schema.js'
import { sqlArray } from '../../quality/bulk.js'
import { leadIntents, personIdentities, persons } from '../../quality/schema.js'
import { customers } from '../../sales/customers/schema.js'
import { orders } from '../../sales/orders/schema.js'
import { personScope } from '../persons/scope.js'
import { personTags } from '../schema.js'
import { type AggregateName, BASE_FIELDS, type FieldKind } from './fields.js'
import {
  type Condition,
  type ConditionGroup,
  type ConditionNode,
  type ConditionOperator,
  isGroup,
} from './types.js'

/**
 * Conditions → SQL, set-based. Every leaf becomes one of three shapes:
 *  - a row test on the `persons` row itself (person.* fields);
 *  - "id in S": S a set of person ids (an aggregate that is false at 0, a lead that satisfies…);
 *  - "id not in S": when the leaf holds for persons with no rows at all (count < 3, no tag X),
 *    S is the set of persons for which it fails.
 * An `all` group keeps its parts side by side (semi and anti joins the planner hashes); an `any`
 * group folds its children into ONE set with UNION / INTERSECT / EXCEPT, so an OR never turns into
 * a per-person subplan. Sets never rescan per person: at 1M persons and 20M events each leaf is a
 * single GROUP BY or index range scan.
 *
 * An `all` group that has both cheap parts (row tests, plain sets, aggregates that need no GROUP
 * BY such as "viewed at least once in 7 days") and grouped ones (≥ 2 orders, a sum…) materialises
 * its candidates once — `with cand_N as materialized (select persons.id … <cheap parts>)` — and
 * every grouped aggregate reads only the candidates' rows (`person_id in (select id from cand_N)`,
 * index probes per candidate). `matchingPersonIdsSql` returns that query itself for a top-level
 * `all`; elsewhere (nested groups, `conditionSql`) it is one more set, `id in (with … select …)`.
 *
 * "Not in S" is written `not exists (select 1 from (S) x where x.pid = persons.id)` rather than
 * `not in (S)`: PostgreSQL plans NOT IN over a large set as a per-row scan of it once the set no
 * longer fits work_mem, while NOT EXISTS becomes a hash anti join. Every set selects one column,
 * `pid`, never null.
 *
 * Semantics (the brief): lead and customer fields hold when ANY of the person's leads or customers
 * satisfies; a missing value never satisfies eq / in / contains / starts_with / regex / comparisons
 * and always satisfies ne / not_in; aggregates are 0 when there is nothing; region codes compare
 * hierarchically (31 上海 holds for 310101); dates are workspace-time-zone days when given as
 * YYYY-MM-DD (after 2026-05-01 means from 2026-05-02 00:00), exact instants when given with a time.
 */

/** Orders that count: not draft, cancelled or refunded. */
export const COUNTED_ORDER_STATUSES = ['confirmed', 'shipped', 'completed'] as const

export interface CompileOptions {
  /** Restrict every set to these persons (incremental evaluation, explanations). */
  personIds?: readonly string[]
}

/** An internal node: the tree plus negation (used to give exclusive-group rules their precedence). */
export type CompileNode = ConditionNode | { not: CompileNode }

interface Env {
  t: string
  ids?: SQL
  tz: SQL
  /**
   * Sets of person ids an aggregate may restrict itself to: the candidates of the enclosing `all`
   * groups (Shanghai, tagged 母婴…, materialised once). Exact — the group ANDs them anyway — and
   * it lets an aggregate read only those persons' orders or events instead of everyone's.
   */
  narrow?: SQL[]
  /** Numbers the candidate CTEs of one statement. */
  seq: { n: number }
}

/** id ∈ ∩ins ∧ id ∉ ∪outs ∧ rows (a conjunction); `never` = false. */
interface Conj {
  rows: SQL[]
  ins: SQL[]
  outs: SQL[]
  never?: boolean
  /** A leaf whose set needs a GROUP BY per person (count ≥ 2, a sum, the latest date before…). */
  grouped?: boolean
}

/**
 * An `all` group split in two: `cheap` (row tests, plain sets, aggregates that need no grouping)
 * gives the candidates, materialised once as the CTE `name`; `rest` (grouped aggregates and
 * subgroups, only sets) is then evaluated for those candidates only.
 */
interface Split {
  name: string
  cheap: Conj
  rest: Conj
}
type Single = { pos: boolean; set: SQL }

const TRUE = (): Conj => ({ rows: [], ins: [], outs: [] })
const FALSE = (): Conj => ({ rows: [], ins: [], outs: [], never: true })
const row = (p: SQL): Conj => ({ rows: [p], ins: [], outs: [] })
const inSet = (s: SQL): Conj => ({ rows: [], ins: [s], outs: [] })
const outSet = (s: SQL): Conj => ({ rows: [], ins: [], outs: [s] })
const isTrue = (c: Conj) => !c.never && !c.rows.length && !c.ins.length && !c.outs.length
const EMPTY_SET = sql`select null::uuid as pid where false`

const and = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` and `)})`)
const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`)
const setOp = (sets: SQL[], op: 'union all' | 'intersect') =>
  sets.length === 1
    ? sets[0]!
    : sql.join(
        sets.map((s) => sql`(${s})`),
        sql.raw(` ${op} `),
      )
const except = (a: SQL, b: SQL) => sql`(${a}) except (${b})`

function makeEnv(ctx: Ctx, opts: CompileOptions = {}): Env {
  const t = ctx.actor.tenantId
  return {
    t,
    ids: opts.personIds ? sqlArray([...new Set(opts.personIds)], 'uuid') : undefined,
    tz: sql`(select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${t})`,
    seq: { n: 0 },
  }
}

/** ` and <col> = any(ids)` when restricted. */
const only = (env: Env, col: SQL | unknown) => (env.ids ? sql` and ${col} = any(${env.ids})` : sql``)
/** The restriction and the narrowing sets, for aggregates. */
const narrowed = (env: Env, col: SQL | unknown) =>
  sql`${only(env, col)}${env.narrow?.length ? sql.join(env.narrow.map((n) => sql` and ${col} in (${n})`)) : sql``}`

const isLeaf = (n: CompileNode): n is Condition => !('not' in n) && !isGroup(n)
const isAllGroup = (n: CompileNode): n is ConditionGroup => !('not' in n) && isGroup(n) && n.match === 'all'
/** all(a, all(b, c)) = all(a, b, c). */
const flattenAll = (nodes: readonly CompileNode[]): CompileNode[] =>
  nodes.flatMap((n) => (isAllGroup(n) ? flattenAll(n.conditions as CompileNode[]) : [n]))

function merge(into: Conj, c: Conj): void {
  if (c.never) into.never = true
  into.rows.push(...c.rows)
  into.ins.push(...c.ins)
  into.outs.push(...c.outs)
}

function rowSet(env: Env, rows: SQL[]): SQL {
  return sql`select ${persons.id} as pid from ${persons} where ${persons.tenantId} = ${env.t}${only(env, persons.id)} and ${and(rows)}`
}

function collapse(env: Env, c: Conj): Single {
  if (c.never) return { pos: true, set: EMPTY_SET }
  if (isTrue(c)) return { pos: false, set: EMPTY_SET }
  const positives = [...c.ins, ...(c.rows.length ? [rowSet(env, c.rows)] : [])]
  if (!positives.length) return { pos: false, set: setOp(c.outs, 'union all') }
  const pos = setOp(positives, 'intersect')
  return { pos: true, set: c.outs.length ? except(pos, setOp(c.outs, 'union all')) : pos }
}

function compileNode(env: Env, node: CompileNode): Conj {
  if ('not' in node) {
    const c = compileNode(env, node.not)
    if (c.never) return TRUE()
    if (isTrue(c)) return FALSE()
    if (!c.ins.length && !c.outs.length) return row(sql`not ${and(c.rows)}`)
    const s = collapse(env, c)
    return s.pos ? outSet(s.set) : inSet(s.set)
  }
  if (!isGroup(node)) return compileLeaf(env, node)
  if (node.match === 'all') {
    const r = compileAll(env, node.conditions as CompileNode[])
    return 'name' in r ? inSet(candidatesSql(env, r, sql`pid`)) : r
  }
  const children = node.conditions.map((n) => compileNode(env, n))
  // any
  if (children.some(isTrue)) return TRUE()
  const live = children.filter((c) => !c.never)
  if (!live.length) return FALSE()
  if (live.every((c) => !c.ins.length && !c.outs.length)) return row(or(live.map((c) => and(c.rows))))
  const singles = live.map((c) => collapse(env, c))
  const pos = singles.filter((s) => s.pos).map((s) => s.set)
  const neg = singles.filter((s) => !s.pos).map((s) => s.set)
  if (!neg.length) return inSet(setOp(pos, 'union all'))
  const n = setOp(neg, 'intersect')
  return outSet(pos.length ? except(n, setOp(pos, 'union all')) : n)
}

/**
 * An `all` group. The leaves that need no grouping come first (row tests, plain sets, "at least
 * one event" …); when they narrow anything (a row test or an "id in S") and grouped parts follow,
 * the result is a Split: those candidates are materialised ONCE and every grouped aggregate reads
 * only their rows (`person_id in (select id from <candidates>)`) — instead of repeating the
 * narrowing joins inline in each aggregate. Otherwise a plain conjunction.
 */
function compileAll(env: Env, nodes: readonly CompileNode[]): Conj | Split {
  const cheap = TRUE()
  const later: CompileNode[] = []
  for (const n of flattenAll(nodes)) {
    if (!isLeaf(n)) {
      later.push(n)
      continue
    }
    const c = compileLeaf(env, n)
    if (c.grouped) later.push(n)
    else merge(cheap, c)
  }
  if (cheap.never) return FALSE()
  if (!cheap.rows.length && !cheap.ins.length) {
    // Nothing narrows (only "not in" sets): the parts side by side.
    for (const n of later) merge(cheap, compileNode(env, n))
    return cheap.never ? FALSE() : cheap
  }
  if (!later.length) return cheap
  const name = `cand_${env.seq.n++}`
  const cand = sql.identifier(name)
  const inner: Env = { ...env, narrow: [...(env.narrow ?? []), sql`select ${cand}.id from ${cand}`] }
  const rest = TRUE()
  for (const n of later) merge(rest, compileNode(inner, n))
  if (rest.never) return FALSE()
  // Row tests (an `any` of row tests, a negated one) belong to the candidates.
  cheap.rows.push(...rest.rows)
  rest.rows = []
  if (!rest.ins.length && !rest.outs.length) return cheap
  return { name, cheap, rest }
}

/** The conjunction as a predicate over the person id `id` (and the `persons` row for row tests). */
function predicateOf(c: Conj, id: SQL = sql`${persons.id}`): SQL {
  if (c.never) return sql`false`
  const parts = [
    ...c.rows,
    ...c.ins.map((s) => sql`${id} in (${s})`),
    ...c.outs.map((s) => sql`not exists (select 1 from (${s}) x where x.pid = ${id})`),
  ]
  return parts.length ? and(parts) : sql`true`
}

/**
 * `with <cand> as materialized (select persons.id … <cheap>) select <cand>.id as <column> from <cand>
 * where <rest>`: a query of its own (a set, or the whole answer at the top), tenant-filtered,
 * `filter` added to the candidates (not merged, at the top). Candidates also keep to the enclosing
 * groups' candidates.
 */
function candidatesSql(env: Env, split: Split, column: SQL, filter: SQL = sql``): SQL {
  const cand = sql.identifier(split.name)
  const outer = env.narrow?.length
    ? sql.join(env.narrow.map((n) => sql` and ${persons.id} in (${n})`))
    : sql``
  return sql`with ${cand} as materialized (select ${persons.id} from ${persons} where ${persons.tenantId} = ${env.t}${filter}${only(env, persons.id)}${outer} and ${predicateOf(split.cheap)}) select ${cand}.id as ${column} from ${cand} where ${predicateOf(split.rest, sql`${cand}.id`)}`
}

// ---------------------------------------------------------------- values

const num = (v: unknown) => sql`${Number(v)}::numeric`
const textList = (v: unknown) => sqlArray((v as unknown[]).map(String), 'text')
const uuidList = (v: unknown) =>
  sqlArray(
    (v as unknown[]).map((x) => String(x).toLowerCase()),
    'uuid',
  )
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const daysAgo = (n: unknown) => sql`(now() - make_interval(days => ${Number(n)}::int))`

/** Start of the day (date only, workspace time zone) or the instant. */
function lowerBound(env: Env, v: unknown): SQL {
  const s = String(v)
  return DATE_ONLY.test(s) ? sql`(${s}::date::timestamp at time zone ${env.tz})` : sql`${s}::timestamptz`
}
/** A value strictly after `v`: the end of that day (date only) or past the instant. */
function afterBound(env: Env, c: SQL, v: unknown): SQL {
  const s = String(v)
  return DATE_ONLY.test(s)
    ? sql`${c} >= ((${s}::date + 1)::timestamp at time zone ${env.tz})`
    : sql`${c} > ${s}::timestamptz`
}
function upTo(env: Env, c: SQL, v: unknown): SQL {
  const s = String(v)
  return DATE_ONLY.test(s)
    ? sql`${c} < ((${s}::date + 1)::timestamp at time zone ${env.tz})`
    : sql`${c} <= ${s}::timestamptz`
}

/** A date comparison; null when `c` is null (callers decide what a missing date means). */
function dateCmp(env: Env, c: SQL, op: ConditionOperator, value: unknown): SQL {
  switch (op) {
    case 'in_last_days':
      return sql`${c} >= ${daysAgo(value)}`
    case 'not_in_last_days':
      return sql`${c} < ${daysAgo(value)}`
    case 'before':
      return sql`${c} < ${lowerBound(env, value)}`
    case 'after':
      return afterBound(env, c, value)
    case 'between': {
      const [a, b] = value as unknown[]
      return sql`(${c} >= ${lowerBound(env, a)} and ${upTo(env, c, b)})`
    }
    default:
      throw new Error(`operator ${op} is not a date operator`)
  }
}

/** A numeric comparison of `c` (null when c is null). */
function numCmp(c: SQL, op: ConditionOperator, value: unknown): SQL {
  switch (op) {
    case 'eq':
      return sql`${c} = ${num(value)}`
    case 'ne':
      return sql`${c} <> ${num(value)}`
    case 'gt':
      return sql`${c} > ${num(value)}`
    case 'gte':
      return sql`${c} >= ${num(value)}`
    case 'lt':
      return sql`${c} < ${num(value)}`
    case 'lte':
      return sql`${c} <= ${num(value)}`
    case 'between': {
      const [a, b] = value as unknown[]
      return sql`(${c} >= ${num(a)} and ${c} <= ${num(b)})`
    }
    default:
      throw new Error(`operator ${op} is not a numeric operator`)
  }
}

/** JS twin of numCmp, for "does it hold at 0". */
export function numHolds(x: number, op: ConditionOperator, value: unknown): boolean {
  const v = Number(value)
  switch (op) {
    case 'eq':
      return x === v
    case 'ne':
      return x !== v
    case 'gt':
      return x > v
    case 'gte':
      return x >= v
    case 'lt':
      return x < v
    case 'lte':
      return x <= v
    case 'between': {
      const [a, b] = (value as unknown[]).map(Number) as [number, number]
      return x >= a && x <= b
    }
    default:
      return false
  }
}

const yes = (p: SQL) => sql`coalesce(${p}, false)`
const orMissing = (p: SQL) => sql`coalesce(${p}, true)`
const regionPatterns = (v: unknown) =>
  sqlArray(
    (Array.isArray(v) ? v : [v]).map((x) => `${String(x)}%`),
    'text',
  )

/**
 * A column of a person, lead or customer. Never null: a missing value fails every operator but
 * ne / not_in / not_in_last_days / empty.
 */
function columnPred(env: Env, c: SQL, kind: FieldKind, op: ConditionOperator, value: unknown): SQL {
  const isText = kind === 'text' || kind === 'enum'
  const isUuid = kind === 'uuid' || kind === 'channel'
  if (op === 'empty')
    return isText || kind === 'region' ? sql`(${c} is null or ${c}::text = '')` : sql`(${c} is null)`
  if (op === 'not_empty')
    return isText || kind === 'region'
      ? sql`(${c} is not null and ${c}::text <> '')`
      : sql`(${c} is not null)`
  if (kind === 'date')
    return op === 'not_in_last_days' ? orMissing(dateCmp(env, c, op, value)) : yes(dateCmp(env, c, op, value))
  if (kind === 'number' || kind === 'money')
    return op === 'ne' ? orMissing(numCmp(c, op, value)) : yes(numCmp(c, op, value))
  if (kind === 'region') {
    const within = sql`${c} like any(${regionPatterns(value)})`
    if (op === 'eq' || op === 'in') return yes(within)
    if (op === 'ne' || op === 'not_in') return orMissing(sql`not (${within})`)
    throw new Error(`operator ${op} is not a region operator`)
  }
  const one = (v: unknown) => (isUuid ? sql`${String(v).toLowerCase()}::uuid` : sql`${String(v)}`)
  const list = (v: unknown) => (isUuid ? uuidList(v) : textList(v))
  switch (op) {
    case 'eq':
      return yes(sql`${c} = ${one(value)}`)
    case 'ne':
      return orMissing(sql`${c} <> ${one(value)}`)
    case 'in':
      return yes(sql`${c} = any(${list(value)})`)
    case 'not_in':
      return orMissing(sql`${c} <> all(${list(value)})`)
    case 'contains':
      return yes(sql`strpos(lower(${c}), lower(${String(value)})) > 0`)
    case 'starts_with':
      return yes(sql`starts_with(lower(${c}), lower(${String(value)}))`)
    case 'regex':
      return yes(sql`${c} ~ ${String(value)}`)
    default:
      throw new Error(`operator ${op} does not apply to ${kind}`)
  }
}

/**
 * A custom field value (jsonb), compared by the JSON type actually stored, so a stray value of
 * another type never matches and never fails the query. Region values ({province, city,
 * district}) hold for any of their levels; multi-select arrays hold for their elements.
 */
function customPred(env: Env, col: SQL, key: string, op: ConditionOperator, value: unknown): SQL {
  const j = sql`(${col} -> ${key})`
  const text = sql`(case jsonb_typeof(${j}) when 'string' then ${j} #>> '{}' when 'object' then coalesce(${j} ->> 'district', ${j} ->> 'city', ${j} ->> 'province') end)`
  const number = sql`(case when jsonb_typeof(${j}) = 'number' then (${j} #>> '{}')::numeric end)`
  const date = sql`(case when jsonb_typeof(${j}) = 'string' and ${j} #>> '{}' ~ '^\\d{4}-\\d{2}-\\d{2}$' then ((${j} #>> '{}')::date::timestamp at time zone ${env.tz}) when jsonb_typeof(${j}) = 'string' and ${j} #>> '{}' ~ '^\\d{4}-\\d{2}-\\d{2}T' then (${j} #>> '{}')::timestamptz end)`
  const isArray = sql`coalesce(jsonb_typeof(${j}) = 'array', false)`
  const one = (v: unknown): SQL => {
    if (typeof v === 'number') return yes(sql`${number} = ${num(v)}`)
    if (typeof v === 'boolean') return yes(sql`${j} = ${JSON.stringify(v)}::jsonb`)
    const s = String(v)
    return sql`(${yes(sql`${text} = ${s}`)} or ${yes(sql`jsonb_typeof(${j}) = 'object' and (${j} ->> 'province' = ${s} or ${j} ->> 'city' = ${s})`)} or (${isArray} and ${j} @> ${JSON.stringify([s])}::jsonb))`
  }
  const list = (v: unknown) => (Array.isArray(v) ? v : [v])
  const empty = sql`coalesce(${j}, 'null'::jsonb) in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)`
  switch (op) {
    case 'eq':
      return one(value)
    case 'ne':
      return sql`not ${one(value)}`
    case 'in':
      return sql`(${or(list(value).map(one))})`
    case 'not_in':
      return sql`not (${or(list(value).map(one))})`
    case 'all':
      return sql`(${isArray} and ${j} @> ${JSON.stringify(list(value).map(String))}::jsonb)`
    case 'contains':
      return sql`(${yes(sql`strpos(lower(${text}), lower(${String(value)})) > 0`)} or (${isArray} and ${j} @> ${JSON.stringify([String(value)])}::jsonb))`
    case 'starts_with':
      return yes(sql`starts_with(lower(${text}), lower(${String(value)}))`)
    case 'regex':
      return yes(sql`${text} ~ ${String(value)}`)
    case 'between':
      // Dates come as ISO strings, numbers as numbers.
      return typeof (value as unknown[])[0] === 'string'
        ? yes(dateCmp(env, date, op, value))
        : yes(numCmp(number, op, value))
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return yes(numCmp(number, op, value))
    case 'in_last_days':
    case 'before':
    case 'after':
      return yes(dateCmp(env, date, op, value))
    case 'not_in_last_days':
      return orMissing(dateCmp(env, date, op, value))
    case 'empty':
      return sql`(${empty})`
    case 'not_empty':
      return sql`(not ${empty})`
  }
}

// ---------------------------------------------------------------- aggregates

export interface AggregateSource {
  /** `from … where …` of the rows aggregated (tenant, person, window and filters applied). */
  from: SQL
  person: SQL
  /** The time column (dates), or the amount (orders.amount). */
  at: SQL
  amount?: SQL
}

/** The rows behind an aggregate field, for the compiler and for explanations alike. */
export function aggregateSource(
  env: Env,
  name: AggregateName,
  params: Condition['params'] = {},
): AggregateSource {
  const window = (c: SQL) => (params.days ? sql` and ${c} >= ${daysAgo(params.days)}` : sql``)
  switch (name) {
    case 'intents.count': {
      const p = sql`${leadIntents.personId}`
      return {
        person: p,
        at: sql`${leadIntents.receivedAt}`,
        from: sql`from ${leadIntents} where ${leadIntents.tenantId} = ${env.t} and ${p} is not null${narrowed(env, p)}${window(sql`${leadIntents.receivedAt}`)}${
          params.channelId
            ? sql` and ${leadIntents.channelId} = ${params.channelId.toLowerCase()}::uuid`
            : sql``
        }`,
      }
    }
    case 'events.count':
    case 'events.first':
    case 'events.last': {
      const p = sql`${behaviourEvents.personId}`
      const at = sql`${behaviourEvents.occurredAt}`
      return {
        person: p,
        at,
        from: sql`from ${behaviourEvents} where ${behaviourEvents.tenantId} = ${env.t}${narrowed(env, p)}${
          params.eventType ? sql` and ${behaviourEvents.type} = ${params.eventType}` : sql``
        }${name === 'events.count' ? window(at) : sql``}${
          name === 'events.count' && params.property && params.propertyValue !== undefined
            ? sql` and ${behaviourEvents.properties} ->> ${params.property} = ${String(params.propertyValue)}`
            : sql``
        }`,
      }
    }
    case 'orders.count':
    case 'orders.amount':
    case 'orders.last': {
      const p = sql`${orders.personId}`
      const at = sql`${orders.orderedAt}`
      return {
        person: p,
        at,
        amount: sql`coalesce(sum(${orders.total} - ${orders.refundedTotal}), 0)`,
        from: sql`from ${orders} where ${orders.tenantId} = ${env.t} and ${p} is not null${narrowed(env, p)} and ${orders.status} in ('confirmed', 'shipped', 'completed')${
          name === 'orders.last' ? sql`` : window(at)
        }`,
      }
    }
  }
}

function countLeaf(
  src: AggregateSource,
  agg: SQL,
  op: ConditionOperator,
  value: unknown,
  isCount: boolean,
): Conj {
  const zero = numHolds(0, op, value)
  const any = sql`select ${src.person} as pid ${src.from}`
  if (isCount) {
    // "at least one row" / "no row at all" need no grouping.
    if (!zero && numHolds(1, op, value) && (op === 'gte' || op === 'gt' || op === 'ne')) return inSet(any)
    if (zero && !numHolds(1, op, value) && (op === 'eq' || op === 'lt' || op === 'lte' || op === 'between'))
      return outSet(any)
  }
  const cmp = numCmp(agg, op, value)
  return grouped(
    zero
      ? outSet(sql`select ${src.person} as pid ${src.from} group by ${src.person} having not (${cmp})`)
      : inSet(sql`select ${src.person} as pid ${src.from} group by ${src.person} having ${cmp}`),
  )
}

const grouped = (c: Conj): Conj => ({ ...c, grouped: true })

function dateAggLeaf(
  env: Env,
  src: AggregateSource,
  last: boolean,
  op: ConditionOperator,
  value: unknown,
): Conj {
  const any = (extra: SQL = sql``) => sql`select ${src.person} as pid ${src.from}${extra}`
  if (op === 'empty') return outSet(any())
  if (op === 'not_empty') return inSet(any())
  // A bound any single row decides: the latest in the window / after a day, the first before one.
  if (last && op === 'in_last_days') return inSet(any(sql` and ${src.at} >= ${daysAgo(value)}`))
  if (last && op === 'not_in_last_days') return outSet(any(sql` and ${src.at} >= ${daysAgo(value)}`))
  if (last && op === 'after') return inSet(any(sql` and ${afterBound(env, src.at, value)}`))
  if (!last && op === 'before') return inSet(any(sql` and ${src.at} < ${lowerBound(env, value)}`))
  const agg = last ? sql`max(${src.at})` : sql`min(${src.at})`
  if (op === 'not_in_last_days')
    return grouped(
      outSet(
        sql`select ${src.person} as pid ${src.from} group by ${src.person} having not (${dateCmp(env, agg, op, value)})`,
      ),
    )
  return grouped(
    inSet(
      sql`select ${src.person} as pid ${src.from} group by ${src.person} having ${dateCmp(env, agg, op, value)}`,
    ),
  )
}

// ---------------------------------------------------------------- leaves

function setLeaf(
  op: ConditionOperator,
  value: unknown,
  base: (filter: SQL) => SQL,
  member: SQL,
  type: 'uuid' | 'text',
  person: SQL,
): Conj {
  const values = Array.isArray(value) ? [...new Set(value.map((v) => String(v).toLowerCase()))] : []
  const among = () => sql` and ${member} = any(${sqlArray(values, type)})`
  switch (op) {
    case 'empty':
      return outSet(base(sql``))
    case 'not_empty':
      return inSet(base(sql``))
    case 'in':
      return inSet(base(among()))
    case 'not_in':
      return outSet(base(among()))
    case 'all':
      return inSet(
        sql`${base(among())} group by ${person} having count(distinct ${member}) = ${values.length}`,
      )
    default:
      throw new Error(`operator ${op} does not apply to a set field`)
  }
}

function compileLeaf(env: Env, c: Condition): Conj {
  const { field, op, value } = c
  const custom = /^(lead|customer)\.custom\.([a-z][a-z0-9_]{0,39})$/.exec(field)
  if (custom) {
    const table = custom[1] === 'lead' ? leads : customers
    const p = sql`${table.personId}`
    return inSet(
      sql`select ${p} as pid from ${table} where ${table.tenantId} = ${env.t} and ${p} is not null${only(env, p)} and ${customPred(env, sql`${table.custom}`, custom[2]!, op, value)}`,
    )
  }
  const spec = BASE_FIELDS.get(field)
  if (!spec) throw new Error(`unknown condition field ${field}`)
  const src = spec.source
  switch (src.type) {
    case 'person':
      return row(columnPred(env, sql`${src.column}`, spec.kind, op, value))
    case 'lead':
    case 'customer': {
      const table = src.type === 'lead' ? leads : customers
      const p = sql`${table.personId}`
      return inSet(
        sql`select ${p} as pid from ${table} where ${table.tenantId} = ${env.t} and ${p} is not null${only(env, p)} and ${columnPred(env, sql`${src.column}`, spec.kind, op, value)}`,
      )
    }
    case 'tags': {
      const p = sql`${personTags.personId}`
      return setLeaf(
        op,
        value,
        (f) =>
          sql`select ${p} as pid from ${personTags} where ${personTags.tenantId} = ${env.t}${only(env, p)}${f}`,
        sql`${personTags.tagId}`,
        'uuid',
        p,
      )
    }
    case 'identity': {
      const p = sql`${personIdentities.personId}`
      return setLeaf(
        op,
        value,
        (f) =>
          sql`select ${p} as pid from ${personIdentities} where ${personIdentities.tenantId} = ${env.t}${only(env, p)}${f}`,
        sql`${personIdentities.kind}`,
        'text',
        p,
      )
    }
    case 'channel': {
      const p = sql`ch.person_id`
      const from = sql`(select ${leadIntents.personId} as person_id, ${leadIntents.channelId} as channel_id from ${leadIntents}
          where ${leadIntents.tenantId} = ${env.t} and ${leadIntents.personId} is not null and ${leadIntents.channelId} is not null${only(env, leadIntents.personId)}
        union all select ${leads.personId}, ${leads.channelId} from ${leads}
          where ${leads.tenantId} = ${env.t} and ${leads.personId} is not null and ${leads.channelId} is not null${only(env, leads.personId)}) ch`
      return setLeaf(
        op,
        value,
        (f) => sql`select ${p} as pid from ${from} where true${f}`,
        sql`ch.channel_id`,
        'uuid',
        p,
      )
    }
    case 'aggregate': {
      const s = aggregateSource(env, src.name, c.params)
      switch (src.name) {
        case 'intents.count':
        case 'events.count':
        case 'orders.count':
          return countLeaf(s, sql`count(*)`, op, value, true)
        case 'orders.amount':
          return countLeaf(s, s.amount!, op, value, false)
        case 'events.first':
          return dateAggLeaf(env, s, false, op, value)
        case 'events.last':
        case 'orders.last':
          return dateAggLeaf(env, s, true, op, value)
      }
    }
  }
  throw new Error(`field ${field} cannot be compiled`)
}

// ---------------------------------------------------------------- API

/**
 * The tree as a boolean predicate over the `persons` table (reference it as `persons`, unaliased).
 * Neither tenant nor merged persons are filtered here: `matchingPersonIdsSql` does both.
 */
export function conditionSql(ctx: Ctx, node: CompileNode, opts: CompileOptions = {}): SQL {
  return predicateOf(compileNode(makeEnv(ctx, opts), node))
}

/**
 * `select persons.id from persons where …`: the workspace's persons (merged-away ones excluded)
 * that satisfy the tree, optionally only among `personIds` (the restriction is pushed into every
 * set, so an incremental run reads only those persons' rows).
 */
export function matchingPersonIdsSql(ctx: Ctx, node: CompileNode, opts: CompileOptions = {}): SQL {
  const env = makeEnv(ctx, opts)
  // A top-level `all` that splits: the candidates (not merged) are the query's own CTE.
  const top = isAllGroup(node) ? compileAll(env, node.conditions as CompileNode[]) : compileNode(env, node)
  if ('name' in top) return candidatesSql(env, top, sql`id`, sql` and ${persons.mergedIntoId} is null`)
  return sql`select ${persons.id} from ${persons} where ${persons.tenantId} = ${env.t} and ${persons.mergedIntoId} is null${only(env, persons.id)} and ${predicateOf(top)}`
}

/** How many persons satisfy the tree; `scoped` counts only persons the caller may see. */
export async function countMatching(
  ctx: Ctx,
  node: ConditionNode,
  opts: { scoped?: boolean } = {},
): Promise<number> {
  const scope = opts.scoped ? personScope(ctx, sql`m.id`) : undefined
  const res = await ctx.db.execute<{ n: number }>(
    sql`select count(*)::int as n from (${matchingPersonIdsSql(ctx, node)}) m${scope ? sql` where ${scope}` : sql``}`,
  )
  return Number(res.rows[0]?.n ?? 0)
}

/** Persons of the workspace (merged-away excluded), optionally only those the caller sees. */
export async function countPersons(ctx: Ctx, opts: { scoped?: boolean } = {}): Promise<number> {
  const scope = opts.scoped ? personScope(ctx) : undefined
  const res = await ctx.db.execute<{ n: number }>(
    sql`select count(*)::int as n from ${persons} where ${persons.tenantId} = ${ctx.actor.tenantId} and ${persons.mergedIntoId} is null${
      scope ? sql` and ${scope}` : sql``
    }`,
  )
  return Number(res.rows[0]?.n ?? 0)
}

/** For explanations: the environment of one person. */
export function envFor(ctx: Ctx, opts: CompileOptions = {}): Env {
  return makeEnv(ctx, opts)
}
export type { Env as CompileEnv }

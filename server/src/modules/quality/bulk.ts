import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'

/** Column name → SQL type, in the order rows are given. */
export type ColumnTypes = Record<string, string>

const recordset = (rows: Record<string, unknown>[], columns: ColumnTypes) =>
  sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(
    Object.entries(columns)
      .map(([c, t]) => `"${c}" ${t}`)
      .join(', '),
  )})`

/**
 * Inserts many rows with ONE parameter (a JSON array read by jsonb_to_recordset): far cheaper to
 * send and parse than thousands of bind parameters, and the same SQL on PGlite and PostgreSQL.
 * `tail` is what follows the insert (`on conflict …`, `returning …`); returned rows are answered.
 */
export async function insertMany<R = Record<string, unknown>>(
  ctx: Ctx,
  table: string,
  columns: ColumnTypes,
  rows: Record<string, unknown>[],
  tail: SQL = sql``,
): Promise<R[]> {
  if (!rows.length) return []
  const cols = sql.raw(
    Object.keys(columns)
      .map((c) => `"${c}"`)
      .join(', '),
  )
  const res = await ctx.db.execute(
    sql`insert into ${sql.identifier(table)} (${cols}) select ${cols} from ${recordset(rows, columns)} ${tail}`,
  )
  return res.rows as R[]
}

/**
 * Updates many rows by (tenant_id, id), the rows as typed arrays (`r`); `set` names the columns to
 * write. Arrays, not a JSON document: estimated at 100 rows, a few rows were joined by hashing every
 * row of the workspace (75 ms for two leads while the statistics lagged).
 */
export async function updateMany(
  ctx: Ctx,
  table: string,
  columns: ColumnTypes,
  rows: Record<string, unknown>[],
  set: SQL,
): Promise<void> {
  if (!rows.length) return
  await ctx.db.execute(
    sql`update ${sql.identifier(table)} t set ${set} from ${unnestRows(rows, { id: 'uuid', ...columns }, 'r')}
        where t.tenant_id = ${ctx.actor.tenantId} and t.id = r.id`,
  )
}

// Characters JSON.stringify writes as an escape an array literal would read differently (\n, \u0001…).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const JSON_ESCAPED = /[\u0000-\u001f\ud800-\udfff]/

/**
 * A PostgreSQL array literal: every element double-quoted, `\` and `"` escaped; null is NULL.
 * Inside double quotes an array literal escapes exactly as JSON does for every other character, so
 * the array's JSON (built natively, 5,000 JSON documents in a few ms) is the literal when no value
 * holds a control character or a surrogate (JSON writes those as \n, \u…).
 */
export const arrayLiteral = (values: readonly (string | null)[]) => {
  let chars = ''
  for (const v of values) if (v !== null) chars += v
  if (!JSON_ESCAPED.test(chars)) return `{${JSON.stringify(values).slice(1, -1)}}`
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`
}

/**
 * A JS array as ONE SQL array parameter. Drizzle's sql`` would spread an array into a tuple
 * ($1, $2, …), which neither `= any()` nor `unnest()` accepts. Sent as an array literal, it is a
 * plain parameter the planner can use as an index condition: built in SQL from JSON instead
 * (`array(select …)`), it is an InitPlan that PostgreSQL only applies as a filter, row by row —
 * 1.5 s for 5,000 event keys against 50,000 stored events.
 */
export const sqlArray = (values: readonly (string | null)[], type: string) =>
  sql`${arrayLiteral(values)}::${sql.raw(type)}[]`

/** A column of insertArrays: its SQL type and one value per row, as text (null for NULL). */
export interface ArrayColumn {
  type: string
  values: readonly (string | null)[]
}

/**
 * Inserts many rows with one array parameter per column, read by `unnest($1::uuid[], $2::text[], …)`:
 * PostgreSQL parses each value once, by its type, where insertMany's JSON document is parsed whole
 * and then taken apart row by row. `same` holds columns that are equal for every row (the tenant, a
 * channel), sent once as `{ type, value }`. `tail` is what follows the insert (`on conflict …`,
 * `returning …`); returned rows are answered.
 */
export async function insertArrays<R = Record<string, unknown>>(
  ctx: Ctx,
  table: string,
  same: Record<string, { type: string; value: string | null }>,
  columns: Record<string, ArrayColumn>,
  tail: SQL = sql``,
): Promise<R[]> {
  const names = Object.keys(columns)
  if (!names.length || !columns[names[0]!]!.values.length) return []
  const quote = (c: string) => `"${c}"`
  const target = sql.raw([...Object.keys(same), ...names].map(quote).join(', '))
  const constants = Object.values(same).map((c) => sql`${c.value}::${sql.raw(c.type)}`)
  const arrays = names.map((c) => sqlArray(columns[c]!.values, columns[c]!.type))
  const res = await ctx.db.execute(
    sql`insert into ${sql.identifier(table)} (${target})
        select ${sql.join([...constants, sql.raw(names.map((c) => `r.${quote(c)}`).join(', '))], sql`, `)}
        from unnest(${sql.join(arrays, sql`, `)}) as r(${sql.raw(names.map(quote).join(', '))}) ${tail}`,
  )
  return res.rows as R[]
}

/** One value as the text of an array element of `type` (null stays NULL). */
function elementText(v: unknown, type: string): string | null {
  if (v === null || v === undefined) return null
  if (type === 'jsonb' || type === 'json') return JSON.stringify(v)
  if (v instanceof Date) return v.toISOString()
  return typeof v === 'string' ? v : String(v)
}

/**
 * Rows as a row source of one typed array parameter per column:
 * `unnest($1::uuid[], $2::text[], …) as alias("c1", "c2", …)`. The planner knows how many rows an
 * array parameter holds (a JSON document is always estimated at 100), so joins and lookups keyed
 * by these rows stay index probes even while the table's statistics are stale.
 */
export function unnestRows(
  rows: readonly Record<string, unknown>[],
  columns: ColumnTypes,
  alias: string,
): SQL {
  const names = Object.keys(columns)
  const arrays = names.map((c) =>
    sqlArray(
      rows.map((r) => elementText(r[c], columns[c]!)),
      columns[c]!,
    ),
  )
  return sql`unnest(${sql.join(arrays, sql`, `)}) as ${sql.identifier(alias)}(${sql.raw(names.map((c) => `"${c}"`).join(', '))})`
}

/**
 * A row as the JSON text an API response carries, built by the database (`row_to_json`).
 * A list page then crosses the driver as one text value per row instead of a value per column
 * that Node parses, maps (timestamps into Dates), masks and serialises again: most of a list
 * request's CPU on the server (docs/BENCHMARKS.md, HTTP). Each column's JSON must be exactly what
 * `JSON.stringify` writes of the value Drizzle reads; types without an exact equivalent answer null
 * and the caller uses the row path. Under test every JSON page is compared with the row path.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { PiiKind } from './mask.js'

/** Date.prototype.toISOString in to_char: milliseconds, UTC, a `Z`. */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`

/** Columns whose value the database writes in JSON as JSON.stringify writes Drizzle's value. */
const AS_IS = new Set([
  'PgUUID',
  'PgText',
  'PgVarchar',
  'PgChar',
  'PgEnumColumn',
  'PgInteger',
  'PgSmallInt',
  'PgSerial',
  'PgSmallSerial',
  'PgBigInt53',
  'PgBoolean',
  'PgJsonb',
  'PgJson',
  'PgDateString',
  'PgNumericNumber',
])
const AS_IS_ARRAY = new Set(['PgUUID', 'PgText', 'PgVarchar', 'PgInteger', 'PgSmallInt', 'PgBoolean'])

function valueSql(col: AnyPgColumn): SQL | null {
  const type = col.columnType
  if (AS_IS.has(type)) return sql`${col}`
  switch (type) {
    case 'PgNumeric': // Drizzle reads numeric as a string (exact money)
      return sql`${col}::text`
    case 'PgTimestamp':
      return (col as unknown as { withTimezone: boolean }).withTimezone
        ? sql`to_char(${col} at time zone 'UTC', ${sql.raw(ISO)})`
        : sql`to_char(${col}, ${sql.raw(ISO)})`
    case 'PgDate':
      return sql`to_char(${col}, 'YYYY-MM-DD"T00:00:00.000Z"')`
    case 'PgArray': {
      const base = (col as unknown as { baseColumn?: AnyPgColumn }).baseColumn
      return base && AS_IS_ARRAY.has(base.columnType) ? sql`${col}` : null
    }
    default:
      return null
  }
}

/** maskPhone / maskEmail (mask.ts) in SQL; an empty or null value stays as it is, as there. */
function maskedSql(kind: PiiKind, col: AnyPgColumn): SQL {
  if (kind === 'phone') {
    const digits = sql`regexp_replace(${col}, '^\\+86', '')`
    return sql`case when ${col} is null or ${col} = '' then ${col}
      when length(${digits}) < 7 then repeat('*', length(${digits}))
      else left(${digits}, 3) || '****' || right(${digits}, 4) end`
  }
  return sql`case when ${col} is null or ${col} = '' then ${col}
    when strpos(${col}, '@') < 2 then '***'
    else left(${col}, 1) || '***' || substr(${col}, strpos(${col}, '@')) end`
}

/**
 * The JSON text of a row of `columns` (response key → column), PII columns masked when `mask`
 * is given; null when a column has no exact JSON equivalent.
 */
export function jsonRowSql(
  columns: Record<string, AnyPgColumn>,
  mask: Record<string, PiiKind> | null,
): SQL | null {
  const keys = Object.keys(columns)
  if (keys.length === 0) return null
  const pairs: SQL[] = []
  for (const key of keys) {
    const col = columns[key]!
    const kind = mask?.[key]
    const value = kind ? maskedSql(kind, col) : valueSql(col)
    if (!value) return null
    pairs.push(sql`${value} as ${sql.identifier(key)}`)
  }
  // row_to_json writes compact JSON (json_build_object puts spaces around every colon) and has no
  // argument limit; the subquery reads only the outer row.
  return sql`(select row_to_json(r)::text from (select ${sql.join(pairs, sql`, `)}) r)`
}

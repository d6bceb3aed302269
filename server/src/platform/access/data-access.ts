/**
 * The ONE data-access layer (ARCHITECTURE.md "Data rules"). Every read and write of a
 * tenant-owned record goes through a Repository, which adds the tenant filter and the caller's
 * data scope to every statement, writes the audit record in the same transaction, moves
 * deletes to the recycle bin, masks PII and enforces optimistic concurrency.
 * Services never filter by tenant themselves; `bypassScope` is the one grep-able escape hatch.
 */

import { isDeepStrictEqual } from 'node:util'
import {
  and,
  asc,
  Column,
  desc,
  eq,
  getTableColumns,
  getTableName,
  inArray,
  is,
  Param,
  Placeholder,
  SQL,
  sql,
} from 'drizzle-orm'
import { type AnyPgColumn, type PgTable, PgTransaction } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { recycleBin } from '../audit/schema.js'
import { diff, writeAudit } from '../audit/service.js'
import type { Tx } from '../db/index.js'
import { AppError, conflict, duplicate, notFound, validationFailed } from '../http/errors.js'
import { orgUnits } from '../org/schema.js'
import { type Ctx, can } from './actor.js'
import { jsonRowSql } from './json-row.js'
import { maskValue, type PiiKind } from './mask.js'
import { PII_PERMISSION } from './permissions.js'

type Row = Record<string, unknown>

export interface ScopeColumns {
  /** Owner user id: scope 'self'. */
  owner?: AnyPgColumn
  /** Owning org unit: scopes 'department' and 'department_tree'. */
  unit?: AnyPgColumn
  /** Owning org boundary (company/branch/dealer): scopes 'org' and 'all'. */
  org?: AnyPgColumn
}

export interface RepositoryConfig<T extends PgTable> {
  table: T
  /** Name used in audit, recycle bin and events: 'lead', 'user'… */
  objectType: string
  /** Columns carrying data-scope information; omit for workspace-wide configuration objects. */
  scope?: ScopeColumns
  /** Columns shown masked unless the caller holds `pii.view`. */
  pii?: Record<string, PiiKind>
  /** Deletes go to the recycle bin (default) or are hard deletes (join rows, sessions). */
  recycle?: boolean
  /** Human label of a row for the audit log and the recycle bin. */
  label?: (row: Row) => string
  /** Columns allowed in ?sort and as cursor keys. */
  sortable?: string[]
  /**
   * Rows of other tables that go with a record (their foreign key `column` to it cascades on
   * delete: quote lines, payments…). A deleted record keeps them in its recycle-bin entry and a
   * restore puts them back, so nothing stored is lost by a delete and a restore.
   */
  dependents?: { table: PgTable; column: AnyPgColumn }[]
}

/** Where a recycle-bin entry keeps a record's dependent rows, by table name. */
const DEPENDENTS = '_dependents'

/** A stored row (from JSON) as insert values for `columns`: timestamps back to dates, this tenant. */
function rowValues(columns: Record<string, AnyPgColumn>, data: Row, tenantId: string): Row {
  const values: Row = {}
  for (const [key, column] of Object.entries(columns)) {
    if (!(key in data)) continue
    const v = data[key]
    values[key] = column.columnType === 'PgTimestamp' && typeof v === 'string' ? new Date(v) : v
  }
  values.tenantId = tenantId
  return values
}

export interface ListOptions {
  where?: SQL
  sort?: { column: string; dir: 'asc' | 'desc' }
  limit?: number
  cursor?: string | null
  /** Properties to read (default: every column); the sort key and `id` are always read. */
  columns?: readonly string[]
  /** Tenant only, no data scope: the caller has authorised the rows otherwise (a public pool's leads). */
  bypassScope?: boolean
}

export interface Page<R> {
  items: R[]
  nextCursor: string | null
}

/**
 * How a caller's data scope restricts a table: the kind of condition (which alone shapes the SQL)
 * and the one value it compares with. Kept apart from the SQL so a list can reuse one prepared
 * statement per shape and pass the values as parameters.
 */
export interface ScopeRule {
  /** whole: the tenant; nothing: no rows; eq: column = value; under: column in the units below the
   *  path `value`; inOrg: column in the units of org `value`. */
  kind: 'whole' | 'nothing' | 'eq' | 'under' | 'inOrg'
  column?: AnyPgColumn
  value?: unknown
}

export function scopeRule(ctx: Ctx, cols: ScopeColumns | undefined): ScopeRule {
  const a = ctx.actor
  if (!cols || a.type === 'system') return { kind: 'whole' }
  const nothing: ScopeRule = { kind: 'nothing' }
  const under = (column: AnyPgColumn, path: string | null): ScopeRule => ({
    kind: 'under',
    column,
    value: `${path ?? '\u0000'}%`,
  })
  const ownerOnly = (): ScopeRule =>
    cols.owner && a.id ? { kind: 'eq', column: cols.owner, value: a.id } : nothing
  switch (a.dataScope) {
    case 'all':
      // An org boundary the actor's org encloses; for the root company this is the whole tenant.
      if (!a.orgPath) return nothing
      if (a.orgPath.split('/').filter(Boolean).length === 1) return { kind: 'whole' }
      if (cols.org) return under(cols.org, a.orgPath)
      if (cols.unit) return under(cols.unit, a.orgPath)
      return nothing
    case 'org':
      if (cols.org) return a.orgId ? { kind: 'eq', column: cols.org, value: a.orgId } : nothing
      return cols.unit ? { kind: 'inOrg', column: cols.unit, value: a.orgId } : nothing
    case 'department_tree':
      return cols.unit ? under(cols.unit, a.unitPath) : ownerOnly()
    case 'department':
      return cols.unit
        ? a.unitId
          ? { kind: 'eq', column: cols.unit, value: a.unitId }
          : nothing
        : ownerOnly()
    default:
      return ownerOnly()
  }
}

/** The SQL of a rule; `tenant` and `value` are the values themselves or placeholders. */
function ruleSql(rule: ScopeRule, tenant: unknown, value: unknown): SQL | undefined {
  const c = rule.column!
  switch (rule.kind) {
    case 'whole':
      return undefined
    case 'nothing':
      return sql`false`
    case 'eq':
      return eq(c, value)
    case 'under':
      return sql`${c} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.tenantId} = ${tenant} and ${orgUnits.path} like ${value})`
    case 'inOrg':
      return sql`${c} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.tenantId} = ${tenant} and ${orgUnits.orgId} = ${value})`
  }
}

/** The SQL condition restricting `cols` to what the actor may see; undefined means "whole tenant". */
export function scopeCondition(ctx: Ctx, cols: ScopeColumns | undefined): SQL | undefined {
  const rule = scopeRule(ctx, cols)
  return ruleSql(rule, ctx.actor.tenantId, rule.value)
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}
/** A cursor's values; 400 naming `cursor` when it is not one this server wrote. */
export function decodeCursor(cursor: string): unknown[] {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString())
  } catch {
    v = null
  }
  if (!Array.isArray(v) || v.length < 2) throw badCursor()
  return v
}
const badCursor = () => validationFailed([{ field: 'cursor', code: 'invalid_cursor' }])

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/

/**
 * The keyset position after which a page starts, from a cursor, as values for the database;
 * 400 when the cursor is not one of ours or its values do not fit the sort column (a cursor of
 * another sort order), rather than silently starting again from the first page.
 */
function cursorAfter(cursor: string, sortCol: AnyPgColumn): { value: unknown; id: string } {
  const [value, id] = decodeCursor(cursor)
  if (typeof id !== 'string' || !isUuid(id)) throw badCursor()
  if (sortCol.columnType === 'PgTimestamp') {
    if (typeof value === 'string' && TIMESTAMP.test(value)) return { value, id }
    throw badCursor()
  }
  if (value === null || typeof value === 'object') throw badCursor()
  return { value, id }
}

interface PreparedRows {
  execute(values: Record<string, unknown>): Promise<Row[]>
}
interface Preparable {
  prepare(name: string): PreparedRows
  toSQL(): { sql: string; params: unknown[] }
}

/** Types Drizzle reads as the database's text (it maps them itself): timestamps, dates, intervals, their arrays, numeric[]. */
const TEXT_TYPES = new Set([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182])
const asText = (v: unknown) => v
const rowTypes = {
  getTypeParser: (oid: number, format?: string) =>
    TEXT_TYPES.has(oid) ? asText : pg.types.getTypeParser(oid, format as 'text'),
}
interface Decoder {
  mapFromDriverValue(value: unknown): unknown
}

/**
 * A prepared select run on the pool directly: the same SQL, statement name and value mapping as
 * Drizzle's prepared query, without what Drizzle adds on each execution (tracing spans, a
 * placeholder walk and a generic row mapper checking each field's class per value). `fields` is
 * the select's field object; its key order is the column order of the SQL.
 */
function rawPrepared(
  pool: pg.Pool,
  name: string,
  query: Preparable,
  fields: Record<string, unknown>,
): PreparedRows {
  const { sql: text, params } = query.toSQL()
  const inputs = params.map((p) => {
    if (is(p, Placeholder)) return (v: Record<string, unknown>) => v[p.name]
    if (is(p, Param) && is(p.value, Placeholder)) {
      const key = (p.value as Placeholder).name
      return (v: Record<string, unknown>) => p.encoder.mapToDriverValue(v[key])
    }
    return () => p
  })
  const keys = Object.keys(fields)
  const decoders: Decoder[] = keys.map((k) => {
    const f = fields[k]
    if (is(f, Column)) return f
    if (is(f, SQL)) return (f as unknown as { decoder: Decoder }).decoder
    throw new Error(`rawPrepared: field ${k} is neither a column nor SQL`)
  })
  return {
    async execute(values) {
      const res = await pool.query({
        name,
        text,
        values: inputs.map((input) => input(values)),
        rowMode: 'array',
        types: rowTypes,
      } as pg.QueryConfig)
      const rows = res.rows as unknown as unknown[][]
      const out: Row[] = new Array(rows.length)
      for (let r = 0; r < rows.length; r++) {
        const raw = rows[r]!
        const row: Row = {}
        for (let i = 0; i < keys.length; i++) {
          const v = raw[i]
          row[keys[i]!] = v === null ? null : decoders[i]!.mapFromDriverValue(v)
        }
        out[r] = row
      }
      return out
    },
  }
}
const FETCH_SIZES = [11, 21, 51, 101, 201]
/** Under test every JSON page is checked against the row path (as the response serialiser is checked). */
const CHECK_JSON_PAGES = process.env.NODE_ENV === 'test'

/** Prepared statements per repository and database, at most. */
const MAX_STATEMENTS = 64
/** Prepared statement names are unique in the process (a connection keeps each one it has seen). */
let statementSeq = 0

export type Repository<T extends PgTable> = ReturnType<typeof createRepository<T>>

/** Registry of repositories by object type: the recycle bin restores through it. */
const registry = new Map<string, Repository<PgTable>>()
export function repositoryFor(objectType: string): Repository<PgTable> | undefined {
  return registry.get(objectType)
}

export function createRepository<T extends PgTable>(config: RepositoryConfig<T>) {
  const { table, objectType } = config
  const columns = getTableColumns(table) as Record<string, AnyPgColumn>
  const tenantCol = columns.tenantId!
  const idCol = columns.id!
  const versionCol = columns.version
  const updatedAtCol = columns.updatedAt
  const recycle = config.recycle ?? true
  const label = config.label ?? ((r: Row) => String(r.name ?? r.id))
  const rethrow = (err: unknown) => rethrowUnique(err, getTableName(table))

  /** Tenant + scope: the condition every statement of this repository carries. */
  function visible(ctx: Ctx, opts: { bypassScope?: boolean } = {}): SQL {
    const scope = opts.bypassScope ? undefined : scopeCondition(ctx, config.scope)
    return and(eq(tenantCol, ctx.actor.tenantId), scope)!
  }

  function present(ctx: Ctx, row: Row): Row {
    if (!config.pii || can(ctx.actor, PII_PERMISSION)) return row
    const out = { ...row }
    for (const [key, kind] of Object.entries(config.pii)) if (key in out) out[key] = maskValue(kind, out[key])
    return out
  }

  /** The selected columns: all, or the named ones plus `extra` (unknown names are a programming error). */
  function selection(names: readonly string[] | undefined, extra: string[]): Record<string, AnyPgColumn> {
    if (!names) return columns
    const out: Record<string, AnyPgColumn> = {}
    for (const name of [...names, ...extra]) {
      if (!columns[name]) throw new Error(`${objectType}: no column ${name}`)
      out[name] = columns[name]
    }
    return out
  }

  /**
   * Prepared statements of this repository, per database and shape. A statement is built from the
   * shape alone, with a placeholder for every value (tenant, scope value, cursor), so one
   * statement serves every caller of that shape: Drizzle builds the SQL once, and PostgreSQL and
   * PGlite parse and plan it once per connection instead of on every request. Shapes are few
   * (scope kinds x sort keys x cursor x page sizes x column sets chosen in code) and capped, as
   * each one holds server memory on every connection; statements inside a transaction, lists with
   * filters and shapes past the cap are built per call as before.
   */
  const statements = new WeakMap<object, Map<string, PreparedRows>>()
  function prepared(
    ctx: Ctx,
    key: string,
    build: (db: Tx) => Preparable,
    fields?: Record<string, unknown>,
  ): PreparedRows | null {
    if (ctx.db instanceof PgTransaction) return null
    let byKey = statements.get(ctx.db)
    if (!byKey) {
      byKey = new Map()
      statements.set(ctx.db, byKey)
    }
    let stmt = byKey.get(key)
    if (!stmt) {
      if (byKey.size >= MAX_STATEMENTS) return null
      const name = `haina_${++statementSeq}`
      const pool = (ctx.db as { $client?: unknown }).$client
      stmt =
        fields && pool instanceof pg.Pool
          ? rawPrepared(pool, name, build(ctx.db), fields)
          : build(ctx.db).prepare(name)
      byKey.set(key, stmt)
    }
    return stmt
  }

  /** A list's field object per column set and sort key, built once (column sets are arrays chosen in code). */
  const listSelections = new WeakMap<
    object,
    Map<string, { fields: Record<string, unknown>; names: string }>
  >()
  const allColumns = {}
  function listFields(
    names: readonly string[] | undefined,
    sortName: string,
    sortCol: AnyPgColumn,
    exactSort: boolean,
  ) {
    let bySort = listSelections.get(names ?? allColumns)
    if (!bySort) {
      bySort = new Map()
      listSelections.set(names ?? allColumns, bySort)
    }
    let hit = bySort.get(sortName)
    if (!hit) {
      const fields: Record<string, unknown> = {
        ...selection(names, [sortName, 'id']),
        ...(exactSort ? { [sortName]: sql`${sortCol}` } : {}),
      }
      hit = { fields, names: Object.keys(fields).join(',') }
      bySort.set(sortName, hit)
    }
    return hit
  }

  /**
   * One page of rows in keyset order: the statement (prepared per shape unless filtered) and the
   * cursor of the next page. `pick` chooses what a row carries besides the sort key and id.
   */
  async function page(
    ctx: Ctx,
    opts: ListOptions,
    pick: (
      sortName: string,
      sortCol: AnyPgColumn,
      exactSort: boolean,
    ) => {
      fields: Record<string, unknown>
      names: string
    } | null,
  ) {
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200)
    // One row more than the page tells whether there is a next one. The row count is written into
    // the SQL, rounded up to a few sizes: PostgreSQL keeps re-planning a statement whose LIMIT is a
    // parameter (its generic plan assumes 10% of the table), and one per limit would be unbounded.
    const fetch = FETCH_SIZES.find((n) => n > limit)!
    const sortName =
      opts.sort && (config.sortable ?? []).includes(opts.sort.column) ? opts.sort.column : 'createdAt'
    const dir = opts.sort?.dir ?? 'desc'
    const sortCol = columns[sortName] ?? idCol
    // A timestamp sort key is read as the database's text, which keeps the microseconds a JS Date
    // drops: the cursor needs them, or rows sharing a millisecond (a batch insert) would be skipped.
    const exactSort = sortCol.columnType === 'PgTimestamp'
    const picked = pick(sortName, sortCol, exactSort)
    if (!picked) return null
    const { fields, names } = picked
    const rule: ScopeRule = opts.bypassScope ? { kind: 'whole' } : scopeRule(ctx, config.scope)
    const after = opts.cursor ? cursorAfter(opts.cursor, sortCol) : null
    const cmp = sql.raw(dir === 'desc' ? '<' : '>')
    // `p(name, value)` is the value itself when building for this call, a placeholder when preparing;
    // values are the database's own (strings, numbers), as they come out of a cursor.
    const query = (db: Tx, p: (name: string, value: unknown) => unknown) =>
      (db as any)
        .select(fields)
        .from(table)
        .where(
          and(
            eq(tenantCol, p('tenant', ctx.actor.tenantId)),
            ruleSql(rule, p('tenant', ctx.actor.tenantId), p('scope', rule.value)),
            opts.where,
            // A row comparison, not `key < a or (key = a and id < b)`: PostgreSQL starts the index scan
            // at the cursor only for this form; the OR form is a filter and page n reads n pages of rows.
            after
              ? sql`(${sortCol}, ${idCol}) ${cmp} (${p('after', after.value)}, ${p('afterId', after.id)})`
              : undefined,
          ),
        )
        .orderBy(...(dir === 'desc' ? [desc(sortCol), desc(idCol)] : [asc(sortCol), asc(idCol)]))
        .limit(sql.raw(String(fetch))) as Preparable
    const key = `list|${rule.kind}|${rule.column?.name}|${sortName}|${dir}|${after ? 1 : 0}|${fetch}|${names}`
    const stmt = opts.where
      ? null
      : prepared(ctx, key, (db) => query(db, (name) => sql.placeholder(name)), fields)
    const rows = stmt
      ? await stmt.execute({
          tenant: ctx.actor.tenantId,
          scope: rule.value,
          after: after?.value,
          afterId: after?.id,
        })
      : ((await query(ctx.db, (_, value) => sql.param(value))) as unknown as Row[])
    const more = rows.length > limit
    const items = more ? rows.slice(0, limit) : rows
    const last = items[items.length - 1]
    const nextCursor = more && last ? encodeCursor([last[sortName], last.id]) : null
    return { items, nextCursor, sortName, sortCol, exactSort }
  }

  async function list(ctx: Ctx, opts: ListOptions = {}): Promise<Page<Row>> {
    const { items, nextCursor, sortName, sortCol, exactSort } = (await page(ctx, opts, (name, col, exact) =>
      listFields(opts.columns, name, col, exact),
    ))!
    if (exactSort)
      for (const r of items) if (r[sortName] !== null) r[sortName] = sortCol.mapFromDriverValue(r[sortName])
    return { items: items.map((r) => present(ctx, r)), nextCursor }
  }

  /**
   * Per column set, masking and sort key: what a JSON page selects (the row's JSON, the sort key,
   * the id), or null when a column has no exact JSON form. Built once.
   */
  const jsonSelections = new WeakMap<
    object,
    Map<string, { fields: Record<string, unknown>; names: string } | null>
  >()
  function jsonSelection(
    names: readonly string[] | undefined,
    masked: boolean,
    sortName: string,
    sortCol: AnyPgColumn,
    exactSort: boolean,
  ) {
    let byKey = jsonSelections.get(names ?? allColumns)
    if (!byKey) {
      byKey = new Map()
      jsonSelections.set(names ?? allColumns, byKey)
    }
    const key = `${masked ? 1 : 0}|${sortName}`
    if (!byKey.has(key)) {
      const json = jsonRowSql(selection(names, []), masked ? config.pii! : null)
      byKey.set(
        key,
        json
          ? {
              // The sort key as the row path reads it for the cursor (a timestamp as exact text).
              fields: { json, [sortName]: exactSort ? sql`${sortCol}` : sortCol, id: idCol },
              names: `json:${key}:${names?.join(',') ?? '*'}`,
            }
          : null,
      )
    }
    return byKey.get(key)!
  }

  /**
   * `list` as the response's JSON: `items` is the JSON text of the page's array, each row written
   * by the database with PII masked as `present` masks it (json-row.ts). Null when a column has no
   * exact JSON form; the caller then uses `list`.
   * Custom-field masking stays the caller's (it uses `list` when fields are masked). Under test
   * each page is compared with `list`'s.
   */
  async function listJson(
    ctx: Ctx,
    opts: ListOptions = {},
  ): Promise<{ items: string; nextCursor: string | null } | null> {
    const masked = !!config.pii && !can(ctx.actor, PII_PERMISSION)
    const found = await page(ctx, opts, (sortName, sortCol, exactSort) =>
      jsonSelection(opts.columns, masked, sortName, sortCol, exactSort),
    )
    if (!found) return null
    let items = '['
    for (let i = 0; i < found.items.length; i++) items += (i ? ',' : '') + found.items[i]!.json
    const out = { items: `${items}]`, nextCursor: found.nextCursor }
    if (CHECK_JSON_PAGES) await checkJsonPage(ctx, opts, out)
    return out
  }

  /** Under test: the JSON page must equal the row path's page as JSON.stringify writes it. */
  async function checkJsonPage(
    ctx: Ctx,
    opts: ListOptions,
    got: { items: string; nextCursor: string | null },
  ) {
    const rows = await list(ctx, opts)
    const keys = opts.columns ?? Object.keys(columns)
    const want = JSON.parse(
      JSON.stringify(rows.items.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])))),
    )
    const same = isDeepStrictEqual(JSON.parse(got.items), want) && got.nextCursor === rows.nextCursor
    if (!same)
      throw new Error(
        `${objectType}: JSON page differs from the row page\n${got.items}\n${JSON.stringify(want)}\n${got.nextCursor} vs ${rows.nextCursor}`,
      )
  }

  async function findMany(ctx: Ctx, ids: string[], opts: { forUpdate?: boolean; raw?: boolean } = {}) {
    if (ids.length === 0) return []
    let rows: Row[]
    const rule = scopeRule(ctx, config.scope)
    const stmt =
      ids.length === 1 && !opts.forUpdate
        ? prepared(ctx, `one|${rule.kind}|${rule.column?.name}`, (db) =>
            (db as any)
              .select()
              .from(table)
              .where(
                and(
                  eq(tenantCol, sql.placeholder('tenant')),
                  ruleSql(rule, sql.placeholder('tenant'), sql.placeholder('scope')),
                  eq(idCol, sql.placeholder('id')),
                ),
              ),
          )
        : null
    if (stmt) rows = await stmt.execute({ tenant: ctx.actor.tenantId, scope: rule.value, id: ids[0] })
    else {
      let q = (ctx.db as any)
        .select()
        .from(table)
        .where(and(visible(ctx), inArray(idCol, ids)))
      if (opts.forUpdate) q = q.for('update')
      rows = (await q) as Row[]
    }
    return opts.raw ? rows : rows.map((r) => present(ctx, r))
  }

  /** One record, or 404 when it does not exist, belongs to another tenant or lies outside the scope. */
  async function get(ctx: Ctx, id: string, opts: { forUpdate?: boolean; raw?: boolean } = {}): Promise<Row> {
    if (!isUuid(id)) throw notFound()
    const [row] = await findMany(ctx, [id], opts)
    if (!row) throw notFound()
    return row
  }

  async function insert(ctx: Ctx, values: Row[], opts: { audit?: boolean } = {}): Promise<Row[]> {
    if (values.length === 0) return []
    const rows = (await (ctx.db as any)
      .insert(table)
      .values(values.map((v) => ({ ...v, tenantId: ctx.actor.tenantId })))
      .returning()
      .catch(rethrow)) as Row[]
    if (opts.audit !== false)
      await writeAudit(
        ctx,
        rows.map((r) => ({
          action: 'create',
          objectType,
          objectId: String(r.id),
          summary: label(r),
          after: r,
        })),
      )
    return rows.map((r) => present(ctx, r))
  }

  /** Updates one visible record; `expectedVersion` makes a stale save a 409 carrying the current row. */
  async function update(ctx: Ctx, id: string, patch: Row, expectedVersion?: number): Promise<Row> {
    const before = await get(ctx, id, { forUpdate: true, raw: true })
    if (expectedVersion !== undefined && versionCol && before.version !== expectedVersion)
      throw conflict(present(ctx, before))
    const set: Row = { ...patch }
    delete set.tenantId
    delete set.id
    if (versionCol) set.version = sql`${versionCol} + 1`
    if (updatedAtCol) set.updatedAt = new Date()
    const [after] = (await (ctx.db as any)
      .update(table)
      .set(set)
      .where(and(visible(ctx), eq(idCol, id)))
      .returning()
      .catch(rethrow)) as Row[]
    const changes = diff(before, after!)
    if (changes)
      await writeAudit(ctx, [
        { action: 'update', objectType, objectId: id, summary: label(after!), ...changes },
      ])
    return present(ctx, after!)
  }

  /** Deletes visible records: to the recycle bin (restorable) or for good when `recycle` is off. */
  async function remove(ctx: Ctx, ids: string[]): Promise<number> {
    const rows = await findMany(ctx, ids, { forUpdate: true, raw: true })
    if (rows.length === 0) return 0
    if (recycle) {
      const kept = await dependentRows(
        ctx,
        rows.map((r) => String(r.id)),
      )
      await ctx.db.insert(recycleBin).values(
        rows.map((r) => ({
          tenantId: ctx.actor.tenantId,
          objectType,
          objectId: String(r.id),
          label: label(r),
          data: kept ? { ...r, [DEPENDENTS]: kept(String(r.id)) } : r,
          deletedBy: ctx.actor.id,
        })),
      )
    }
    await (ctx.db as any)
      .delete(table)
      .where(
        and(
          visible(ctx),
          inArray(
            idCol,
            rows.map((r) => r.id),
          ),
        ),
      )
      .catch(rethrow)
    await writeAudit(
      ctx,
      rows.map((r) => ({
        action: 'delete',
        objectType,
        objectId: String(r.id),
        summary: label(r),
        before: r,
      })),
    )
    return rows.length
  }

  /** Puts a row from the recycle bin back, exactly as it was (called by the recycle bin only). */
  async function restoreRow(ctx: Ctx, data: Row): Promise<Row> {
    const values = rowValues(columns, data, ctx.actor.tenantId)
    const [row] = (await (ctx.db as any).insert(table).values(values).returning().catch(rethrow)) as Row[]
    const kept = (data[DEPENDENTS] ?? {}) as Record<string, Row[]>
    for (const dep of config.dependents ?? []) {
      const depRows = kept[getTableName(dep.table)] ?? []
      const depColumns = getTableColumns(dep.table) as Record<string, AnyPgColumn>
      if (depRows.length)
        await (ctx.db as any)
          .insert(dep.table)
          .values(depRows.map((d) => rowValues(depColumns, d, ctx.actor.tenantId)))
          .catch(rethrow)
    }
    return row!
  }

  /** The dependent rows of records about to be deleted, by record id and table (null: none configured). */
  async function dependentRows(ctx: Ctx, ids: string[]) {
    if (!config.dependents?.length) return null
    const byTable = await Promise.all(
      config.dependents.map(async (dep) => {
        const depColumns = getTableColumns(dep.table) as Record<string, AnyPgColumn>
        const found = (await (ctx.db as any)
          .select()
          .from(dep.table)
          .where(and(eq(depColumns.tenantId!, ctx.actor.tenantId), inArray(dep.column, ids)))) as Row[]
        const key = Object.entries(depColumns).find(([, c]) => c === dep.column)![0]
        return { name: getTableName(dep.table), key, found }
      }),
    )
    return (id: string) =>
      Object.fromEntries(byTable.map((t) => [t.name, t.found.filter((r) => r[t.key] === id)]))
  }

  const repo = {
    config,
    table,
    objectType,
    visible,
    present,
    list,
    listJson,
    findMany,
    get,
    insert,
    update,
    remove,
    restoreRow,
  }
  registry.set(objectType, repo as unknown as Repository<PgTable>)
  return repo
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (v: string) => UUID.test(v)

/** Unique violations become a 409 naming the field, references still in use a 409 `in_use`. */
function rethrowUnique(err: unknown, tableName: string): never {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } }
  const pgErr = e.code ? e : e.cause
  if (pgErr?.code === '23505') {
    // Constraints are named <table>_<column…>_key: 'org_units_code_key' → 'code', 'users_email_key' → 'email'.
    const bare = (pgErr.constraint ?? '').replace(/_key$/, '').replace(new RegExp(`^${tableName}_`), '')
    const field = bare.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) || 'value'
    throw duplicate(field)
  }
  if (pgErr?.code === '23503') throw new AppError(409, 'in_use')
  throw err
}

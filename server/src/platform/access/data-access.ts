/**
 * The ONE data-access layer (ARCHITECTURE.md "Data rules"). Every read and write of a
 * tenant-owned record goes through a Repository, which adds the tenant filter and the caller's
 * data scope to every statement, writes the audit record in the same transaction, moves
 * deletes to the recycle bin, masks PII and enforces optimistic concurrency.
 * Services never filter by tenant themselves; `bypassScope` is the one grep-able escape hatch.
 */
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gt,
  inArray,
  lt,
  or,
  type SQL,
  sql,
} from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { recycleBin } from '../audit/schema.js'
import { diff, writeAudit } from '../audit/service.js'
import { AppError, conflict, duplicate, notFound } from '../http/errors.js'
import { orgUnits } from '../org/schema.js'
import { type Ctx, can } from './actor.js'
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
}

export interface ListOptions {
  where?: SQL
  sort?: { column: string; dir: 'asc' | 'desc' }
  limit?: number
  cursor?: string | null
}

export interface Page<R> {
  items: R[]
  nextCursor: string | null
}

const col = (table: PgTable, name: string) => (getTableColumns(table) as Record<string, AnyPgColumn>)[name]!

/** The SQL condition restricting `cols` to what the actor may see; undefined means "whole tenant". */
export function scopeCondition(ctx: Ctx, cols: ScopeColumns | undefined): SQL | undefined {
  const a = ctx.actor
  if (!cols || a.type === 'system') return undefined
  const unitsUnder = (path: string | null) =>
    sql`(select ${orgUnits.id} from ${orgUnits} where ${orgUnits.tenantId} = ${a.tenantId} and ${orgUnits.path} like ${`${path ?? '\u0000'}%`})`
  // An org boundary the actor's org encloses; for the root company this is the whole tenant.
  const orgTree = (): SQL | undefined => {
    if (!a.orgPath) return sql`false`
    if (a.orgPath.split('/').filter(Boolean).length === 1) return undefined
    if (cols.org) return sql`${cols.org} in ${unitsUnder(a.orgPath)}`
    if (cols.unit) return sql`${cols.unit} in ${unitsUnder(a.orgPath)}`
    return sql`false`
  }
  switch (a.dataScope) {
    case 'all':
      return orgTree()
    case 'org':
      if (cols.org) return a.orgId ? eq(cols.org, a.orgId) : sql`false`
      return cols.unit
        ? sql`${cols.unit} in (select ${orgUnits.id} from ${orgUnits} where ${orgUnits.tenantId} = ${a.tenantId} and ${orgUnits.orgId} = ${a.orgId})`
        : sql`false`
    case 'department_tree':
      return cols.unit ? sql`${cols.unit} in ${unitsUnder(a.unitPath)}` : ownerOnly()
    case 'department':
      return cols.unit ? (a.unitId ? eq(cols.unit, a.unitId) : sql`false`) : ownerOnly()
    default:
      return ownerOnly()
  }
  function ownerOnly(): SQL {
    if (cols!.owner && a.id) return eq(cols!.owner, a.id)
    return sql`false`
  }
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}
export function decodeCursor(cursor: string): unknown[] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString())
    return Array.isArray(v) && v.length === 2 ? v : null
  } catch {
    return null
  }
}

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
    for (const [key, kind] of Object.entries(config.pii)) out[key] = maskValue(kind, out[key])
    return out
  }

  async function list(ctx: Ctx, opts: ListOptions = {}): Promise<Page<Row>> {
    const limit = Math.min(Math.max(opts.limit ?? 20, 1), 200)
    const sortName =
      opts.sort && (config.sortable ?? []).includes(opts.sort.column) ? opts.sort.column : 'createdAt'
    const dir = opts.sort?.dir ?? 'desc'
    const sortCol = columns[sortName] ?? idCol
    const conds: (SQL | undefined)[] = [visible(ctx), opts.where]
    const cur = opts.cursor ? decodeCursor(opts.cursor) : null
    if (cur) {
      const [v, lastId] = cur
      const value = sortCol.columnType === 'PgTimestamp' && typeof v === 'string' ? new Date(v) : v
      const cmp = dir === 'desc' ? lt : gt
      conds.push(or(cmp(sortCol, value), and(eq(sortCol, value), cmp(idCol, lastId)))!)
    }
    const order = dir === 'desc' ? [desc(sortCol), desc(idCol)] : [asc(sortCol), asc(idCol)]
    const rows = (await (ctx.db as any)
      .select()
      .from(table)
      .where(and(...conds))
      .orderBy(...order)
      .limit(limit + 1)) as Row[]
    const more = rows.length > limit
    const items = more ? rows.slice(0, limit) : rows
    const last = items[items.length - 1]
    return {
      items: items.map((r) => present(ctx, r)),
      nextCursor: more && last ? encodeCursor([last[sortName], last.id]) : null,
    }
  }

  async function findMany(ctx: Ctx, ids: string[], opts: { forUpdate?: boolean; raw?: boolean } = {}) {
    if (ids.length === 0) return []
    let q = (ctx.db as any)
      .select()
      .from(table)
      .where(and(visible(ctx), inArray(idCol, ids)))
    if (opts.forUpdate) q = q.for('update')
    const rows = (await q) as Row[]
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
    if (recycle)
      await ctx.db.insert(recycleBin).values(
        rows.map((r) => ({
          tenantId: ctx.actor.tenantId,
          objectType,
          objectId: String(r.id),
          label: label(r),
          data: r,
          deletedBy: ctx.actor.id,
        })),
      )
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
    const values: Row = {}
    for (const [key, column] of Object.entries(columns)) {
      if (!(key in data)) continue
      const v = data[key]
      values[key] = column.columnType === 'PgTimestamp' && typeof v === 'string' ? new Date(v) : v
    }
    values.tenantId = ctx.actor.tenantId
    const [row] = (await (ctx.db as any).insert(table).values(values).returning().catch(rethrow)) as Row[]
    return row!
  }

  const repo = {
    config,
    table,
    objectType,
    visible,
    present,
    list,
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

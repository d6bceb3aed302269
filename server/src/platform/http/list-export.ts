/**
 * Exports of the main lists (leads, customers, opportunities, orders) as CSV or XLSX downloads:
 * the list route's own filter, sort and data scope, all matching rows.
 *
 *   app.get('/api/v1/leads/export', { config: { permission: 'leads.export' },
 *     schema: { querystring: exportQuerySchema, … } }, async (req, reply) => {
 *       const ctx = ctxOf(req)
 *       return sendDownload(reply, await listExport(ctx, { ...LEAD_EXPORT,
 *         query: await leadListQuery(ctx, req.query), request: req.query }, req.query.format))
 *   })
 *
 * Rows come from the repository's `list()` page by page with its cursor, so the data scope and PII
 * masking are the list's own and memory holds one batch however many rows match. Custom fields
 * follow as columns (their values masked by `customMasker`, as the list masks them); users and
 * units show by name (one lookup per batch); instants in the workspace time zone; headers in the
 * caller's language; every text cell formula-neutralised. One audit record per export.
 */
import { and, inArray, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Ctx } from '../access/actor.js'
import type { ListOptions, Page } from '../access/data-access.js'
import { writeAudit } from '../audit/service.js'
import type { FieldDefinition } from '../custom-fields/definitions.service.js'
import { loadDefinitions } from '../custom-fields/definitions.service.js'
import { type RegionValue, regionLabel } from '../custom-fields/regions.js'
import { customMasker } from '../custom-fields/validate.service.js'
import { type Locale, registerMessages } from '../i18n/messages.js'
import { orgUnits, users } from '../org/schema.js'
import { AppError } from './errors.js'
import { listQuerySchema } from './list-query.js'
import {
  type Cell,
  EXPORT_FORMATS,
  type ExportFormat,
  nationalMobile,
  type SpreadsheetDownload,
  streamSpreadsheet,
  timeFormatter,
  timezoneOf,
} from './spreadsheet.js'

type Row = Record<string, unknown>
export type Localized = Record<Locale, string>

/** Rows gathered per batch (one name lookup, one write to the file); tests shrink it (HAINA_EXPORT_BATCH). */
export const EXPORT_BATCH = 1000
/** Largest export; a filter matching more is refused (HAINA_EXPORT_MAX_ROWS). */
export const EXPORT_MAX_ROWS = 1_000_000
/** The most rows one `list()` call returns (the data-access layer's page limit). */
const LIST_PAGE_MAX = 200
const exportBatch = () => Number(process.env.HAINA_EXPORT_BATCH ?? EXPORT_BATCH)
const exportMaxRows = () => Number(process.env.HAINA_EXPORT_MAX_ROWS ?? EXPORT_MAX_ROWS)

registerMessages({
  export_too_large: {
    'zh-CN': '符合条件的记录超过 {max} 条，无法一次导出，请缩小筛选范围',
    'zh-TW': '符合條件的記錄超過 {max} 筆，無法一次匯出，請縮小篩選範圍',
    en: 'More than {max} records match; narrow the filter to export them',
  },
})

/** The querystring of an export: the list's sort and filter (no paging) and the file format. */
export const exportQuerySchema = listQuerySchema.pick({ sort: true, filter: true }).extend({
  format: z.enum(EXPORT_FORMATS).default('xlsx').describe('xlsx (default) or csv (UTF-8 with BOM)'),
})

/**
 * How a value is written. text: as it is; phone: a Chinese mobile without +86; number: a number
 * cell; money: minor units (分) as a number of major units (元); datetime: the workspace time
 * zone; date: YYYY-MM-DD as stored; user / unit: the name of the id; region: a region code's names.
 */
export type ColumnKind =
  | 'text'
  | 'phone'
  | 'number'
  | 'money'
  | 'datetime'
  | 'date'
  | 'user'
  | 'unit'
  | 'region'

export interface ExportColumn {
  /** Property of the row (as `list()` and the spec's `present` give it). */
  key: string
  header: Localized
  kind?: ColumnKind
  /** Words for stored codes: status 'following' → 跟进中. */
  labels?: Record<string, Localized>
}

/** Columns most lists share. */
export const COMMON_COLUMNS = {
  ownerId: { key: 'ownerId', kind: 'user', header: { 'zh-CN': '负责人', 'zh-TW': '負責人', en: 'Owner' } },
  unitId: {
    key: 'unitId',
    kind: 'unit',
    header: { 'zh-CN': '所属部门', 'zh-TW': '所屬部門', en: 'Department' },
  },
  email: { key: 'email', header: { 'zh-CN': '邮箱', 'zh-TW': '電子郵件', en: 'Email' } },
  source: { key: 'source', header: { 'zh-CN': '来源', 'zh-TW': '來源', en: 'Source' } },
  regionCode: {
    key: 'regionCode',
    kind: 'region',
    header: { 'zh-CN': '地区', 'zh-TW': '地區', en: 'Region' },
  },
  currency: { key: 'currency', header: { 'zh-CN': '币种', 'zh-TW': '幣別', en: 'Currency' } },
  notes: { key: 'notes', header: { 'zh-CN': '备注', 'zh-TW': '備註', en: 'Notes' } },
  lastFollowUpAt: {
    key: 'lastFollowUpAt',
    kind: 'datetime',
    header: { 'zh-CN': '最近跟进时间', 'zh-TW': '最近跟進時間', en: 'Last follow-up' },
  },
  nextFollowUpAt: {
    key: 'nextFollowUpAt',
    kind: 'datetime',
    header: { 'zh-CN': '下次跟进时间', 'zh-TW': '下次跟進時間', en: 'Next follow-up' },
  },
  createdAt: {
    key: 'createdAt',
    kind: 'datetime',
    header: { 'zh-CN': '创建时间', 'zh-TW': '建立時間', en: 'Created at' },
  },
  updatedAt: {
    key: 'updatedAt',
    kind: 'datetime',
    header: { 'zh-CN': '更新时间', 'zh-TW': '更新時間', en: 'Updated at' },
  },
} satisfies Record<string, ExportColumn>

const YES_NO: Record<Locale, [string, string]> = {
  'zh-CN': ['是', '否'],
  'zh-TW': ['是', '否'],
  en: ['Yes', 'No'],
}
const LIST_SEPARATOR: Record<Locale, string> = { 'zh-CN': '、', 'zh-TW': '、', en: ', ' }

/** What an object's export is: fixed per object (the module's export file). */
export interface ListExportDefinition {
  /** Audit object type and custom-field object: 'lead'. */
  object: string
  /** The file's name before its time stamp: 线索 → 线索-20250514-1030.xlsx */
  title: Localized
  columns: ExportColumn[]
  /** Adds what the list shows beside the stored row (customer, stage names…), once per batch. */
  present?: (ctx: Ctx, rows: Row[]) => Promise<Row[]>
}

/** The rows' source: the object's repository. */
export interface ExportSource {
  table: PgTable
  visible(ctx: Ctx): SQL
  list(ctx: Ctx, opts: ListOptions): Promise<Page<Row>>
}

export interface ListExportSpec extends ListExportDefinition {
  repo: ExportSource
  /** The list's condition and sort, from the list route's own query builder. */
  query: { where?: SQL; sort?: ListOptions['sort'] }
  /** Columns `list()` reads (the list route's), default all. */
  select?: readonly string[]
  /** What the caller asked for, kept in the audit record. */
  request: { filter?: string; sort?: string; q?: string }
}

/** The export as a download; 422 export_too_large when more rows match than an export may hold. */
export async function listExport(
  ctx: Ctx,
  spec: ListExportSpec,
  format: ExportFormat,
): Promise<SpreadsheetDownload> {
  const max = exportMaxRows()
  // A bounded count (stops at max + 1) through the repository's own scope condition.
  const [probe] = (await ctx.db.select({ n: sql<number>`count(*)::int` }).from(
    ctx.db
      .select({ one: sql`1` })
      .from(spec.repo.table)
      .where(and(spec.repo.visible(ctx), spec.query.where))
      .limit(max + 1)
      .as('probe'),
  )) as { n: number }[]
  if (Number(probe?.n) > max) throw new AppError(422, 'export_too_large', { max })

  const [definitions, mask, timeZone] = await Promise.all([
    loadDefinitions(ctx, spec.object),
    customMasker(ctx, spec.object),
    timezoneOf(ctx),
  ])
  const time = timeFormatter(timeZone)
  const writers = [
    ...spec.columns.map((c) => baseWriter(c, ctx.locale, time)),
    ...definitions.map((d) => customWriter(d, ctx.locale, time)),
  ]
  const header = [...spec.columns.map((c) => c.header[ctx.locale]), ...definitions.map((d) => d.label)]
  const userKeys = spec.columns.filter((c) => c.kind === 'user').map((c) => c.key)
  const unitKeys = spec.columns.filter((c) => c.kind === 'unit').map((c) => c.key)
  const customUsers = definitions.filter((d) => d.type === 'user').map((d) => d.key)

  async function* batches(): AsyncGenerator<Cell[][]> {
    for await (const stored of pages(ctx, spec)) {
      const rows = (spec.present ? await spec.present(ctx, stored) : stored).map((r) => ({
        ...r,
        custom: mask((r.custom ?? {}) as Row),
      }))
      const ids = (keys: string[], of: (r: Row) => Row) => rows.flatMap((r) => keys.map((k) => of(r)[k]))
      const names = await namesOf(
        ctx,
        [...ids(userKeys, (r) => r), ...ids(customUsers, (r) => r.custom as Row)],
        ids(unitKeys, (r) => r),
      )
      yield rows.map((r) => writers.map((w) => w(r, names)))
    }
  }

  const stamp = time(new Date()).slice(0, 16).replace(/[-:]/g, '').replace(' ', '-')
  const { filter, sort, q } = spec.request
  return streamSpreadsheet({
    format,
    name: `${spec.title[ctx.locale]}-${stamp}`,
    asciiName: `${spec.title.en}-${stamp}`,
    header,
    batches: batches(),
    finish: (rows) =>
      writeAudit(ctx, [
        {
          action: 'export',
          objectType: spec.object,
          summary: spec.title[ctx.locale],
          after: {
            format,
            rows,
            filter: filter ? JSON.parse(filter) : null,
            sort: sort ?? null,
            q: q ?? null,
          },
        },
      ]),
  })
}

/** Sends a download (a list or segment export). */
export function sendDownload(reply: FastifyReply, file: SpreadsheetDownload) {
  return reply.type(file.contentType).header('content-disposition', file.disposition).send(file.stream)
}

/** Every matching row, in batches of `exportBatch()` read through `list()` pages and its cursor. */
async function* pages(ctx: Ctx, spec: ListExportSpec): AsyncGenerator<Row[]> {
  const size = Math.max(1, exportBatch())
  let cursor: string | null = null
  do {
    const rows: Row[] = []
    do {
      const page: Page<Row> = await spec.repo.list(ctx, {
        where: spec.query.where,
        sort: spec.query.sort,
        columns: spec.select,
        limit: Math.min(size - rows.length, LIST_PAGE_MAX),
        cursor,
      })
      rows.push(...page.items)
      cursor = page.nextCursor
    } while (cursor && rows.length < size)
    if (rows.length) yield rows
  } while (cursor)
}

type Names = Map<string, string>
type Writer = (row: Row, names: Names) => Cell

/** Names of the users and units a batch refers to, in one query: `user:<id>` / `unit:<id>` → name. */
async function namesOf(ctx: Ctx, userIds: unknown[], unitIds: unknown[]): Promise<Names> {
  const unique = (ids: unknown[]) => [
    ...new Set(ids.filter((v): v is string => typeof v === 'string' && !!v)),
  ]
  const [u, o] = [unique(userIds), unique(unitIds)]
  const t = ctx.actor.tenantId
  const byUser = () =>
    ctx.db
      .select({ kind: sql<string>`'user'`, id: users.id, name: users.name })
      .from(users)
      .where(and(sql`${users.tenantId} = ${t}`, inArray(users.id, u)))
  const byUnit = () =>
    ctx.db
      .select({ kind: sql<string>`'unit'`, id: orgUnits.id, name: orgUnits.name })
      .from(orgUnits)
      .where(and(sql`${orgUnits.tenantId} = ${t}`, inArray(orgUnits.id, o)))
  const rows =
    u.length && o.length
      ? await byUser().unionAll(byUnit())
      : u.length
        ? await byUser()
        : o.length
          ? await byUnit()
          : []
  return new Map(rows.map((r) => [`${r.kind}:${r.id}`, r.name]))
}

const empty = (v: unknown) => v === null || v === undefined || v === ''
const asNumber = (v: unknown): Cell =>
  typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : String(v)

/** A region code (2, 4 or 6 digits) as names: 广东省 / 深圳市 / 南山区. */
const regionOfCode = (code: string) =>
  regionLabel({
    province: code.slice(0, 2),
    city: code.length >= 4 ? code.slice(0, 4) : undefined,
    district: code.length >= 6 ? code.slice(0, 6) : undefined,
  })

function valueWriter(
  kind: ColumnKind,
  time: (v: Date | string) => string,
): (v: unknown, names: Names) => Cell {
  switch (kind) {
    case 'phone':
      return (v) => nationalMobile(String(v))
    case 'number':
      return asNumber
    case 'money':
      return (v) => {
        const n = asNumber(v)
        return typeof n === 'number' ? n / 100 : n
      }
    case 'datetime':
      return (v) => time(v as Date | string)
    case 'user':
    case 'unit':
      return (v, names) => names.get(`${kind}:${v}`) ?? String(v)
    case 'region':
      return (v) => (typeof v === 'string' ? regionOfCode(v) : regionLabel(v as RegionValue))
    default:
      return (v) => (typeof v === 'string' ? v : String(v))
  }
}

function baseWriter(c: ExportColumn, locale: Locale, time: (v: Date | string) => string): Writer {
  const write = valueWriter(c.kind ?? 'text', time)
  return (row, names) => {
    const v = row[c.key]
    if (empty(v)) return null
    const label = c.labels?.[String(v)]
    return label ? label[locale] : write(v, names)
  }
}

function customWriter(d: FieldDefinition, locale: Locale, time: (v: Date | string) => string): Writer {
  const option = (v: unknown) => d.options.find((o) => o.value === v)?.label ?? String(v)
  const kinds: Partial<Record<FieldDefinition['type'], ColumnKind>> = {
    phone: 'phone',
    number: 'number',
    money: 'money',
    datetime: 'datetime',
    date: 'date',
    user: 'user',
    region: 'region',
  }
  const write = valueWriter(kinds[d.type] ?? 'text', time)
  return (row, names) => {
    const v = (row.custom as Row)[d.key]
    if (empty(v)) return null
    switch (d.type) {
      case 'boolean':
        return YES_NO[locale][v === true ? 0 : 1]
      case 'single_select':
        return option(v)
      case 'multi_select':
        return (Array.isArray(v) ? v : [v]).map(option).join(LIST_SEPARATOR[locale])
      default:
        return write(v, names)
    }
  }
}

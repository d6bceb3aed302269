/**
 * Spreadsheet downloads: CSV (UTF-8 with BOM, CRLF) or XLSX (exceljs streaming writer), written
 * from batches of rows as the client takes them, every text cell formula-neutralised. Used by the
 * list exports (list-export.ts) and the segment export.
 */
import { once } from 'node:events'
import { PassThrough, Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import { eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import type { Ctx } from '../access/actor.js'
import { tenants } from '../tenancy/schema.js'

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** A cell as written: text (neutralised), a number (kept a number), or empty. */
export type Cell = string | number | null

/**
 * OWASP CSV-injection guidance: a cell starting with = + - @ (or tab / CR) is prefixed with ' so a
 * spreadsheet shows it as text instead of running it. Applied to every exported text cell.
 */
export function neutralizeFormula(value: unknown): string {
  const s = value == null ? '' : String(value)
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly), every cell neutralised. */
export function writeCsv(rows: unknown[][]): string {
  return `\ufeff${stringify(
    rows.map((r) => r.map(neutralizeFormula)),
    { record_delimiter: '\r\n' },
  )}`
}

/** A number stays a number (a spreadsheet never runs one, and -5 must stay -5); the rest is neutralised text. */
const safeCell = (v: Cell): string | number =>
  typeof v === 'number' && Number.isFinite(v) ? v : neutralizeFormula(v)

/**
 * `Content-Disposition` for a download named `name`: the RFC 5987 UTF-8 name, and for old clients
 * an ASCII name: `name` itself when it is plain ASCII, else `fallback`.
 */
export function attachment(name: string, format: ExportFormat, fallback = 'download'): string {
  const clean = (s: string) => s.replace(/["\\/;]/g, '').trim()
  const plain =
    (/^[\x20-\x7e]*$/.test(name) && clean(name)) || clean(fallback.replace(/[^\x20-\x7e]/g, '')) || 'download'
  // RFC 5987 attr-chars exclude ' ( ) * too, which encodeURIComponent leaves as they are.
  const utf8 = encodeURIComponent(`${name}.${format}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${plain}.${format}"; filename*=UTF-8''${utf8}`
}

/** A Chinese mobile as people write it (13800138000, not +8613800138000); others as stored. */
export const nationalMobile = (v: string | null | undefined) => (v ?? '').replace(/^\+86(?=1\d{10}$)/, '')

/** The workspace's time zone (IANA name), in which exports write dates. */
export async function timezoneOf(ctx: Ctx): Promise<string> {
  const [row] = await ctx.db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  return row?.timezone || 'Asia/Shanghai'
}

/** Formats instants as 2025-05-14 10:30:00 in `timeZone`. */
export function timeFormatter(timeZone: string): (value: Date | string) => string {
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  return (value) => fmt.format(value instanceof Date ? value : new Date(value))
}

export interface SpreadsheetDownload {
  fileName: string
  contentType: string
  disposition: string
  stream: Readable
}

export interface SpreadsheetInput {
  format: ExportFormat
  /** The file's name without extension (also the sheet's name, shortened). */
  name: string
  /** ASCII name for clients without RFC 5987 support (see `attachment`). */
  asciiName?: string
  header: string[]
  /** Rows in batches, read one batch at a time as the client takes the file. */
  batches: AsyncIterable<Cell[][]>
  /**
   * Runs once when the writing stops (complete, aborted by the client, or failed), with the number
   * of rows written, before the download ends: the place for the audit record.
   */
  finish: (rows: number) => Promise<void>
}

/** A CSV or XLSX download streamed from batches: memory holds one batch, however many rows. */
export function streamSpreadsheet(input: SpreadsheetInput): SpreadsheetDownload {
  const { format, name, header } = input
  let rows = 0
  let finished = false
  const finish = async () => {
    if (finished) return
    finished = true
    await input.finish(rows)
  }
  const file = { fileName: `${name}.${format}`, disposition: attachment(name, format, input.asciiName) }
  if (format === 'csv') {
    const csv = (cells: Cell[][]) =>
      stringify(
        cells.map((r) => r.map(safeCell)),
        { record_delimiter: '\r\n' },
      )
    const stream = Readable.from(
      (async function* () {
        try {
          yield `\ufeff${csv([header])}`
          for await (const batch of input.batches) {
            rows += batch.length
            if (batch.length) yield csv(batch)
          }
        } finally {
          await finish()
        }
      })(),
    )
    return { ...file, contentType: 'text/csv; charset=utf-8', stream }
  }
  const stream = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false })
  const ws = wb.addWorksheet(name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1')
  void (async () => {
    try {
      ws.addRow(header.map(safeCell)).commit()
      for await (const batch of input.batches) {
        for (const cells of batch) ws.addRow(cells.map(safeCell)).commit()
        rows += batch.length
        // Back-pressure: wait while the client has not taken what was written.
        if (stream.writableNeedDrain) await Promise.race([once(stream, 'drain'), once(stream, 'close')])
        if (stream.destroyed) break
      }
      await finish()
      if (stream.destroyed) return
      ws.commit()
      await wb.commit()
    } catch (err) {
      await finish().catch(() => {})
      stream.destroy(err instanceof Error ? err : new Error(String(err)))
    }
  })()
  return { ...file, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', stream }
}

import { once } from 'node:events'
import { PassThrough, Readable } from 'node:stream'
import { eq } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { tenants } from '../../../platform/tenancy/schema.js'
import { neutralizeFormula, writeCsv } from '../../intake/import/file/index.js'
import { memberDetails, segmentOf } from './members.service.js'
import { EXPORT_HEADERS, TAG_SEPARATOR } from './messages.js'

export type ExportFormat = 'csv' | 'xlsx'

/** Members read per query while exporting: memory stays flat however large the segment. */
const EXPORT_BATCH = 1000

/** `Content-Disposition` for a download named `name`: an ASCII fallback and the RFC 5987 UTF-8 name. */
export function attachment(name: string, format: ExportFormat): string {
  const ascii =
    name
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\/;]/g, '')
      .trim() || 'segment'
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`
}

async function timezoneOf(ctx: Ctx): Promise<string> {
  const [row] = await ctx.db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  return row?.timezone || 'Asia/Shanghai'
}

/** A Chinese mobile as people write it (13800138000, not +8613800138000); others as stored. */
const nationalMobile = (v: string | null) => (v ?? '').replace(/^\+86(?=1\d{10}$)/, '')

export interface SegmentExport {
  fileName: string
  contentType: string
  disposition: string
  stream: Readable
}

/**
 * A segment's members as a CSV (UTF-8 with BOM) or XLSX download, streamed: members are read
 * 1,000 at a time (only persons the caller sees), PII masked unless pii.view, every text cell
 * formula-neutralised. The export is audited (action 'export') with the number of rows written,
 * before the download ends.
 */
export async function exportSegment(
  ctx: Ctx,
  segmentId: string,
  format: ExportFormat,
): Promise<SegmentExport> {
  const seg = await segmentOf(ctx, segmentId)
  const timeZone = await timezoneOf(ctx)
  const stamp = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  const header = EXPORT_HEADERS[ctx.locale]
  const sep = TAG_SEPARATOR[ctx.locale]
  let rows = 0
  async function* batches(): AsyncGenerator<string[][]> {
    let after: string | null = null
    do {
      const page: Awaited<ReturnType<typeof memberDetails>> = await memberDetails(ctx, seg.id, {
        after,
        limit: EXPORT_BATCH,
      })
      yield page.items.map((m) => [
        m.name ?? '',
        m.company ?? '',
        m.regionName ?? '',
        nationalMobile(m.mobile),
        m.email ?? '',
        m.tags.map((t) => t.name).join(sep),
        stamp.format(m.addedAt),
      ])
      after = page.next
    } while (after)
  }
  let audited = false
  const audit = async () => {
    if (audited) return
    audited = true
    await writeAudit(ctx, [
      {
        action: 'export',
        objectType: 'segment',
        objectId: seg.id,
        summary: seg.name,
        after: { format, rows },
      },
    ])
  }
  const fileName = `${seg.name}.${format}`
  const disposition = attachment(seg.name, format)
  if (format === 'csv') {
    const stream = Readable.from(
      (async function* () {
        try {
          yield writeCsv([header])
          for await (const batch of batches()) {
            rows += batch.length
            // writeCsv neutralises every cell; its BOM belongs at the start of the file only.
            if (batch.length) yield writeCsv(batch).slice(1)
          }
        } finally {
          await audit()
        }
      })(),
    )
    return { fileName, contentType: 'text/csv; charset=utf-8', disposition, stream }
  }
  const stream = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false })
  const ws = wb.addWorksheet(seg.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Segment')
  void (async () => {
    try {
      ws.addRow(header).commit()
      for await (const batch of batches()) {
        for (const cells of batch) ws.addRow(cells.map(neutralizeFormula)).commit()
        rows += batch.length
        // Back-pressure: wait while the client has not taken what was written.
        if (stream.writableNeedDrain) await Promise.race([once(stream, 'drain'), once(stream, 'close')])
        if (stream.destroyed) break
      }
      await audit()
      if (stream.destroyed) return
      ws.commit()
      await wb.commit()
    } catch (err) {
      await audit().catch(() => {})
      stream.destroy(err instanceof Error ? err : new Error(String(err)))
    }
  })()
  return {
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    disposition,
    stream,
  }
}

import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import {
  type ExportFormat,
  nationalMobile,
  type SpreadsheetDownload,
  streamSpreadsheet,
  timeFormatter,
  timezoneOf,
} from '../../../platform/http/spreadsheet.js'
import { memberDetails, segmentOf } from './members.service.js'
import { EXPORT_HEADERS, TAG_SEPARATOR } from './messages.js'

/** Members read per query while exporting: memory stays flat however large the segment. */
const EXPORT_BATCH = 1000

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
): Promise<SpreadsheetDownload> {
  const seg = await segmentOf(ctx, segmentId)
  const stamp = timeFormatter(await timezoneOf(ctx))
  const sep = TAG_SEPARATOR[ctx.locale]
  async function* batches() {
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
        stamp(m.addedAt),
      ])
      after = page.next
    } while (after)
  }
  return streamSpreadsheet({
    format,
    name: seg.name,
    asciiName: 'segment',
    header: EXPORT_HEADERS[ctx.locale],
    batches: batches(),
    finish: (rows) =>
      writeAudit(ctx, [
        {
          action: 'export',
          objectType: 'segment',
          objectId: seg.id,
          summary: seg.name,
          after: { format, rows },
        },
      ]),
  })
}

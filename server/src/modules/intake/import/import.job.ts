import { and, eq, sql } from 'drizzle-orm'
import { type Actor, type Ctx, systemActor } from '../../../platform/access/actor.js'
import { loadUserActor } from '../../../platform/access/load-actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import type { Db, Tx } from '../../../platform/db/index.js'
import { statisticsKeeper } from '../../../platform/db/statistics.js'
import { translate } from '../../../platform/i18n/messages.js'
import { registerJob } from '../../../platform/jobs/queue.js'
import { workspaceLocale } from '../../../platform/tenancy/locale.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { insertMany } from '../../quality/bulk.js'
import { countOutcomes, runFactory } from '../../quality/factory.service.js'
import { type NormalizedLead, normalizeLead } from '../../quality/normalize/index.js'
import { campaignIdsByCode } from '../ingest.service.js'
import { channels, type ImportCounts, imports } from '../schema.js'
import { FileError, openTable, type Row } from './file/index.js'
import { type ImportRow, isTotalsRow, mapRow, revertImport } from './import.service.js'
import { fileReasons, type Reason } from './reasons.js'
import { materialiseFile } from './storage.js'
import '../messages.js'

/** Rows per transaction: each batch commits with its checkpoint, so a crash loses at most one batch of work and doubles nothing. */
export const IMPORT_BATCH = 2000
/** Tests shrink batches (HAINA_IMPORT_BATCH) to crash between two of them at a small size. */
export const batchSize = () => Number(process.env.HAINA_IMPORT_BATCH ?? IMPORT_BATCH)

/** Who an import acts as: the person who uploaded it, else the system named after the file. */
export async function importActor(db: Db, imp: ImportRow): Promise<Actor> {
  const user = imp.createdBy ? await loadUserActor(db, imp.tenantId, imp.createdBy) : null
  return user ?? { ...systemActor(imp.tenantId, ALL_PERMISSIONS), name: `import:${imp.fileName}` }
}

export async function load(db: Db, tenantId: string, id: string): Promise<ImportRow> {
  const [imp] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.tenantId, tenantId), eq(imports.id, id)))
  if (!imp) throw new Error(`import ${id} not found`)
  return imp
}

/** The rows of a batch that did not go in, with their reasons: the error file (once per row). */
export async function saveImportErrors(ctx: Ctx, imp: ImportRow, errors: { row: Row; reasons: Reason[] }[]) {
  await insertMany(
    ctx,
    'import_errors',
    { tenant_id: 'uuid', import_id: 'uuid', row_number: 'int', cells: 'jsonb', reasons: 'jsonb' },
    errors.map((e) => ({
      tenant_id: imp.tenantId,
      import_id: imp.id,
      row_number: e.row.rowNumber,
      cells: e.row.cells,
      reasons: e.reasons,
    })),
    sql`on conflict do nothing`,
  )
}

/** An import's counts with `skipped`: totals rows (合计…) left out, neither created nor invalid. */
export type JobCounts = ImportCounts & { skipped?: number }

/** Adds a batch's counts and moves the checkpoint past its last row, in the batch's transaction. */
export async function advanceImport(db: Tx, imp: ImportRow, last: number, add: JobCounts) {
  await db.execute(sql`
    update imports set checkpoint_row = ${last}, version = version + 1,
      counts = jsonb_build_object(
        'rows', (counts->>'rows')::int + ${add.rows}, 'created', (counts->>'created')::int + ${add.created},
        'merged', (counts->>'merged')::int + ${add.merged}, 'duplicate', (counts->>'duplicate')::int + ${add.duplicate},
        'review', (counts->>'review')::int + ${add.review}, 'invalid', (counts->>'invalid')::int + ${add.invalid},
        'skipped', coalesce((counts->>'skipped')::int, 0) + ${add.skipped ?? 0})
    where tenant_id = ${imp.tenantId} and id = ${imp.id}`)
}

/** A batch read and normalised ahead of its transaction (the next one's work overlaps this one's). */
interface Prepared {
  rows: Row[]
  /** The rows without a file problem, mapped and normalised, in order. */
  good: { row: Row; lead: ReturnType<typeof mapRow>; normalized: NormalizedLead }[]
  /** The rows refused for a file problem (ragged, a formula error in a mapped column…). */
  refused: Map<number, Reason[]>
  /** Totals rows (合计 / Total…): skipped, counted apart. */
  skipped: Set<number>
  /** The workspace's phone region the batch was read in (the factory reads custom phone values in it too). */
  phoneRegion: string
}

/** Rows normalised between two turns of the event loop while reading ahead (see prepare). */
const PREPARE_SLICE = 200

/**
 * Maps and normalises a batch in slices, yielding to the event loop between them: a whole batch
 * in one go (~50 ms) held up the answers of the current batch's statements, so PostgreSQL sat idle
 * while the next batch was being prepared. Phones are read in the workspace's `phoneRegion`.
 */
async function prepare(rows: Row[], mapping: ImportRow['mapping'], phoneRegion: string): Promise<Prepared> {
  const good: Prepared['good'] = []
  const refused: Prepared['refused'] = new Map()
  const skipped: Prepared['skipped'] = new Set()
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (isTotalsRow(row.cells, mapping)) {
      skipped.add(row.rowNumber)
      continue
    }
    if (row.problem || row.issues) {
      const reasons = fileReasons(row, mapping)
      if (reasons.length) {
        refused.set(row.rowNumber, reasons)
        continue
      }
    }
    const lead = mapRow(row.cells, mapping)
    good.push({ row, lead, normalized: normalizeLead(lead.lead, phoneRegion) })
    if (i % PREPARE_SLICE === PREPARE_SLICE - 1) await new Promise(setImmediate)
  }
  return { rows, good, refused, skipped, phoneRegion }
}

/** One batch: the data factory, the rows it refused, and the checkpoint — all in one transaction. */
async function commitBatch(db: Db, actor: Actor, imp: ImportRow, batch: Prepared, source: string) {
  const last = batch.rows[batch.rows.length - 1]!.rowNumber
  return db.transaction(async (tx) => {
    const ctx = { db: tx, actor, locale: 'zh-CN' as const, inTx: true }
    // A retried batch after a crash finds the checkpoint already past it: skip, nothing doubles.
    const [cur] = await tx
      .select({ checkpoint: imports.checkpointRow, status: imports.status })
      .from(imports)
      .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
      .for('update')
    if (cur!.checkpoint >= last) return null
    const fresh = batch.rows.filter((r) => r.rowNumber > cur!.checkpoint)
    const good = batch.good.filter((g) => g.row.rowNumber > cur!.checkpoint)
    const byCode = await campaignIdsByCode(
      ctx,
      good.map((g) => g.lead.campaignCode).filter((c): c is string => !!c),
    )
    const results = await runFactory(
      ctx,
      {
        channelId: imp.channelId,
        campaignId: imp.campaignId,
        importId: imp.id,
        unitId: imp.unitId,
        orgId: imp.orgId,
        source,
        phoneRegion: batch.phoneRegion,
      },
      good.map(({ lead: m, normalized }) => ({
        lead: m.lead,
        normalized,
        custom: m.custom,
        campaignId: m.campaignCode ? (byCode.get(m.campaignCode) ?? imp.campaignId) : imp.campaignId,
      })),
    )
    const errors = [
      ...fresh
        .filter((r) => batch.refused.has(r.rowNumber))
        .map((r) => ({ row: r, reasons: batch.refused.get(r.rowNumber)! })),
      ...results
        .map((res, i) => ({ row: good[i]!.row, res }))
        .filter(({ res }) => res.outcome === 'invalid')
        .map(({ row, res }) => ({ row, reasons: res.issues })),
    ]
    await saveImportErrors(ctx, imp, errors)
    const c = countOutcomes(results)
    const skipped = fresh.filter((r) => batch.skipped.has(r.rowNumber)).length
    const add: JobCounts = {
      rows: fresh.length,
      created: c.created + c.overwritten,
      merged: c.merged,
      duplicate: c.duplicate,
      review: c.review,
      invalid: c.invalid + (fresh.length - good.length - skipped),
      skipped,
    }
    await advanceImport(tx, imp, last, add)
    return add
  })
}

registerJob({
  type: 'intake.import',
  async run(job, tools) {
    const { importId } = job.payload as { importId: string }
    const db = tools.db
    let imp = await load(db, job.tenantId!, importId)
    await db
      .update(imports)
      .set({ status: 'running' })
      .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
    const actor = await importActor(db, imp)
    const [channel] = imp.channelId
      ? await db
          .select({ name: channels.name })
          .from(channels)
          .where(and(eq(channels.tenantId, imp.tenantId), eq(channels.id, imp.channelId)))
      : []
    // Leads imported without a channel say so in the workspace's language.
    const source = channel?.name ?? translate('lead_source_import', await workspaceLocale(db, imp.tenantId))
    // Read once for the whole job (a resumed job reads the setting as it is then).
    const phoneRegion = await workspacePhoneRegion(db, imp.tenantId)
    const file = await materialiseFile(db, imp.tenantId, imp.id, imp.fileName)
    try {
      const table = await openTable(file.path, {
        fileName: imp.fileName,
        sheet: imp.sheet ?? undefined,
        // The encoding the upload detected or the user chose: the job reads the file the same way.
        encoding: imp.format === 'csv' ? (imp.encoding ?? undefined) : undefined,
        maxBytes: Number.MAX_SAFE_INTEGER,
      })
      // Counted beside the import (progress says '?' until then), not before it: a second parse of the file.
      let stopCounting = false
      const counting =
        imp.totalRows == null
          ? (async () => {
              let total = 0
              for await (const _ of table.rows()) {
                if (stopCounting) return
                total++
              }
              await db
                .update(imports)
                .set({ totalRows: total })
                .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
              imp = { ...imp, totalRows: total }
            })()
          : null
      counting?.catch(() => {}) // awaited below
      const size = batchSize()
      const rows = table.rows(imp.checkpointRow)[Symbol.asyncIterator]()
      // Reads, maps and normalises the next batch while the current one is in the database (the
      // event loop is idle then). A worker thread for normalising gained nothing on 2 shared cores
      // (2026-12-01): it took its CPU from the factory and PostgreSQL.
      const read = async (): Promise<Prepared | null> => {
        const batch: Row[] = []
        while (batch.length < size) {
          const r = await rows.next()
          if (r.done) break
          batch.push(r.value)
        }
        if (!batch.length) return null
        return prepare(batch, imp.mapping, phoneRegion)
      }
      let next: Promise<Prepared | null> = read()
      // A large import outgrows the planner's idea of these tables (see statisticsKeeper).
      const statistics = statisticsKeeper(db, [
        'leads',
        'persons',
        'person_identities',
        'lead_intents',
        'review_items',
        'lead_merges',
      ])
      try {
        for (let cur = await next; cur; cur = await next) {
          next = read()
          next.catch(() => {}) // awaited on the next turn; not an unhandled rejection meanwhile
          await commitBatch(db, actor, imp, cur, source)
          await statistics.grew(cur.rows.length)
          const done = cur.rows[cur.rows.length - 1]!.rowNumber
          const doneRows = done - table.headerRow
          const pct = imp.totalRows ? Math.min(99, Math.floor((doneRows / imp.totalRows) * 100)) : 0
          await tools.progress(pct, `${doneRows} / ${imp.totalRows ?? '?'}`, { row: done })
          if (cur.rows.length >= size && (await tools.isCancelled())) {
            await counting
            await setStatus(db, imp, 'cancelled')
            return { cancelled: true }
          }
        }
        await counting
      } finally {
        // Stop reading ahead (and counting, after a failure) before the file goes.
        stopCounting = true
        await next.catch(() => null)
        await rows.return?.()
        await counting?.catch(() => null)
      }
      await setStatus(db, imp, 'completed')
      const final = await load(db, imp.tenantId, imp.id)
      await tools.progress(100, null)
      return final.counts
    } catch (err) {
      if (err instanceof FileError) {
        // The upload read the whole file, so this is a file changed since or read differently:
        // nothing half-imported stays. What the import wrote is undone, the checkpoint goes back to
        // the start, and the error is kept as its code and params (`import_malformed_csv {"row":…}`),
        // shown in the reader's language. Not retried: the file will not change.
        await revertImport({ db, actor: { ...actor, dataScope: 'all' }, locale: 'zh-CN' }, imp.id)
        const zero: JobCounts = {
          rows: 0,
          created: 0,
          merged: 0,
          duplicate: 0,
          review: 0,
          invalid: 0,
          skipped: 0,
        }
        await db
          .update(imports)
          .set({
            status: 'failed',
            error: storedFileError(err),
            checkpointRow: 0,
            counts: zero,
            finishedAt: new Date(),
            version: sql`${imports.version} + 1`,
          })
          .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
        return { failed: `import_${err.code}`, params: err.params }
      }
      await db
        .update(imports)
        .set({ status: 'failed', error: err instanceof Error ? err.message : String(err) })
        .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
      throw err
    } finally {
      await file.cleanup()
    }
  },
})

/** A file problem as stored in imports.error: `import_<code> {params}`, translated when shown (fileErrorText). */
export function storedFileError(err: FileError): string {
  return `import_${err.code} ${JSON.stringify(err.params ?? {})}`
}

export async function setStatus(db: Db, imp: ImportRow, status: ImportRow['status']) {
  await db
    .update(imports)
    .set({ status, finishedAt: new Date(), version: sql`${imports.version} + 1` })
    .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
}

registerJob({
  type: 'intake.import_undo',
  async run(job, tools) {
    const { importId } = job.payload as { importId: string }
    const imp = await load(tools.db, job.tenantId!, importId)
    const actor = await importActor(tools.db, imp)
    return revertImport({ db: tools.db, actor: { ...actor, dataScope: 'all' }, locale: 'zh-CN' }, importId)
  },
})

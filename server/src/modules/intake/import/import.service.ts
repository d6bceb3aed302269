import { and, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import { newId } from '../../../platform/db/columns.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, notFound, validationFailed } from '../../../platform/http/errors.js'
import { enqueue } from '../../../platform/jobs/queue.js'
import { orgUnits } from '../../../platform/org/schema.js'
import { assertUnitsVisible } from '../../../platform/org/units.service.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { campaignsRepo } from '../../campaigns/service.js'
import { sqlArray } from '../../quality/bulk.js'
import { normalizeLead } from '../../quality/normalize/index.js'
import { channelsRepo, MAPPING_TARGETS } from '../channels.service.js'
import { importMappings, imports } from '../schema.js'
import { type EncodingName, FileError, type MappingTarget, openTable, suggestMapping } from './file/index.js'
import { reasonMessage } from './reasons.js'
import { storeFile } from './storage.js'

export const importsRepo = createRepository({
  table: imports,
  objectType: 'import',
  scope: { owner: imports.createdBy, unit: imports.unitId, org: imports.orgId },
  recycle: false,
  label: (r) => String(r.fileName),
})

export type ImportRow = typeof imports.$inferSelect
/** Column index (as a string) → target field. */
export type ImportMapping = Record<string, string>

/** A file problem as a 400 naming the file (and row/column when known). */
export function fileProblem(err: unknown): never {
  if (err instanceof FileError)
    throw new AppError(err.code === 'file_too_large' ? 413 : 400, `import_${err.code}`, err.params ?? {})
  throw err
}

/** Targets an import column can map to: the lead standard plus the workspace's lead custom fields. */
export async function importTargets(ctx: Ctx) {
  const defs = await loadDefinitions(ctx, 'lead')
  return [
    ...MAPPING_TARGETS.map((key) => ({ key, labels: [] as string[] })),
    ...defs.map((d) => ({
      key: `custom.${d.key}`,
      labels: [d.label, d.key],
    })),
  ]
}

export function checkMapping(mapping: ImportMapping, headers: string[], targets: { key: string }[]) {
  const known = new Set(targets.map((t) => t.key))
  const used = new Map<string, string>()
  const errors: { field: string; code: string }[] = []
  for (const [col, target] of Object.entries(mapping)) {
    const n = Number(col)
    if (!Number.isInteger(n) || n < 0 || n >= headers.length)
      errors.push({ field: `mapping.${col}`, code: 'invalid_option' })
    else if (!known.has(target)) errors.push({ field: `mapping.${col}`, code: 'invalid_option' })
    else if (used.has(target)) errors.push({ field: `mapping.${col}`, code: 'not_unique' })
    used.set(target, col)
  }
  if (
    !Object.values(mapping).some((t) =>
      ['name', 'mobile', 'phone', 'email', 'company', 'openid', 'unionid', 'externalId'].includes(t),
    )
  )
    errors.push({ field: 'mapping', code: 'required' })
  if (errors.length) throw validationFailed(errors)
}

/** One file row → what the data factory takes. */
export function mapRow(cells: string[], mapping: ImportMapping) {
  const lead: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  let campaignCode: string | null = null
  for (const [col, target] of Object.entries(mapping)) {
    const v = cells[Number(col)]
    if (v === undefined || v === '') continue
    if (target.startsWith('custom.')) custom[target.slice(7)] = v
    else if (target === 'campaignCode') campaignCode = v.trim()
    else lead[target] = v
  }
  return { lead, custom, campaignCode }
}

/** First cells of a totals row under the data (合计 / 总计 / 小计 / Total…), compared without case or a trailing colon. */
const TOTALS = new Set([
  '合计',
  '总计',
  '小计',
  '合計',
  '總計',
  '小計',
  'total',
  'totals',
  'subtotal',
  'grandtotal',
  'sum',
])
/** The fields whose value makes a row a lead, whatever its first cell says. */
const CONTACT_FIELDS = new Set(['mobile', 'phone', 'email', 'company'])

/**
 * A footer totals row (first non-empty cell 合计 / 总计 / 小计 / Total, the rest numbers or empty):
 * not a lead. Only when no mapped mobile, phone, email or company cell has a value — a company
 * really called 小计 with a phone number is still imported.
 */
export function isTotalsRow(cells: string[], mapping: ImportMapping): boolean {
  const first = cells.find((c) => c.trim() !== '')
  if (first === undefined) return false
  const word = first
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s:：]/g, '')
  if (!TOTALS.has(word)) return false
  return !Object.entries(mapping).some(
    ([col, target]) => CONTACT_FIELDS.has(target) && (cells[Number(col)] ?? '').trim() !== '',
  )
}

/**
 * Takes an uploaded file: reads its header (encoding and format detected), stores it in the
 * database for the job, and suggests a column mapping. Nothing is imported yet. Other importers
 * (orders) pass their `target` and mapping `targets`; the default is the lead import.
 */
export async function createImport(
  ctx: Ctx,
  file: { path: string; fileName: string; size: number },
  opts: {
    unitId?: string
    sheet?: string
    /** The CSV's encoding as the user chose it; detected when absent. */
    encoding?: EncodingName
    maxBytes: number
    target?: ImportRow['target']
    targets?: MappingTarget[]
  },
) {
  const table = await openTable(file.path, {
    fileName: file.fileName,
    sheet: opts.sheet,
    encoding: opts.encoding,
    maxBytes: opts.maxBytes,
  }).catch(fileProblem)
  // The whole file is read once here, not only the sample: broken quoting or binary content at row
  // 100,000 is a 400 now, before anything is stored or imported (not a half-done job later), and
  // the row count gives the job's progress its total from the start.
  const sample: { rowNumber: number; cells: string[] }[] = []
  let totalRows = 0
  try {
    for await (const row of table.rows()) {
      if (sample.length < 20) sample.push({ rowNumber: row.rowNumber, cells: row.cells })
      totalRows++
    }
  } catch (err) {
    fileProblem(err)
  }
  const targets = opts.targets ?? (await importTargets(ctx))
  const suggestions = suggestMapping(table.headers, targets)
  return inTransaction(ctx, async (tx) => {
    const unitId = opts.unitId ?? tx.actor.unitId
    if (!unitId) throw validationFailed([{ field: 'unitId', code: 'required' }])
    await assertUnitsVisible(tx, [unitId], 'unitId')
    const [unit] = await tx.db
      .select({ orgId: orgUnits.orgId })
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, tx.actor.tenantId), eq(orgUnits.id, unitId)))
    const id = newId()
    const [row] = await importsRepo.insert(tx, [
      {
        id,
        fileName: file.fileName,
        target: opts.target ?? 'lead',
        format: table.format,
        encoding: table.encoding ?? null,
        sheet: table.sheet ?? null,
        sizeBytes: file.size,
        headers: table.headers,
        totalRows,
        unitId,
        orgId: unit!.orgId,
        createdBy: tx.actor.type === 'user' ? tx.actor.id : null,
      },
    ])
    await storeFile(tx.db, tx.actor.tenantId, id, file.path)
    return {
      import: row as ImportRow,
      suggestions,
      sample,
      sheets: table.sheets ?? [],
      headerRow: table.headerRow,
    }
  })
}

/** A lead import the caller may see, or 404: order imports share the table but not the lead routes. */
export async function leadImport(
  ctx: Ctx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<ImportRow> {
  const imp = (await importsRepo.get(ctx, id, { raw: true, ...opts })) as ImportRow
  if (imp.target !== 'lead') throw notFound()
  return imp
}

/** The first rows as they would go in: normalised values and each cell's problems, before running. */
export async function previewImport(
  ctx: Ctx,
  id: string,
  mapping: ImportMapping,
  sample: { rowNumber: number; cells: string[] }[],
) {
  const imp = await leadImport(ctx, id)
  const targets = await importTargets(ctx)
  checkMapping(mapping, imp.headers, targets)
  const columnOf = new Map(Object.entries(mapping).map(([col, t]) => [t, Number(col)]))
  // Phones read as the import job will read them: in the workspace's phone region.
  const phoneRegion = await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
  return sample.map((row) => {
    // A totals row under the data is skipped by the import, and the preview says so.
    if (isTotalsRow(row.cells, mapping))
      return {
        rowNumber: row.rowNumber,
        values: {},
        issues: [
          {
            field: 'row',
            code: 'totals_row',
            column: null,
            message: reasonMessage('totals_row', ctx.locale),
          },
        ],
      }
    const { lead } = mapRow(row.cells, mapping)
    const n = normalizeLead(lead, phoneRegion)
    return {
      rowNumber: row.rowNumber,
      values: Object.fromEntries(
        Object.keys(lead).map((k) => [k, (n as unknown as Record<string, unknown>)[k] ?? null]),
      ),
      issues: n.issues.map((i) => ({
        field: i.field as string,
        code: i.code,
        column: columnOf.get(i.field as string) ?? null,
        message: reasonMessage(i.code, ctx.locale),
      })),
    }
  })
}

/**
 * A channel or campaign named in the body must be one of the workspace's that the caller can see
 * (through the scoped repositories); another workspace's id is a 400 naming the field, as for
 * every foreign id in a body.
 */
async function checkReferences(ctx: Ctx, input: { channelId?: string | null; campaignId?: string | null }) {
  const errors: { field: string; code: string }[] = []
  if (input.channelId && !(await channelsRepo.findMany(ctx, [input.channelId], { raw: true })).length)
    errors.push({ field: 'channelId', code: 'invalid_option' })
  if (input.campaignId && !(await campaignsRepo.findMany(ctx, [input.campaignId], { raw: true })).length)
    errors.push({ field: 'campaignId', code: 'invalid_option' })
  if (errors.length) throw validationFailed(errors)
}

/** Starts (or restarts after a failure) the import job with a mapping; optionally saves the mapping by name. */
export async function startImport(
  ctx: Ctx,
  id: string,
  input: {
    mapping: ImportMapping
    channelId?: string | null
    campaignId?: string | null
    saveMappingAs?: string | null
  },
) {
  return inTransaction(ctx, async (tx) => {
    const imp = await leadImport(tx, id, { forUpdate: true })
    if (!['uploaded', 'failed', 'cancelled'].includes(imp.status))
      throw new AppError(409, 'import_already_started', { status: imp.status })
    checkMapping(input.mapping, imp.headers, await importTargets(tx))
    await checkReferences(tx, input)
    if (input.saveMappingAs) {
      const byHeader = Object.fromEntries(
        Object.entries(input.mapping).map(([col, t]) => [imp.headers[Number(col)]!, t]),
      )
      await tx.db
        .insert(importMappings)
        .values({
          tenantId: tx.actor.tenantId,
          name: input.saveMappingAs,
          mapping: byHeader,
          createdBy: tx.actor.id,
        })
        .onConflictDoUpdate({
          target: [importMappings.tenantId, importMappings.name],
          set: { mapping: byHeader },
        })
    }
    const [job] = await enqueue(tx, {
      type: 'intake.import',
      tenantId: tx.actor.tenantId,
      payload: { importId: id },
      maxAttempts: 3,
    })
    return importsRepo.update(tx, id, {
      mapping: input.mapping,
      channelId: input.channelId ?? imp.channelId,
      campaignId: input.campaignId ?? imp.campaignId,
      status: 'queued',
      error: null,
      jobId: job!.id,
    })
  })
}

/** Queues the undo: what the import created goes, what it merged is put back as it was. */
export async function undoImport(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const imp = await leadImport(tx, id, { forUpdate: true })
    if (!['completed', 'failed', 'cancelled'].includes(imp.status))
      throw new AppError(409, 'import_not_finished', { status: imp.status })
    const [job] = await enqueue(tx, {
      type: 'intake.import_undo',
      tenantId: tx.actor.tenantId,
      payload: { importId: id },
    })
    return importsRepo.update(tx, id, { status: 'undoing', jobId: job!.id })
  })
}

/** Reverts an import in one transaction: merges restored newest-first, created leads removed. */
export async function revertImport(ctx: Ctx, id: string): Promise<{ removed: number; restored: number }> {
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    const merges = await tx.db.execute<{
      id: string
      target_lead_id: string
      before: Record<string, unknown>
    }>(sql`
      select id, target_lead_id, before from lead_merges
      where tenant_id = ${t} and import_id = ${id} and undone_at is null order by merged_at desc, id desc`)
    for (const m of merges.rows) {
      const b = m.before
      await tx.db.execute(sql`
        update leads set name = ${b.name ?? null}, mobile = ${b.mobile ?? null}, phone = ${b.phone ?? null},
          email = ${b.email ?? null}, company = ${b.company ?? null}, title = ${b.title ?? null},
          credit_code = ${b.credit_code ?? null}, address = ${b.address ?? null}, region_code = ${b.region_code ?? null},
          notes = ${b.notes ?? null}, custom = ${JSON.stringify(b.custom ?? {})}::jsonb, status = ${b.status ?? 'new'},
          intent_count = ${Number(b.intent_count ?? 1)}, last_intent_at = ${b.last_intent_at ?? null}::timestamptz,
          last_campaign_id = ${b.last_campaign_id ?? null}::uuid, name_key = ${b.name_key ?? null},
          company_key = ${b.company_key ?? null}, pinyin_full = ${b.pinyin_full ?? null},
          pinyin_initials = ${b.pinyin_initials ?? null}, updated_at = now(), version = version + 1
        where tenant_id = ${t} and id = ${m.target_lead_id} and import_id is distinct from ${id}`)
    }
    await tx.db.execute(
      sql`update lead_merges set undone_at = now() where tenant_id = ${t} and import_id = ${id} and undone_at is null`,
    )
    await tx.db.execute(sql`delete from review_items where tenant_id = ${t} and lead_id in
      (select id from leads where tenant_id = ${t} and import_id = ${id})`)
    const touched = await tx.db.execute<{ person_id: string }>(sql`
      select distinct person_id from lead_intents where tenant_id = ${t} and import_id = ${id} and person_id is not null`)
    const removed = await tx.db.execute(sql`delete from leads where tenant_id = ${t} and import_id = ${id}`)
    await tx.db.execute(sql`delete from lead_intents where tenant_id = ${t} and import_id = ${id}`)
    // People of this import who now have neither a lead nor a behaviour event existed only for it.
    await tx.db.execute(sql`delete from persons p where p.tenant_id = ${t}
      and p.id = any(${sqlArray(
        touched.rows.map((r) => r.person_id),
        'uuid',
      )})
      and not exists (select 1 from leads l where l.tenant_id = ${t} and l.person_id = p.id)
      and not exists (select 1 from behaviour_events e where e.tenant_id = ${t} and e.person_id = p.id)`)
    await tx.db.execute(sql`delete from import_errors where tenant_id = ${t} and import_id = ${id}`)
    const result = { removed: removed.rowCount ?? 0, restored: merges.rows.length }
    await writeAudit(tx, [
      { action: 'undo', objectType: 'import', objectId: id, summary: `undo import`, after: result },
    ])
    await tx.db
      .update(imports)
      .set({ status: 'undone', finishedAt: new Date(), version: sql`${imports.version} + 1` })
      .where(and(eq(imports.tenantId, t), eq(imports.id, id)))
    return result
  })
}

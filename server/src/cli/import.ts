import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { and, eq, isNull } from 'drizzle-orm'
import { importErrorText } from '../modules/intake/import/import.routes.js'
import { createImport, importsRepo, startImport } from '../modules/intake/import/import.service.js'
import { importMappings } from '../modules/intake/schema.js'
import type { Ctx } from '../platform/access/actor.js'
import { loadConfig } from '../platform/config.js'
import type { Database } from '../platform/db/index.js'
import { inTransaction } from '../platform/db/tx.js'
import { AppError } from '../platform/http/errors.js'
import { drainJobs } from '../platform/jobs/queue.js'
import { jobs } from '../platform/jobs/schema.js'
import { orgUnits } from '../platform/org/schema.js'
import { CliError } from './errors.js'
import { t } from './messages.js'

/** A text progress bar on stderr (only when it is a terminal). */
function bar(done: number, total: number | null): string {
  const pct = total ? Math.min(1, done / total) : 0
  const width = 30
  const full = Math.round(pct * width)
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(pct * 100).toFixed(0)}% ${done}/${total ?? '?'}`
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Runs the import's job here until it ends. Only that job: other queued work is the server's. When
 * another process holds it (a server on the same PostgreSQL) or it waits to be retried, this waits.
 */
async function runToEnd(d: Database, jobId: string): Promise<void> {
  for (;;) {
    await drainJobs(d.db, { jobIds: [jobId] })
    const [job] = await d.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId))
    if (!job || !['queued', 'running'].includes(job.status)) return
    await sleep(500)
  }
}

/**
 * `haina import FILE`: the same path as the web wizard — upload, automatic mapping (or a saved one),
 * then the resumable job, run in this process with a progress bar. Upload and start are one
 * transaction: a file that cannot be mapped leaves nothing behind. Returns the report's lines;
 * throws when the import did not complete.
 */
export async function importFile(
  ctx: Ctx,
  d: Database,
  path: string,
  opts: { unitCode?: string; sheet?: string; mappingName?: string },
): Promise<string[]> {
  const tenant = eq(orgUnits.tenantId, ctx.actor.tenantId)
  const [unit] = await d.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(and(tenant, opts.unitCode ? eq(orgUnits.code, opts.unitCode) : isNull(orgUnits.parentId)))
  if (!unit) throw new CliError('cli_no_unit', { unit: opts.unitCode })
  const [saved] = opts.mappingName
    ? await d.db
        .select()
        .from(importMappings)
        .where(
          and(eq(importMappings.tenantId, ctx.actor.tenantId), eq(importMappings.name, opts.mappingName)),
        )
    : []
  if (opts.mappingName && !saved) throw new CliError('cli_no_mapping', { mapping: opts.mappingName })

  const started = await inTransaction(ctx, async (tx) => {
    const made = await createImport(
      tx,
      { path, fileName: basename(path), size: statSync(path).size },
      { unitId: unit.id, sheet: opts.sheet, maxBytes: loadConfig().importMaxBytes },
    )
    const mapping: Record<string, string> = saved
      ? Object.fromEntries(
          made.import.headers.flatMap((h, i) => (saved.mapping[h] ? [[String(i), saved.mapping[h]!]] : [])),
        )
      : Object.fromEntries(made.suggestions.filter((s) => s.target).map((s) => [String(s.column), s.target!]))
    for (const [col, target] of Object.entries(mapping))
      process.stderr.write(`  ${made.import.headers[Number(col)]} → ${target}\n`)
    return startImport(tx, made.import.id, { mapping }).catch((err) => {
      // No column maps to a field that identifies a lead: the web wizard would ask; here, say how.
      const unmapped = err instanceof AppError && err.fields.some((f) => f.field === 'mapping')
      throw unmapped ? new CliError('cli_import_unmapped', { headers: made.import.headers.join(', ') }) : err
    })
  })
  const id = String(started.id)

  const tty = process.stderr.isTTY
  const timer = setInterval(async () => {
    const imp = await importsRepo.get(ctx, id, { raw: true }).catch(() => null)
    if (imp && tty)
      process.stderr.write(`\r${bar(Number(imp.checkpointRow) - 1, imp.totalRows as number | null)}`)
  }, 500)
  try {
    await runToEnd(d, String(started.jobId))
  } finally {
    clearInterval(timer)
    if (tty) process.stderr.write('\n')
  }
  const imp = await importsRepo.get(ctx, id, { raw: true })
  if (imp.status !== 'completed')
    throw new CliError('cli_import_failed', {
      id,
      status: imp.status,
      error: importErrorText(imp.error as string | null, ctx.locale) ?? '',
    })
  const c = imp.counts as Record<string, number>
  return [t('cli_import_report', { id, ...c }), ...(c.invalid ? [t('cli_import_errors', { id })] : [])]
}

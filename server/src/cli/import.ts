import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { and, eq, isNull } from 'drizzle-orm'
import { createImport, importsRepo, startImport } from '../modules/intake/import/import.service.js'
import { importMappings } from '../modules/intake/schema.js'
import type { Ctx } from '../platform/access/actor.js'
import { loadConfig } from '../platform/config.js'
import type { Database } from '../platform/db/index.js'
import { drainJobs } from '../platform/jobs/queue.js'
import { orgUnits } from '../platform/org/schema.js'
import { CliError } from './errors.js'

/** A text progress bar on stderr (only when it is a terminal). */
function bar(done: number, total: number | null): string {
  const pct = total ? Math.min(1, done / total) : 0
  const width = 30
  const full = Math.round(pct * width)
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(pct * 100).toFixed(0)}% ${done}/${total ?? '?'}`
}

/**
 * `haina import FILE`: the same path as the web wizard — upload, automatic mapping (or a saved one),
 * then the resumable job, run in this process with a progress bar; prints the result report.
 */
export async function importFile(
  ctx: Ctx,
  d: Database,
  path: string,
  opts: { unitCode?: string; sheet?: string; mappingName?: string },
): Promise<string> {
  const t = ctx.actor.tenantId
  const [unit] = await d.db
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(
      and(
        eq(orgUnits.tenantId, t),
        opts.unitCode ? eq(orgUnits.code, opts.unitCode) : isNull(orgUnits.parentId),
      ),
    )
  if (!unit) throw new CliError(`No unit with code "${opts.unitCode}"`)
  const made = await createImport(
    ctx,
    { path, fileName: basename(path), size: statSync(path).size },
    { unitId: unit.id, sheet: opts.sheet, maxBytes: loadConfig().importMaxBytes },
  )
  let mapping: Record<string, string>
  if (opts.mappingName) {
    const [saved] = await d.db
      .select()
      .from(importMappings)
      .where(and(eq(importMappings.tenantId, t), eq(importMappings.name, opts.mappingName)))
    if (!saved) throw new CliError(`No saved mapping "${opts.mappingName}"`)
    mapping = Object.fromEntries(
      made.import.headers.flatMap((h, i) => (saved.mapping[h] ? [[String(i), saved.mapping[h]!]] : [])),
    )
  } else
    mapping = Object.fromEntries(
      made.suggestions.filter((s) => s.target).map((s) => [String(s.column), s.target!]),
    )
  for (const [col, target] of Object.entries(mapping))
    process.stderr.write(`  ${made.import.headers[Number(col)]} → ${target}\n`)
  await startImport(ctx, made.import.id, { mapping })
  const tty = process.stderr.isTTY
  const timer = setInterval(async () => {
    const imp = await importsRepo.get(ctx, made.import.id, { raw: true }).catch(() => null)
    if (imp && tty)
      process.stderr.write(`\r${bar(Number(imp.checkpointRow) - 1, imp.totalRows as number | null)}`)
  }, 500)
  try {
    await drainJobs(d.db)
  } finally {
    clearInterval(timer)
  }
  const imp = await importsRepo.get(ctx, made.import.id, { raw: true })
  if (tty) process.stderr.write('\n')
  const c = imp.counts as Record<string, number>
  return [
    `Import ${imp.id} ${imp.status}: ${c.rows} rows — created ${c.created}, merged ${c.merged}, duplicate ${c.duplicate}, review ${c.review}, invalid ${c.invalid}.`,
    c.invalid ? `Rows that did not go in: GET /api/v1/imports/${imp.id}/errors.csv` : '',
  ]
    .filter(Boolean)
    .join('\n')
}

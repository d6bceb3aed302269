import { statSync } from 'node:fs'
import { DEFAULT_SETTINGS } from '../../server/src/modules/quality/settings.service.js'
import '../../server/src/modules/intake/import/import.job.js'
import { createImport, startImport } from '../../server/src/modules/intake/import/import.service.js'
import { systemActor } from '../../server/src/platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../server/src/platform/access/permissions.js'
import { type Database, runMigrations } from '../../server/src/platform/db/index.js'
import { drainJobs } from '../../server/src/platform/jobs/queue.js'
import { createWorkspace } from '../../server/src/platform/tenancy/service.js'

/**
 * A fresh bench workspace that imports `file` (a CSV from intake-data) through the real import job:
 * upload, suggested mapping, the resumable job and the data factory. Invalid phones are refused (the
 * default keeps them flagged), so the generator's invalid rows count as invalid.
 */
export async function importIntakeFile(d: Database, slug: string, file: string) {
  await runMigrations(d.db)
  const ws = await createWorkspace(d.db, {
    name: 'Bench',
    slug,
    admin: { name: 'Admin', email: 'admin@bench.test', password: 'Passw0rd!2026' },
  })
  const t = ws.tenant.id
  const ctx = {
    db: d.db,
    actor: { ...systemActor(t, ALL_PERMISSIONS), unitId: ws.rootUnit.id },
    locale: 'zh-CN' as const,
  }
  await d.pool.query(`insert into quality_settings (tenant_id, value) values ($1, $2)`, [
    t,
    // The defaults, but invalid phone numbers are refused (the generator's ground truth expects it).
    JSON.stringify({
      ...DEFAULT_SETTINGS,
      validation: { ...DEFAULT_SETTINGS.validation, mobile: 'reject', phone: 'reject' },
    }),
  ])
  const t0 = performance.now()
  const made = await createImport(
    ctx,
    { path: file, fileName: 'bench.csv', size: statSync(file).size },
    { unitId: ws.rootUnit.id, maxBytes: Number.MAX_SAFE_INTEGER },
  )
  const mapping = Object.fromEntries(
    made.suggestions.filter((s) => s.target).map((s) => [String(s.column), s.target!]),
  )
  await startImport(ctx, made.import.id, { mapping })
  await drainJobs(d.db, { leaseMs: 600_000 })
  const seconds = (performance.now() - t0) / 1000
  const [imp] = (await d.pool.query('select status, counts from imports where id = $1', [made.import.id]))
    .rows
  if (imp.status !== 'completed') throw new Error(`import ${imp.status}`)
  return {
    tenantId: t,
    rootUnitId: ws.rootUnit.id,
    ctx,
    importId: made.import.id,
    seconds,
    counts: imp.counts,
  }
}

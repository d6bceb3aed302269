/**
 * Re-dedupe benchmark (issue #3, cleansing): imports N generated leads (bench/lib/intake-data) through
 * the real import, then adds a stricter merge rule ("a look-alike name at the same company is the
 * same person") before the defaults and times the re-dedupe job over the whole pool. Baseline in the same
 * run: a plain keyset scan that reads every lead the job reads, in the job's batch size. Prints one
 * JSON line.
 *   npm run bench -- rededupe --rows 30000
 *   DATABASE_URL=postgres://… npm run bench -- rededupe --rows 100000 --db postgres
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import '../server/src/modules/quality/rededupe.job.js'
import { saveDedupeRules } from '../server/src/modules/quality/rules.service.js'
import { DEFAULT_RULES } from '../server/src/modules/quality/settings.service.js'
import { drainJobs, enqueue } from '../server/src/platform/jobs/queue.js'
import { benchDatabase } from './lib/database.js'
import { importIntakeFile } from './lib/intake-import.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    rows: { type: 'string', default: '30000' },
  },
})
const N = Number(values.rows)
const log = (msg: string) => process.stderr.write(`[bench rededupe] ${msg}\n`)

const file = `bench/out/intake-${N}.csv`
if (!existsSync(file)) {
  log(`generating ${N} rows…`)
  const gen = spawnSync(
    process.execPath,
    [...process.execArgv, 'bench/intake.ts', '--rows', String(N), '--generate-only'],
    {
      stdio: 'inherit',
    },
  )
  if (gen.status !== 0) throw new Error(`generating the file failed (${gen.status})`)
}

const d = await benchDatabase(values.db, {
  pgName: `haina_bench_rededupe_${N}`,
  dir: `bench/out/rededupe-embedded-${N}`,
  poolSize: 4,
})
log('importing…')
const imported = await importIntakeFile(d, 'bench-rededupe', file)
log(`imported in ${imported.seconds.toFixed(1)} s: ${JSON.stringify(imported.counts)}`)
const t = imported.tenantId
const [{ leads }] = (
  await d.pool.query(
    'select count(*)::int as leads from leads where tenant_id = $1 and person_id is not null',
    [t],
  )
).rows

await saveDedupeRules(imported.ctx, [
  {
    name: '姓名相近且同一公司',
    enabled: true,
    conditions: [
      { field: 'name', match: 'fuzzy', threshold: 0.8 },
      { field: 'company', match: 'exact' },
    ],
    scope: { sameOrg: true },
    action: 'merge',
  },
  ...DEFAULT_RULES.map(({ id, priority, ...r }) => r),
])

log('baseline: keyset scan of the same leads…')
const s0 = performance.now()
let after = '00000000-0000-0000-0000-000000000000'
let scanned = 0
for (;;) {
  const { rows } = await d.pool.query(
    'select * from leads where tenant_id = $1 and person_id is not null and id > $2 order by id limit 500',
    [t, after],
  )
  if (!rows.length) break
  scanned += rows.length
  after = rows[rows.length - 1].id
}
const scanS = (performance.now() - s0) / 1000

log(`re-dedupe of ${leads} leads…`)
const r0 = performance.now()
const [job] = await enqueue(d.db, { type: 'quality.rededupe', tenantId: t })
await drainJobs(d.db, { leaseMs: 600_000 })
const rededupeS = (performance.now() - r0) / 1000
const [done] = (await d.pool.query('select status, result from jobs where id = $1', [job!.id])).rows
if (done.status !== 'succeeded') throw new Error(`re-dedupe ${done.status}`)

const leadsPerS = leads / rededupeS
const scanPerS = scanned / scanS
console.log(
  JSON.stringify({
    bench: 'rededupe',
    db: d.kind,
    rows: N,
    leads,
    leads_per_s: Math.round(leadsPerS),
    scan_leads_per_s: Math.round(scanPerS),
    ratio: Number((leadsPerS / scanPerS).toFixed(3)),
    seconds: Number(rededupeS.toFixed(1)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    result: done.result,
  }),
)
await d.close()

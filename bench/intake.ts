/**
 * Intake benchmark (issue #3): generates N messy leads with ground truth, imports the CSV end to end
 * (upload → mapping → resumable job → data factory), and COPYs the same rows into the same table as
 * the baseline, in the same run. Prints one JSON line with rows/s, the ratio, peak RSS and the
 * precision/recall of duplicate detection.
 *   npm run bench -- intake --rows 100000
 *   DATABASE_URL=postgres://… npm run bench -- intake --rows 1000000 --db postgres
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { from as copyFrom } from 'pg-copy-streams'
import { MIGRATIONS_DIR } from '../server/src/platform/db/index.js'
import { benchDatabase } from './lib/database.js'
import { generateIntake, toCsv } from './lib/intake-data.js'
import { importIntakeFile } from './lib/intake-import.js'
import { lookalikeRecall } from './lib/lookalikes.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    rows: { type: 'string', default: '100000' },
    'generate-only': { type: 'boolean', default: false },
  },
})
const N = Number(values.rows)
const log = (msg: string) => process.stderr.write(`[bench intake] ${msg}\n`)

const database = () =>
  benchDatabase(values.db, {
    pgName: `haina_bench_intake_${N}`,
    dir: `bench/out/intake-embedded-${N}`,
    poolSize: 4,
  })

mkdirSync('bench/out', { recursive: true })
const file = `bench/out/intake-${N}.csv`
if (values['generate-only']) {
  const data = generateIntake(N)
  writeFileSync(file, toCsv(data.header, data.rows))
  process.exit(0)
}
// The file is written by a child process and the rows are generated again (seeded: the same) after
// the import: a server does not hold the whole data set while it imports, so neither does the bench
// (its heap would slow every garbage collection of the import and count in its peak RSS).
log(`generating ${N} rows…`)
const gen = spawnSync(
  process.execPath,
  [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--generate-only'],
  {
    stdio: 'inherit',
  },
)
if (gen.status !== 0) throw new Error(`generating the file failed (${gen.status})`)

const d = await database()
log('importing…')
const imported = await importIntakeFile(d, 'bench-intake', file)
const t = imported.tenantId
const importS = imported.seconds
const importRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
log(`imported in ${importS.toFixed(1)} s: ${JSON.stringify(imported.counts)}`)

const data = generateIntake(N)
// Duplicate detection against the generator's truth: a row predicted duplicate (merged or duplicate)
// is right when the lead it went to was created by the same person.
const intents = (
  await d.pool.query(
    `select outcome, lead_id, payload->>'mobile' as mobile, payload->>'email' as email
     from lead_intents where tenant_id = $1 and import_id = $2 order by received_at, id`,
    [t, imported.importId],
  )
).rows as { outcome: string; lead_id: string | null; mobile: string | null; email: string | null }[]
const personOf = (i: { mobile: string | null; email: string | null }) =>
  (i.mobile ? data.personByMobile.get(i.mobile) : undefined) ??
  (i.email ? data.personByEmail.get(i.email) : undefined)
const creator = new Map<string, number | undefined>()
// A lead is created by a 'created', 'review' (kept beside a look-alike) or 'overwritten' intent.
for (const i of intents)
  if (['created', 'review', 'overwritten'].includes(i.outcome) && i.lead_id && !creator.has(i.lead_id))
    creator.set(i.lead_id, personOf(i))
let predicted = 0
let correct = 0
for (const i of intents)
  if ((i.outcome === 'merged' || i.outcome === 'duplicate') && i.lead_id) {
    predicted++
    const p = personOf(i)
    if (p !== undefined && creator.get(i.lead_id) === p) correct++
  }
const seen = new Set<number>()
let actual = 0
for (const p of data.truth) {
  if (p < 0) continue
  if (seen.has(p)) actual++
  else seen.add(p)
}

const lookalikes = await lookalikeRecall(d.pool, t, imported.importId)

log('baseline: COPY of the same rows…')
const copyColumns = 'tenant_id, id, name, mobile, email, company, title, notes, unit_id, org_id'
const tsv = data.rows
  .map(
    (r, i) =>
      `${[
        t,
        `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        imported.rootUnitId,
        imported.rootUnitId,
      ]
        .map((v) => (v === '' ? '\\N' : String(v).replace(/[\\\t\n\r]/g, ' ')))
        .join('\t')}\n`,
  )
  .join('')
let copyS: number
if (d.kind === 'postgres') {
  const client = await d.pool.connect()
  const c0 = performance.now()
  try {
    await pipeline(Readable.from([tsv]), client.query(copyFrom(`copy leads (${copyColumns}) from stdin`)))
  } finally {
    client.release()
  }
  copyS = (performance.now() - c0) / 1000
} else {
  // pglite-socket does not speak COPY FROM STDIN: the baseline runs PGlite's own COPY from a blob,
  // in-process on a database with the same migrations (foreign-key triggers off: an upper bound).
  const { PGlite } = await import('@electric-sql/pglite')
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm')
  const raw = await PGlite.create({ extensions: { pg_trgm } })
  for (const f of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    for (const stmt of readFileSync(join(MIGRATIONS_DIR, f), 'utf8').split('--> statement-breakpoint'))
      if (stmt.trim()) await raw.exec(stmt)
  await raw.exec('set session_replication_role = replica')
  const c0 = performance.now()
  await raw.query(`copy leads (${copyColumns}) from '/dev/blob'`, [], { blob: new Blob([tsv]) })
  copyS = (performance.now() - c0) / 1000
  await raw.close()
}

const rowsPerS = N / importS
const copyRowsPerS = N / copyS
console.log(
  JSON.stringify({
    bench: 'intake',
    db: d.kind,
    rows: N,
    rows_per_s: Math.round(rowsPerS),
    copy_rows_per_s: Math.round(copyRowsPerS),
    ratio: Number((rowsPerS / copyRowsPerS).toFixed(2)),
    peak_rss_mb: importRssMb,
    peak_rss_mb_with_baseline: Math.round(process.resourceUsage().maxRSS / 1024),
    precision: Number((predicted ? correct / predicted : 1).toFixed(4)),
    recall: Number((actual ? correct / actual : 1).toFixed(4)),
    lookalike_recall: Number(lookalikes.recall.toFixed(4)),
    lookalikes: lookalikes.expected,
    counts: imported.counts,
  }),
)
await d.close()

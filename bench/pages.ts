/**
 * Pages of a fresh demo: every GET route of a running server's OpenAPI document, opened as the demo
 * admin and as a demo salesperson, each `--runs` times one after another (no concurrency: the time a
 * person waits). Path ids are real records from the caller's own lists (bench/lib/route-fill.ts).
 * Baseline in the same run: `GET /api/health` (one `select 1`). Prints one JSON line; a table of the
 * slowest routes goes to stderr, every measurement to `--out` when given.
 *   npm run demo                                   (another shell; embedded, port 3000)
 *   npm run bench -- pages --url http://127.0.0.1:3000
 * Options: --runs N (5) --top N (15) --slow-ms N (500: p50 above it is reported) --out FILE.
 */
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { DEMO_LOGIN } from '../server/src/demo/seed.js'
import { type HttpSession, signIn } from './lib/http-session.js'
import { fillRoute, type OpenApi } from './lib/route-fill.js'

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    runs: { type: 'string', default: '5' },
    top: { type: 'string', default: '15' },
    'slow-ms': { type: 'string', default: '500' },
    out: { type: 'string' },
  },
})
const BASE = values.url!.replace(/\/$/, '')
const RUNS = Number(values.runs)
const SLOW_MS = Number(values['slow-ms'])
/** Any single call over this is reported too, whatever its median. */
const MAX_MS = 2000
const log = (msg: string) => process.stderr.write(`[bench pages] ${msg}\n`)

const health = (await (await fetch(`${BASE}/api/health`)).json()) as { database: string }
const admin = await signIn(BASE, 'admin', DEMO_LOGIN)
const sellerEmail = await demoSalesperson(admin)
const seller = await signIn(BASE, 'salesperson', { ...DEMO_LOGIN, email: sellerEmail })
const spec = (await admin.json('/api/openapi.json')) as OpenApi
const routes = Object.entries(spec.paths)
  .filter(([, item]) => item.get)
  .map(([route, item]) => ({ route, params: item.get!.parameters ?? [] }))
log(`${BASE} (${health.database}), ${routes.length} GET routes, admin + ${sellerEmail}, load ${load()}`)

/** The demo's first salesperson by email (salesperson.N@…), read from the users list as the admin. */
async function demoSalesperson(s: HttpSession) {
  const roles = ((await s.json('/api/v1/roles')) as { items: { id: string; key: string }[] }).items
  const roleId = roles.find((r) => r.key === 'salesperson')!.id
  const users = (
    (await s.json('/api/v1/users?limit=200')) as { items: { email: string; roleIds: string[] }[] }
  ).items
  const emails = users.filter((u) => u.roleIds.includes(roleId)).map((u) => u.email)
  emails.sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
  if (!emails.length) throw new Error('no salesperson in the workspace: is this the demo?')
  return emails[0]!
}

function load() {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')
}
const round = (x: number) => Math.round(x * 10) / 10
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

interface Result {
  route: string
  user: string
  url: string
  status: number
  bytes: number
  p50_ms: number
  max_ms: number
}
const results: Result[] = []
const skipped: { route: string; user: string; why: string }[] = []

async function measure(s: HttpSession, url: string) {
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await s.timed(url))
  const ms = runs.map((r) => r.ms)
  return {
    status: runs[0]!.status,
    bytes: runs[0]!.bytes,
    p50_ms: round(median(ms)),
    max_ms: round(Math.max(...ms)),
  }
}

const baseline = await measure(admin, '/api/health')
for (const s of [admin, seller]) {
  for (const { route, params } of routes) {
    const filled = await fillRoute(s, route, params)
    if ('skipped' in filled) {
      skipped.push({ route, user: s.label, why: filled.skipped })
      continue
    }
    for (const url of [filled.url, ...filled.variants])
      results.push({ route, user: s.label, url, ...(await measure(s, url)) })
  }
}

const slowest = [...results].sort((a, b) => b.p50_ms - a.p50_ms).slice(0, Number(values.top))
const over = results.filter((r) => r.p50_ms > SLOW_MS || r.max_ms > MAX_MS)
const failed = results.filter((r) => r.status >= 500)
log('slowest (p50 ms / max ms / status / bytes):')
for (const r of slowest)
  log(
    `  ${String(r.p50_ms).padStart(8)} ${String(r.max_ms).padStart(8)}  ${r.status}  ${r.bytes}\t${r.user}\t${r.url}`,
  )
for (const k of skipped) log(`  skipped ${k.user} ${k.route}: ${k.why}`)
const forbidden = results.filter((r) => r.status === 403)
for (const user of new Set(forbidden.map((r) => r.user)))
  log(`  ${user}: ${forbidden.filter((r) => r.user === user).length} routes answer 403 (not in their role)`)
for (const r of results.filter((r) => r.status !== 200 && r.status !== 403))
  log(`  status ${r.status} ${r.user} ${r.url}`)
if (values.out) writeFileSync(values.out, JSON.stringify({ results, skipped }, null, 1))

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
/** The route with the variant's query, ids shown as {id}. */
const brief = ({ route, url, user, p50_ms, max_ms, status }: Result) => ({
  route: route + (url.includes('?') ? url.slice(url.indexOf('?')).replace(UUID, '{id}') : ''),
  user,
  p50_ms,
  max_ms,
  status,
})
console.log(
  JSON.stringify({
    bench: 'pages',
    db: health.database,
    routes: routes.length,
    calls: results.length * RUNS,
    runs: RUNS,
    baseline_p50_ms: baseline.p50_ms,
    load: load(),
    slowest: slowest.map(brief),
    over_500ms: over.map(brief),
    errors_5xx: failed.map(brief),
    forbidden: forbidden.length,
    skipped: skipped.length,
  }),
)

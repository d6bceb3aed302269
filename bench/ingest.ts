/**
 * Ingest benchmark (issue #3), over HTTP with a channel key: batch ingest of leads (1,000 per call),
 * single-lead ingest latency under 10 connections (autocannon), and batched behaviour events — next
 * to a bare Fastify route in the same run. Prints one JSON line.
 *   npm run bench -- ingest                     embedded database
 *   DATABASE_URL=postgres://… npm run bench -- ingest --db postgres
 */
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { createChannel } from '../server/src/modules/intake/channels.service.js'
import { systemActor } from '../server/src/platform/access/actor.js'
import { ALL_PERMISSIONS } from '../server/src/platform/access/permissions.js'
import { loadConfig } from '../server/src/platform/config.js'
import { runMigrations } from '../server/src/platform/db/index.js'
import { createWorkspace } from '../server/src/platform/tenancy/service.js'
import { buildHaina } from '../server/src/server.js'
import { benchDatabase } from './lib/database.js'
import { generateIntake } from './lib/intake-data.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    batches: { type: 'string', default: '20' },
    duration: { type: 'string', default: '10' },
  },
})
const BATCHES = Number(values.batches)
const log = (msg: string) => process.stderr.write(`[bench ingest] ${msg}\n`)

const database = () =>
  benchDatabase(values.db, { pgName: 'haina_bench_ingest', dir: 'bench/out/ingest-embedded', poolSize: 10 })

const d = await database()
await runMigrations(d.db)
const ws = await createWorkspace(d.db, {
  name: 'Bench',
  slug: 'bench-ingest',
  admin: { name: 'Admin', email: 'admin@bench.test', password: 'Passw0rd!2026' },
})
const ctx = { db: d.db, actor: systemActor(ws.tenant.id, ALL_PERMISSIONS), locale: 'zh-CN' as const }
const { key } = await createChannel(ctx, { kind: 'app', name: 'App', code: 'app', unitId: ws.rootUnit.id })
const haina = await buildHaina({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', workers: false }, d)
await haina.app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(haina.app.server.address() as { port: number }).port}`
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }

const data = generateIntake(BATCHES * 1000 + 200_000, 7)
const record = (r: string[]) => ({ name: r[0], mobile: r[1], email: r[2], company: r[3], title: r[4] })

log(`batch ingest: ${BATCHES} × 1,000 leads…`)
const b0 = performance.now()
for (let b = 0; b < BATCHES; b++) {
  const res = await fetch(`${base}/api/v1/intake/leads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ records: data.rows.slice(b * 1000, (b + 1) * 1000).map(record) }),
  })
  if (res.status !== 200) throw new Error(`batch ${b}: ${res.status} ${await res.text()}`)
}
const batchLeadsPerS = (BATCHES * 1000) / ((performance.now() - b0) / 1000)

log('single-lead ingest, 10 connections…')
let next = BATCHES * 1000
const single = await new Promise<autocannon.Result>((resolve, reject) =>
  autocannon(
    {
      url: `${base}/api/v1/intake/leads`,
      connections: 10,
      duration: Number(values.duration),
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: JSON.stringify(record(data.rows[next++ % data.rows.length]!)),
          }),
        },
      ],
    } as Parameters<typeof autocannon>[0],
    (err, res) => (err ? reject(err) : resolve(res)),
  ),
)

log('events: 10 × 5,000…')
const e0 = performance.now()
const EVENTS = 10 * 5000
for (let b = 0; b < 10; b++) {
  const events = Array.from({ length: 5000 }, (_, i) => {
    const row = data.rows[(b * 5000 + i) % (BATCHES * 1000)]!
    return {
      type: ['view', 'favourite', 'add_to_cart', 'share'][i % 4],
      identity: row[1] ? { mobile: row[1] } : { deviceId: `dev-${b}-${i}` },
      properties: { page: `/p/${i % 300}` },
      eventKey: `e-${b}-${i}`,
    }
  })
  const res = await fetch(`${base}/api/v1/intake/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ events }),
  })
  if (res.status !== 200) throw new Error(`events ${b}: ${res.status} ${await res.text()}`)
}
const eventsPerS = EVENTS / ((performance.now() - e0) / 1000)

const bare = Fastify()
bare.post('/bare', async (req) => ({ results: [{ index: 0, outcome: 'created', echo: req.body }] }))
await bare.listen({ port: 0, host: '127.0.0.1' })
const bareRes = await new Promise<autocannon.Result>((resolve, reject) =>
  autocannon(
    {
      url: `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`,
      connections: 10,
      duration: Number(values.duration),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record(data.rows[0]!)),
    } as Parameters<typeof autocannon>[0],
    (err, res) => (err ? reject(err) : resolve(res)),
  ),
)

console.log(
  JSON.stringify({
    bench: 'ingest',
    db: d.kind,
    batch_leads_per_s: Math.round(batchLeadsPerS),
    single_rps: Math.round(single.requests.average),
    single_p50_ms: single.latency.p50,
    single_p99_ms: single.latency.p99,
    single_errors: single.errors + single.non2xx,
    events_per_s: Math.round(eventsPerS),
    bare_rps: Math.round(bareRes.requests.average),
  }),
)
await bare.close()
await haina.close()
await d.close()

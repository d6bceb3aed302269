import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { systemActor } from '../server/src/platform/access/actor.js'
import { ALL_PERMISSIONS } from '../server/src/platform/access/permissions.js'
import { createSession } from '../server/src/platform/auth/sessions.js'
import { loadConfig } from '../server/src/platform/config.js'
import { runMigrations } from '../server/src/platform/db/index.js'
import { createUnits } from '../server/src/platform/org/units.service.js'
import { createUsers } from '../server/src/platform/org/users.service.js'
import { createWorkspace, findWorkspaceBySlug } from '../server/src/platform/tenancy/service.js'
import { buildHaina } from '../server/src/server.js'
import { benchDatabase } from './lib/database.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    leads: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    /** Writes a CPU profile of the main thread during the scoped-list load to this file. */
    profile: { type: 'string' },
  },
})
const LEADS = Number(values.leads)
const DURATION = Number(values.duration)
const log = (msg: string) => process.stderr.write(`[bench http] ${msg}\n`)

const database = () =>
  benchDatabase(values.db, {
    pgName: `haina_bench_${LEADS}`,
    dir: `bench/out/http-embedded-${LEADS}`,
    poolSize: 10,
    reuse: true,
  })

/** A workspace with two departments, 100 salespeople and LEADS leads spread over them (set-based insert). */
async function seed(d: Awaited<ReturnType<typeof database>>) {
  let ws = await findWorkspaceBySlug(d.db, 'bench')
  if (!ws) {
    log(`seeding ${LEADS} leads…`)
    const t0 = performance.now()
    const made = await createWorkspace(d.db, {
      name: 'Bench',
      slug: 'bench',
      admin: { name: 'Admin', email: 'admin@bench.test', password: 'Passw0rd!' },
    })
    const ctx = { db: d.db, actor: systemActor(made.tenant.id, ALL_PERMISSIONS), locale: 'zh-CN' as const }
    const units = await createUnits(ctx, [
      { parentId: made.rootUnit.id, type: 'department', name: '销售一部' },
      { parentId: made.rootUnit.id, type: 'department', name: '销售二部' },
    ])
    const { rows: roleRows } = await d.pool.query(
      `select id from roles where tenant_id = $1 and key = 'salesperson'`,
      [made.tenant.id],
    )
    await createUsers(
      ctx,
      Array.from({ length: 100 }, (_, i) => ({
        email: `s${i}@bench.test`,
        name: `销售${i}`,
        unitId: String(units[i % 2]!.id),
        roleIds: [roleRows[0].id],
      })),
    )
    await d.pool.query(
      `insert into leads (tenant_id, id, name, mobile, company, source, status, owner_id, unit_id, org_id, custom, created_at)
       select $1, gen_random_uuid(), '客户' || g, '+86138' || lpad((g % 100000000)::text, 8, '0'), '公司' || (g % 5000),
              (array['公众号','小程序','官网表单','展会'])[1 + g % 4], 'assigned', u.id, u.unit_id, $2,
              jsonb_build_object('level', (array['A','B','C'])[1 + g % 3]), now() - (g || ' seconds')::interval
       from generate_series(1, $3::int) g
       join lateral (select id, unit_id from users where tenant_id = $1 and email = 's' || (g % 100) || '@bench.test') u on true`,
      [made.tenant.id, made.rootUnit.id, LEADS],
    )
    await d.pool.query('vacuum analyze leads')
    log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    ws = await findWorkspaceBySlug(d.db, 'bench')
  }
  const { rows } = await d.pool.query(
    `select id from users where tenant_id = $1 and email = 's1@bench.test'`,
    [ws!.id],
  )
  return { tenantId: ws!.id, userId: rows[0].id as string }
}

/**
 * autocannon's result plus the process CPU per request (user + system, µs; autocannon and, on
 * embedded, the PGlite worker included): steadier than req/s on a machine shared with other work.
 */
async function load(url: string, headers: Record<string, string> = {}) {
  const cpu0 = process.cpuUsage()
  const res = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ url, connections: 50, duration: DURATION, headers }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  )
  const cpu = process.cpuUsage(cpu0)
  return { res, cpuPerRequest: Math.round((cpu.user + cpu.system) / res.requests.total) }
}

const d = await database()
await runMigrations(d.db)
const who = await seed(d)
const haina = await buildHaina({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', workers: false }, d)
await haina.app.listen({ port: 0, host: '127.0.0.1' })
const port = (haina.app.server.address() as { port: number }).port
const session = await createSession(d.db, { tenantId: who.tenantId, userId: who.userId })
const cookie = `haina_sid=${who.tenantId}.${session.secret}`
const listUrl = `http://127.0.0.1:${port}/api/v1/leads?limit=20`
const check = await fetch(listUrl, { headers: { cookie } })
const body = (await check.json()) as { items: unknown[] }
if (check.status !== 200 || body.items.length !== 20) throw new Error(`list failed: ${check.status}`)

const bare = Fastify()
const sample = body.items
bare.get('/bare', async () => ({ items: sample, nextCursor: null }))
await bare.listen({ port: 0, host: '127.0.0.1' })
const barePort = (bare.server.address() as { port: number }).port

log('bare route…')
const { res: bareRes, cpuPerRequest: bareCpu } = await load(`http://127.0.0.1:${barePort}/bare`)
log('scoped list…')
const profiler = values.profile ? new Session() : null
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
const { res: listRes, cpuPerRequest: listCpu } = await load(listUrl, { cookie })
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop')
  writeFileSync(values.profile!, JSON.stringify(profile))
  profiler.disconnect()
}

log('event-loop lag during a GROUP BY over all leads…')
const lag = monitorEventLoopDelay({ resolution: 5 })
lag.enable()
const t0 = performance.now()
await d.pool.query('select owner_id, count(*), count(distinct company) from leads group by owner_id')
const aggregateMs = performance.now() - t0
lag.disable()

console.log(
  JSON.stringify({
    bench: 'http',
    db: d.kind,
    leads: LEADS,
    rps: Math.round(listRes.requests.average),
    p99_ms: listRes.latency.p99,
    bare_rps: Math.round(bareRes.requests.average),
    ratio: Number((listRes.requests.average / bareRes.requests.average).toFixed(2)),
    errors: listRes.errors + listRes.non2xx,
    cpu_us_per_req: listCpu,
    bare_cpu_us_per_req: bareCpu,
    aggregate_ms: Math.round(aggregateMs),
    loop_lag_p99_ms: Number((lag.percentile(99) / 1e6).toFixed(1)),
  }),
)
await bare.close()
await haina.close()
await d.close()

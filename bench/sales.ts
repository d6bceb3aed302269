/**
 * Sales benchmark (issue #5): a workspace with 100,000 customers (200,000 contacts), 300,000
 * opportunities and 1,000,000 orders (with lines and payments), ten teams of twenty salespeople
 * and a manager each (set-based seed, bench/lib/sales-data.ts). Measures through the real HTTP
 * routes, each beside the same work written by hand in SQL and served by a bare Fastify route in
 * the same process (interleaved samples, so both see the same moments of a shared machine):
 *   - a team's kanban: the team manager's GET /opportunities/board (p95);
 *   - the weighted forecast by month for the sales director (scope all; p95 and one cold run);
 *   - the customer 360 API for customers of the team, as the team manager (p95).
 * Prints one JSON line.
 *   npm run bench -- sales                                  embedded database, full size
 *   npm run bench -- sales --customers 10000 --opportunities 30000 --orders 100000   quicker
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- sales --db postgres
 *     (drops and creates the database haina_bench_sales_<N> on that server; --reuse keeps a seeded one)
 */
import { parseArgs } from 'node:util'
import Fastify from 'fastify'
import { createSession } from '../server/src/platform/auth/sessions.js'
import { SESSION_COOKIE, sessionCookieValue } from '../server/src/platform/auth/tokens.js'
import { loadConfig } from '../server/src/platform/config.js'
import { runMigrations } from '../server/src/platform/db/index.js'
import { buildHaina } from '../server/src/server.js'
import { benchDatabase } from './lib/database.js'
import { seedSales } from './lib/sales-data.js'
import { benchWorkspace } from './lib/workspace.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    customers: { type: 'string', default: '100000' },
    opportunities: { type: 'string', default: '300000' },
    orders: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '200' },
    reuse: { type: 'boolean', default: false },
  },
})
const N = {
  customers: Number(values.customers),
  opportunities: Number(values.opportunities),
  orders: Number(values.orders),
}
const SAMPLES = Number(values.samples)
const TEAMS = 10
const PER_TEAM = 20
const log = (msg: string) => process.stderr.write(`[bench sales] ${msg}\n`)
const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2))

const d = await benchDatabase(values.db, {
  pgName: `haina_bench_sales_${N.customers}`,
  dir: `bench/out/sales-embedded-${N.customers}`,
  poolSize: 10,
  reuse: values.reuse,
})
await runMigrations(d.db)
const q = (text: string, params: unknown[] = []) => d.pool.query(text, params)

// ---------------------------------------------------------------------------------------------
// Seed (or reuse): ten teams of twenty salespeople and a manager, a sales director at HQ.
const existing = values.reuse
  ? (await q(`select id from tenants where slug = 'bench-sales'`)).rows[0]
  : undefined
let tenantId: string
let root: string
let pipelineId: string
if (existing) {
  tenantId = existing.id
  root = (await q(`select id from org_units where tenant_id = $1 and parent_id is null`, [tenantId])).rows[0]
    .id
  pipelineId = (await q(`select id from pipelines where tenant_id = $1 and is_default`, [tenantId])).rows[0]
    .id
  log('reusing the seeded workspace')
} else {
  log(`seeding ${N.customers} customers, ${N.opportunities} opportunities, ${N.orders} orders…`)
  const tSeed = performance.now()
  const ws = await benchWorkspace(d, {
    name: 'Bench Sales',
    slug: 'bench-sales',
    teams: TEAMS,
    perTeam: PER_TEAM,
    managers: true,
    extraUsers: [{ email: 'director@bench.test', name: '销售总监', role: 'sales_director' }],
  })
  tenantId = ws.tenantId
  root = ws.rootUnitId
  pipelineId = (await seedSales(q, tenantId, root, N)).pipelineId
  for (const t of [
    'customers',
    'contacts',
    'opportunities',
    'orders',
    'order_lines',
    'order_payments',
    'follow_ups',
  ])
    await q(`vacuum analyze ${t}`)
  log(`seeded in ${seconds(tSeed)} s`)
}

const userId = async (email: string) =>
  (await q(`select id, unit_id from users where tenant_id = $1 and email = $2`, [tenantId, email]))
    .rows[0] as {
    id: string
    unit_id: string
  }
const manager = await userId('m1@bench.test')
const director = await userId('director@bench.test')
const teamPath = (
  await q(`select path from org_units where tenant_id = $1 and id = $2`, [tenantId, manager.unit_id])
).rows[0].path as string

const haina = await buildHaina({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', workers: false }, d)
await haina.app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(haina.app.server.address() as { port: number }).port}/api/v1`
const cookieOf = async (uid: string) => {
  const s = await createSession(d.db, { tenantId, userId: uid })
  return `${SESSION_COOKIE}=${sessionCookieValue(tenantId, s.secret)}`
}
const managerCookie = await cookieOf(manager.id)
const directorCookie = await cookieOf(director.id)

// ---------------------------------------------------------------------------------------------
// The same work by hand. Kanban: the team's open opportunities of the pipeline: per stage the
// count, amount and weighted amount, the 50 biggest (one LIMIT scan per stage), then those cards
// with customer and owner names by primary key.
const TEAM_UNITS = `select id from org_units where tenant_id = $1 and path like $3`
const KANBAN_TOTALS_SQL = `
  select stage_id, count(*)::int as n, sum(amount)::float8 as total,
    sum((amount * probability + 50) / 100)::float8 as weighted
  from opportunities
  where tenant_id = $1 and pipeline_id = $2 and status = 'open' and unit_id in (${TEAM_UNITS})
  group by stage_id`
const KANBAN_TOP_SQL = `
  select top.id, s.id as stage_id
  from pipeline_stages s
  cross join lateral (
    select o.id from opportunities o
    where o.tenant_id = $1 and o.pipeline_id = $2 and o.status = 'open' and o.stage_id = s.id
      and o.unit_id in (${TEAM_UNITS})
    order by o.amount desc, o.id desc limit 50
  ) top
  where s.tenant_id = $1 and s.pipeline_id = $2`
const KANBAN_CARDS_SQL = `
  select o.id, o.name, o.stage_id, o.customer_id, c.name as customer_name, o.owner_id, u.name as owner_name,
    o.amount, o.currency, o.probability, o.expected_close_date, o.meddic_score, o.stage_entered_at,
    o.next_follow_up_at, o.version
  from opportunities o
  left join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
  left join users u on u.tenant_id = o.tenant_id and u.id = o.owner_id
  where o.tenant_id = $1 and o.id = any($2::uuid[])`
const kanbanParams = [tenantId, pipelineId, `${teamPath}%`]
const kanbanSql = async () => {
  const totals = await q(KANBAN_TOTALS_SQL, kanbanParams)
  const top = await q(KANBAN_TOP_SQL, kanbanParams)
  const cards = await q(KANBAN_CARDS_SQL, [tenantId, top.rows.map((r) => r.id)])
  return { totals: totals.rows, cards: cards.rows }
}

// Forecast by month over this month and the five after it: open by expected close, won by close.
const FORECAST_SQL = `
  select key, sum(n)::int as count, sum(amount)::float8 as amount, sum(weighted)::float8 as weighted,
    sum(won_n)::int as won_count, sum(won_amount)::float8 as won_amount
  from (
    select date_trunc('month', expected_close_date)::date as key, count(*) as n, sum(amount) as amount,
      sum(round(amount * probability / 100.0)) as weighted, 0 as won_n, 0 as won_amount
    from opportunities
    where tenant_id = $1 and status = 'open' and expected_close_date between $2::date and $3::date
    group by 1
    union all
    select date_trunc('month', closed_at at time zone 'Asia/Shanghai')::date, 0, 0, 0, count(*), sum(amount)
    from opportunities
    where tenant_id = $1 and status = 'won' and closed_at >= $2::date and closed_at < $3::date + 1
    group by 1
  ) f group by key order by key`
const today = new Date()
const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))
const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 6, 0))
const forecastParams = [tenantId, first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)]

/** Customer 360 by hand: the same sections, one statement each, run side by side on the pool. */
const c360Sql = async (customerId: string) => {
  const t = tenantId
  const [customer, contacts, opps, quotes, recent, sums, followUps, tasks, audit] = await Promise.all([
    q(
      `select * from customers where tenant_id = $1 and id = $2 and unit_id in
         (select id from org_units where tenant_id = $1 and path like $3)`,
      [t, customerId, `${teamPath}%`],
    ),
    q(`select * from contacts where tenant_id = $1 and customer_id = $2 order by name`, [t, customerId]),
    q(
      `select o.*, s.name as stage_name from opportunities o join pipeline_stages s on s.tenant_id = o.tenant_id
         and s.id = o.stage_id where o.tenant_id = $1 and o.customer_id = $2 order by o.created_at desc limit 50`,
      [t, customerId],
    ),
    q(`select * from quotes where tenant_id = $1 and customer_id = $2 order by created_at desc limit 50`, [
      t,
      customerId,
    ]),
    q(`select * from orders where tenant_id = $1 and customer_id = $2 order by ordered_at desc limit 20`, [
      t,
      customerId,
    ]),
    q(
      `select count(*)::int n, coalesce(sum(total), 0)::float8 total, coalesce(sum(paid_total), 0)::float8 paid,
         coalesce(sum(total - paid_total + refunded_total) filter (where status not in ('cancelled', 'draft')), 0)::float8 balance
       from orders where tenant_id = $1 and customer_id = $2`,
      [t, customerId],
    ),
    q(
      `select * from follow_ups where tenant_id = $1 and subject_type = 'customer' and subject_id = $2
         order by occurred_at desc limit 50`,
      [t, customerId],
    ),
    q(
      `select * from tasks where tenant_id = $1 and subject_type = 'customer' and subject_id = $2 and status = 'open'
         order by start_at limit 20`,
      [t, customerId],
    ),
    q(`select * from audit_log where tenant_id = $1 and object_id = $2 order by at desc limit 50`, [
      t,
      customerId,
    ]),
  ])
  return {
    customer: customer.rows[0],
    contacts: contacts.rows,
    opps: opps.rows,
    quotes: quotes.rows,
    recent: recent.rows,
    sums: sums.rows[0],
    followUps: followUps.rows,
    tasks: tasks.rows,
    audit: audit.rows,
  }
}
const { rows: teamCustomers } = await q(
  `select id from customers where tenant_id = $1 and unit_id = $2 order by id limit 500`,
  [tenantId, manager.unit_id],
)
const customerIds = teamCustomers.map((r) => r.id as string)

// Bare routes: the same HTTP stack without authentication, scope, building, masking or schemas.
const bare = Fastify()
bare.get('/kanban', kanbanSql)
bare.get('/forecast', async () => (await q(FORECAST_SQL, forecastParams)).rows)
bare.get<{ Params: { id: string } }>('/c360/:id', async (req) => c360Sql(req.params.id))
await bare.listen({ port: 0, host: '127.0.0.1' })
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`

const get = async (url: string, cookie?: string) => {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${url} → ${res.status} ${body.slice(0, 300)}`)
  return body
}
const timeOf = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return Number(s[Math.ceil(s.length * 0.95) - 1]!.toFixed(2))
}

// Check that route and hand-written SQL agree before timing them.
const boardUrl = `${base}/opportunities/board?pipelineId=${pipelineId}`
const boardBody = JSON.parse(await get(boardUrl, managerCookie)) as {
  stages: { count: number; items: unknown[] }[]
}
const rawBoard = await kanbanSql()
const routeCards = boardBody.stages.reduce((s, st) => s + st.items.length, 0)
const routeOpen = boardBody.stages.reduce((s, st) => s + st.count, 0)
const rawOpen = rawBoard.totals.reduce((a, r) => a + Number(r.n), 0)
if (routeCards !== rawBoard.cards.length || routeOpen !== rawOpen)
  throw new Error(
    `kanban differs: route ${routeCards} cards / ${routeOpen} open, SQL ${rawBoard.cards.length} / ${rawOpen}`,
  )
log(`kanban: ${routeOpen} open opportunities of the team, ${routeCards} cards, the same both ways`)
const forecastUrl = `${base}/opportunities/forecast?groupBy=month&from=${forecastParams[1]}&to=${forecastParams[2]}`
const tCold = performance.now()
const forecastBody = JSON.parse(await get(forecastUrl, directorCookie)) as { rows: { count: number }[] }
const forecastColdMs = Number((performance.now() - tCold).toFixed(2))
const rawForecast = (await q(FORECAST_SQL, forecastParams)).rows
const routeCount = forecastBody.rows.reduce((s, r) => s + r.count, 0)
const rawCount = rawForecast.reduce((s, r) => s + Number(r.count), 0)
if (routeCount !== rawCount) throw new Error(`forecast differs: route ${routeCount} open, SQL ${rawCount}`)
log(`forecast: ${routeCount} open opportunities in the range, the same both ways (cold ${forecastColdMs} ms)`)

log(`${SAMPLES} samples each, interleaved (first 20 warm up)…`)
const m = {
  kanban: [] as number[],
  kanbanRaw: [] as number[],
  forecast: [] as number[],
  forecastRaw: [] as number[],
  c360: [] as number[],
  c360Raw: [] as number[],
}
for (let i = 0; i < SAMPLES + 20; i++) {
  const id = customerIds[i % customerIds.length]!
  const t = [
    await timeOf(() => get(boardUrl, managerCookie)),
    await timeOf(() => get(`${bareBase}/kanban`)),
    await timeOf(() => get(forecastUrl, directorCookie)),
    await timeOf(() => get(`${bareBase}/forecast`)),
    await timeOf(() => get(`${base}/customers/${id}/360`, managerCookie)),
    await timeOf(() => get(`${bareBase}/c360/${id}`)),
  ]
  if (i < 20) continue
  m.kanban.push(t[0]!)
  m.kanbanRaw.push(t[1]!)
  m.forecast.push(t[2]!)
  m.forecastRaw.push(t[3]!)
  m.c360.push(t[4]!)
  m.c360Raw.push(t[5]!)
}
await bare.close()
const plan = async (text: string, params: unknown[]) =>
  (await q(`explain (analyze, buffers) ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n')
log(`kanban top-cards SQL plan:\n${await plan(KANBAN_TOP_SQL, kanbanParams)}`)
log(`forecast SQL plan:\n${await plan(FORECAST_SQL, forecastParams)}`)

const r = {
  kanban: p95(m.kanban),
  kanbanRaw: p95(m.kanbanRaw),
  forecast: p95(m.forecast),
  forecastRaw: p95(m.forecastRaw),
  c360: p95(m.c360),
  c360Raw: p95(m.c360Raw),
}
const ratio = (a: number, b: number) => Number((a / b).toFixed(2))
console.log(
  JSON.stringify({
    bench: 'sales',
    db: d.kind,
    customers: N.customers,
    opportunities: N.opportunities,
    orders: N.orders,
    kanban_p95_ms: r.kanban,
    kanban_raw_sql_p95_ms: r.kanbanRaw,
    forecast_ms: r.forecast,
    forecast_cold_ms: forecastColdMs,
    forecast_raw_sql_ms: r.forecastRaw,
    c360_p95_ms: r.c360,
    c360_raw_sql_p95_ms: r.c360Raw,
    // Route time over hand-written SQL time behind a bare route, per measure and the worst of them.
    kanban_ratio: ratio(r.kanban, r.kanbanRaw),
    forecast_ratio: ratio(r.forecast, r.forecastRaw),
    c360_ratio: ratio(r.c360, r.c360Raw),
    raw_sql_ratio: Math.max(
      ratio(r.kanban, r.kanbanRaw),
      ratio(r.forecast, r.forecastRaw),
      ratio(r.c360, r.c360Raw),
    ),
  }),
)
await haina.close()
await d.close()

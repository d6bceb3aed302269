/**
 * Lead pools benchmark (issue #4): a workspace with N leads (default 1,000,000) across a master
 * pool, ten team sub-pools and a public pool, 200 salespeople (set-based seed). Measures
 *   - a salesperson's lead list with three filters and a sort through the real HTTP route, p95 of
 *     sequential requests, against the same hand-written SQL served by a bare Fastify route in the
 *     same process (raw_sql_p95_ms, ratio); also the SQL alone (sql_only_p95_ms) and the repository
 *     call without HTTP (repository_p95_ms);
 *   - the reclaim job over all leads (public-pool rules: no follow-up in 7 days, 14 for grade A,
 *     not converted in 60 days, a reminder a day before);
 *   - automatic assignment of 10,000 new leads by the sub-pools' rules (round robin, weighted,
 *     least loaded; working schedules respected).
 * Prints one JSON line. Every run starts from a fresh database (reclaim and assignment change it).
 *   npm run bench -- pools                      embedded database, 1,000,000 leads
 *   npm run bench -- pools --leads 50000        a quicker run
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- pools --db postgres
 *     (drops and creates the database haina_bench_pools_<N> on that server)
 */
import { parseArgs } from 'node:util'
import Fastify from 'fastify'
import { assignLeads } from '../server/src/modules/leads/assignment.service.js'
import { createPool, ensureMasterPool } from '../server/src/modules/leads/pools.service.js'
import { reclaimLeads } from '../server/src/modules/leads/reclaim.job.js'
import { createAssignmentRule } from '../server/src/modules/leads/routing-rules.service.js'
import { leads } from '../server/src/modules/leads/schema.js'
import { leadsRepo } from '../server/src/modules/leads/service.js'
import type { Ctx } from '../server/src/platform/access/actor.js'
import { loadUserActor } from '../server/src/platform/access/load-actor.js'
import { createSession } from '../server/src/platform/auth/sessions.js'
import { SESSION_COOKIE, sessionCookieValue } from '../server/src/platform/auth/tokens.js'
import { loadConfig } from '../server/src/platform/config.js'
import { runMigrations } from '../server/src/platform/db/index.js'
import { buildListQuery } from '../server/src/platform/http/list-query.js'
import { buildHaina } from '../server/src/server.js'
import { benchDatabase } from './lib/database.js'
import { benchWorkspace } from './lib/workspace.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    leads: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '300' },
    assign: { type: 'string', default: '10000' },
  },
})
const LEADS = Number(values.leads)
const SAMPLES = Number(values.samples)
const ASSIGN = Number(values.assign)
const TEAMS = 10
const PER_TEAM = 20
const log = (msg: string) => process.stderr.write(`[bench pools] ${msg}\n`)
const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2))

const database = () =>
  benchDatabase(values.db, {
    pgName: `haina_bench_pools_${LEADS}`,
    dir: `bench/out/pools-embedded-${LEADS}`,
    poolSize: 10,
  })

const d = await database()
await runMigrations(d.db)
const q = (text: string, params: unknown[] = []) => d.pool.query(text, params)

// ---------------------------------------------------------------------------------------------
// Seed: ten teams of twenty salespeople, their sub-pools, a public pool with reclaim rules.
log(`seeding ${LEADS} leads…`)
const tSeed = performance.now()
const {
  tenantId,
  rootUnitId: root,
  sys,
  teams,
  sellers: people,
} = await benchWorkspace(d, {
  name: 'Bench Pools',
  slug: 'bench-pools',
  teams: TEAMS,
  perTeam: PER_TEAM,
  unitType: 'department',
})
const master = await ensureMasterPool(sys)
const publicPool = await createPool(sys, {
  name: '公海',
  kind: 'public',
  unitId: root,
  settings: {
    dailyClaimLimit: 20,
    userHoldingCap: 5000,
    reclaimLockDays: 7,
    protectionHours: 0,
    hiddenFields: ['mobile', 'email'],
    reclaim: {
      enabled: true,
      noFollowUpDays: 7,
      noFollowUpDaysByGrade: { A: 14 },
      notConvertedDays: 60,
      remindDaysBefore: 1,
    },
  },
})
const subPools: string[] = []
for (const [i, team] of teams.entries())
  subPools.push(
    (
      await createPool(sys, {
        name: `销售${i + 1}部线索池`,
        kind: 'sub',
        unitId: team,
        reclaimPoolId: publicPool.id,
      })
    ).id,
  )
await q(
  `insert into lead_settings (tenant_id, default_public_pool_id) values ($1, $2)
   on conflict (tenant_id) do update set default_public_pool_id = excluded.default_public_pool_id`,
  [tenantId, publicPool.id],
)

/**
 * Leads, set-based. A tenth wait in the master pool, a tenth in the public pool; the rest sit in
 * their owner's team sub-pool: 30 % assigned (within the last 7.5 days, never followed up), 40 %
 * following, 15 % qualified (followed up within the last 7.5 days, assigned within 61), 5 %
 * converted, 10 % closed or invalid. So a few per cent are due for reclaim, as after an hour.
 */
await q(
  `with u as (
     select id, unit_id, (row_number() over (order by email) - 1)::int as k
     from users where tenant_id = $1 and email like 's%@bench.test'
   ), p as (
     select id, unit_id from lead_pools where tenant_id = $1 and kind = 'sub'
   )
   insert into leads (tenant_id, id, name, mobile, company, source, status, owner_id, unit_id, org_id,
     pool_id, pool_entered_at, grade, category, region_code, score, assigned_at, first_contact_at,
     last_follow_up_at, next_follow_up_at, status_changed_at, created_at, updated_at)
   select $1, gen_random_uuid(), '客户' || g, '+86138' || lpad((g % 100000000)::text, 8, '0'),
     '公司' || (g % 5000), (array['公众号','小程序','官网表单','展会'])[1 + g % 4],
     case when x.owned then x.st else 'new' end, u.id, coalesce(u.unit_id, $2::uuid), $2,
     case when x.owned then p.id when g % 10 = 0 then $3::uuid else $4::uuid end,
     coalesce(t.assigned, t.created), (array['A','B','C','D'])[1 + (g / 3) % 4],
     (array['SUV','轿车','新能源','商用车'])[1 + (g / 11) % 4],
     (array['310000','330000','320000','440000','110000','510000'])[1 + (g / 13) % 6],
     (g * 37) % 100, t.assigned, least(t.assigned + x.r2 * interval '48 hours', t.followed), t.followed,
     case when x.st = 'following' then t.followed + interval '3 days' end,
     coalesce(t.followed, t.assigned, t.created), t.created, coalesce(t.followed, t.assigned, t.created)
   from generate_series(1, $5::int) g
   cross join lateral (
     select g % 10 >= 2 as owned, (g / 10) % 200 as k,
       (array['assigned','assigned','assigned','assigned','assigned','assigned',
              'following','following','following','following','following','following','following','following',
              'qualified','qualified','qualified','converted','closed','invalid'])[1 + (g / 7) % 20] as st,
       ((g::bigint * 7919) % 1000003) / 1000003.0 as r1,
       ((g::bigint * 104729) % 999983) / 999983.0 as r2
   ) x
   cross join lateral (
     select case when not x.owned then null
                 when x.st = 'assigned' then now() - x.r1 * interval '7.5 days'
                 else now() - x.r1 * interval '61 days' end as assigned
   ) a
   cross join lateral (
     select a.assigned,
       coalesce(a.assigned - interval '1 hour', now() - x.r1 * interval '61 days') as created,
       case when x.owned and x.st <> 'assigned'
         then greatest(a.assigned, now() - x.r2 * interval '7.5 days') end as followed
   ) t
   left join u on x.owned and u.k = x.k
   left join p on p.unit_id = u.unit_id`,
  [tenantId, root, master.id, publicPool.id, LEADS],
)
await q('vacuum analyze leads')
log(`seeded in ${seconds(tSeed)} s`)

// ---------------------------------------------------------------------------------------------
// The list: salesperson s001 — their sub-pool, open statuses, grade A, highest score first.
const seller = people.find((u) => u.email === 's001@bench.test')!
const sellerPool = subPools[teams.indexOf(seller.unitId)]!
const haina = await buildHaina({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', workers: false }, d)
await haina.app.listen({ port: 0, host: '127.0.0.1' })
const port = (haina.app.server.address() as { port: number }).port
const session = await createSession(d.db, { tenantId, userId: seller.id })
const cookie = `${SESSION_COOKIE}=${sessionCookieValue(tenantId, session.secret)}`
const STATUSES = ['assigned', 'following']
const filter = { poolId: sellerPool, status: { in: STATUSES }, grade: 'A' }
const SORT = 'score'
const listUrl = `http://127.0.0.1:${port}/api/v1/leads?limit=20&sort=-${SORT}&filter=${encodeURIComponent(JSON.stringify(filter))}`

/** The columns the list route returns, written out by hand. */
const RAW_SQL = `select id, name, mobile, email, company, title, source, status, notes, owner_id, unit_id, org_id,
    custom, created_at, updated_at, version, pool_id, category, grade, score, assigned_at, first_contact_at,
    last_follow_up_at, next_follow_up_at, close_reason, routing_note
  from leads
  where tenant_id = $1 and owner_id = $2 and pool_id = $3 and status = any($4) and grade = $5
  order by score desc, id desc
  limit 21`
const rawParams = [tenantId, seller.id, sellerPool, STATUSES, 'A']

const sellerCtx: Ctx = { db: d.db, actor: (await loadUserActor(d.db, tenantId, seller.id))!, locale: 'zh-CN' }
async function viaRepository() {
  const lq = await buildListQuery(
    { filter: JSON.stringify(filter), sort: `-${SORT}` },
    {
      columns: {
        poolId: leads.poolId,
        status: leads.status,
        grade: leads.grade,
        score: leads.score,
      },
      sortable: [SORT],
      object: 'lead',
      ctx: sellerCtx,
    },
  )
  return leadsRepo.list(sellerCtx, { where: lq.where, sort: lq.sort, limit: 20 })
}

const first = await fetch(listUrl, { headers: { cookie } })
const firstBody = (await first.json()) as { items: { id: string }[] }
if (first.status !== 200) throw new Error(`list failed: ${first.status} ${JSON.stringify(firstBody)}`)
const rawFirst = await q(RAW_SQL, rawParams)
const routeIds = firstBody.items.map((item) => item.id)
const rawIds = rawFirst.rows.slice(0, 20).map((row) => row.id as string)
if (routeIds.length === 0 || routeIds.join() !== rawIds.join())
  throw new Error(
    `the route and the hand-written SQL return different pages: ${routeIds.length} vs ${rawIds.length} rows`,
  )
log(`page of ${routeIds.length} leads, the same through the route and the hand-written SQL`)

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return Number(s[Math.ceil(s.length * 0.95) - 1]!.toFixed(2))
}
const timeOf = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
// The hand-written SQL behind a bare Fastify route in the same process: the same HTTP stack
// without authentication, scope, query building, masking or schema serialisation.
const bare = Fastify()
bare.get('/raw', async () => {
  const { rows } = await q(RAW_SQL, rawParams)
  return { items: rows.slice(0, 20), nextCursor: null }
})
await bare.listen({ port: 0, host: '127.0.0.1' })
const rawUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/raw`
const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers })
  await res.arrayBuffer()
}

log(`list: ${SAMPLES} samples each (route, bare route with the SQL, repository, SQL alone; interleaved)…`)
const http: number[] = []
const rawHttp: number[] = []
const repo: number[] = []
const raw: number[] = []
for (let i = 0; i < SAMPLES + 30; i++) {
  // Interleaved, so all four see the same moments of a shared machine; the first 30 warm up.
  const th = await timeOf(() => get(listUrl, { cookie }))
  const tb = await timeOf(() => get(rawUrl))
  const tr = await timeOf(viaRepository)
  const ts = await timeOf(() => q(RAW_SQL, rawParams))
  if (i >= 30) {
    http.push(th)
    rawHttp.push(tb)
    repo.push(tr)
    raw.push(ts)
  }
}
await bare.close()
const { rows: plan } = await q(`explain (analyze, buffers) ${RAW_SQL}`, rawParams)
log(`raw SQL plan:\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`)

// ---------------------------------------------------------------------------------------------
// Reclaim over all leads.
log('reclaim…')
const tReclaim = performance.now()
const reclaim = await reclaimLeads(d.db, tenantId)
const reclaimS = seconds(tReclaim)
log(
  `reclaimed ${reclaim.reclaimed} of ${reclaim.candidates} due in ${reclaim.batches} batches, ${reclaim.reminded} reminders, ${reclaim.notified} owners told, in ${reclaimS} s`,
)

// ---------------------------------------------------------------------------------------------
// Automatic assignment of ASSIGN new leads by the sub-pools' rules.
const strategies = ['round_robin', 'weighted', 'least_loaded'] as const
for (const [i, team] of teams.entries())
  await createAssignmentRule(sys, {
    name: `销售${i + 1}部分配`,
    poolId: subPools[i]!,
    strategy: strategies[i % 3],
    members: people.filter((u) => u.unitId === team).map((u, j) => ({ userId: u.id, weight: 1 + (j % 3) })),
    respectSchedule: true,
  })
// Everyone on duty around the clock, so the run does not depend on the hour (schedules still read).
await q(
  `insert into work_schedules (tenant_id, user_id, weekdays, start_minute, end_minute)
   select tenant_id, id, '[1,2,3,4,5,6,7]', 0, 1440 from users where tenant_id = $1 and email like 's%@bench.test'`,
  [tenantId],
)
const { rows: fresh } = await q(
  `insert into leads (tenant_id, id, name, mobile, source, status, unit_id, org_id, pool_id, pool_entered_at,
     grade, category, region_code)
   select $1, gen_random_uuid(), '新客户' || g, '+86139' || lpad(g::text, 8, '0'), '官网表单', 'new', $2, $2,
     ($3::uuid[])[1 + g % ${TEAMS}], now(), (array['A','B','C','D'])[1 + g % 4], 'SUV', '310000'
   from generate_series(1, $4::int) g
   returning id`,
  [tenantId, root, subPools, ASSIGN],
)
const freshIds = fresh.map((r) => r.id as string)
log(`assigning ${freshIds.length} new leads…`)
const tAssign = performance.now()
const outcome = await assignLeads(sys, freshIds)
const assignS = seconds(tAssign)
log(`assigned ${outcome.assigned.size} of ${freshIds.length} in ${assignS} s`)

const listP95 = p95(http)
const rawP95 = p95(rawHttp)
const sqlP95 = p95(raw)
console.log(
  JSON.stringify({
    bench: 'pools',
    db: d.kind,
    leads: LEADS,
    list_p95_ms: listP95,
    raw_sql_p95_ms: rawP95,
    ratio: Number((listP95 / rawP95).toFixed(2)),
    sql_only_p95_ms: sqlP95,
    ratio_to_sql_only: Number((listP95 / sqlP95).toFixed(2)),
    repository_p95_ms: p95(repo),
    reclaim_s: reclaimS,
    reclaimed: reclaim.reclaimed,
    reminded: reclaim.reminded,
    assign_10k_s: assignS,
    assigned: outcome.assigned.size,
  }),
)
await haina.close()
await d.close()

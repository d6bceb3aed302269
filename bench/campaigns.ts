/**
 * Campaign members benchmark: one big campaign (default 200,000 responses over 100,000 leads) in a
 * workspace that also holds other campaigns' and campaign-less intents. Measures through the real
 * HTTP routes (median of sequential requests):
 *   - GET /campaigns/:id/members: the first page and a page 50 pages deep, as the admin (whole
 *     workspace), a team marketer (scope department tree: a tenth of the leads) and a salesperson
 *     who owns the campaign (scope self: a hundredth);
 *   - the summary: GET /campaigns/:id (attribution figures) and GET /campaigns/:id/trend;
 *   - the baseline: a bare `select … from lead_intents where tenant and campaign limit 50` on the
 *     pool, no HTTP (the least one page can cost).
 * Before timing, it walks the salesperson's whole member list and checks it against SQL (each
 * visible member once, at its newest response, nothing else). Prints one JSON line.
 *   npm run bench -- campaigns                     embedded database, 200,000 intents
 *   npm run bench -- campaigns --intents 20000 --leads 10000     quicker
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- campaigns --db postgres
 *     (drops and creates haina_bench_campaigns_<N> on that server; --reuse keeps a seeded one)
 */
import { parseArgs } from 'node:util'
import { createCampaign } from '../server/src/modules/campaigns/service.js'
import { createSession } from '../server/src/platform/auth/sessions.js'
import { SESSION_COOKIE, sessionCookieValue } from '../server/src/platform/auth/tokens.js'
import { loadConfig } from '../server/src/platform/config.js'
import { runMigrations } from '../server/src/platform/db/index.js'
import { createRole } from '../server/src/platform/org/roles.service.js'
import { createUsers } from '../server/src/platform/org/users.service.js'
import { buildHaina } from '../server/src/server.js'
import { benchDatabase } from './lib/database.js'
import { benchWorkspace } from './lib/workspace.js'

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'embedded' },
    intents: { type: 'string', default: '200000' },
    leads: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '15' },
    deep: { type: 'string', default: '50' },
    reuse: { type: 'boolean', default: false },
  },
})
const INTENTS = Number(values.intents)
const LEADS = Number(values.leads)
const SAMPLES = Number(values.samples)
const DEEP = Number(values.deep)
const PAGE = 50
const log = (msg: string) => process.stderr.write(`[bench campaigns] ${msg}\n`)
const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2))

const d = await benchDatabase(values.db, {
  pgName: `haina_bench_campaigns_${INTENTS}`,
  dir: `bench/out/campaigns-embedded-${INTENTS}`,
  poolSize: 10,
  reuse: values.reuse,
})
await runMigrations(d.db)
const q = (text: string, params: unknown[] = []) => d.pool.query(text, params)

const existing = values.reuse
  ? (await q(`select id from tenants where slug = 'bench-campaigns'`)).rows[0]
  : undefined
if (!existing) {
  log(`seeding ${LEADS} leads, ${INTENTS} intents of the campaign…`)
  const t0 = performance.now()
  const ws = await benchWorkspace(d, {
    name: 'Bench Campaigns',
    slug: 'bench-campaigns',
    teams: 10,
    perTeam: 10,
  })
  const t = ws.tenantId
  const seller = ws.sellers[1]! // s001, in team 1
  // Callers with a narrower scope who may read campaigns (the built-in sales roles may not).
  const team = await createRole(ws.sys, {
    name: '区域市场',
    permissions: ['campaigns.view', 'leads.view'],
    dataScope: 'department_tree',
  })
  const own = await createRole(ws.sys, {
    name: '销售（活动）',
    permissions: ['campaigns.view', 'leads.view'],
    dataScope: 'self',
  })
  await createUsers(ws.sys, [
    { email: 'team@bench.test', name: '区域市场1', unitId: ws.teams[1]!, roleIds: [String(team.id)] },
  ])
  await q(`insert into user_roles (tenant_id, user_id, role_id) values ($1, $2, $3)`, [
    t,
    seller.id,
    String(own.id),
  ])
  // The big campaign belongs to team 1 and the salesperson, so all three callers can open it.
  const big = await createCampaign(ws.sys, {
    name: '双十一直播',
    kind: 'live_stream',
    code: 'big',
    unitId: ws.teams[1]!,
    ownerId: seller.id,
  })
  const other = await createCampaign(ws.sys, {
    name: '春季投放',
    kind: 'ads',
    code: 'other',
    unitId: ws.rootUnitId,
  })
  // Leads 客户1…N, owned round robin by the 100 salespeople; 70 % came first through the big campaign.
  await q(
    `with u as (
       select id, unit_id, (row_number() over (order by email) - 1)::int as k
       from users where tenant_id = $1 and email like 's%@bench.test'
     )
     insert into leads (tenant_id, id, name, company, source, status, owner_id, unit_id, org_id,
       first_campaign_id, last_campaign_id, grade, created_at)
     select $1, gen_random_uuid(), '客户' || g, '公司' || (g % 5000), '直播', 
       (array['new','assigned','following','qualified','converted'])[1 + g % 5], u.id, u.unit_id, $2,
       case when g % 10 < 7 then $3::uuid else $4::uuid end, case when g % 4 = 0 then $4::uuid else $3::uuid end,
       (array['A','B','C','D'])[1 + (g / 3) % 4], now() - interval '100 days'
     from generate_series(1, $5::int) g join u on u.k = g % 100`,
    [t, ws.rootUnitId, big.id, other.id, LEADS],
  )
  // The big campaign's intents: one per lead, the rest on a third of the leads (repeat responders),
  // over the last 90 days to the microsecond. Beside them, half as many without a campaign and a
  // quarter as many in the other campaign, on any lead.
  const intents = (campaign: string | null, n: number, spread: string) =>
    q(
      `with l as (select id, substr(name, 3)::int as g from leads where tenant_id = $1),
       i as (select k, ${spread} as g from generate_series(1, $3::bigint) k)
       insert into lead_intents (tenant_id, id, lead_id, campaign_id, outcome, payload, received_at)
       select $1, gen_random_uuid(), l.id, $2::uuid, case when i.k <= $4 then 'created' else 'merged' end,
         jsonb_build_object('name', '客户' || i.g, 'mobile', '+86138' || lpad(i.g::text, 8, '0'),
           'source', '直播', 'utm_campaign', 'big'),
         now() - ((i.k * 104729) % 7776000) * interval '1 second' - (i.k % 997) * interval '1 microsecond'
       from i join l on l.g = i.g`,
      [t, campaign, n, LEADS],
    )
  await intents(big.id, INTENTS, `case when k <= $4 then k else 1 + (k * 7919) % greatest($4 / 3, 1) end`)
  await intents(null, INTENTS / 2, `1 + (k * 31) % $4`)
  await intents(other.id, INTENTS / 4, `1 + (k * 17) % $4`)
  for (const table of ['leads', 'lead_intents']) await q(`vacuum analyze ${table}`)
  log(`seeded in ${seconds(t0)} s`)
}

const tenantId = String((await q(`select id from tenants where slug = 'bench-campaigns'`)).rows[0].id)
const campaignId = String(
  (await q(`select id from campaigns where tenant_id = $1 and code = 'big'`, [tenantId])).rows[0].id,
)
const userOf = async (email: string) =>
  String((await q(`select id from users where tenant_id = $1 and email = $2`, [tenantId, email])).rows[0].id)
const figures = (
  await q(
    `select count(*)::int as intents, count(distinct lead_id)::int as members
     from lead_intents where tenant_id = $1 and campaign_id = $2`,
    [tenantId, campaignId],
  )
).rows[0] as { intents: number; members: number }
log(`campaign: ${figures.intents} intents over ${figures.members} leads`)

const haina = await buildHaina({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent', workers: false }, d)
await haina.app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(haina.app.server.address() as { port: number }).port}/api/v1`
const cookieOf = async (email: string) => {
  const s = await createSession(d.db, { tenantId, userId: await userOf(email) })
  return `${SESSION_COOKIE}=${sessionCookieValue(tenantId, s.secret)}`
}
const callers = {
  admin: await cookieOf('admin@bench.test'),
  team: await cookieOf('team@bench.test'),
  seller: await cookieOf('s001@bench.test'),
}

const get = async (path: string, cookie: string) => {
  const res = await fetch(`${base}${path}`, { headers: { cookie } })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${body.slice(0, 300)}`)
  return JSON.parse(body)
}
const timed = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return Number(s[Math.floor(s.length / 2)]!.toFixed(2))
}
type MembersPage = { items: { leadId: string; lastAt: string }[]; nextCursor: string | null }
const membersUrl = (cursor?: string | null) =>
  `/campaigns/${campaignId}/members?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`

// Correctness first: the salesperson's whole list against SQL (distinct, newest response, in order).
const tWalk = performance.now()
const walked: { leadId: string; lastAt: string }[] = []
let pages = 0
for (let cursor: string | null = null; ; ) {
  const page: MembersPage = await get(membersUrl(cursor), callers.seller)
  walked.push(...page.items)
  pages++
  if (page.items.length < PAGE && page.nextCursor) throw new Error(`short page ${pages} with a next cursor`)
  cursor = page.nextCursor
  if (!cursor) break
}
const sellerId = await userOf('s001@bench.test')
const expected = (
  await q(
    `select i.lead_id, max(i.received_at) as last from lead_intents i
     join leads l on l.tenant_id = i.tenant_id and l.id = i.lead_id
     where i.tenant_id = $1 and i.campaign_id = $2 and l.owner_id = $3
     group by i.lead_id order by last desc, i.lead_id`,
    [tenantId, campaignId, sellerId],
  )
).rows as { lead_id: string; last: Date }[]
const walkedIds = new Set(walked.map((m) => m.leadId))
if (walked.length !== expected.length || walkedIds.size !== walked.length)
  throw new Error(
    `salesperson's members: ${walked.length} walked (${walkedIds.size} distinct), SQL ${expected.length}`,
  )
for (const e of expected) if (!walkedIds.has(e.lead_id)) throw new Error(`member ${e.lead_id} missing`)
for (let i = 1; i < walked.length; i++)
  if (walked[i]!.lastAt > walked[i - 1]!.lastAt) throw new Error(`members out of order at ${i}`)
log(`salesperson: ${walked.length} members in ${pages} pages, as SQL says (${seconds(tWalk)} s)`)

/** The cursor `n` pages in, walked once per caller (not timed). */
const cursorAt = async (cookie: string, n: number) => {
  let cursor: string | null = null
  for (let i = 0; i < n; i++) {
    const page: MembersPage = await get(membersUrl(cursor), cookie)
    if (!page.nextCursor) throw new Error(`only ${i + 1} pages`)
    cursor = page.nextCursor
  }
  return cursor
}
const tDeep = performance.now()
const deep = { admin: await cursorAt(callers.admin, DEEP - 1), team: await cursorAt(callers.team, DEEP - 1) }
const walkSeconds = seconds(tDeep)
log(`cursors ${DEEP} pages deep for admin and team in ${walkSeconds} s`)

const BASELINE_SQL = `select id, lead_id, received_at from lead_intents
  where tenant_id = $1 and campaign_id = $2 limit ${PAGE}`
const runs = {
  adminFirst: () => get(membersUrl(), callers.admin),
  adminDeep: () => get(membersUrl(deep.admin), callers.admin),
  teamFirst: () => get(membersUrl(), callers.team),
  teamDeep: () => get(membersUrl(deep.team), callers.team),
  sellerFirst: () => get(membersUrl(), callers.seller),
  summary: () => get(`/campaigns/${campaignId}`, callers.admin),
  teamSummary: () => get(`/campaigns/${campaignId}`, callers.team),
  trend: () => get(`/campaigns/${campaignId}/trend`, callers.admin),
  baseline: () => q(BASELINE_SQL, [tenantId, campaignId]),
}
const times = Object.fromEntries(Object.keys(runs).map((k) => [k, [] as number[]])) as Record<
  keyof typeof runs,
  number[]
>
log(`${SAMPLES} samples each, interleaved (first 2 warm up)…`)
for (let i = 0; i < SAMPLES + 2; i++)
  for (const [k, fn] of Object.entries(runs) as [keyof typeof runs, () => Promise<unknown>][]) {
    const ms = await timed(fn)
    if (i >= 2) times[k].push(ms)
  }
const summary = await get(`/campaigns/${campaignId}`, callers.admin)

console.log(
  JSON.stringify({
    bench: 'campaigns',
    db: d.kind,
    intents: figures.intents,
    members: figures.members,
    stats: { intents: summary.stats.intents, members: summary.stats.members },
    page: PAGE,
    deep_page: DEEP,
    first_page_ms: median(times.adminFirst),
    deep_page_ms: median(times.adminDeep),
    team_first_page_ms: median(times.teamFirst),
    team_deep_page_ms: median(times.teamDeep),
    seller_first_page_ms: median(times.sellerFirst),
    seller_pages: pages,
    seller_members: walked.length,
    summary_ms: median(times.summary),
    team_summary_ms: median(times.teamSummary),
    trend_ms: median(times.trend),
    baseline_sql_ms: median(times.baseline),
    deep_walk_s: walkSeconds,
  }),
)
await haina.close()
await d.close()

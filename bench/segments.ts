/**
 * Profiles benchmark (issue #6) on PostgreSQL: a workspace with 1,000,000 persons, 20,000,000
 * behaviour events and 3,000,000 orders, plus identities, leads, customers and tag groups (母婴 on
 * ~15 % of the persons), seeded set-based by bench/lib/profiles-data.ts. Measures on that database,
 * in the same run:
 *   - segment_s: a six-condition segment (Shanghai, tagged 母婴, ≥ 2 orders in 90 days, ≥ ¥2,000 in
 *     365 days, viewed the product page in the last 7 days, a lead graded A/B): the member set from
 *     `matchingPersonIdsSql` (what a refresh materialises), best of N after a warm-up;
 *   - raw_sql_s: the same set by hand-written SQL, interleaved with it (ratio = segment / raw);
 *     refresh_*_s: `refreshSegment` of a stored segment with these conditions;
 *   - live_count_ms: a two-condition draft (Shanghai + 母婴) through `countMatching(…, {scoped: true})`
 *     as the workspace admin (median), and as a team manager (scope: department tree);
 *   - autotag_s: the first full run of an automatic tag rule (viewed ≥ 3 times in 30 days) through
 *     `runTagRule` over all persons, with matched/added; autotag_rerun_s: the next run (no change).
 * The product path and the hand SQL must give the same set before anything is timed. Prints one
 * JSON line; progress and EXPLAIN (ANALYZE, BUFFERS) of the measured statements go to stderr.
 *   npm run bench -- segments                    full size (drops and seeds haina_bench_segments_1000000)
 *   npm run bench -- segments --reuse            keep the seeded database, measure only
 *   npm run bench -- segments --persons 100000   quicker: events (20×) and orders (3×) follow
 * Options: --events N --orders N --seed N (2026) --runs N (5) --quiet (no plans) --rerun-limit S (300).
 * DATABASE_URL (the server the bench database is made on) defaults to
 * postgres://postgres@127.0.0.1:5432/postgres.
 */
import { parseArgs } from 'node:util'
import { type SQL, sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { countMatching, matchingPersonIdsSql } from '../server/src/modules/profiles/conditions/compile.js'
import type { ConditionNode } from '../server/src/modules/profiles/conditions/types.js'
import { validateConditionTree } from '../server/src/modules/profiles/conditions/validate.js'
import { personScope } from '../server/src/modules/profiles/persons/scope.js'
import { runTagRule } from '../server/src/modules/profiles/rules/autotag.service.js'
import { refreshSegment } from '../server/src/modules/profiles/segments/refresh.service.js'
import { type Ctx, systemActor } from '../server/src/platform/access/actor.js'
import { loadUserActor } from '../server/src/platform/access/load-actor.js'
import { ALL_PERMISSIONS } from '../server/src/platform/access/permissions.js'
import { openDatabase, runMigrations } from '../server/src/platform/db/index.js'
import { benchDatabase } from './lib/database.js'
import { seedProfiles } from './lib/profiles-data.js'
import { benchWorkspace } from './lib/workspace.js'

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    events: { type: 'string' },
    orders: { type: 'string' },
    seed: { type: 'string', default: '2026' },
    runs: { type: 'string', default: '5' },
    reuse: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    'rerun-limit': { type: 'string', default: '300' },
  },
})
const P = Number(values.persons)
const N = {
  persons: P,
  events: Number(values.events ?? P * 20),
  orders: Number(values.orders ?? P * 3),
}
const RUNS = Number(values.runs)
const RERUN_LIMIT_S = Number(values['rerun-limit'])
const TEAMS = 5
const PER_TEAM = 10
const log = (msg: string) => process.stderr.write(`[bench segments] ${msg}\n`)
const seconds = (t0: number) => Number(((performance.now() - t0) / 1000).toFixed(2))
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres'

// PostgreSQL only: the seed fills the biggest tables from two sessions at once.
const d = await benchDatabase('postgres', {
  pgName: `haina_bench_segments_${P}`,
  dir: `bench/out/segments-embedded-${P}`,
  poolSize: 10,
  reuse: values.reuse,
})
await runMigrations(d.db)
const q = (text: string, params: unknown[] = []) => d.pool.query(text, params)

// ---------------------------------------------------------------------------------------------
// Seed (or reuse): five teams of ten salespeople and a manager, a marketing user at HQ.
const existing = values.reuse
  ? (await q(`select id from tenants where slug = 'bench-segments'`)).rows[0]
  : undefined
let tenantId: string
if (existing) {
  tenantId = existing.id
  const { rows } = await q(`select max(occurred_at) as at from behaviour_events where tenant_id = $1`, [
    tenantId,
  ])
  const age = (Date.now() - new Date(rows[0].at).getTime()) / 86_400_000
  log(`reusing the seeded workspace (latest event ${age.toFixed(1)} days ago)`)
  if (age > 2) log('warning: the data has aged since seeding; windows of days see fewer rows than when fresh')
} else {
  log(
    `seeding ${N.persons.toLocaleString('en')} persons, ${N.events.toLocaleString('en')} events, ${N.orders.toLocaleString('en')} orders…`,
  )
  const tSeed = performance.now()
  const ws = await benchWorkspace(d, {
    name: 'Bench Segments',
    slug: 'bench-segments',
    teams: TEAMS,
    perTeam: PER_TEAM,
    managers: true,
    extraUsers: [{ email: 'marketing@bench.test', name: '市场运营', role: 'marketing' }],
  })
  tenantId = ws.tenantId
  const { rows: owners } = await q(
    `select u.id, u.unit_id as "unitId", o.org_id as "orgId" from users u
     join org_units o on o.tenant_id = u.tenant_id and o.id = u.unit_id
     where u.tenant_id = $1 and u.email like 's%@bench.test' order by u.email`,
    [tenantId],
  )
  const seeded = await seedProfiles(d, {
    tenantId,
    adminId: ws.adminId,
    owners,
    size: N,
    seed: Number(values.seed),
    log: (m) => log(`  ${m}`),
  })
  log(`seeded in ${seconds(tSeed)} s: ${JSON.stringify(seeded.counts)}`)
}

// ---------------------------------------------------------------------------------------------
// Actors: the system (rules and segment evaluation), the workspace admin and a team manager.
const userId = async (email: string) =>
  (await q(`select id from users where tenant_id = $1 and email = $2`, [tenantId, email])).rows[0]
    .id as string
const ctxOf = async (email: string): Promise<Ctx> => {
  const actor = await loadUserActor(d.db, tenantId, await userId(email))
  if (!actor) throw new Error(`no actor for ${email}`)
  return { db: d.db, actor, locale: 'zh-CN' }
}
const sys: Ctx = { db: d.db, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN' }
const admin = await ctxOf('admin@bench.test')
const manager = await ctxOf('m1@bench.test')
const tagId = async (name: string) =>
  (await q(`select id from tags where tenant_id = $1 and name = $2`, [tenantId, name])).rows[0].id as string
const muying = await tagId('母婴')

// The six-condition segment and the two-condition draft, validated as the product validates them.
const AMOUNT = 200_000 // ¥2,000.00 in 分
const SEGMENT: ConditionNode = {
  match: 'all',
  conditions: [
    { field: 'person.regionCode', op: 'eq', value: '31' },
    { field: 'tags', op: 'in', value: [muying] },
    { field: 'orders.count', op: 'gte', value: 2, params: { days: 90 } },
    { field: 'orders.amount', op: 'gte', value: AMOUNT, params: { days: 365 } },
    {
      field: 'events.count',
      op: 'gte',
      value: 1,
      params: { eventType: 'view', days: 7, property: 'page', propertyValue: 'product' },
    },
    { field: 'lead.grade', op: 'in', value: ['A', 'B'] },
  ],
}
const DRAFT: ConditionNode = {
  match: 'all',
  conditions: [
    { field: 'person.regionCode', op: 'eq', value: '31' },
    { field: 'tags', op: 'in', value: [muying] },
  ],
}
await validateConditionTree(admin, SEGMENT)
await validateConditionTree(admin, DRAFT)

// The same by hand, the fastest shape found: the persons that pass the cheap tests (region, the
// tag, a lead graded A/B, a product view in the last 7 days: index-only or per-person probes),
// materialised, then their counted orders read per person from orders_person_counted_idx alone.
const RAW_SEGMENT_SQL = `
  with c as materialized (
    select p.id from persons p
    where p.tenant_id = $1 and p.merged_into_id is null and p.region_code like '31%'
      and exists (select 1 from person_tags t where t.tenant_id = $1 and t.person_id = p.id and t.tag_id = $2)
      and exists (select 1 from leads l where l.tenant_id = $1 and l.person_id = p.id and l.grade in ('A', 'B'))
      and exists (select 1 from behaviour_events e where e.tenant_id = $1 and e.person_id = p.id
        and e.occurred_at >= now() - interval '7 days' and e.type = 'view' and e.properties ->> 'page' = 'product'))
  select c.id from c
  where (select count(*) from orders o where o.tenant_id = $1 and o.person_id = c.id
      and o.status in ('confirmed', 'shipped', 'completed') and o.ordered_at >= now() - interval '90 days') >= 2
    and (select coalesce(sum(o.total - o.refunded_total), 0) from orders o where o.tenant_id = $1 and o.person_id = c.id
      and o.status in ('confirmed', 'shipped', 'completed') and o.ordered_at >= now() - interval '365 days') >= $3`
const RAW_DRAFT_SQL = `
  select count(*)::int as n from persons p
  where p.tenant_id = $1 and p.merged_into_id is null and p.region_code like '31%'
    and exists (select 1 from person_tags t where t.tenant_id = $1 and t.person_id = p.id and t.tag_id = $2)`
const rawParams = [tenantId, muying, AMOUNT]

const dialect = new PgDialect()
const toQuery = (s: SQL) => dialect.sqlToQuery(s)
const productIds = async () => {
  const { sql: text, params } = toQuery(matchingPersonIdsSql(sys, SEGMENT))
  return (await q(text, params)).rows.map((r) => String(r.id))
}
const rawIds = async () => (await q(RAW_SEGMENT_SQL, rawParams)).rows.map((r) => String(r.id))
const timeOf = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now()
  const out = await fn()
  return { ms: performance.now() - t0, out }
}
const best = (xs: number[]) => Math.min(...xs)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const plan = async (text: string, params: unknown[]) =>
  (await q(`explain (analyze, buffers) ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n')

// Segment: the member set both ways must be the same before timing.
const [pSet, rSet] = [(await productIds()).sort(), (await rawIds()).sort()]
if (pSet.length !== rSet.length || pSet.some((id, i) => id !== rSet[i]))
  throw new Error(`segment differs: product ${pSet.length} persons, hand SQL ${rSet.length}`)
log(`segment: ${pSet.length} persons, the same both ways; ${RUNS} runs each, interleaved, after the warm-up`)
const seg: number[] = []
const raw: number[] = []
for (let i = 0; i < RUNS; i++) {
  seg.push((await timeOf(productIds)).ms)
  raw.push((await timeOf(rawIds)).ms)
}
log(
  `segment runs ms: product ${seg.map((x) => x.toFixed(0)).join(' ')} / hand ${raw.map((x) => x.toFixed(0)).join(' ')}`,
)

// Live count of the draft as the admin (scope all) and, for information, a team manager.
const liveCount = await countMatching(admin, DRAFT, { scoped: true })
const rawCount = Number((await q(RAW_DRAFT_SQL, rawParams.slice(0, 2))).rows[0].n)
if (liveCount !== rawCount) throw new Error(`live count differs: product ${liveCount}, hand SQL ${rawCount}`)
const live: number[] = []
const liveRaw: number[] = []
const liveManager: number[] = []
let managerCount = 0
await countMatching(manager, DRAFT, { scoped: true })
for (let i = 0; i < RUNS; i++) {
  live.push((await timeOf(() => countMatching(admin, DRAFT, { scoped: true }))).ms)
  liveRaw.push((await timeOf(() => q(RAW_DRAFT_SQL, rawParams.slice(0, 2)))).ms)
  const m = await timeOf(() => countMatching(manager, DRAFT, { scoped: true }))
  liveManager.push(m.ms)
  managerCount = m.out
}
log(`live count: ${liveCount} persons (team manager sees ${managerCount})`)

// Segment refresh through the segments module (membership stored), first and unchanged.
const segName = 'bench 上海母婴复购'
await q(`delete from segments where tenant_id = $1 and name = $2`, [tenantId, segName])
const segmentId = (
  await q(
    `insert into segments (tenant_id, id, name, kind, conditions) values ($1, gen_random_uuid(), $2, 'dynamic', $3)
     returning id`,
    [tenantId, segName, JSON.stringify(SEGMENT)],
  )
).rows[0].id as string
const refreshFirst = await timeOf(() => refreshSegment(sys, segmentId, 'full'))
const refreshAgain = await timeOf(() => refreshSegment(sys, segmentId, 'full'))
if (refreshFirst.out.size !== pSet.length) throw new Error(`refresh stored ${refreshFirst.out.size} members`)

// Automatic tag over the whole workspace: viewed three times in 30 days. A fresh tag every run.
const RULE: ConditionNode = {
  match: 'all',
  conditions: [{ field: 'events.count', op: 'gte', value: 3, params: { eventType: 'view', days: 30 } }],
}
await validateConditionTree(admin, RULE)
const groupId = (await q(`select id from tag_groups where tenant_id = $1 and name = '兴趣偏好'`, [tenantId]))
  .rows[0].id as string
const ruleTagName = '近30天活跃浏览'
await q(`delete from tag_events where tenant_id = $1 and tag_name = $2`, [tenantId, ruleTagName])
await q(`delete from tags where tenant_id = $1 and name = $2`, [tenantId, ruleTagName])
const ruleTag = (
  await q(
    `insert into tags (tenant_id, id, group_id, name, color, sort_order, rule, rule_enabled)
     values ($1, gen_random_uuid(), $2, $3, '#722ed1', 99, $4, true) returning id`,
    [tenantId, groupId, ruleTagName, JSON.stringify(RULE)],
  )
).rows[0].id as string
await q(`vacuum analyze person_tags`)
const auto = await timeOf(() => runTagRule(sys, ruleTag))
// The next full run (nothing new to add; the tag's statistics still say it is empty), on its own
// connection with a time limit so that a pathological plan shows as a timeout, not a hang.
const limitedUrl = new URL(d.url)
limitedUrl.searchParams.set(
  'options',
  `${process.env.PGOPTIONS ?? ''} -c statement_timeout=${RERUN_LIMIT_S * 1000}`.trim(),
)
const limited = await openDatabase({ databaseUrl: limitedUrl.toString(), poolSize: 2 })
let autoAgain: { ms: number; out: { matched: number; added: number; removed: number } } | null = null
try {
  autoAgain = await timeOf(() => runTagRule({ ...sys, db: limited.db }, ruleTag))
} catch (err) {
  if ((err as { code?: string }).code !== '57014') throw err
  log(`auto-tag rerun cancelled after ${RERUN_LIMIT_S} s (statement_timeout)`)
} finally {
  await limited.close()
}
log(
  `auto-tag: ${JSON.stringify(auto.out)} in ${(auto.ms / 1000).toFixed(2)} s; again ${autoAgain ? `${JSON.stringify(autoAgain.out)} in ${(autoAgain.ms / 1000).toFixed(2)} s` : 'timed out'}`,
)

if (!values.quiet) {
  const p = toQuery(matchingPersonIdsSql(sys, SEGMENT))
  log(`segment, product SQL:\n${p.sql}\nplan:\n${await plan(p.sql, p.params)}`)
  log(`segment, hand SQL plan:\n${await plan(RAW_SEGMENT_SQL, rawParams)}`)
  const scope = personScope(manager, sql`m.id`)
  const c = toQuery(
    sql`select count(*)::int as n from (${matchingPersonIdsSql(manager, DRAFT)}) m where ${scope ?? sql`true`}`,
  )
  log(`live count as a team manager, plan:\n${await plan(c.sql, c.params)}`)
  const r = toQuery(matchingPersonIdsSql(sys, RULE))
  log(`auto-tag rule, matching persons plan:\n${await plan(r.sql, r.params)}`)
}

const ms = (x: number) => Number(x.toFixed(1))
const s = (x: number) => Number((x / 1000).toFixed(3))
console.log(
  JSON.stringify({
    bench: 'segments',
    db: d.kind,
    persons: Number((await q(`select count(*) from persons where tenant_id = $1`, [tenantId])).rows[0].count),
    events: Number(
      (await q(`select count(*) from behaviour_events where tenant_id = $1`, [tenantId])).rows[0].count,
    ),
    orders: Number((await q(`select count(*) from orders where tenant_id = $1`, [tenantId])).rows[0].count),
    segment_members: pSet.length,
    segment_s: s(best(seg)),
    raw_sql_s: s(best(raw)),
    ratio: Number((best(seg) / best(raw)).toFixed(2)),
    segment_median_s: s(median(seg)),
    raw_sql_median_s: s(median(raw)),
    refresh_first_s: s(refreshFirst.ms),
    refresh_unchanged_s: s(refreshAgain.ms),
    live_count: liveCount,
    live_count_ms: ms(median(live)),
    live_count_best_ms: ms(best(live)),
    live_count_raw_sql_ms: ms(median(liveRaw)),
    live_count_manager_ms: ms(median(liveManager)),
    autotag_s: s(auto.ms),
    autotag_matched: auto.out.matched,
    autotag_added: auto.out.added,
    autotag_rerun_s: autoAgain ? s(autoAgain.ms) : null,
    runs: RUNS,
  }),
)
await d.close()

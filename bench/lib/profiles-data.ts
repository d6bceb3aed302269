/**
 * Set-based seed of a profiles workspace for `npm run bench -- segments`: persons with identities,
 * leads and customers for shares of them, a year of behaviour events, two years of orders, and tag
 * groups whose tags (母婴 on about 15 %) sit on the persons. Everything is derived from the row
 * number and the seed (hashint8), so a seed gives the same data every run, relative to the moment
 * of seeding. Ids look like uuidv7 (time prefix of the row's creation, then family and row number),
 * so persons, orders and events lie in the heap in time order as an append-only table would.
 *
 * Speed: secondary indexes are dropped while the tables fill and rebuilt after (same definitions),
 * foreign-key triggers are skipped for the seed's own sessions (replica mode; the data is
 * consistent by construction and checked at the end), and the two biggest tables fill from two
 * sessions at once (rows interleaved by number, so both advance through time together).
 */
import type pg from 'pg'
import { regionChildren } from '../../server/src/platform/custom-fields/regions.js'
import type { Database } from '../../server/src/platform/db/index.js'
import { benchMobileSql } from './mobiles.js'

export interface ProfilesSize {
  persons: number
  events: number
  orders: number
}

export interface ProfilesSeedInput {
  tenantId: string
  /** The admin who tagged the seeded persons by hand. */
  adminId: string
  /** Salespeople owning leads and customers round robin: user, unit and org boundary. */
  owners: { id: string; unitId: string; orgId: string }[]
  size: ProfilesSize
  seed: number
  log: (msg: string) => void
}

export interface ProfilesSeed {
  counts: Record<string, number>
  /** Tag ids by name (母婴 …), channel ids by code. */
  tags: Record<string, string>
  channels: Record<string, string>
  seededAt: Date
}

const DAY = 86_400_000

/** The tables the seed fills (their secondary indexes are rebuilt after). */
const TABLES = [
  'persons',
  'person_identities',
  'leads',
  'customers',
  'orders',
  'behaviour_events',
  'person_tags',
] as const

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程'
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志文斌波宇浩然轩欣怡梓涵诺思远晨曦佳琪俊雨桐嘉'
const COMPANY = [
  '华联',
  '宏达',
  '金桥',
  '东方',
  '新世纪',
  '瑞丰',
  '恒通',
  '嘉禾',
  '锦程',
  '天成',
  '博远',
  '德信',
]
const COMPANY_SUFFIX = ['贸易有限公司', '科技有限公司', '商贸有限公司', '实业有限公司', '母婴用品店']
const BIG_CITIES = [
  '1101', // 北京
  '1201', // 天津
  '3201', // 南京
  '3205', // 苏州
  '3206', // 南通
  '3301', // 杭州
  '3302', // 宁波
  '3401', // 合肥
  '3502', // 厦门
  '3702', // 青岛
  '4201', // 武汉
  '4301', // 长沙
  '4401', // 广州
  '4403', // 深圳
  '5001', // 重庆
  '5101', // 成都
  '6101', // 西安
]

const CHANNELS = [
  ['app', 'app', '海纳商城 App'],
  ['mini', 'mini_program', '微信小程序'],
  ['oa', 'official_account', '微信公众号'],
  ['web', 'web_form', '官网'],
  ['tmall', 'ecommerce', '天猫旗舰店'],
  ['expo', 'offline_event', '孕婴童展'],
] as const

/** Behaviour event types and their shares (cumulative thresholds are built from these). */
const EVENT_TYPES: [string, number][] = [
  ['view', 0.45],
  ['click', 0.2],
  ['add_to_cart', 0.08],
  ['login', 0.06],
  ['favourite', 0.04],
  ['share', 0.04],
  ['order', 0.03],
  ['pay', 0.03],
  ['consult', 0.02],
  ['check_in', 0.02],
  ['follow', 0.01],
  ['submit_form', 0.01],
  ['register', 0.01],
]
/** Pages of views and clicks: product detail, home, category list, campaign, cart. */
const PAGES: [string, number][] = [
  ['product', 0.5],
  ['home', 0.2],
  ['category', 0.12],
  ['activity', 0.1],
  ['cart', 0.08],
]

/** Tag groups with their tags and the share of persons carrying each (exclusive: one of them). */
const TAG_GROUPS: { name: string; color: string; exclusive: boolean; tags: [string, string, number][] }[] = [
  {
    name: '人生阶段',
    color: '#eb2f96',
    exclusive: false,
    tags: [
      ['母婴', '#eb2f96', 0.15],
      ['学生', '#1677ff', 0.08],
      ['职场新人', '#13c2c2', 0.1],
      ['银发', '#8c8c8c', 0.06],
    ],
  },
  {
    name: '消费能力',
    color: '#fa8c16',
    exclusive: true,
    tags: [
      ['高消费', '#f5222d', 0.1],
      ['中消费', '#fa8c16', 0.4],
      ['低消费', '#fadb14', 0.3],
    ],
  },
  {
    name: '兴趣偏好',
    color: '#52c41a',
    exclusive: false,
    tags: [
      ['美妆', '#eb2f96', 0.12],
      ['数码', '#2f54eb', 0.12],
      ['运动', '#52c41a', 0.12],
      ['旅行', '#13c2c2', 0.12],
    ],
  },
]

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`
const arr = (xs: readonly string[]) => `array[${xs.map(lit).join(',')}]::text[]`

export async function seedProfiles(d: Database, input: ProfilesSeedInput): Promise<ProfilesSeed> {
  const { tenantId, size, seed, log } = input
  const P = size.persons
  const E = size.events
  const O = size.orders
  const T = Date.now()
  const T0 = T - 3 * 365 * DAY
  const tenant = `${lit(tenantId)}::uuid`

  // --- Deterministic pieces of SQL -------------------------------------------------------------
  /** Uniform [0, 1) from a row number and a salt (< 7919), for this seed. */
  const u = (k: string, salt: number) =>
    `((hashint8((${k})::bigint * 7919 + ${salt} + ${seed}::bigint * 1000000000000) & 2147483647)::float8 / 2147483648.0)`
  /** A uuidv7-shaped id: creation time (ms), seed, family, row number. */
  const idOf = (family: number, k: string, ms: string) =>
    `(lpad(to_hex((${ms})::bigint), 12, '0') || '7' || lpad(to_hex(${seed % 4096}), 3, '0') || '8' || lpad(to_hex(${family}), 3, '0') || lpad(to_hex((${k})::bigint), 12, '0'))::uuid`
  const pick = (xs: readonly string[], r: string) => `(${arr(xs)})[1 + floor(${r} * ${xs.length})::int]`
  const ts = (ms: string) => `to_timestamp((${ms})::float8 / 1000)`
  /** Person k first appeared at (ms): spread over three years in row order. */
  const personMs = (k: string) => `(${T0}::bigint + (${k})::bigint * ${Math.floor((T - T0 - DAY) / P)})`
  const personId = (k: string) => idOf(1, k, personMs(k))
  /** One person in 200 was merged into the next one (not a member of anything). */
  const merged = (k: string) => `((${k}) % 200 = 199 and (${k}) < ${P})`
  /** Every tenth person is active: more events, more often a customer and a buyer. */
  const active = (k: string) => `((${k}) % 10 = 0)`
  const hasLead = (k: string) => `(not ${merged(k)} and ${u(k, 20)} < 0.4)`
  const hasCustomer = (k: string) =>
    `(not ${merged(k)} and ${u(k, 30)} < case when ${active(k)} then 0.6 else 0.21 end)`
  const leadMs = (k: string) =>
    `(${personMs(k)} + floor((${T}::bigint - ${personMs(k)}) * 0.3 * ${u(k, 21)})::bigint)`
  const leadId = (k: string) => idOf(2, k, leadMs(k))
  const customerMs = (k: string) =>
    `(${personMs(k)} + floor((${T}::bigint - ${personMs(k)}) * (0.3 + 0.2 * ${u(k, 31)}))::bigint)`
  const customerId = (k: string) => idOf(3, k, customerMs(k))
  /** Thresholds of a weighted choice: `case when r < a then x when r < a+b then y … end`. */
  const weighted = (choices: [string, number][], r: string) => {
    let acc = 0
    const whens = choices.slice(0, -1).map(([v, w]) => {
      acc += w
      return `when ${r} < ${acc.toFixed(4)} then ${lit(v)}`
    })
    return `(case ${whens.join(' ')} else ${lit(choices.at(-1)![0])} end)`
  }

  const shanghai = (regionChildren('3101') ?? []).map((r) => r.code)
  const big = BIG_CITIES.flatMap((c) => (regionChildren(c) ?? []).map((r) => r.code))
  const everywhere = (regionChildren() ?? []).flatMap((p) =>
    (regionChildren(p.code) ?? []).flatMap((c) => (regionChildren(c.code) ?? []).map((r) => r.code)),
  )

  // --- Sessions: one main, one helper for the big tables ---------------------------------------
  const sessions: pg.PoolClient[] = [await d.pool.connect(), await d.pool.connect()]
  for (const c of sessions) {
    await c.query(`set work_mem = '256MB'`)
    await c.query(`set maintenance_work_mem = '1GB'`)
    await c.query(`set synchronous_commit = off`)
    // Skips foreign-key triggers (superuser only); without it the seed is slower, not different.
    await c.query(`set session_replication_role = replica`).catch(() => {})
  }
  const main = sessions[0]!
  const q = (text: string, params: unknown[] = []) => main.query(text, params)
  const step = async <T>(what: string, fn: () => Promise<T>) => {
    const t0 = performance.now()
    const out = await fn()
    log(`${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    return out
  }
  /** The same INSERT … SELECT over rows w, w+2, w+4 … from both sessions at once. */
  const inTwo = (sqlOf: (series: string) => string, n: number) =>
    Promise.all(sessions.map((c, w) => c.query(sqlOf(`generate_series(${w + 1}, ${n}, 2)`))))

  try {
    // Secondary indexes off while filling (their definitions are kept and rebuilt as they were).
    const { rows: indexDefs } = await q(
      `select i.indexname, i.indexdef from pg_indexes i
       where i.schemaname = 'public' and i.tablename = any($1::text[])
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [TABLES],
    )
    for (const ix of indexDefs) await q(`drop index "${ix.indexname}"`)

    // Channels.
    const channels: Record<string, string> = {}
    for (const [i, [code, kind, name]] of CHANNELS.entries()) {
      const { rows } = await q(
        `insert into channels (tenant_id, id, kind, name, code, unit_id, org_id)
         values ($1, ${idOf(9, String(i + 1), String(T0))}, $2, $3, $4, $5, $5) returning id`,
        [tenantId, kind, name, code, input.owners[0]!.orgId],
      )
      channels[code] = rows[0].id
    }
    const eventChannels = [channels.app!, channels.mini!, channels.mini!, channels.oa!, channels.web!]
    const leadChannels = Object.values(channels)

    const owners = input.owners
    const owner = (k: string) => `(${arr(owners.map((o) => o.id))})[1 + (${k}) % ${owners.length}]::uuid`
    const ownerUnit = (k: string) =>
      `(${arr(owners.map((o) => o.unitId))})[1 + (${k}) % ${owners.length}]::uuid`
    const ownerOrg = (k: string) =>
      `(${arr(owners.map((o) => o.orgId))})[1 + (${k}) % ${owners.length}]::uuid`

    // Behaviour events: a year, in time order; 60 % from the active tenth of the persons.
    await step(`${E.toLocaleString('en')} behaviour events`, () =>
      inTwo(
        (series) => `
        insert into behaviour_events (tenant_id, id, person_id, channel_id, type, occurred_at, properties, received_at)
        select ${tenant}, ${idOf(4, 'g', 'x.ms')}, ${personId('x.k')}, ${pick(eventChannels, u('g', 54))}::uuid,
          x.type, ${ts('x.ms')},
          case
            when x.type in ('view', 'click') and x.page = 'product'
              then jsonb_build_object('page', 'product', 'sku', 'SKU' || (1 + floor(${u('g', 55)} * 500))::int)
            when x.type in ('view', 'click') then jsonb_build_object('page', x.page)
            when x.type in ('add_to_cart', 'favourite', 'share')
              then jsonb_build_object('page', 'product', 'sku', 'SKU' || (1 + floor(${u('g', 55)} * 500))::int)
            when x.type in ('order', 'pay') then jsonb_build_object('amount', (2900 + floor(${u('g', 56)} * 300000))::int)
            else '{}'::jsonb
          end,
          ${ts('x.ms + 1500')}
        from ${series} g
        cross join lateral (select
          ${T - 365 * DAY}::bigint + floor(g::float8 * ${(365 * DAY) / E})::bigint as ms,
          case when ${u('g', 50)} < 0.6 then 10 * (1 + floor(${u('g', 51)} * ${Math.floor(P / 10) - 1}))::bigint
               else 1 + floor(${u('g', 51)} * ${P})::bigint end as k,
          ${weighted(EVENT_TYPES, u('g', 52))} as type,
          ${weighted(PAGES, u('g', 53))} as page) x`,
        E,
      ),
    )

    // Persons: a fifth in Shanghai, most others in the big cities' districts; first and last seen
    // follow their behaviour. 3 % organisations, 0.5 % merged into the next person.
    await step(`${P.toLocaleString('en')} persons`, async () => {
      await q(`create unlogged table bench_seen as
        select person_id, min(occurred_at) as first_at, max(occurred_at) as last_at
        from behaviour_events where tenant_id = ${tenant} group by person_id`)
      await q(`create index on bench_seen (person_id)`)
      await q(`
        insert into persons (tenant_id, id, kind, name, company, region_code, first_seen_at, last_seen_at,
          merged_into_id, created_at)
        select ${tenant}, x.id, case when ${u('k', 1)} < 0.03 then 'organisation' else 'person' end,
          substr(${lit(SURNAMES)}, 1 + floor(${u('k', 2)} * ${SURNAMES.length})::int, 1)
            || substr(${lit(GIVEN)}, 1 + floor(${u('k', 3)} * ${GIVEN.length})::int, 1)
            || case when ${u('k', 4)} < 0.6 then substr(${lit(GIVEN)}, 1 + floor(${u('k', 5)} * ${GIVEN.length})::int, 1) else '' end,
          case when ${u('k', 6)} < 0.35 then ${pick(COMPANY, u('k', 7))} || ${pick(COMPANY_SUFFIX, u('k', 8))} end,
          case when ${u('k', 9)} < 0.04 then null
               when ${u('k', 9)} < 0.24 then ${pick(shanghai, u('k', 11))}
               when ${u('k', 9)} < 0.84 then ${pick(big, u('k', 11))}
               else ${pick(everywhere, u('k', 11))} end,
          least(x.at, s.first_at), greatest(x.at, s.last_at),
          case when ${merged('k')} then ${personId('k + 1')} end, x.at
        from generate_series(1, ${P}) k
        cross join lateral (select ${personId('k')} as id, ${ts(personMs('k'))} as at) x
        left join bench_seen s on s.person_id = x.id`)
      await q(`drop table bench_seen`)
    })

    await step('identities (mobile 90 %, email 30 %, WeChat openid 35 %)', () =>
      q(`
        insert into person_identities (tenant_id, kind, namespace, value, person_id, created_at)
        select ${tenant}, 'mobile', '', ${benchMobileSql('k')}, ${personId('k')}, ${ts(personMs('k'))}
        from generate_series(1, ${P}) k where not ${merged('k')} and ${u('k', 12)} < 0.9
        union all
        select ${tenant}, 'email', '', 'user' || k || '@' || ${pick(['qq.com', '163.com', 'example.cn', 'sina.com'], u('k', 14))},
          ${personId('k')}, ${ts(personMs('k'))}
        from generate_series(1, ${P}) k where not ${merged('k')} and ${u('k', 13)} < 0.3
        union all
        select ${tenant}, 'openid', 'wx_bench_app', 'o' || substr(md5(${seed} || ':' || k), 1, 27),
          ${personId('k')}, ${ts(personMs('k'))}
        from generate_series(1, ${P}) k where not ${merged('k')} and ${u('k', 15)} < 0.35`),
    )

    // Leads for 40 % of the persons: channel, score (higher for active persons) and grade.
    await step('leads', () =>
      q(`
        insert into leads (tenant_id, id, name, mobile, company, source, status, region_code, person_id, channel_id,
          intent_count, last_intent_at, score, grade, name_key, owner_id, unit_id, org_id, category, created_at,
          updated_at, assigned_at, status_changed_at)
        select ${tenant}, ${leadId('k')}, p.name,
          ${benchMobileSql('k')},
          p.company, ch.name,
          case when ${hasCustomer('k')} then 'converted'
               else ${weighted(
                 [
                   ['new', 0.15],
                   ['assigned', 0.2],
                   ['following', 0.35],
                   ['qualified', 0.1],
                   ['closed', 0.12],
                   ['invalid', 0.08],
                 ],
                 u('k', 22),
               )} end,
          p.region_code, p.id, ch.id, 1 + floor(power(${u('k', 23)}, 3) * 8)::int, x.at, x.score,
          case when x.score >= 80 then 'A' when x.score >= 60 then 'B' when x.score >= 40 then 'C' else 'D' end,
          p.name, ${owner('k')}, ${ownerUnit('k')}, ${ownerOrg('k')},
          ${pick(['奶粉', '纸尿裤', '童装', '玩具', '孕产'], u('k', 25))}, x.at, x.at, x.at, x.at
        from generate_series(1, ${P}) k
        cross join lateral (select ${ts(leadMs('k'))} as at,
          case when ${active('k')} then 40 + floor(${u('k', 24)} * 61) else floor(${u('k', 24)} * 81) end::int as score) x
        join persons p on p.tenant_id = ${tenant} and p.id = ${personId('k')}
        join channels ch on ch.tenant_id = ${tenant}
          and ch.id = (${arr(leadChannels)})[1 + floor(${u('k', 26)} * ${leadChannels.length})::int]::uuid
        where ${hasLead('k')}`),
    )

    // Customers for a quarter (60 % of the active persons), mostly converted leads.
    await step('customers', () =>
      q(`
        insert into customers (tenant_id, id, kind, name, industry, size, region_code, phone, source, level,
          customer_group, status, person_id, lead_id, channel_id, name_key, owner_id, unit_id, org_id, created_at,
          updated_at, assigned_at)
        select ${tenant}, ${customerId('k')}, case when p.kind = 'organisation' then 'organisation' else 'individual' end,
          coalesce(p.company, p.name),
          case when p.kind = 'organisation' then ${pick(['零售', '母婴', '教育', '医疗'], u('k', 32))} end,
          case when p.kind = 'organisation' then ${pick(['1-49', '50-199', '200-999'], u('k', 33))} end,
          p.region_code,
          ${benchMobileSql('k')},
          ${pick(['天猫', '小程序', '门店', '转介绍'], u('k', 34))},
          case when ${u('k', 35)} < 0.15 then '重点' else '普通' end,
          ${pick(['A', 'B', 'C', 'D', 'E'], u('k', 36))},
          case when ${u('k', 37)} < 0.92 then 'active' else 'inactive' end,
          p.id, case when ${hasLead('k')} then ${leadId('k')} end,
          (${arr(leadChannels)})[1 + floor(${u('k', 26)} * ${leadChannels.length})::int]::uuid,
          coalesce(p.company, p.name), ${owner('k')}, ${ownerUnit('k')}, ${ownerOrg('k')}, x.at, x.at, x.at
        from generate_series(1, ${P}) k
        cross join lateral (select ${ts(customerMs('k'))} as at) x
        join persons p on p.tenant_id = ${tenant} and p.id = ${personId('k')}
        where ${hasCustomer('k')}`),
    )

    // Orders over two years in time order: 60 % spread over all customers, 40 % over the
    // customers of active persons (frequent buyers). Mostly completed; some cancelled/refunded.
    await step(`${O.toLocaleString('en')} orders`, async () => {
      await q(`create unlogged table bench_buyers as
        select (row_number() over (order by id))::int as key, id, person_id, owner_id, unit_id, org_id
        from customers where tenant_id = ${tenant}`)
      const C = Number((await q(`select count(*)::int n from bench_buyers`)).rows[0].n)
      // Frequent buyers: customers of active persons (row number k divisible by 10).
      await q(`insert into bench_buyers
        select -(row_number() over (order by b.id))::int, b.id, b.person_id, b.owner_id, b.unit_id, b.org_id
        from bench_buyers b
        where b.key > 0 and ('x' || right(b.person_id::text, 12))::bit(48)::bigint % 10 = 0`)
      const F = Number((await q(`select count(*)::int n from bench_buyers where key < 0`)).rows[0].n)
      await q(`create unique index on bench_buyers (key)`)
      await q(`analyze bench_buyers`)
      const status = weighted(
        [
          ['draft', 0.02],
          ['cancelled', 0.08],
          ['refunded', 0.03],
          ['confirmed', 0.07],
          ['shipped', 0.05],
          ['completed', 0.75],
        ],
        u('g', 42),
      )
      await inTwo(
        (series) => `
        insert into orders (tenant_id, id, number, customer_id, person_id, source, channel_id, status, ordered_at,
          subtotal, discount_total, total, paid_total, refunded_total, owner_id, unit_id, org_id, created_at,
          updated_at, confirmed_at, shipped_at, completed_at, cancelled_at)
        select ${tenant}, ${idOf(5, 'g', 'x.ms')}, 'SO' || lpad(g::text, 9, '0'), b.id, b.person_id,
          case when x.tmall then 'ecommerce' else 'direct' end, case when x.tmall then ${lit(channels.tmall!)}::uuid end,
          x.status, ${ts('x.ms')}, x.amt, 0, x.amt,
          case when x.status in ('draft', 'cancelled') then 0 else x.amt end,
          case when x.status = 'refunded' then x.amt
               when x.status = 'completed' and ${u('g', 43)} < 0.03 then x.amt / 5 else 0 end,
          b.owner_id, b.unit_id, b.org_id, ${ts('x.ms')}, ${ts('x.ms')},
          case when x.status not in ('draft', 'cancelled') then ${ts('x.ms + 600000')} end,
          case when x.status in ('shipped', 'completed', 'refunded') then ${ts(`x.ms + ${DAY}`)} end,
          case when x.status in ('completed', 'refunded') then ${ts(`x.ms + ${5 * DAY}`)} end,
          case when x.status = 'cancelled' then ${ts('x.ms + 3600000')} end
        from ${series} g
        cross join lateral (select
          ${T - 730 * DAY}::bigint + floor(g::float8 * ${(730 * DAY) / O})::bigint as ms,
          case when ${u('g', 40)} < 0.4 then -(1 + floor(${u('g', 41)} * ${F}))::int
               else (1 + floor(${u('g', 41)} * ${C}))::int end as key,
          (2900 + floor(power(${u('g', 44)}, 2) * 300000))::bigint * 1 as amt,
          ${u('g', 45)} < 0.5 as tmall,
          ${status} as status) x
        join bench_buyers b on b.key = x.key`,
        O,
      )
      await q(`drop table bench_buyers`)
      // The orders module keeps these on the customer (valid orders only).
      await q(`
        update customers c set order_count = o.n, order_total = o.amt, first_order_at = o.first, last_order_at = o.last
        from (select customer_id, count(*)::int n, sum(total - refunded_total)::bigint amt, min(ordered_at) first,
                max(ordered_at) last
              from orders where tenant_id = ${tenant} and status in ('confirmed', 'shipped', 'completed')
              group by customer_id) o
        where c.tenant_id = ${tenant} and c.id = o.customer_id`)
    })

    // Tag groups and tags; persons tagged by hand, in bulk or by import.
    const tags: Record<string, string> = {}
    await step('tags', async () => {
      let n = 0
      for (const [gi, g] of TAG_GROUPS.entries()) {
        const { rows } = await q(
          `insert into tag_groups (tenant_id, id, name, color, exclusive, sort_order, created_by)
           values ($1, ${idOf(6, String(gi + 1), String(T0))}, $2, $3, $4, $5, $6) returning id`,
          [tenantId, g.name, g.color, g.exclusive, gi, input.adminId],
        )
        let acc = 0
        for (const [ti, [name, color, share]] of g.tags.entries()) {
          n++
          const { rows: t } = await q(
            `insert into tags (tenant_id, id, group_id, name, color, sort_order, created_by)
             values ($1, ${idOf(7, String(n), String(T0))}, $2, $3, $4, $5, $6) returning id`,
            [tenantId, rows[0].id, name, color, ti, input.adminId],
          )
          tags[name] = t[0].id
          // Exclusive groups: one draw per group, consecutive buckets; others: one draw per tag.
          const r = g.exclusive ? u('k', 60 + gi) : u('k', 70 + n)
          const cond = g.exclusive ? `${r} >= ${acc} and ${r} < ${acc + share}` : `${r} < ${share}`
          acc += share
          await q(`
            insert into person_tags (tenant_id, person_id, tag_id, source, added_by, added_at)
            select ${tenant}, ${personId('k')}, ${lit(t[0].id)}::uuid,
              ${pick(['manual', 'bulk', 'import', 'import'], u('k', 90 + n))}, ${lit(input.adminId)}::uuid,
              ${ts(`${personMs('k')} + floor((${T}::bigint - ${personMs('k')}) * ${u('k', 110 + n)})::bigint`)}
            from generate_series(1, ${P}) k
            where not ${merged('k')} and ${cond}`)
        }
      }
    })

    await step(`rebuilt ${indexDefs.length} indexes`, async () => {
      // Two at a time (one per session), the biggest tables first.
      const queue = [...indexDefs].sort(
        (a, b) =>
          TABLES.indexOf(b.indexdef.match(/ON public\.(\w+)/)?.[1]) -
          TABLES.indexOf(a.indexdef.match(/ON public\.(\w+)/)?.[1]),
      )
      await Promise.all(
        sessions.map(async (c) => {
          for (let ix = queue.shift(); ix; ix = queue.shift()) await c.query(ix.indexdef)
        }),
      )
    })
    await step('vacuum analyze', async () => {
      for (const t of [...TABLES, 'tags', 'tag_groups', 'channels']) await q(`vacuum analyze ${t}`)
    })

    // Consistency the skipped foreign keys would have checked.
    const { rows: bad } = await q(`select
      (select count(*) from orders o where o.tenant_id = ${tenant} and not exists
        (select 1 from customers c where c.tenant_id = o.tenant_id and c.id = o.customer_id))::int as orders,
      (select count(*) from person_identities i where i.tenant_id = ${tenant} and not exists
        (select 1 from persons p where p.tenant_id = i.tenant_id and p.id = i.person_id))::int as identities,
      (select count(*) from person_tags t where t.tenant_id = ${tenant} and not exists
        (select 1 from persons p where p.tenant_id = t.tenant_id and p.id = t.person_id))::int as tags`)
    if (bad[0].orders || bad[0].identities || bad[0].tags)
      throw new Error(`seed inconsistent: ${JSON.stringify(bad[0])}`)

    const counts: Record<string, number> = {}
    for (const t of TABLES)
      counts[t] = Number((await q(`select count(*)::int n from ${t} where tenant_id = ${tenant}`)).rows[0].n)
    return { counts, tags, channels, seededAt: new Date(T) }
  } finally {
    for (const c of sessions) {
      await c.query(`reset all`).catch(() => {})
      c.release()
    }
  }
}

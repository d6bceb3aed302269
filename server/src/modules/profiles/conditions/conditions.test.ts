/**
 * Profile conditions: every operator and field family on a small workspace, nested all/any, the
 * 0-count cases, merged persons, validation paths, explanations agreeing with the compiled SQL,
 * incremental (restricted) evaluation agreeing with the full one, and the field catalogue route.
 */
import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { createDefinition } from '../../../platform/custom-fields/definitions.service.js'
import { AppError } from '../../../platform/http/errors.js'
import { hasMessage, LOCALES, translate } from '../../../platform/i18n/messages.js'
import { conditionSql, countMatching, countPersons, matchingPersonIdsSql } from './compile.js'
import { explainConditions } from './explain.js'
import { daysAgo, type ProfileData, profileData } from './fixture.js'
import type { ConditionNode } from './types.js'
import { validateConditionTree } from './validate.js'

let kit: Kit
let d: ProfileData
const P: Record<string, string> = {}
const T: Record<string, string> = {}
const C: Record<string, string> = {}
let everyone: string[] = []

const all = (...conditions: unknown[]) => ({ match: 'all', conditions }) as ConditionNode
const any = (...conditions: unknown[]) => ({ match: 'any', conditions }) as ConditionNode
const leaf = (field: string, op: string, value?: unknown, params?: Record<string, unknown>) =>
  ({ field, op, value, params }) as ConditionNode

async function matching(node: ConditionNode, personIds?: string[]): Promise<string[]> {
  const res = await kit.a.sys.db.execute<{ id: string }>(matchingPersonIdsSql(kit.a.sys, node, { personIds }))
  return res.rows.map((r) => r.id).sort()
}
const names = (ids: string[]) =>
  ids
    .map((id) => Object.entries(P).find(([, v]) => v === id)?.[0] ?? id)
    .sort()
    .join(',')

/**
 * The persons matching `node` are exactly `expected` — and every other way to ask agrees: the
 * count, the predicate on its own, the restricted (incremental) evaluation, and the explanation.
 */
async function check(node: ConditionNode, expected: string[]) {
  const got = await matching(node)
  expect(names(got)).toBe(expected.slice().sort().join(','))
  expect(await countMatching(kit.a.sys, node)).toBe(got.length)
  const pred = await kit.a.sys.db.execute<{ n: number }>(
    sql`select count(*)::int as n from persons where tenant_id = ${kit.a.tenantId} and merged_into_id is null and ${conditionSql(kit.a.sys, node)}`,
  )
  expect(pred.rows[0]!.n).toBe(got.length)
  for (const id of everyone) {
    const inSet = got.includes(id)
    expect((await matching(node, [id])).includes(id), `restricted ${names([id])}`).toBe(inSet)
    expect((await explainConditions(kit.a.sys, node, id)).holds, `explain ${names([id])}`).toBe(inSet)
  }
  // Two persons at once: the restriction keeps exactly those of the full set.
  const pair = [P.p1!, P.p5!]
  expect(await matching(node, pair)).toEqual(got.filter((id) => pair.includes(id)))
}

async function fieldsOf(fn: () => Promise<unknown>) {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    const e = err as AppError
    expect(e.status).toBe(400)
    return e.fields.map((f) => `${f.field}:${f.code}`)
  }
  throw new Error('expected a validation error')
}

beforeAll(async () => {
  kit = await createKit()
  d = profileData(kit.a)
  const ctx = kit.a.sys
  await createDefinition(ctx, {
    object: 'lead',
    key: 'level',
    label: '会员等级',
    type: 'single_select',
    options: [
      { value: 'gold', label: '金卡' },
      { value: 'silver', label: '银卡' },
    ],
  })
  await createDefinition(ctx, {
    object: 'lead',
    key: 'interests',
    label: '兴趣',
    type: 'multi_select',
    options: ['a', 'b', 'c'].map((v) => ({ value: v, label: v })),
  })
  await createDefinition(ctx, { object: 'lead', key: 'birthday', label: '生日', type: 'date' })
  await createDefinition(ctx, { object: 'lead', key: 'budget', label: '预算', type: 'number' })
  await createDefinition(ctx, { object: 'lead', key: 'home', label: '住址', type: 'region' })
  await createDefinition(ctx, { object: 'customer', key: 'segment', label: '细分', type: 'text' })

  C.c1 = await d.channel('公众号')
  C.c2 = await d.channel('小程序')
  const g = await d.group('人群')
  T.baby = await d.tag(g, '母婴')
  T.vip = await d.tag(g, 'VIP')

  // p1: the "Shanghai, 母婴, ≥ 2 orders in 90 days, viewed the product page in 7 days" person.
  P.p1 = await d.person({
    name: '张三',
    company: '海纳科技',
    regionCode: '310101',
    firstSeenDaysAgo: 100,
    lastSeenDaysAgo: 1,
  })
  await d.identity(P.p1, 'mobile')
  await d.identity(P.p1, 'email')
  await d.tagPerson(P.p1, T.baby)
  await d.tagPerson(P.p1, T.vip, 'rule')
  await d.lead(P.p1, {
    status: 'following',
    score: 80,
    channelId: C.c1,
    custom: {
      level: 'gold',
      interests: ['a', 'b'],
      birthday: '1990-05-01',
      budget: 5000,
      home: { province: '31', city: '3101' },
    },
  })
  await d.intent(P.p1, C.c1, 2)
  await d.intent(P.p1, C.c1, 40)
  await d.event(P.p1, 'view', 1, { page: 'product' })
  await d.event(P.p1, 'view', 2, { page: 'product' })
  await d.event(P.p1, 'view', 30, { page: 'home' })
  await d.event(P.p1, 'register', 200)
  const cu1 = await d.customer(P.p1, { level: 'A', customerGroup: 'E', custom: { segment: 'retail' } })
  await d.order(cu1, P.p1, { status: 'completed', total: 10000, days: 10 })
  await d.order(cu1, P.p1, { status: 'shipped', total: 20000, refunded: 5000, days: 60 })
  await d.order(cu1, P.p1, { status: 'cancelled', total: 99999, days: 3 })
  await d.order(cu1, P.p1, { status: 'confirmed', total: 7000, days: 200 })
  await d.order(cu1, null, { status: 'completed', total: 1, days: 1 }) // no person: counts for no one

  // p2: Beijing, VIP by hand, one new lead from channel 2, one old view.
  P.p2 = await d.person({ name: '李四', regionCode: '110105', firstSeenDaysAgo: 5, lastSeenDaysAgo: 5 })
  await d.identity(P.p2, 'openid')
  await d.tagPerson(P.p2, T.vip)
  await d.lead(P.p2, {
    status: 'new',
    score: 20,
    regionCode: '110105',
    channelId: C.c2,
    custom: { level: 'silver' },
  })
  await d.event(P.p2, 'view', 40)

  // p3: an anonymous visitor (device id only) who viewed five times in two days.
  P.p3 = await d.person({ firstSeenDaysAgo: 2, lastSeenDaysAgo: 0 })
  await d.identity(P.p3, 'device')
  for (let i = 0; i < 5; i++) await d.event(P.p3, 'view', 1, { page: 'home' })

  // p5: Shenzhen, two leads (one closed), one recent order, no identities.
  P.p5 = await d.person({
    name: 'Zhang Wei',
    regionCode: '440305',
    firstSeenDaysAgo: 300,
    lastSeenDaysAgo: 20,
  })
  await d.lead(P.p5, { status: 'closed', category: null })
  await d.lead(P.p5, { status: 'following', category: '奶粉' })
  const cu5 = await d.customer(P.p5)
  await d.order(cu5, P.p5, { status: 'completed', total: 3000, days: 10 })

  // p4: merged into p1 — satisfies nothing, ever.
  P.p4 = await d.person({ name: '张三', regionCode: '310101', mergedInto: P.p1 })
  await d.tagPerson(P.p4, T.baby)
  await d.event(P.p4, 'view', 1, { page: 'product' })

  // Workspace B: the same kind of person must never be counted in A.
  const db = profileData(kit.b)
  const q = await db.person({ name: '张三', regionCode: '310101' })
  await db.event(q, 'view', 1)

  everyone = [P.p1, P.p2, P.p3, P.p5, P.p4]
})
afterAll(() => kit.close())

describe('person fields', () => {
  it('compares text: eq ne in not_in contains starts_with regex empty not_empty', async () => {
    await check(leaf('person.name', 'eq', '张三'), ['p1'])
    await check(leaf('person.name', 'ne', '张三'), ['p2', 'p3', 'p5']) // missing name satisfies ne
    await check(leaf('person.name', 'in', ['张三', '李四']), ['p1', 'p2'])
    await check(leaf('person.name', 'not_in', ['张三']), ['p2', 'p3', 'p5'])
    await check(leaf('person.name', 'contains', 'zhang'), ['p5'])
    await check(leaf('person.name', 'starts_with', '张'), ['p1'])
    await check(leaf('person.name', 'regex', '^[A-Z][a-z]+ [A-Z]'), ['p5'])
    await check(leaf('person.name', 'empty'), ['p3'])
    await check(leaf('person.name', 'not_empty'), ['p1', 'p2', 'p5'])
    await check(leaf('person.company', 'contains', '海纳'), ['p1'])
  })

  it('compares regions hierarchically', async () => {
    await check(leaf('person.regionCode', 'eq', '31'), ['p1'])
    await check(leaf('person.regionCode', 'eq', '3101'), ['p1'])
    await check(leaf('person.regionCode', 'in', ['11', '44']), ['p2', 'p5'])
    await check(leaf('person.regionCode', 'ne', '31'), ['p2', 'p3', 'p5'])
    await check(leaf('person.regionCode', 'not_in', ['31', '11']), ['p3', 'p5'])
    await check(leaf('person.regionCode', 'empty'), ['p3'])
    await check(leaf('person.kind', 'eq', 'person'), ['p1', 'p2', 'p3', 'p5'])
  })

  it('compares dates: relative days, before, after, between', async () => {
    await check(leaf('person.firstSeenAt', 'in_last_days', 10), ['p2', 'p3'])
    await check(leaf('person.firstSeenAt', 'not_in_last_days', 10), ['p1', 'p5'])
    await check(leaf('person.lastSeenAt', 'not_in_last_days', 3), ['p2', 'p5'])
    const day = (n: number) => daysAgo(n).toISOString().slice(0, 10)
    await check(leaf('person.firstSeenAt', 'before', day(50)), ['p1', 'p5'])
    await check(leaf('person.firstSeenAt', 'after', day(50)), ['p2', 'p3'])
    await check(leaf('person.firstSeenAt', 'between', [day(150), day(50)]), ['p1'])
    await check(leaf('person.firstSeenAt', 'after', daysAgo(3).toISOString()), ['p3'])
  })
})

describe('tags, identities, channels', () => {
  it('tests tags: in, all, not_in, empty, not_empty (merged persons excluded)', async () => {
    await check(leaf('tags', 'in', [T.baby]), ['p1'])
    await check(leaf('tags', 'all', [T.baby, T.vip]), ['p1'])
    await check(leaf('tags', 'in', [T.baby, T.vip]), ['p1', 'p2'])
    await check(leaf('tags', 'not_in', [T.baby]), ['p2', 'p3', 'p5'])
    await check(leaf('tags', 'empty'), ['p3', 'p5'])
    await check(leaf('tags', 'not_empty'), ['p1', 'p2'])
  })

  it('tests identity kinds and channels', async () => {
    await check(leaf('identity', 'in', ['mobile']), ['p1'])
    await check(leaf('identity', 'all', ['mobile', 'email']), ['p1'])
    await check(leaf('identity', 'all', ['mobile', 'openid']), [])
    await check(leaf('identity', 'not_in', ['openid']), ['p1', 'p3', 'p5'])
    await check(leaf('identity', 'empty'), ['p5'])
    await check(leaf('channel', 'in', [C.c1]), ['p1'])
    await check(leaf('channel', 'all', [C.c1, C.c2]), [])
    await check(leaf('channel', 'not_in', [C.c1]), ['p2', 'p3', 'p5'])
    await check(leaf('channel', 'empty'), ['p3', 'p5'])
    await check(leaf('channel', 'not_empty'), ['p1', 'p2'])
  })
})

describe('lead and customer fields (any lead or customer satisfies)', () => {
  it('compares lead columns', async () => {
    await check(leaf('lead.status', 'eq', 'following'), ['p1', 'p5'])
    await check(leaf('lead.status', 'ne', 'closed'), ['p1', 'p2', 'p5'])
    await check(leaf('lead.status', 'in', ['new', 'closed']), ['p2', 'p5'])
    await check(leaf('lead.score', 'gte', 50), ['p1'])
    await check(leaf('lead.score', 'lt', 50), ['p2', 'p5'])
    await check(leaf('lead.score', 'between', [10, 30]), ['p2'])
    await check(leaf('lead.category', 'empty'), ['p1', 'p2', 'p5'])
    await check(leaf('lead.category', 'eq', '奶粉'), ['p5'])
    await check(leaf('lead.regionCode', 'eq', '11'), ['p2'])
    await check(leaf('lead.channelId', 'eq', C.c2), ['p2'])
    await check(leaf('lead.createdAt', 'in_last_days', 1), ['p1', 'p2', 'p5'])
  })

  it('compares custom fields by type (select, multi-select, date, number, region, text)', async () => {
    await check(leaf('lead.custom.level', 'eq', 'gold'), ['p1'])
    await check(leaf('lead.custom.level', 'ne', 'gold'), ['p2', 'p5'])
    await check(leaf('lead.custom.level', 'in', ['gold', 'silver']), ['p1', 'p2'])
    await check(leaf('lead.custom.level', 'empty'), ['p5'])
    await check(leaf('lead.custom.interests', 'all', ['a', 'b']), ['p1'])
    await check(leaf('lead.custom.interests', 'all', ['a', 'c']), [])
    await check(leaf('lead.custom.interests', 'in', ['b', 'c']), ['p1'])
    await check(leaf('lead.custom.interests', 'not_in', ['b']), ['p2', 'p5'])
    await check(leaf('lead.custom.birthday', 'before', '2000-01-01'), ['p1'])
    await check(leaf('lead.custom.birthday', 'between', ['1990-05-01', '1990-05-01']), ['p1'])
    await check(leaf('lead.custom.birthday', 'after', '1990-05-01'), [])
    await check(leaf('lead.custom.budget', 'gt', 1000), ['p1'])
    await check(leaf('lead.custom.budget', 'lte', 1000), [])
    await check(leaf('lead.custom.home', 'eq', '31'), ['p1'])
    await check(leaf('lead.custom.home', 'eq', '3101'), ['p1'])
    await check(leaf('lead.custom.home', 'eq', '11'), [])
    await check(leaf('customer.custom.segment', 'eq', 'retail'), ['p1'])
    await check(leaf('customer.custom.segment', 'regex', '^ret'), ['p1'])
    await check(leaf('customer.customerGroup', 'eq', 'E'), ['p1'])
    await check(leaf('customer.customerGroup', 'ne', 'E'), ['p5'])
  })
})

describe('aggregates (0 when none)', () => {
  it('counts intents', async () => {
    await check(leaf('intents.count', 'gte', 2), ['p1'])
    await check(leaf('intents.count', 'gte', 1, { days: 7 }), ['p1'])
    await check(leaf('intents.count', 'eq', 0), ['p2', 'p3', 'p5'])
    await check(leaf('intents.count', 'gte', 1, { channelId: C.c2 }), [])
  })

  it('counts behaviour events by type, window and property', async () => {
    await check(leaf('events.count', 'gte', 1, { eventType: 'view', days: 7 }), ['p1', 'p3'])
    await check(leaf('events.count', 'gte', 3, { eventType: 'view', days: 7 }), ['p3'])
    await check(leaf('events.count', 'lt', 3, { eventType: 'view', days: 7 }), ['p1', 'p2', 'p5'])
    await check(leaf('events.count', 'eq', 0, { eventType: 'view', days: 7 }), ['p2', 'p5'])
    await check(leaf('events.count', 'ne', 2, { eventType: 'view', days: 7 }), ['p2', 'p3', 'p5'])
    await check(leaf('events.count', 'lte', 2, { eventType: 'view' }), ['p2', 'p5'])
    await check(leaf('events.count', 'between', [1, 2], { eventType: 'view', days: 7 }), ['p1'])
    await check(leaf('events.count', 'between', [0, 2], { eventType: 'view', days: 7 }), ['p1', 'p2', 'p5'])
    await check(
      leaf('events.count', 'gte', 2, {
        eventType: 'view',
        days: 7,
        property: 'page',
        propertyValue: 'product',
      }),
      ['p1'],
    )
    await check(leaf('events.count', 'gt', 0, { eventType: 'register' }), ['p1'])
  })

  it('dates first and last events', async () => {
    await check(leaf('events.last', 'in_last_days', 7, { eventType: 'view' }), ['p1', 'p3'])
    await check(leaf('events.last', 'not_in_last_days', 7, { eventType: 'view' }), ['p2', 'p5'])
    await check(leaf('events.last', 'empty', undefined, { eventType: 'view' }), ['p5'])
    await check(leaf('events.last', 'not_empty'), ['p1', 'p2', 'p3'])
    await check(leaf('events.first', 'before', daysAgo(100).toISOString()), ['p1'])
    await check(leaf('events.first', 'in_last_days', 7), ['p3'])
    await check(leaf('events.first', 'not_in_last_days', 7), ['p1', 'p2', 'p5'])
    await check(leaf('events.first', 'after', daysAgo(50).toISOString()), ['p2', 'p3'])
    await check(leaf('events.first', 'between', [daysAgo(250).toISOString(), daysAgo(150).toISOString()]), [
      'p1',
    ])
    await check(leaf('events.last', 'before', daysAgo(10).toISOString()), ['p2'])
    await check(
      leaf('events.last', 'between', [daysAgo(45).toISOString(), daysAgo(35).toISOString()], {
        eventType: 'view',
      }),
      ['p2'],
    )
  })

  it('counts and sums orders (confirmed, shipped, completed; refunds deducted)', async () => {
    await check(leaf('orders.count', 'gte', 2, { days: 90 }), ['p1'])
    await check(leaf('orders.count', 'eq', 3), ['p1'])
    await check(leaf('orders.count', 'lt', 1), ['p2', 'p3'])
    await check(leaf('orders.count', 'lte', 1, { days: 90 }), ['p2', 'p3', 'p5'])
    await check(leaf('orders.amount', 'gte', 25000, { days: 90 }), ['p1'])
    await check(leaf('orders.amount', 'gt', 25000, { days: 90 }), [])
    await check(leaf('orders.amount', 'eq', 32000), ['p1'])
    await check(leaf('orders.amount', 'lt', 5000), ['p2', 'p3', 'p5'])
    await check(leaf('orders.amount', 'eq', 0), ['p2', 'p3'])
    await check(leaf('orders.last', 'in_last_days', 30), ['p1', 'p5'])
    await check(leaf('orders.last', 'not_in_last_days', 30), ['p2', 'p3'])
    await check(leaf('orders.last', 'empty'), ['p2', 'p3'])
  })
})

describe('groups', () => {
  it('builds the scenario: Shanghai, 母婴, ≥ 2 orders in 90 days, viewed the product page in 7 days', async () => {
    await check(
      all(
        leaf('person.regionCode', 'eq', '31'),
        leaf('tags', 'in', [T.baby]),
        leaf('orders.count', 'gte', 2, { days: 90 }),
        leaf('events.count', 'gte', 1, {
          eventType: 'view',
          days: 7,
          property: 'page',
          propertyValue: 'product',
        }),
      ),
      ['p1'],
    )
  })

  it('nests all/any with sets, negative sets (true at 0) and row tests', async () => {
    await check(
      any(
        leaf('person.regionCode', 'eq', '11'),
        leaf('events.count', 'gte', 3, { eventType: 'view', days: 7 }),
      ),
      ['p2', 'p3'],
    )
    await check(any(leaf('tags', 'empty'), leaf('orders.count', 'lt', 1)), ['p2', 'p3', 'p5'])
    await check(
      any(
        leaf('events.count', 'lt', 1, { eventType: 'view', days: 7 }),
        leaf('person.regionCode', 'eq', '31'),
      ),
      ['p1', 'p2', 'p5'],
    )
    await check(any(leaf('tags', 'not_in', [T.vip]), leaf('identity', 'not_in', ['mobile'])), [
      'p2',
      'p3',
      'p5',
    ])
    await check(
      all(
        any(leaf('person.regionCode', 'eq', '31'), leaf('person.regionCode', 'eq', '44')),
        leaf('orders.count', 'gte', 1, { days: 30 }),
        leaf('tags', 'not_in', [T.vip]),
      ),
      ['p5'],
    )
    await check(
      any(
        all(leaf('person.regionCode', 'eq', '31'), leaf('tags', 'in', [T.vip])),
        all(leaf('events.count', 'eq', 0, { eventType: 'view' }), leaf('lead.status', 'eq', 'following')),
      ),
      ['p1', 'p5'],
    )
    // Four levels deep, an OR of a negative and a positive inside an AND inside an OR.
    await check(
      any(
        all(
          any(all(leaf('person.name', 'empty')), leaf('tags', 'all', [T.baby, T.vip])),
          any(leaf('orders.count', 'eq', 0), leaf('person.firstSeenAt', 'not_in_last_days', 50)),
        ),
        leaf('lead.score', 'between', [10, 30]),
      ),
      ['p1', 'p2', 'p3'],
    )
    await check(all(leaf('person.name', 'eq', '张三'), leaf('person.name', 'eq', '李四')), [])
    await check(any(leaf('person.name', 'eq', '张三'), leaf('person.name', 'eq', '李四')), ['p1', 'p2'])
  })

  it('materialises the candidates of an AND once for its grouped aggregates, with the same answers', async () => {
    const day = (n: number) => daysAgo(n).toISOString().slice(0, 10)
    // Candidates, then a negative grouped aggregate (true at 0: count < 2 has no row for p2).
    await check(all(leaf('tags', 'not_empty'), leaf('orders.count', 'lt', 2, { days: 90 })), ['p2'])
    // Row tests of an OR join the candidates; the amount reads only theirs.
    await check(
      all(
        leaf('lead.status', 'eq', 'following'),
        any(leaf('person.regionCode', 'eq', '44'), leaf('person.regionCode', 'eq', '31')),
        leaf('orders.amount', 'gte', 3000, { days: 365 }),
      ),
      ['p1', 'p5'],
    )
    // An OR of grouped aggregates after the candidates.
    await check(
      all(
        leaf('lead.status', 'eq', 'following'),
        any(
          leaf('orders.amount', 'gte', 20000, { days: 365 }),
          leaf('events.count', 'gte', 3, { eventType: 'view' }),
        ),
      ),
      ['p1'],
    )
    // Nested ANDs flatten into one.
    await check(
      all(
        all(leaf('person.regionCode', 'eq', '31')),
        all(leaf('tags', 'in', [T.baby]), leaf('orders.count', 'gte', 2, { days: 90 })),
      ),
      ['p1'],
    )
    // Two ANDs with candidates of their own inside an OR; a negative grouped aggregate in one.
    await check(
      any(
        all(leaf('lead.status', 'eq', 'following'), leaf('orders.amount', 'lt', 5000, { days: 365 })),
        all(leaf('tags', 'in', [T.vip]), leaf('events.count', 'eq', 0, { eventType: 'view', days: 7 })),
      ),
      ['p2', 'p5'],
    )
    // Aggregates that need no grouping are candidates (≥ 1 event, the latest event, the first
    // before a day); the grouped ones read only theirs.
    await check(
      all(
        leaf('events.count', 'gte', 1, { eventType: 'view', days: 7 }),
        leaf('orders.amount', 'gte', 1000, { days: 365 }),
      ),
      ['p1'],
    )
    await check(
      all(leaf('events.last', 'in_last_days', 3), leaf('orders.count', 'between', [2, 5], { days: 90 })),
      ['p1'],
    )
    await check(all(leaf('events.first', 'before', day(100)), leaf('orders.last', 'before', day(5))), ['p1'])
    await check(all(leaf('events.first', 'before', day(100)), leaf('orders.last', 'in_last_days', 5)), [])
    // A negated AND (how exclusive groups give earlier rules precedence).
    const negated = {
      match: 'all',
      conditions: [
        leaf('tags', 'not_empty'),
        { not: all(leaf('person.regionCode', 'eq', '31'), leaf('orders.count', 'gte', 2, { days: 90 })) },
      ],
    } as unknown as ConditionNode
    expect(names(await matching(negated))).toBe('p2')
    expect(names(await matching(negated, [P.p1!, P.p2!, P.p5!]))).toBe('p2')
    expect(await countMatching(kit.a.sys, negated)).toBe(1)

    // The shape: candidates once (one region test, one tag set), then the order aggregates.
    const scenario = all(
      leaf('person.regionCode', 'eq', '31'),
      leaf('tags', 'in', [T.baby]),
      leaf('orders.count', 'gte', 2, { days: 90 }),
      leaf('orders.amount', 'gte', 1000, { days: 365 }),
      leaf('events.count', 'gte', 1, { eventType: 'view', days: 7 }),
    )
    for (const q of [matchingPersonIdsSql(kit.a.sys, scenario), conditionSql(kit.a.sys, scenario)]) {
      const text = new PgDialect().sqlToQuery(q).sql
      expect(text.match(/as materialized/g)).toHaveLength(1)
      expect(text.match(/like any/g)).toHaveLength(1)
      expect(text.match(/from "person_tags"/g)).toHaveLength(1)
      expect(text.match(/group by/g)).toHaveLength(2)
    }
    await check(scenario, ['p1'])
  })

  it('counts only persons of the workspace, and scoped counts the caller’s', async () => {
    expect(await countPersons(kit.a.sys)).toBe(4)
    expect(await countMatching(kit.b.sys, leaf('person.regionCode', 'eq', '31'))).toBe(1)
    expect(await countMatching(kit.a.sys, leaf('person.regionCode', 'eq', '31'), { scoped: true })).toBe(1)
  })
})

describe('explanations', () => {
  it('gives each leaf the person’s actual value and verdict, honouring all/any', async () => {
    const node = all(
      leaf('person.regionCode', 'eq', '31'),
      leaf('tags', 'in', [T.baby]),
      any(
        leaf('events.count', 'gte', 5, { eventType: 'view', days: 7 }),
        leaf('orders.amount', 'gte', 25000, { days: 90 }),
      ),
      leaf('lead.status', 'eq', 'following'),
      leaf('orders.last', 'in_last_days', 30),
      leaf('identity', 'all', ['mobile', 'email']),
    )
    const e = await explainConditions(kit.a.sys, node, P.p1!)
    expect(e.holds).toBe(true)
    const by = Object.fromEntries(e.conditions.map((c) => [c.path, c]))
    expect(by['conditions[0]']).toMatchObject({ field: 'person.regionCode', actual: '310101', holds: true })
    expect(by['conditions[1]']!.actual).toEqual([
      { id: T.vip, name: 'VIP' },
      { id: T.baby, name: '母婴' },
    ])
    expect(by['conditions[2].conditions[0]']).toMatchObject({ actual: 2, holds: false })
    expect(by['conditions[2].conditions[1]']).toMatchObject({ actual: 25000, holds: true })
    expect(by['conditions[3]']).toMatchObject({ actual: ['following'], holds: true })
    expect(new Date(by['conditions[4]']!.actual as string).getTime()).toBeGreaterThan(daysAgo(11).getTime())
    expect((by['conditions[5]']!.actual as string[]).sort()).toEqual(['email', 'mobile'])

    const e3 = await explainConditions(kit.a.sys, node, P.p3!)
    expect(e3.holds).toBe(false)
    expect(e3.conditions.find((c) => c.path === 'conditions[2].conditions[0]')).toMatchObject({
      actual: 5,
      holds: true,
    })
    expect(e3.conditions[0]).toMatchObject({ actual: null, holds: false })
    // A merged-away person satisfies nothing, even where its own rows would.
    expect((await explainConditions(kit.a.sys, leaf('tags', 'in', [T.baby]), P.p4!)).holds).toBe(false)
  })
})

describe('validation', () => {
  const v = (node: unknown) => fieldsOf(() => validateConditionTree(kit.a.sys, node))

  it('names every bad part by its path in one 400', async () => {
    expect(
      await v(
        all(
          leaf('person.nmae', 'eq', 'x'),
          leaf('person.name', 'gt', 'x'),
          leaf('events.count', 'gte', 'many', { eventType: 'view' }),
          any(leaf('orders.count', 'between', [5, 1]), leaf('tags', 'in', [])),
          leaf('events.count', 'gte', 1, { days: 0 }),
          leaf('person.firstSeenAt', 'before', '2026-02-30'),
          leaf('person.name', 'regex', '(unclosed'),
          any(),
        ),
      ),
    ).toEqual([
      'conditions.conditions[0].field:unknown_condition_field',
      'conditions.conditions[1].op:invalid_condition_op',
      'conditions.conditions[2].value:invalid_condition_value',
      'conditions.conditions[3].conditions[0].value:invalid_condition_value',
      'conditions.conditions[3].conditions[1].value:invalid_condition_value',
      'conditions.conditions[4].params.days:condition_days_range',
      'conditions.conditions[4].params.eventType:required',
      'conditions.conditions[5].value:invalid_condition_value',
      'conditions.conditions[7]:empty_condition_group',
      'conditions.conditions[6].value:invalid_regex',
    ])
  })

  it('checks tags and channels exist in the workspace, params per field, lists and types', async () => {
    const other = profileData(kit.b)
    const foreignTag = await other.tag(await other.group('别家'), '别家标签')
    expect(
      await fieldsOf(() =>
        validateConditionTree(
          kit.a.sys,
          all(
            leaf('tags', 'in', [T.baby, foreignTag]),
            leaf('tags', 'all', ['not-a-uuid']),
            leaf('channel', 'in', ['00000000-0000-4000-8000-000000000000']),
            leaf('intents.count', 'gte', 1, { eventType: 'view' }),
            leaf('events.count', 'gte', 1, { eventType: 'view', property: 'page' }),
            leaf('identity', 'in', ['fax']),
            leaf('person.regionCode', 'eq', '99'),
            leaf('lead.custom.level', 'eq', 'platinum'),
            leaf('orders.amount', 'gte', 1.5),
            leaf('person.lastSeenAt', 'in_last_days', 3651),
            leaf('person.name', 'in', 'x'),
          ),
          'rule',
        ),
      ),
    ).toEqual([
      'rule.conditions[1].value:invalid_condition_value',
      'rule.conditions[3].params.eventType:invalid_condition_param',
      'rule.conditions[4].params.propertyValue:required',
      'rule.conditions[5].value:invalid_condition_value',
      'rule.conditions[6].value:invalid_condition_value',
      'rule.conditions[7].value:invalid_condition_value',
      'rule.conditions[8].value:invalid_condition_value',
      'rule.conditions[9].value:invalid_condition_value',
      'rule.conditions[10].value:invalid_condition_value',
      'rule.conditions[0].value:condition_unknown_tag',
      'rule.conditions[2].value:condition_unknown_channel',
    ])
  })

  it('refuses nesting deeper than 4 and more than 50 conditions; accepts a valid tree', async () => {
    const deep = all(any(all(any(all(leaf('person.name', 'empty'))))))
    expect(await v(deep)).toEqual([
      'conditions.conditions[0].conditions[0].conditions[0].conditions[0]:condition_too_deep',
    ])
    const many = all(
      ...Array.from({ length: 26 }, () => leaf('person.name', 'empty')),
      any(...Array.from({ length: 25 }, () => leaf('person.name', 'empty'))),
    )
    expect(await v(many)).toEqual(['conditions:too_many_conditions'])
    expect(await v('nope')).toEqual(['conditions:invalid_condition'])
    expect(await v({ match: 'some', conditions: [leaf('person.name', 'empty')] })).toEqual([
      'conditions.match:invalid_condition_match',
    ])
    await validateConditionTree(
      kit.a.sys,
      all(
        leaf('person.regionCode', 'in', ['31', '110105']),
        leaf('tags', 'all', [T.baby.toUpperCase()]),
        leaf('events.count', 'gte', 1, {
          eventType: 'view',
          days: 7,
          property: 'page',
          propertyValue: 'product',
        }),
        leaf('orders.last', 'between', ['2026-01-01', '2026-03-31T23:59:59+08:00']),
        leaf('lead.custom.interests', 'all', ['a', 'b']),
        leaf('person.name', 'regex', '^张(三|四)$'),
        leaf('intents.count', 'gte', 1, { channelId: C.c1 }),
      ),
    )
  })

  it('keeps the caller’s transaction usable after a bad regex (savepoint)', async () => {
    await kit.a.sys.db.transaction(async (tx) => {
      const ctx = { ...kit.a.sys, db: tx, inTx: true }
      expect(await fieldsOf(() => validateConditionTree(ctx, leaf('person.name', 'regex', '[z-a]')))).toEqual(
        ['conditions.value:invalid_regex'],
      )
      const r = await tx.execute(sql`select 1 as one`)
      expect(r.rows[0]).toEqual({ one: 1 })
    })
  })

  it('has every message in zh-CN, zh-TW and en', () => {
    for (const code of [
      'invalid_condition',
      'invalid_condition_match',
      'unknown_condition_field',
      'invalid_condition_op',
      'invalid_condition_value',
      'invalid_condition_param',
      'invalid_regex',
      'empty_condition_group',
      'too_many_conditions',
      'condition_too_deep',
      'condition_unknown_tag',
      'condition_unknown_channel',
      'condition_days_range',
    ]) {
      expect(hasMessage(code), code).toBe(true)
      for (const l of LOCALES) expect(translate(code, l, {})).not.toBe(code)
    }
  })
})

describe('GET /api/v1/profile-conditions/fields', () => {
  it('lists base and custom fields with kinds, operators, params, localized; event types in use', async () => {
    await d.event(P.p3!, 'webinar', 1)
    const res = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/profile-conditions/fields' })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    const f = Object.fromEntries(body.fields.map((x: { field: string }) => [x.field, x]))
    expect(f['person.regionCode']).toMatchObject({ group: 'person', kind: 'region', label: '地区' })
    expect(f['events.count']).toMatchObject({
      group: 'behaviour',
      kind: 'number',
      params: ['eventType', 'days', 'property', 'propertyValue'],
      requiredParams: ['eventType'],
    })
    expect(f.tags.ops).toEqual(['in', 'all', 'not_in', 'empty', 'not_empty'])
    expect(f['lead.custom.level']).toMatchObject({
      group: 'lead',
      kind: 'enum',
      label: '线索·会员等级',
      options: [
        { value: 'gold', label: '金卡' },
        { value: 'silver', label: '银卡' },
      ],
    })
    expect(f['lead.custom.interests']).toMatchObject({
      multi: true,
      ops: ['in', 'all', 'not_in', 'empty', 'not_empty'],
    })
    expect(f['customer.custom.segment']).toMatchObject({ group: 'customer', kind: 'text' })
    expect(f.channel.options.map((o: { label: string }) => o.label).sort()).toEqual(
      ['公众号', '小程序'].sort(),
    )
    expect(body.eventTypes).toContainEqual({ value: 'view', label: '浏览' })
    expect(body.eventTypes).toContainEqual({ value: 'webinar', label: 'webinar' })
    expect(body.eventTypes.filter((e: { value: string }) => e.value === 'view')).toHaveLength(1)

    const en = await kit.req(kit.a.admin, {
      method: 'GET',
      url: '/api/v1/profile-conditions/fields',
      headers: { 'accept-language': 'en' },
    })
    const enBody = en.json()
    expect(enBody.fields.find((x: { field: string }) => x.field === 'orders.count').label).toBe('Orders')
    expect(enBody.eventTypes).toContainEqual({ value: 'view', label: 'View' })
    const tw = await kit.req(kit.a.admin, {
      method: 'GET',
      url: '/api/v1/profile-conditions/fields',
      headers: { 'accept-language': 'zh-TW' },
    })
    expect(tw.json().fields.find((x: { field: string }) => x.field === 'tags').label).toBe('標籤')
  })

  it('needs a session', async () => {
    const res = await kit.req(null, { method: 'GET', url: '/api/v1/profile-conditions/fields' })
    expect(res.statusCode).toBe(401)
  })
})

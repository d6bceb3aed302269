/** The demo's profiles: members with intents, behaviour and orders, manual and automatic tags, two segments with members. */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../test/template.js'
import { explainConditions } from '../modules/profiles/conditions/explain.js'
import { systemActor } from '../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../platform/access/permissions.js'
import type { Database } from '../platform/db/index.js'
import { seedDemo } from './seed.js'

let database: Database
let tenant: string
let result: Awaited<ReturnType<typeof seedDemo>>
beforeAll(async () => {
  database = await freshDatabase()
  result = await seedDemo(database.db, { seed: 7, leads: 60, customers: 20 })
  tenant = result.tenantId
}, 180_000)
afterAll(() => database.close())

const rows = async <T>(q: ReturnType<typeof sql>) =>
  (await database.db.execute<T & Record<string, unknown>>(q)).rows

describe('demo profiles', () => {
  it('makes members with intents, behaviour and orders', async () => {
    expect(result.profiles.persons).toBeGreaterThan(150)
    expect(result.profiles.events).toBeGreaterThan(500)
    expect(result.profiles.orders).toBeGreaterThan(100)
    const [n] = await rows<{ persons: number; pageViews: number; refunds: number }>(sql`select
      (select count(*)::int from persons where tenant_id = ${tenant}) as persons,
      (select count(*)::int from behaviour_events where tenant_id = ${tenant} and properties->>'page' = 'product') as "pageViews",
      (select count(*)::int from orders where tenant_id = ${tenant} and person_id is not null and refunded_total > 0) as refunds`)
    expect(n!.pageViews).toBeGreaterThan(50)
    expect(n!.refunds).toBeGreaterThan(0)
    // Buyers are individual customers, each their own primary contact, with totals kept by the orders module.
    const [c] = await rows<{ bad: number; buyers: number }>(sql`select
      count(*) filter (where not exists (select 1 from contacts k where k.tenant_id = c.tenant_id
        and k.customer_id = c.id and k.is_primary and k.person_id = c.person_id))::int as bad,
      count(*) filter (where c.order_total > 0)::int as buyers
      from customers c where c.tenant_id = ${tenant} and c.person_id is not null`)
    expect(c!.bad).toBe(0)
    expect(c!.buyers).toBeGreaterThan(50)
  })

  it('tags members by hand and by rule, every tag group in use', async () => {
    const groups = await rows<{ name: string; exclusive: boolean; persons: number; auto: number }>(sql`
      select g.name, g.exclusive, count(pt.person_id)::int as persons,
        count(pt.person_id) filter (where pt.source = 'rule')::int as auto
      from tag_groups g join tags t on t.group_id = g.id left join person_tags pt on pt.tag_id = t.id
      where g.tenant_id = ${tenant} group by g.name, g.exclusive order by g.name`)
    const by = Object.fromEntries(groups.map((g) => [g.name, g]))
    expect(Object.keys(by).sort()).toEqual(['人生阶段', '兴趣偏好', '活跃度', '消费能力'].sort())
    expect(by.人生阶段).toMatchObject({ exclusive: true, auto: 0 })
    expect(by.人生阶段!.persons).toBeGreaterThan(50)
    expect(by.消费能力!.auto).toBeGreaterThan(50)
    expect(by.活跃度!.auto).toBeGreaterThan(20)
    // Exclusive groups: at most one tag per person.
    const [twice] = await rows<{ n: number }>(sql`select count(*)::int as n from (
      select pt.person_id, t.group_id from person_tags pt join tags t on t.id = pt.tag_id
      join tag_groups g on g.id = t.group_id where g.tenant_id = ${tenant} and g.exclusive
      group by 1, 2 having count(*) > 1) x`)
    expect(twice!.n).toBe(0)
  })

  it('has the Shanghai mother-and-baby segment with members, each of whom the conditions explain', async () => {
    const segs = await rows<{
      id: string
      name: string
      kind: string
      member_count: number
      conditions: unknown
    }>(
      sql`select id, name, kind, member_count, conditions from segments where tenant_id = ${tenant} order by kind`,
    )
    expect(segs.map((s) => s.kind)).toEqual(['dynamic', 'static'])
    expect(segs[0]!.member_count).toBeGreaterThanOrEqual(5)
    expect(segs[1]!.member_count).toBeGreaterThan(0)
    const ctx = { db: database.db, actor: systemActor(tenant, ALL_PERMISSIONS), locale: 'zh-CN' as const }
    const members = await rows<{ person_id: string }>(
      sql`select person_id from segment_members where tenant_id = ${tenant} and segment_id = ${segs[0]!.id}`,
    )
    for (const m of members.slice(0, 3))
      expect((await explainConditions(ctx, segs[0]!.conditions as never, m.person_id)).holds).toBe(true)
  })
})

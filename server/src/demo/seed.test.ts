/** The demo workspace: every pool, the public pools, the reports and the sales pages have data to show. */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../test/template.js'
import type { Database } from '../platform/db/index.js'
import { seedDemo } from './seed.js'

let database: Database
let tenant: string
beforeAll(async () => {
  database = await freshDatabase()
  tenant = (await seedDemo(database.db, { seed: 11, leads: 400, customers: 60 })).tenantId
}, 120_000)
afterAll(() => database.close())

const count = async (query: ReturnType<typeof sql>) =>
  Number((await database.db.execute<{ n: string }>(query)).rows[0]!.n)

describe('demo workspace', () => {
  it('places leads in pools and plays back their work', async () => {
    const byKind = await database.db.execute<{ kind: string; n: string }>(
      sql`select kind, count(*)::int as n from lead_moves where tenant_id = ${tenant} group by kind`,
    )
    const kinds = Object.fromEntries(byKind.rows.map((r) => [r.kind, Number(r.n)]))
    for (const kind of ['distribute', 'assign', 'status', 'release'])
      expect(kinds[kind], kind).toBeGreaterThan(0)
    expect(
      await count(sql`select count(*) as n from lead_pools where tenant_id = ${tenant} and kind = 'public'`),
    ).toBeGreaterThan(1)
    expect(
      await count(sql`select count(*) as n from follow_ups where tenant_id = ${tenant}`),
    ).toBeGreaterThan(100)
    const statuses = await database.db.execute<{ status: string }>(
      sql`select distinct status from leads where tenant_id = ${tenant}`,
    )
    expect(statuses.rows.map((r) => r.status)).toEqual(
      expect.arrayContaining(['following', 'qualified', 'converted', 'closed']),
    )
    // The lead side of every follow-up is filled in, as the follow-up service would (first contact
    // belongs to the current owner: released and reclaimed leads start again).
    expect(
      await count(sql`select count(*) as n from leads l where l.tenant_id = ${tenant}
        and exists (select 1 from follow_ups f where f.tenant_id = l.tenant_id and f.subject_id = l.id)
        and l.last_follow_up_at is null`),
    ).toBe(0)
    expect(
      await count(
        sql`select count(*) as n from leads where tenant_id = ${tenant} and first_contact_at is not null`,
      ),
    ).toBeGreaterThan(50)
  })

  it('has sales: customers with contacts, opportunities through the gates, quotes, orders, tasks', async () => {
    const n = (table: string, where = 'true') =>
      count(sql.raw(`select count(*) as n from ${table} where tenant_id = '${tenant}' and ${where}`))
    expect(await n('customers', 'person_id is null')).toBe(60)
    expect(await n('customers', `kind = 'individual'`)).toBeGreaterThan(0)
    expect(await n('customers', 'parent_id is not null')).toBeGreaterThan(0)
    // One to three contacts each, in reporting lines; one primary contact per customer.
    expect(await n('customers c', 'not exists (select 1 from contacts k where k.customer_id = c.id)')).toBe(0)
    expect(await n('contacts', 'reports_to_id is not null')).toBeGreaterThan(0)
    expect(await n('contacts', 'is_primary and person_id is null')).toBe(60)
    // Opportunities in every state; each one meets the gates of the stages it passed.
    const statuses = await database.db.execute<{ status: string }>(
      sql`select distinct status from opportunities where tenant_id = ${tenant}`,
    )
    expect(statuses.rows.map((r) => r.status).sort()).toEqual(['lost', 'open', 'won'])
    expect(await n('opportunities', `status <> 'open' and (close_reason is null or closed_at is null)`)).toBe(
      0,
    )
    const stage = (name: string) =>
      `stage_id in (select id from pipeline_stages where tenant_id = '${tenant}' and name = '${name}')`
    expect(
      await n(
        'opportunities o',
        `(${stage('方案报价')} or ${stage('商务谈判')} or status = 'won')
      and (not exists (select 1 from opportunity_lines l where l.opportunity_id = o.id)
        or meddic->>'metrics' is null or meddic->>'identifyPain' is null)`,
      ),
    ).toBe(0)
    expect(await n('opportunities', `(${stage('商务谈判')} or status = 'won') and meddic_score < 100`)).toBe(
      0,
    )
    expect(await n('opportunities', 'meddic_score between 1 and 99')).toBeGreaterThan(0)
    expect(await n('opportunity_stage_history')).toBeGreaterThan(await n('opportunities'))
    expect(await n('quotes', `status = 'pending_approval'`)).toBeGreaterThan(0)
    // Orders over more than a year; lines and payments add up; some are still owed.
    expect(await n('orders')).toBeGreaterThan(300)
    expect(await n('orders', `ordered_at < now() - interval '12 months'`)).toBeGreaterThan(0)
    expect(
      await n(
        'orders o',
        `total <> (select sum(amount) from order_lines l where l.order_id = o.id) + shipping_fee
        or paid_total <> coalesce((select sum(amount) from order_payments p where p.order_id = o.id and kind = 'payment'), 0)`,
      ),
    ).toBe(0)
    expect(
      await n(
        'orders',
        `status in ('confirmed', 'shipped', 'completed') and total - paid_total + refunded_total > 0`,
      ),
    ).toBeGreaterThan(0)
    // Customer totals and A–E groups as the orders module keeps them.
    expect(
      await n(
        'customers c',
        `order_count <> (select count(*) from orders o where o.customer_id = c.id
        and o.status in ('confirmed', 'shipped', 'completed'))`,
      ),
    ).toBe(0)
    expect(await n('customers', `customer_group <> 'A'`)).toBeGreaterThan(0)
    expect(
      await n('tasks', `coalesce(start_at, due_at) >= date_trunc('month', now()) - interval '1 day'`),
    ).toBeGreaterThan(10)
  })

  it('brings its leads in through the data factory, with the mess of a real pool', async () => {
    const n = (table: string, where = 'true') =>
      count(sql.raw(`select count(*) as n from ${table} where tenant_id = '${tenant}' and ${where}`))
    // Every lead has a person, a first intent and a score explained by the rules.
    expect(await n('leads', 'person_id is null')).toBe(0)
    expect(await n('leads l', 'not exists (select 1 from lead_intents i where i.lead_id = l.id)')).toBe(0)
    expect(await n('leads', 'score > 0')).toBeGreaterThan(300)
    // People came back written differently: merged into their lead as a further intent.
    expect(await n('lead_intents', `outcome = 'merged'`)).toBeGreaterThan(10)
    expect(await n('leads', 'intent_count > 1')).toBeGreaterThan(10)
    // Namesakes at the same company wait for a person; numbers that are no numbers are flagged.
    expect(await n('review_items', `kind = 'duplicate' and status = 'open'`)).toBeGreaterThan(0)
    expect(await n('review_items', `kind <> 'duplicate' and status = 'open'`)).toBeGreaterThan(0)
    // They came through the demo's channels (a lead typed in by hand has none), so the data-quality
    // dashboard splits them.
    expect(await n('lead_intents', 'channel_id is null')).toBeLessThan(5)
    expect(
      await count(sql`select count(distinct channel_id) as n from lead_intents where tenant_id = ${tenant}`),
    ).toBe(13)
    // A converted lead became a customer through the conversion, so its page links that customer.
    expect(
      await n(
        'leads l',
        `status = 'converted' and not exists
      (select 1 from lead_conversions c where c.lead_id = l.id)`,
      ),
    ).toBe(0)
    expect(await n('leads', `status = 'converted'`)).toBeGreaterThan(0)
    // Campaigns brought some of them (first and last touch), with what they cost.
    expect(await n('campaigns', 'actual_cost > 0')).toBe(4)
    expect(await n('leads', 'first_campaign_id is not null')).toBeGreaterThan(50)
    // Each came while its campaign ran; a lead's first touch is its first response's campaign.
    expect(
      await n(
        'lead_intents i',
        `campaign_id is not null and not exists (select 1 from campaigns c where c.id = i.campaign_id
      and (i.received_at at time zone 'UTC')::date between c.starts_on and coalesce(c.ends_on, 'infinity'))`,
      ),
    ).toBe(0)
    expect(
      await n(
        'leads l',
        `first_campaign_id is distinct from (select i.campaign_id from lead_intents i
      where i.lead_id = l.id order by i.received_at, i.id limit 1)`,
      ),
    ).toBe(0)
    // The person timeline moved back with the pool's history: nothing was seen after now.
    expect(await n('lead_intents', 'received_at > now()')).toBe(0)
    expect(
      await n(
        'persons p',
        `exists (select 1 from leads l where l.person_id = p.id)
      and first_seen_at > (select min(created_at) from leads l where l.person_id = p.id) + interval '1 minute'`,
      ),
    ).toBe(0)
  })
})

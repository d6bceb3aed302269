/**
 * Set-based seed of a sales workspace for `npm run bench -- sales`: teams of salespeople with a
 * manager each, customers with contacts, opportunities across the default pipeline and the order
 * library with one line per order and payments. Numbers and shapes only; no business rule runs here.
 */
import type pg from 'pg'

export interface SalesSeed {
  customers: number
  opportunities: number
  orders: number
  teams: string[]
  pipelineId: string
}

type Query = (text: string, params?: unknown[]) => Promise<pg.QueryResult>

/** The default pipeline's stages as the sales module creates them (names, probabilities, kinds). */
const STAGES = [
  ['初步接洽', 10, 'open'],
  ['需求确认', 30, 'open'],
  ['方案报价', 50, 'open'],
  ['商务谈判', 70, 'open'],
  ['赢单', 100, 'won'],
  ['输单', 0, 'lost'],
] as const

export async function seedSales(
  q: Query,
  tenantId: string,
  root: string,
  n: { customers: number; opportunities: number; orders: number },
): Promise<Omit<SalesSeed, 'teams'>> {
  const { rows: pipes } = await q(
    `insert into pipelines (tenant_id, id, name, is_default) values ($1, gen_random_uuid(), '标准销售流程', true)
     returning id`,
    [tenantId],
  )
  const pipelineId = pipes[0].id as string
  for (const [i, [name, probability, kind]] of STAGES.entries())
    await q(
      `insert into pipeline_stages (tenant_id, id, pipeline_id, name, position, probability, kind)
       values ($1, gen_random_uuid(), $2, $3, $4, $5, $6)`,
      [tenantId, pipelineId, name, i, probability, kind],
    )

  // Customers: owned round robin by the salespeople (s###), in their team; a tenth in groups.
  await q(
    `with u as (
       select id, unit_id, (row_number() over (order by email) - 1)::int as k, count(*) over () as n
       from users where tenant_id = $1 and email like 's%@bench.test'
     )
     insert into customers (tenant_id, id, kind, name, industry, size, region_code, credit_code, phone, source,
       level, customer_group, owner_id, unit_id, org_id, name_key, created_at, updated_at, assigned_at)
     select $1, gen_random_uuid(), case when g % 5 = 0 then 'individual' else 'organisation' end,
       '客户公司' || g, (array['制造','零售','教育','医疗','金融'])[1 + g % 5],
       (array['1-49','50-199','200-999','1000+'])[1 + g % 4],
       (array['310000','330000','320000','440000','110000','510000'])[1 + (g / 7) % 6], null,
       '+86138' || lpad(g::text, 8, '0'), (array['展会','官网','转介绍','广告'])[1 + g % 4],
       (array['重点','普通','普通','普通'])[1 + g % 4], (array['A','B','C','D','E'])[1 + g % 5],
       u.id, u.unit_id, $2, '客户公司' || g, now() - (g % 700) * interval '1 day', now(), now() - (g % 700) * interval '1 day'
     from generate_series(1, $3::int) g
     join u on u.k = g % u.n`,
    [tenantId, root, n.customers],
  )
  await q(
    `insert into contacts (tenant_id, id, customer_id, name, title, deal_role, mobile, phones, is_primary,
       owner_id, unit_id, org_id)
     select c.tenant_id, gen_random_uuid(), c.id, c.name || '联系人' || r, (array['总经理','采购经理'])[r],
       (array['decision_maker','economic_buyer'])[r], '+86139' || lpad((abs(hashtext(c.id::text || r)) % 100000000)::text, 8, '0'),
       '[]', r = 1, c.owner_id, c.unit_id, c.org_id
     from customers c cross join generate_series(1, 2) r where c.tenant_id = $1`,
    [tenantId],
  )

  // Opportunities: half open over the four open stages, 30 % won, 20 % lost.
  await q(
    `with c as (select id, owner_id, unit_id, org_id, (row_number() over (order by id) - 1)::int as k
                from customers where tenant_id = $1),
     s as (select id, position, probability, kind from pipeline_stages where tenant_id = $1 and pipeline_id = $2),
     nc as (select count(*)::int as n from c)
     insert into opportunities (tenant_id, id, name, customer_id, pipeline_id, stage_id, status, amount,
       probability, expected_close_date, meddic_score, source, stage_entered_at, closed_at, close_reason,
       owner_id, unit_id, org_id, created_at, updated_at)
     select $1, gen_random_uuid(), '商机' || g, c.id, $2, s.id, x.status, (10000 + (g::bigint * 7919) % 5000000) * 100,
       s.probability, (current_date + ((g % 360) - 180)), (g % 7) * 100 / 6, (array['展会','官网','转介绍','广告'])[1 + g % 4],
       now() - (g % 90) * interval '1 day', case when x.status <> 'open' then now() - (g % 365) * interval '1 day' end,
       case when x.status = 'lost' then '价格' when x.status = 'won' then '产品匹配' end,
       c.owner_id, c.unit_id, c.org_id, now() - (g % 400) * interval '1 day', now() - (g % 30) * interval '1 hour'
     from generate_series(1, $3::int) g
     cross join nc
     cross join lateral (select case when g % 10 < 5 then 'open' when g % 10 < 8 then 'won' else 'lost' end as status) x
     join c on c.k = g % nc.n
     join s on s.position = case x.status when 'open' then g % 4 when 'won' then 4 else 5 end`,
    [tenantId, pipelineId, n.opportunities],
  )

  // Orders: spread over two years, most completed; one line and one payment each.
  await q(
    `with c as (select id, owner_id, unit_id, org_id, (row_number() over (order by id) - 1)::int as k
                from customers where tenant_id = $1),
     nc as (select count(*)::int as n from c)
     insert into orders (tenant_id, id, number, customer_id, source, status, ordered_at, subtotal, discount_total,
       total, paid_total, refunded_total, payment_due_date, owner_id, unit_id, org_id, created_at, updated_at,
       confirmed_at, completed_at)
     select $1, gen_random_uuid(), 'SO-' || lpad(g::text, 8, '0'), c.id, 'direct',
       (array['completed','completed','completed','completed','completed','completed','shipped','confirmed','refunded','cancelled'])[1 + g % 10],
       now() - ((g * 7) % 730) * interval '1 day', x.amt, 0, x.amt,
       case when g % 10 in (7, 9) then 0 else x.amt end, case when g % 10 = 8 then x.amt else 0 end,
       (now() - ((g * 7) % 730) * interval '1 day')::date + 30,
       c.owner_id, c.unit_id, c.org_id, now() - ((g * 7) % 730) * interval '1 day', now(),
       now() - ((g * 7) % 730) * interval '1 day', case when g % 10 < 6 then now() - ((g * 7) % 730) * interval '1 day' + interval '5 days' end
     from generate_series(1, $2::int) g
     cross join nc
     cross join lateral (select (100 + (g::bigint * 104729) % 50000) * 100 as amt) x
     join c on c.k = g % nc.n`,
    [tenantId, n.orders],
  )
  await q(
    `insert into order_lines (tenant_id, id, order_id, position, name, quantity, unit_price, discount, amount)
     select tenant_id, gen_random_uuid(), id, 0, '产品', 1, subtotal, 0, subtotal from orders where tenant_id = $1`,
    [tenantId],
  )
  await q(
    `insert into order_payments (tenant_id, id, order_id, kind, amount, method, paid_at)
     select tenant_id, gen_random_uuid(), id, 'payment', paid_total, 'bank_transfer', ordered_at + interval '3 days'
     from orders where tenant_id = $1 and paid_total > 0`,
    [tenantId],
  )
  // Customer totals as the orders module keeps them.
  await q(
    `update customers c set order_count = o.n, order_total = o.amt, first_order_at = o.first, last_order_at = o.last
     from (select customer_id, count(*)::int n, sum(total)::bigint amt, min(ordered_at) first, max(ordered_at) last
           from orders where tenant_id = $1 and status in ('confirmed','shipped','completed') group by customer_id) o
     where c.tenant_id = $1 and c.id = o.customer_id`,
    [tenantId],
  )
  // Follow-ups on a fifth of the customers.
  await q(
    `insert into follow_ups (tenant_id, id, subject_type, subject_id, type, content, occurred_at, owner_id, unit_id, org_id)
     select tenant_id, gen_random_uuid(), 'customer', id, 'call', '电话回访', now() - (abs(hashtext(id::text)) % 60) * interval '1 day',
       owner_id, unit_id, org_id
     from customers where tenant_id = $1 and abs(hashtext(id::text)) % 5 = 0`,
    [tenantId],
  )
  return { customers: n.customers, opportunities: n.opportunities, orders: n.orders, pipelineId }
}

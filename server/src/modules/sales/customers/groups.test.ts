/** A–E customer groups (seed 001: 客单价 × 下单频次) over a small set of orders. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { registeredSchedules } from '../../../platform/jobs/cron.js'
import { drainJobs } from '../../../platform/jobs/queue.js'
import { type CustomerWorld, customerWorld } from './fixture.js'
import { recomputeCustomerGroups } from './groups.service.js'

let kit: Kit
let w: CustomerWorld
const c: Record<string, string> = {}
let seq = 0

/** Orders of customer `key`: one per amount (minor units), `days` ago, in `status`. */
async function orders(key: string, amounts: number[], status = 'completed', days = 10) {
  for (const total of amounts)
    await w.sql(
      `insert into orders (tenant_id, id, number, customer_id, status, total, ordered_at, unit_id, org_id, owner_id)
       select c.tenant_id, gen_random_uuid(), $2, c.id, $3, $4, now() - make_interval(days => $5), c.unit_id, c.org_id, c.owner_id
         from customers c where c.id = $1`,
      [c[key], `SO-G-${seq++}`, status, total, days],
    )
}
const groups = async () =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(c).map(async ([k, id]) => [
        k,
        (await w.sql('select customer_group from customers where id = $1', [id]))[0].customer_group,
      ]),
    ),
  )
const settings = (rule: Record<string, unknown> | null) =>
  rule
    ? w.sql(
        `insert into sales_settings (tenant_id, customer_groups) values ($1, $2::jsonb)
         on conflict (tenant_id) do update set customer_groups = excluded.customer_groups`,
        [kit.a.tenantId, JSON.stringify(rule)],
      )
    : w.sql('delete from sales_settings where tenant_id = $1', [kit.a.tenantId])

beforeAll(async () => {
  kit = await createKit()
  w = await customerWorld(kit)
  for (const key of ['none', 'cancelled', 'old', 'low', 'frequent', 'big', 'best'])
    c[key] = (await w.customer(w.as.seller!, { name: `分组客户-${key}` })).id
  await orders('cancelled', [90000, 90000, 90000], 'cancelled')
  await orders('cancelled', [90000], 'draft')
  await orders('old', [90000, 90000, 90000], 'completed', 400)
  await orders('low', [5000])
  await orders('frequent', [2000, 2000], 'completed')
  await orders('frequent', [2000], 'shipped')
  await orders('big', [50000], 'confirmed')
  await orders('best', [20000, 20000, 20000, 20000])
})
afterAll(() => kit.close())

describe('customer groups', () => {
  it('splits customers by average order value and frequency against the workspace medians', async () => {
    const res = await recomputeCustomerGroups(kit.a.sys)
    // Values 2000, 5000, 20000, 50000 → median 12500; counts 1, 1, 3, 4 → median 2 (at least 2).
    expect(res).toMatchObject({ highValue: 12500, highFrequency: 2 })
    expect(await groups()).toEqual({
      none: 'A',
      cancelled: 'A',
      old: 'A',
      low: 'B',
      frequent: 'C',
      big: 'D',
      best: 'E',
    })
    const [row] = await w.sql(
      `select count(*)::int as n from audit_log where object_type = 'customer' and object_id = $1
          and after ->> 'customerGroup' = 'E'`,
      [c.best],
    )
    expect(row.n).toBe(1)
    expect((await recomputeCustomerGroups(kit.a.sys)).changed).toBe(0)
  })

  it('uses the configured thresholds and window, also for one customer after an order changed', async () => {
    await settings({ windowDays: 365, highValue: 30000, highFrequency: 4 })
    const one = await recomputeCustomerGroups(kit.a.sys, [c.best!])
    expect(one.computed).toBe(1)
    expect((await groups()).best).toBe('C')
    expect((await groups()).big).toBe('D')
    await recomputeCustomerGroups(kit.a.sys)
    expect(await groups()).toMatchObject({ frequent: 'B', big: 'D', best: 'C' })
    await settings({ windowDays: 500, highValue: 30000, highFrequency: 3 })
    await recomputeCustomerGroups(kit.a.sys)
    expect(await groups()).toMatchObject({ old: 'E', frequent: 'C', best: 'C' })
    await settings(null)
  })

  it('recomputes on demand as a job, and daily', async () => {
    await w.sql('update customers set customer_group = $2, group_computed_at = null where id = $1', [
      c.best,
      'A',
    ])
    const res = await w.call(kit.a.admin, 'POST', '/api/v1/customers/groups/recompute')
    expect(res.statusCode, res.body).toBe(202)
    await drainJobs(kit.haina.database.db)
    const [job] = await w.sql('select status, result from jobs where id = $1', [res.json().jobId])
    expect(job.status).toBe('succeeded')
    const [row] = await w.sql('select customer_group, group_computed_at from customers where id = $1', [
      c.best,
    ])
    expect(row.customer_group).toBe('E')
    expect(row.group_computed_at).not.toBeNull()
    expect((await w.call(w.as.seller!, 'POST', '/api/v1/customers/groups/recompute')).statusCode).toBe(403)
    expect(registeredSchedules()).toContainEqual(
      expect.objectContaining({ jobType: 'sales.customer-groups', perTenant: true }),
    )
  })
})

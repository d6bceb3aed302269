/**
 * The opportunity search (`q`, also `filter={"q":…}`): text in the opportunity's name or its
 * customer's name, the same in the list and its export; the customers it names are read once per
 * query, not once per opportunity (a subquery tied to each row made the demo's search take 0.1–0.4 s).
 */
import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { salesSuite } from './fixture.js'
import { opportunities } from './schema.js'
import { opportunitySearch } from './service.js'

const t = salesSuite()
const ids: Record<string, string> = {}

beforeAll(async () => {
  const made: [string, string][] = [
    ['byCustomer', '星河物流'],
    ['byName', '其他客户'],
    ['other1', '无关客户甲'],
    ['other2', '无关客户乙'],
    ['other3', '无关客户丙'],
  ]
  for (const [key, customerName] of made) {
    const customerId = await t.w.customer({ name: customerName })
    const name = key === 'byName' ? '星河扩容项目' : `${key}项目`
    const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/opportunities', { name, customerId })
    expect(res.statusCode, res.body).toBe(201)
    ids[key] = res.json().id
  }
})

describe('opportunity search', () => {
  it('finds by the opportunity’s name or its customer’s name, in the list, as a filter and in the export', async () => {
    const q = encodeURIComponent('星河')
    const found = async (url: string) =>
      (await t.call(t.kit.a.admin, 'GET', url)).json().items.map((o: { id: string }) => o.id)
    const expected = [ids.byCustomer, ids.byName].sort()
    expect((await found(`/api/v1/opportunities?q=${q}`)).sort()).toEqual(expected)
    const filter = encodeURIComponent(JSON.stringify({ q: '星河' }))
    expect((await found(`/api/v1/opportunities?filter=${filter}`)).sort()).toEqual(expected)
    const csv = (await t.call(t.kit.a.admin, 'GET', `/api/v1/opportunities/export?format=csv&q=${q}`)).body
    expect(csv).toContain('byCustomer项目')
    expect(csv).toContain('星河扩容项目')
    expect(csv).not.toContain('other1项目')
    // Another workspace's search does not see workspace A's customers.
    const inB = await t.call(t.kit.b.admin, 'GET', `/api/v1/opportunities?q=${q}`)
    expect(inB.json().items).toEqual([])
  })

  it('reads the matching customers once, not once per opportunity', async () => {
    const tenant = t.kit.a.tenantId
    const query = t.kit.haina.database.db
      .select({ id: opportunities.id })
      .from(opportunities)
      .where(and(eq(opportunities.tenantId, tenant), opportunitySearch('星河', tenant)))
      .toSQL()
    const { rows } = await t.kit.haina.database.pool.query(
      `explain (analyze, format json) ${query.sql}`,
      query.params,
    )
    const scans: { loops: number }[] = []
    const walk = (n: Record<string, unknown> & { Plans?: Record<string, unknown>[] }) => {
      if (n['Relation Name'] === 'customers') scans.push({ loops: Number(n['Actual Loops']) })
      for (const c of n.Plans ?? []) walk(c as typeof n)
    }
    walk(rows[0]['QUERY PLAN'][0].Plan)
    expect(scans.length).toBeGreaterThan(0)
    for (const s of scans) expect(s.loops).toBe(1)
  })
})

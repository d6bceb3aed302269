/**
 * Tests generated from the registered route list: every route declares its permission (and the
 * route → permission table is a reviewed snapshot); another workspace's ids get 404 on every
 * route that takes an id; every mutation route writes an audit record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from './kit.js'
import { allSamples, apiRoutes, fill, hasParams, isMutation, key } from './route-walk.js'

let kit: Kit
const samples = allSamples()
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

describe('route list', () => {
  it('declares a permission on every route, as reviewed in the snapshot', () => {
    const table = kit.haina.routes
      .filter((r) => r.url.startsWith('/api') || r.url === '/metrics')
      .map((r) => `${key(r)} → ${r.permission ?? 'MISSING'}`)
      .sort()
    expect(table.filter((l) => l.endsWith('MISSING'))).toEqual([])
    expect(table).toMatchSnapshot()
  })

  it('has a sample for every route that takes an id or changes data', () => {
    const missing = apiRoutes(kit.haina.routes)
      .filter((r) => hasParams(r) || isMutation(r))
      .map(key)
      .filter((k) => !samples.has(k))
    expect(missing).toEqual([])
  })
})

describe('tenant isolation', () => {
  it('answers 404 to workspace B for every id of workspace A', async () => {
    const failures: string[] = []
    for (const route of apiRoutes(kit.haina.routes).filter(hasParams)) {
      const sample = samples.get(key(route))
      if (!sample || sample.coveredElsewhere) continue
      const req = await sample.prepare(kit, kit.a)
      const url = fill(route.url, req.params)
      const fromB = await kit.req(kit.b.admin, { method: route.method as 'GET', url, payload: req.body as object, query: req.query })
      if (fromB.statusCode !== 404) failures.push(`${key(route)} as B → ${fromB.statusCode}`)
      const own = await sample.prepare(kit, kit.a)
      const fromA = await kit.req(own.as ?? kit.a.admin, { method: route.method as 'GET', url: fill(route.url, own.params), payload: own.body as object, query: own.query })
      if (fromA.statusCode === 404 || fromA.statusCode >= 500) failures.push(`${key(route)} as A → ${fromA.statusCode} (sample invalid)`)
    }
    expect(failures).toEqual([])
  })
})

describe('audit', () => {
  it('writes an audit record for every mutation route', async () => {
    const failures: string[] = []
    const count = async () => Number((await kit.haina.database.pool.query('select count(*) from audit_log')).rows[0].count)
    for (const route of apiRoutes(kit.haina.routes).filter(isMutation)) {
      const sample = samples.get(key(route))
      if (!sample || sample.coveredElsewhere) continue
      const req = await sample.prepare(kit, kit.a)
      const before = await count()
      const started = new Date()
      const res = await kit.req(req.as ?? kit.a.admin, { method: route.method as 'POST', url: fill(route.url, req.params), payload: req.body as object, query: req.query })
      if (res.statusCode >= 300) {
        failures.push(`${key(route)} → ${res.statusCode} ${res.body.slice(0, 200)}`)
        continue
      }
      if (sample.audits === null) continue
      const { rows } = await kit.haina.database.pool.query(
        'select action from audit_log where tenant_id = $1 and object_type = $2 and at >= $3',
        [kit.a.tenantId, sample.audits, started],
      )
      if (rows.length === 0 || (await count()) === before) failures.push(`${key(route)} wrote no '${sample.audits}' audit record`)
    }
    expect(failures).toEqual([])
  })
})

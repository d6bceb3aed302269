/**
 * Generated from the registered route list: for every /api/v1 route with a URL parameter, the
 * record is prepared in workspace A by its route sample and requested by B's admin → 404 (never
 * 403, never the record). The same call by A's admin must not be 404, which proves the sample valid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from './kit.js'
import { allSamples, apiRoutes, fill, hasParams, key } from './route-walk.js'

// One test walks every route in turn: it grows with the API, so it gets its own budget.
const WALK_TIMEOUT_MS = 300_000

let kit: Kit
const samples = allSamples()
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

describe('tenant isolation', () => {
  it('covers every route that takes a parameter', () => {
    const routes = apiRoutes(kit.haina.routes).filter(hasParams)
    expect(routes.length).toBeGreaterThan(5)
    expect(routes.map(key).filter((k) => !samples.has(k))).toEqual([])
  })

  it(
    'answers 404 to workspace B for every id of workspace A',
    async () => {
      const failures: string[] = []
      let checked = 0
      for (const route of apiRoutes(kit.haina.routes).filter(hasParams)) {
        const sample = samples.get(key(route))
        if (!sample) {
          failures.push(`${key(route)} has no route sample`)
          continue
        }
        if (sample.coveredElsewhere) continue
        const req = await sample.prepare(kit, kit.a)
        const fromB = await kit.req(kit.b.admin, {
          method: route.method as 'GET',
          url: fill(route.url, req.params),
          payload: req.body as object,
          query: req.query,
        })
        if (fromB.statusCode !== 404) failures.push(`${key(route)} as B → ${fromB.statusCode}`)
        const own = await sample.prepare(kit, kit.a)
        const fromA = await kit.req(own.as ?? kit.a.admin, {
          method: route.method as 'GET',
          url: fill(route.url, own.params),
          payload: own.body as object,
          query: own.query,
        })
        if (fromA.statusCode === 404 || fromA.statusCode >= 500)
          failures.push(
            `${key(route)} as A → ${fromA.statusCode} (sample invalid) ${fromA.body.slice(0, 200)}`,
          )
        checked++
      }
      expect(failures).toEqual([])
      expect(checked).toBeGreaterThan(5)
    },
    WALK_TIMEOUT_MS,
  )
})

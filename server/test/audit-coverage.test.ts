/**
 * Generated from the registered route list: every POST/PUT/PATCH/DELETE route under /api/v1,
 * run by its route sample as A's admin, answers 2xx and writes an audit record of the sample's
 * object type (unless the sample says `audits: null`: the route changes no stored record).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from './kit.js'
import { allSamples, apiRoutes, fill, isMutation, key } from './route-walk.js'

// One test walks every route in turn: it grows with the API, so it gets its own budget.
const WALK_TIMEOUT_MS = 300_000

let kit: Kit
const samples = allSamples()
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

describe('audit of every mutation', () => {
  it(
    'writes an audit record for every mutation route',
    async () => {
      const failures: string[] = []
      let checked = 0
      const pool = kit.haina.database.pool
      for (const route of apiRoutes(kit.haina.routes).filter(isMutation)) {
        const sample = samples.get(key(route))
        if (!sample) {
          failures.push(`${key(route)} has no route sample`)
          continue
        }
        if (sample.coveredElsewhere) continue
        const req = await sample.prepare(kit, kit.a)
        const count = async () =>
          sample.audits === null
            ? 0
            : Number(
                (
                  await pool.query(
                    'select count(*) from audit_log where tenant_id = $1 and object_type = $2',
                    [kit.a.tenantId, sample.audits],
                  )
                ).rows[0].count,
              )
        const before = await count()
        const res = await kit.req(req.as ?? kit.a.admin, {
          method: route.method as 'POST',
          url: fill(route.url, req.params),
          payload: req.body as object,
          query: req.query,
        })
        if (res.statusCode >= 300) {
          failures.push(`${key(route)} → ${res.statusCode} ${res.body.slice(0, 200)}`)
          continue
        }
        checked++
        if (sample.audits === null) continue
        if ((await count()) <= before) failures.push(`${key(route)} wrote no '${sample.audits}' audit record`)
      }
      expect(failures).toEqual([])
      expect(checked).toBeGreaterThan(10)
    },
    WALK_TIMEOUT_MS,
  )
})

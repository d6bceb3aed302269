/**
 * Generated from the registered route list: every route declares its permission, and the
 * route → permission table is a committed snapshot, so any permission change shows in review
 * (update it deliberately with `npx vitest run test/routes-permission.test.ts -u`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from './kit.js'
import { allSamples, apiRoutes, hasParams, isMutation, key } from './route-walk.js'

let kit: Kit
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
    expect(table.length).toBeGreaterThan(20)
    expect(table.filter((l) => l.endsWith('MISSING'))).toEqual([])
    expect(table).toMatchSnapshot()
  })

  it('names only known permissions (or authenticated/public)', async () => {
    const { ALL_PERMISSIONS, AUTHENTICATED, PUBLIC } = await import('../src/platform/access/permissions.js')
    const known = new Set([...ALL_PERMISSIONS, AUTHENTICATED, PUBLIC])
    const unknown = kit.haina.routes
      .filter((r) => r.permission && !known.has(r.permission))
      .map((r) => `${key(r)} → ${r.permission}`)
    expect(unknown).toEqual([])
  })

  it('has a route sample for every /api/v1 route that takes an id or changes data', () => {
    const samples = allSamples()
    const missing = apiRoutes(kit.haina.routes)
      .filter((r) => hasParams(r) || isMutation(r))
      .map(key)
      .filter((k) => !samples.has(k))
    expect(missing).toEqual([])
  })
})

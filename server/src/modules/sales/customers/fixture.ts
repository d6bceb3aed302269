/**
 * Test fixture of the customer tests: the pool tests' org tree and people (seed 002/003: HQ, 华东 with
 * dealer 上海 and its team of three salespeople, 华南 with 深圳), plus small helpers.
 */
import { expect } from 'vitest'
import type { Kit, TestSession } from '../../../../test/kit.js'
import { type PoolWorld, poolWorld } from '../../leads/pools.fixture.js'
import { creditCodeCheckChar } from '../../quality/normalize/index.js'

// biome-ignore lint/suspicious/noExplicitAny: records read back in tests are loose JSON
type Loose = any

export interface CustomerWorld extends PoolWorld {
  call(
    as: TestSession,
    method: string,
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{
    statusCode: number
    body: string
    json(): Loose
  }>
  sql(text: string, params?: unknown[]): Promise<Loose[]>
  /** Creates a customer through the API (201 expected) and returns it. */
  customer(as: TestSession, body: Record<string, unknown>): Promise<Loose>
  /** A public pool (公海) of the 上海 dealer open to its people. */
  publicPool(settings?: Record<string, unknown>): Promise<string>
}

let seq = 0

/** A valid 统一社会信用代码 made from a number (its check character computed). */
export function creditCode(n: number): string {
  const first17 = `91310115${String(n).padStart(9, '0')}`
  return first17 + creditCodeCheckChar(first17)!
}

export async function customerWorld(kit: Kit): Promise<CustomerWorld> {
  const w = await poolWorld(kit)
  const call: CustomerWorld['call'] = (as, method, url, payload, headers) =>
    kit.req(as, { method: method as 'GET', url, payload: payload as Record<string, unknown>, headers })
  return {
    ...w,
    call,
    sql: async (text, params = []) => (await kit.haina.database.pool.query(text, params)).rows,
    async customer(as, body) {
      const res = await call(as, 'POST', '/api/v1/customers', { allowDuplicate: true, ...body })
      expect(res.statusCode, res.body).toBe(201)
      return res.json()
    },
    async publicPool(settings = {}) {
      const res = await call(kit.a.admin, 'POST', '/api/v1/lead-pools', {
        name: `客户公海${seq++}-${Date.now()}`,
        kind: 'public',
        unitId: w.unit.sh,
        settings,
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    },
  }
}

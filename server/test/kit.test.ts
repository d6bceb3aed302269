import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from './kit.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

describe('test kit', () => {
  it('creates two separate workspaces with ready-made roles', async () => {
    expect(kit.a.tenantId).not.toBe(kit.b.tenantId)
    const { rows } = await kit.haina.database.pool.query(
      'select key, data_scope from roles where tenant_id = $1 order by key',
      [kit.a.tenantId],
    )
    expect(rows.map((r) => r.key)).toEqual([
      'admin',
      'auditor',
      'channel',
      'customer_service',
      'management',
      'marketing',
      'sales_director',
      'sales_manager',
      'salesperson',
    ])
  })
})

/** Leads over HTTP: list filters (base fields, custom.<key>, q), sort, cursor, validation, idempotency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
  const field = await kit.req(kit.a.admin, {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'lead', key: 'budget', label: '预算', type: 'number' },
  })
  expect(field.statusCode, field.body).toBe(201)
  const rows = [
    { name: '赵一', status: 'new', company: '杭州云帆科技有限公司', custom: { budget: 100 } },
    { name: '钱二', status: 'following', company: '上海启明贸易有限公司', custom: { budget: 500 } },
    {
      name: '孙三',
      status: 'following',
      mobile: '13912345678',
      email: 'Sun@Example.com',
      custom: { budget: 900 },
    },
  ]
  for (const payload of rows)
    expect((await kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/leads', payload })).statusCode).toBe(
      201,
    )
})
afterAll(() => kit.close())

const list = async (qs: string) => {
  const res = await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads?${qs}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as {
    items: { name: string; mobile: string | null; email: string | null }[]
    nextCursor: string | null
  }
}
const f = (filter: object) => `filter=${encodeURIComponent(JSON.stringify(filter))}`
const names = (p: { items: { name: string }[] }) => p.items.map((l) => l.name)

describe('leads list', () => {
  it('filters on base fields, custom fields and q', async () => {
    expect(names(await list(`${f({ status: 'following' })}&sort=name`)).sort()).toEqual(['孙三', '钱二'])
    expect(names(await list(f({ 'custom.budget': { gte: 500 } }))).sort()).toEqual(['孙三', '钱二'])
    expect(names(await list(f({ q: '云帆' })))).toEqual(['赵一'])
    expect(names(await list(f({ q: '1391234' })))).toEqual(['孙三'])
    const bad = await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads?${f({ nope: 1 })}` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('filter.nope')
  })

  it('finds unplaced leads in the master pool, and only there', async () => {
    const { items: pools } = (
      await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/lead-pools' })
    ).json() as {
      items: {
        id: string
        kind: string
      }[]
    }
    const master = pools.find((p) => p.kind === 'master')!
    expect(names(await list(f({ poolId: master.id }))).sort()).toEqual(['孙三', '赵一', '钱二'].sort())
    const sub = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/lead-pools',
      payload: { name: '华东子池', kind: 'sub' },
    })
    expect(sub.statusCode, sub.body).toBe(201)
    expect(names(await list(f({ poolId: sub.json().id })))).toEqual([])
    const bad = await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads?${f({ poolId: 'x' })}` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('filter.poolId')
  })

  it('sorts and pages with a cursor', async () => {
    const p1 = await list('sort=name&limit=2')
    const p2 = await list(`sort=name&limit=2&cursor=${p1.nextCursor}`)
    expect(p2.nextCursor).toBeNull()
    expect([...names(p1), ...names(p2)]).toEqual(['孙三', '赵一', '钱二'].sort((a, b) => (a < b ? -1 : 1)))
    expect((await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/leads?sort=notes' })).statusCode).toBe(
      400,
    )
  })

  it('stores E.164 mobiles and lower-case emails, masked without pii.view', async () => {
    const [sun] = (await list(f({ name: '孙三' }))).items
    expect(sun).toMatchObject({ mobile: '+8613912345678', email: 'sun@example.com' })
    const { rows } = await kit.haina.database.pool.query(
      `select id from roles where tenant_id = $1 and key = 'marketing'`,
      [kit.a.tenantId],
    )
    const u = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'mkt@a.test',
        name: '市场',
        unitId: kit.a.rootUnitId,
        roleIds: [rows[0].id],
        password: 'Passw0rd!2026',
      },
    })
    const mkt = await kit.login(kit.a.tenantId, u.json().id)
    const masked = (await kit.req(mkt, { method: 'GET', url: `/api/v1/leads?${f({ name: '孙三' })}` })).json()
      .items[0]
    expect(masked.mobile).toBe('139****5678')
    expect(masked.email).not.toBe('sun@example.com')
    expect(masked.email).toContain('*')
  })

  it('rejects bad custom values naming the field, and replays an idempotent create', async () => {
    const bad = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: 'x', custom: { budget: 'lots' } },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toContain('budget')
    const headers = { 'idempotency-key': 'lead-create-1' }
    const first = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: '幂等' },
      headers,
    })
    const again = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: '幂等' },
      headers,
    })
    expect(first.statusCode).toBe(201)
    expect(again.json().id).toBe(first.json().id)
    expect(names(await list(f({ name: '幂等' })))).toEqual(['幂等'])
  })
})

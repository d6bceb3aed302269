import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { createRole } from '../../platform/org/roles.service.js'
import { createUsers } from '../../platform/org/users.service.js'

let kit: Kit
let seller: TestSession
beforeAll(async () => {
  kit = await createKit()
  const role = await createRole(kit.a.sys, {
    name: '只看自己',
    permissions: ['leads.view', 'leads.create'],
    dataScope: 'self',
  })
  const [u] = await createUsers(kit.a.sys, [
    {
      email: 'seller@manual.test',
      name: '销售',
      unitId: kit.a.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!',
    },
  ])
  seller = await kit.login(kit.a.tenantId, u!.id)
})
afterAll(() => kit.close())

const create = (payload: Record<string, unknown>, as: TestSession = kit.a.admin) =>
  kit.req(as, { method: 'POST', url: '/api/v1/leads', payload })
const count = async (sql: string, ...params: unknown[]) =>
  (await kit.haina.database.pool.query(sql, params)).rows[0].n as number

describe('leads typed in by a person go through the data factory', () => {
  it('creates a lead with its matching keys and person, then merges the same person typed again', async () => {
    const first = await create({ name: '張偉', mobile: '139 1234 5678', company: '海纳科技（上海）有限公司' })
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({ outcome: 'created', mobile: '+8613912345678' })
    const { rows } = await kit.haina.database.pool.query(
      'select person_id, name_key, company_key from leads where id = $1',
      [first.json().id],
    )
    expect(rows[0]).toMatchObject({ name_key: '张伟', company_key: '海纳科技' })
    expect(rows[0].person_id).toBeTruthy()

    const again = await create({ name: '张伟', mobile: '+86 13912345678', email: 'zw@example.com' })
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ outcome: 'merged', id: first.json().id, email: 'zw@example.com' })
    expect(await count(`select count(*)::int as n from leads where mobile = '+8613912345678'`)).toBe(1)
  })

  it('names a bad phone at once, and refuses a known person outside the caller’s scope without a trace', async () => {
    const bad = await create({ name: '王五', mobile: '12345' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('mobile')

    await create({ name: '赵六', mobile: '13688889999' }) // the admin's lead, invisible to the seller
    const intents = await count(
      `select count(*)::int as n from lead_intents where payload->>'mobile' = '+8613688889999'`,
    )
    const res = await create({ name: '赵六', mobile: '13688889999' }, seller)
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('duplicate_lead')
    expect(res.body).not.toContain('赵六')
    expect(
      await count(`select count(*)::int as n from lead_intents where payload->>'mobile' = '+8613688889999'`),
    ).toBe(intents)
  })
})

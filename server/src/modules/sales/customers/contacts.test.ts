/** Contacts: phones and emails, the primary contact, the reporting-line tree and its cycles, scope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { type CustomerWorld, customerWorld } from './fixture.js'

let kit: Kit
let w: CustomerWorld
let school: { id: string; version: number }
beforeAll(async () => {
  kit = await createKit()
  w = await customerWorld(kit)
  school = await w.customer(w.as.seller!, { name: '海纳实验学校', kind: 'organisation', industry: '教育' })
})
afterAll(() => kit.close())

const add = async (body: Record<string, unknown>) => {
  const res = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', { customerId: school.id, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

describe('contacts', () => {
  it('stores several phones, emails and WeChat ids, the first being the primary one', async () => {
    const c = await add({
      name: '校长',
      title: '校长',
      dealRole: 'decision_maker',
      mobile: '139 1234 5678',
      phones: ['021-61234567', '13912345678'],
      emails: ['Principal@School.test', 'p2@school.test'],
      wechatIds: [' wx_principal ', 'wx_principal'],
      birthday: '1970-05-04',
      preferences: '喜欢喝茶',
      isPrimary: true,
    })
    expect(c).toMatchObject({
      mobile: '+8613912345678',
      phones: ['+8613912345678', '+862161234567'],
      email: 'principal@school.test',
      emails: ['principal@school.test', 'p2@school.test'],
      wechatIds: ['wx_principal'],
      birthday: '1970-05-04',
      isPrimary: true,
      customerName: '海纳实验学校',
      ownerId: w.user.seller,
    })
    const bad = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', {
      customerId: school.id,
      name: '坏号码',
      phones: ['13912345678', '123'],
      birthday: '2023-02-30',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([
      expect.objectContaining({ field: 'phones[1]', code: 'invalid_phone' }),
      expect.objectContaining({ field: 'birthday', code: 'invalid_date' }),
    ])
    // A new primary contact takes the flag from the old one.
    const other = await add({ name: '副校长', isPrimary: true })
    const [old] = await w.sql('select is_primary from contacts where id = $1', [c.id])
    expect(old.is_primary).toBe(false)
    expect(other.isPrimary).toBe(true)
    // Changing the mobile replaces the old primary number.
    const patched = await w.call(w.as.seller!, 'PATCH', `/api/v1/contacts/${c.id}`, {
      mobile: '13800000000',
      version: 2,
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().phones).toEqual(['+8613800000000', '+862161234567'])
    const stale = await w.call(w.as.seller!, 'PATCH', `/api/v1/contacts/${c.id}`, { title: 'x', version: 1 })
    expect(stale.statusCode).toBe(409)
  })

  it('builds the reporting-line tree and refuses cycles and managers of other customers', async () => {
    const principal = await add({ name: '王校长' })
    const dean = await add({ name: '李主任', reportsToId: principal.id })
    const teacher = await add({ name: '赵老师', reportsToId: dean.id })
    const tree = await w.call(w.as.seller!, 'GET', `/api/v1/customers/${school.id}/contacts/tree`)
    expect(tree.statusCode, tree.body).toBe(200)
    const root = tree.json().find((n: { id: string }) => n.id === principal.id)
    expect(root.children).toHaveLength(1)
    expect(root.children[0]).toMatchObject({
      id: dean.id,
      children: [expect.objectContaining({ id: teacher.id })],
    })

    const cycle = await w.call(w.as.seller!, 'PATCH', `/api/v1/contacts/${principal.id}`, {
      reportsToId: teacher.id,
      version: principal.version,
    })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.json().errors).toEqual([
      expect.objectContaining({ field: 'reportsToId', code: 'contact_cycle' }),
    ])
    const self = await w.call(w.as.seller!, 'PATCH', `/api/v1/contacts/${dean.id}`, {
      reportsToId: dean.id,
      version: dean.version,
    })
    expect(self.json().errors[0].code).toBe('contact_cycle')

    const elsewhere = await w.customer(w.as.seller!, { name: '另一所学校' })
    const outsider = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', {
      customerId: elsewhere.id,
      name: '外校老师',
      reportsToId: principal.id,
    })
    expect(outsider.json().errors).toEqual([
      expect.objectContaining({ field: 'reportsToId', code: 'invalid_reports_to' }),
    ])

    // Deleting the dean: the teacher now reports to the principal.
    expect((await w.call(w.as.seller!, 'DELETE', `/api/v1/contacts/${dean.id}`)).statusCode).toBe(204)
    const [t] = await w.sql('select reports_to_id from contacts where id = $1', [teacher.id])
    expect(t.reports_to_id).toBe(principal.id)
  })

  it('lists contacts in scope, by customer, role and search', async () => {
    await add({ name: '财务处长', dealRole: 'finance', mobile: '13700001111' })
    const mine = await w.call(
      w.as.seller!,
      'GET',
      `/api/v1/contacts?customerId=${school.id}&dealRole=finance`,
    )
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json().items.map((c: { name: string }) => c.name)).toEqual(['财务处长'])
    const q = await w.call(w.as.seller!, 'GET', '/api/v1/contacts?q=00001111')
    expect(q.json().items.map((c: { name: string }) => c.name)).toEqual(['财务处长'])
    expect(
      (await w.call(w.as.seller2!, 'GET', `/api/v1/contacts?customerId=${school.id}`)).json().items,
    ).toEqual([])
    expect(
      (
        await w.call(w.as.seller2!, 'POST', '/api/v1/contacts', { customerId: school.id, name: '越权' })
      ).json().errors[0],
    ).toMatchObject({ field: 'customerId', code: 'unknown_customer' })
    expect(
      (await w.call(w.as.seller2!, 'GET', `/api/v1/customers/${school.id}/contacts/tree`)).statusCode,
    ).toBe(404)
    expect(
      (await w.call(kit.b.admin, 'GET', `/api/v1/customers/${school.id}/contacts/tree`)).statusCode,
    ).toBe(404)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { createUnits } from './units.service.js'
import { createUsers, resetPassword } from './users.service.js'

let kit: Kit
let roleId: Record<string, string>
const adminEmail = () =>
  kit.haina.database.pool
    .query('select email from users where id = $1', [kit.a.adminId])
    .then((r) => r.rows[0].email as string)
const login = (email: string, password: string) =>
  kit.req(null, { method: 'POST', url: '/api/v1/auth/login', payload: { workspace: slugA, email, password } })
let slugA: string

beforeAll(async () => {
  kit = await createKit()
  const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items as {
    key: string
    id: string
  }[]
  roleId = Object.fromEntries(roles.map((r) => [r.key, r.id]))
  slugA = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/workspace' })).json().slug
})
afterAll(() => kit.close())

describe('users within org boundaries', () => {
  let dealerAdmin: TestSession
  let dealerUnit: string
  let otherDealer: string
  let dealerStaffId: string
  let otherStaffId: string

  beforeAll(async () => {
    const [d1, d2] = await createUnits(kit.a.sys, [
      { parentId: kit.a.rootUnitId, type: 'dealer', name: '华东经销商' },
      { parentId: kit.a.rootUnitId, type: 'dealer', name: '华南经销商' },
    ])
    dealerUnit = String(d1!.id)
    otherDealer = String(d2!.id)
    const [boss, staff, other] = await createUsers(kit.a.sys, [
      {
        email: 'boss@d1.test',
        name: '经销商管理员',
        unitId: dealerUnit,
        roleIds: [roleId.admin!],
        password: 'Passw0rd!',
      },
      {
        email: 'staff@d1.test',
        name: '经销商销售',
        unitId: dealerUnit,
        roleIds: [roleId.salesperson!],
        password: 'Passw0rd!',
      },
      {
        email: 'staff@d2.test',
        name: '另一经销商销售',
        unitId: otherDealer,
        roleIds: [roleId.salesperson!],
        password: 'Passw0rd!',
      },
    ])
    dealerStaffId = staff!.id
    otherStaffId = other!.id
    dealerAdmin = await kit.login(kit.a.tenantId, boss!.id)
  })

  it('shows a dealer admin only the users of their own dealer', async () => {
    const list = await kit.req(dealerAdmin, { method: 'GET', url: '/api/v1/users?limit=200' })
    expect(list.statusCode).toBe(200)
    expect(
      list
        .json()
        .items.map((u: { email: string }) => u.email)
        .sort(),
    ).toEqual(['boss@d1.test', 'staff@d1.test'])
    // HQ sees everyone.
    const hq = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/users?limit=200' })).json().items
    expect(hq.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(['boss@d1.test', 'staff@d2.test', await adminEmail()]),
    )
  })

  it('answers 404 for users across the boundary, for get, update, reset and delete', async () => {
    for (const id of [otherStaffId, kit.a.adminId]) {
      expect((await kit.req(dealerAdmin, { method: 'GET', url: `/api/v1/users/${id}` })).statusCode).toBe(404)
      expect(
        (await kit.req(dealerAdmin, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { name: 'x' } }))
          .statusCode,
      ).toBe(404)
      expect(
        (
          await kit.req(dealerAdmin, {
            method: 'POST',
            url: `/api/v1/users/${id}/reset-password`,
            payload: { password: 'Hijack3d!' },
          })
        ).statusCode,
      ).toBe(404)
      expect((await kit.req(dealerAdmin, { method: 'DELETE', url: `/api/v1/users/${id}` })).statusCode).toBe(
        404,
      )
    }
    const own = await kit.req(dealerAdmin, { method: 'GET', url: `/api/v1/users/${dealerStaffId}` })
    expect(own.json()).toMatchObject({
      email: 'staff@d1.test',
      unitId: dealerUnit,
      roleIds: [roleId.salesperson],
    })
  })

  it('refuses to place a user, or name a manager, outside the dealer', async () => {
    const intoOther = await kit.req(dealerAdmin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'x@d1.test', name: 'x', unitId: otherDealer, roleIds: [], password: 'Passw0rd!' },
    })
    expect(intoOther.statusCode).toBe(400)
    expect(intoOther.json().errors).toEqual([
      expect.objectContaining({ field: 'unitId', code: 'invalid_unit' }),
    ])
    const managed = await kit.req(dealerAdmin, {
      method: 'PATCH',
      url: `/api/v1/users/${dealerStaffId}`,
      payload: { managerId: otherStaffId },
    })
    expect(managed.statusCode).toBe(400)
    expect(managed.json().errors[0]).toMatchObject({ field: 'managerId', code: 'invalid_user' })
    const stored = await kit.haina.database.pool.query('select manager_id from users where id = $1', [
      dealerStaffId,
    ])
    expect(stored.rows[0].manager_id).toBeNull()
  })
})

describe('account status and passwords', () => {
  it('disabling a user ends their sessions and blocks sign-in with the generic message', async () => {
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'leaving@a.test',
        name: '离职员工',
        unitId: kit.a.rootUnitId,
        roleIds: [roleId.salesperson!],
        password: 'Passw0rd!',
      },
    ])
    const session = await kit.login(kit.a.tenantId, u!.id)
    expect((await kit.req(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200)
    const off = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${u!.id}`,
      payload: { status: 'disabled', version: u!.version },
    })
    expect(off.statusCode).toBe(200)
    expect(off.json()).toMatchObject({ status: 'disabled', version: u!.version + 1 })
    expect((await kit.req(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401)
    const denied = await login('leaving@a.test', 'Passw0rd!')
    expect(denied.statusCode).toBe(401)
    expect(denied.json().code).toBe('invalid_credentials')
  })

  it('reset-password checks the policy, signs the user out and the new password works', async () => {
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'forgot@a.test',
        name: '忘记密码',
        unitId: kit.a.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    ])
    const session = await kit.login(kit.a.tenantId, u!.id)
    const weak = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/users/${u!.id}/reset-password`,
      payload: { password: 'onlyletters' },
    })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'weak_password' }),
    ])
    const ok = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/users/${u!.id}/reset-password`,
      payload: { password: 'Fresh0Start' },
    })
    expect(ok.statusCode).toBe(204)
    expect((await kit.req(session, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401)
    expect((await login('forgot@a.test', 'Passw0rd!')).statusCode).toBe(401)
    expect((await login('forgot@a.test', 'Fresh0Start')).statusCode).toBe(200)
  })

  it('names every weak password of a batch by row, and stores nothing', async () => {
    const before = await kit.haina.database.pool.query(
      'select count(*)::int as n from users where tenant_id = $1',
      [kit.a.tenantId],
    )
    const err = await createUsers(kit.a.sys, [
      { email: 'ok@batch.test', name: 'ok', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' },
      { email: 'bad1@batch.test', name: 'b1', unitId: kit.a.rootUnitId, roleIds: [], password: '12345678' },
      {
        email: 'bad2@batch.test',
        name: 'b2',
        unitId: kit.a.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
        managerId: kit.b.adminId,
      },
    ]).catch((e) => e)
    expect(err.fields.map((f: { field: string }) => f.field)).toEqual(['[1].password'])
    const err2 = await createUsers(kit.a.sys, [
      { email: 'ok@batch.test', name: 'ok', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' },
      {
        email: 'bad2@batch.test',
        name: 'b2',
        unitId: kit.b.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
        managerId: kit.b.adminId,
      },
    ]).catch((e) => e)
    expect(err2.fields.map((f: { field: string }) => f.field)).toEqual(['[1].unitId', '[1].managerId'])
    const after = await kit.haina.database.pool.query(
      'select count(*)::int as n from users where tenant_id = $1',
      [kit.a.tenantId],
    )
    expect(after.rows[0].n).toBe(before.rows[0].n)
  })

  it('keeps at least one active administrator', async () => {
    const self = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${kit.a.adminId}`,
      payload: { status: 'disabled' },
    })
    expect(self.statusCode).toBe(400)
    expect(self.json().errors[0]).toMatchObject({ field: 'status', code: 'cannot_disable_self' })
    // Workspace B has one admin: taking the role away would leave nobody to manage it.
    const rolesB = (await kit.req(kit.b.admin, { method: 'GET', url: '/api/v1/roles' })).json().items as {
      key: string
      id: string
    }[]
    const stripped = await kit.req(kit.b.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${kit.b.adminId}`,
      payload: { roleIds: [rolesB.find((r) => r.key === 'management')!.id] },
    })
    expect(stripped.statusCode).toBe(409)
    expect(stripped.json().code).toBe('last_admin')
    const still = await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/users/${kit.b.adminId}` })
    expect(still.json().roleIds).toEqual([rolesB.find((r) => r.key === 'admin')!.id])
    // With a second admin, the first may step down.
    const [second] = await createUsers(kit.b.sys, [
      {
        email: 'second@b.test',
        name: '第二管理员',
        unitId: kit.b.rootUnitId,
        roleIds: [rolesB.find((r) => r.key === 'admin')!.id],
        password: 'Passw0rd!',
      },
    ])
    const stepDown = await kit.req(kit.b.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${kit.b.adminId}`,
      payload: { roleIds: [rolesB.find((r) => r.key === 'management')!.id] },
    })
    expect(stepDown.statusCode).toBe(200)
    const secondSession = await kit.login(kit.b.tenantId, second!.id)
    const del = await kit.req(secondSession, { method: 'DELETE', url: `/api/v1/users/${second!.id}` })
    expect(del.statusCode).toBe(400)
    const delFirst = await kit.req(secondSession, { method: 'DELETE', url: `/api/v1/users/${kit.b.adminId}` })
    expect(delFirst.statusCode).toBe(204)
  })

  it('resetPassword (CLI) refuses another workspace’s user', async () => {
    await expect(resetPassword(kit.a.sys, kit.b.adminId, 'Passw0rd!9')).rejects.toMatchObject({ status: 404 })
  })
})

describe('custom fields on users', () => {
  it('validates, stores and masks custom values', async () => {
    const def = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'user', key: 'employee_no', label: '工号', type: 'text', required: true },
    })
    expect(def.statusCode).toBe(201)
    await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'user', key: 'home_phone', label: '家庭电话', type: 'phone' },
    })
    const body = {
      email: 'cf@a.test',
      name: '自定义',
      unitId: kit.a.rootUnitId,
      roleIds: [roleId.salesperson!],
      password: 'Passw0rd!',
    }
    const missing = await kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/users', payload: body })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().errors).toEqual([
      expect.objectContaining({ field: 'custom.employee_no', code: 'required' }),
    ])
    const made = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { ...body, custom: { employee_no: 'E001', home_phone: '13800138000' } },
    })
    expect(made.statusCode).toBe(201)
    expect(made.json().custom).toEqual({ employee_no: 'E001', home_phone: '+8613800138000' })
    const changed = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/users/${made.json().id}`,
      payload: { custom: { employee_no: 'E002' } },
    })
    expect(changed.json().custom).toEqual({ employee_no: 'E002', home_phone: '+8613800138000' })
    // A sales manager sees users but not full phone numbers.
    const [mgr] = await createUsers(kit.a.sys, [
      {
        email: 'mgr@a.test',
        name: '经理',
        unitId: kit.a.rootUnitId,
        roleIds: [roleId.sales_manager!],
        password: 'Passw0rd!',
        custom: { employee_no: 'E003' },
      },
    ])
    const noPii = await kit.login(kit.a.tenantId, mgr!.id)
    await kit.haina.database.pool.query(
      `update roles set permissions = permissions - 'pii.view' where id = $1`,
      [roleId.sales_manager],
    )
    const seen = await kit.req(noPii, { method: 'GET', url: `/api/v1/users/${made.json().id}` })
    expect(seen.statusCode).toBe(200)
    expect(seen.json().custom).toEqual({ employee_no: 'E002', home_phone: '138****8000' })
  })
})

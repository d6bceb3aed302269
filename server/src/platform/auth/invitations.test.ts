import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { createUsers } from '../org/users.service.js'

let kit: Kit
let roleId: Record<string, string>
const cookieOf = (res: { headers: Record<string, unknown> }) =>
  String(res.headers['set-cookie']).split(';')[0]!
const invite = (payload: object) =>
  kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/invitations', payload })
const accept = (token: string, payload: object) =>
  kit.req(null, { method: 'POST', url: `/api/v1/invitations/accept/${token}`, payload })

beforeAll(async () => {
  kit = await createKit()
  const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items as {
    key: string
    id: string
  }[]
  roleId = Object.fromEntries(roles.map((r) => [r.key, r.id]))
})
afterAll(() => kit.close())

describe('invitations', () => {
  it('invites, shows the link once, and the invitee joins with the unit and roles', async () => {
    const made = await invite({
      email: 'Zhao@a.test',
      name: '赵敏',
      unitId: kit.a.rootUnitId,
      roleIds: [roleId.salesperson],
    })
    expect(made.statusCode).toBe(201)
    const { id, token, url } = made.json()
    expect(url).toBe(`/invite/${token}`)
    expect(made.json()).toMatchObject({ email: 'Zhao@a.test', status: 'pending', invitedBy: kit.a.adminId })
    // Only the hash is stored, and the list never shows the token again.
    const stored = await kit.haina.database.pool.query('select token_hash from invitations where id = $1', [
      id,
    ])
    expect(stored.rows[0].token_hash).not.toContain(token.split('.')[1])
    const list = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/invitations' })
    expect(list.json().items).toEqual([expect.objectContaining({ id, status: 'pending' })])
    expect(list.body).not.toContain(token.split('.')[1])

    const info = await kit.req(null, { method: 'GET', url: `/api/v1/invitations/accept/${token}` })
    expect(info.statusCode).toBe(200)
    expect(info.json()).toMatchObject({ email: 'Zhao@a.test', name: '赵敏', workspace: { name: 'Alpha' } })

    const weak = await accept(token, { password: 'short' })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().errors).toEqual([
      expect.objectContaining({ field: 'password', code: 'weak_password' }),
    ])

    const joined = await accept(token, { password: 'Passw0rd!' })
    expect(joined.statusCode).toBe(201)
    expect(String(joined.headers['set-cookie'])).toMatch(/haina_sid=.*HttpOnly.*SameSite=Lax/i)
    expect(joined.json()).toMatchObject({
      user: { email: 'Zhao@a.test', name: '赵敏', unitId: kit.a.rootUnitId },
      tenant: { id: kit.a.tenantId },
    })
    const me = await kit.haina.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: cookieOf(joined) },
    })
    expect(me.json()).toMatchObject({ user: { email: 'Zhao@a.test' }, dataScope: 'self' })
    expect(me.json().permissions).toContain('leads.create')
    expect(me.json().permissions).not.toContain('users.create')

    // A link works once.
    const again = await accept(token, { password: 'Passw0rd!' })
    expect(again.statusCode).toBe(404)
    expect(again.json().code).toBe('invitation_invalid')
    expect(
      (await kit.req(null, { method: 'GET', url: `/api/v1/invitations/accept/${token}` })).statusCode,
    ).toBe(404)
    const after = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/invitations' })
    expect(after.json().items[0]).toMatchObject({ id, status: 'accepted' })
    const audit = await kit.haina.database.pool.query(
      `select action, actor_id from audit_log where tenant_id = $1 and object_type = 'invitation' and object_id = $2 order by at, id`,
      [kit.a.tenantId, id],
    )
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'accept'])
    expect(audit.rows[1].actor_id).toBe(joined.json().user.id)
  })

  it('refuses emails that already have an account or a pending invitation', async () => {
    const existing = await invite({ email: 'ZHAO@a.test', unitId: kit.a.rootUnitId, roleIds: [] })
    expect(existing.statusCode).toBe(409)
    expect(existing.json().errors[0]).toMatchObject({ field: 'email', code: 'not_unique' })
    expect((await invite({ email: 'qian@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).statusCode).toBe(
      201,
    )
    expect((await invite({ email: 'Qian@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).statusCode).toBe(
      409,
    )
    const badRole = await invite({ email: 'sun@a.test', unitId: kit.b.rootUnitId, roleIds: [kit.b.adminId] })
    expect(badRole.statusCode).toBe(400)
    expect(badRole.json().errors.map((e: { field: string }) => e.field)).toEqual(['unitId', 'roleIds'])
  })

  it('revoked and expired links do not work', async () => {
    const revoked = (await invite({ email: 'li@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).json()
    expect(
      (await kit.req(kit.b.admin, { method: 'DELETE', url: `/api/v1/invitations/${revoked.id}` })).statusCode,
    ).toBe(404)
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/invitations/${revoked.id}` })).statusCode,
    ).toBe(204)
    expect((await accept(revoked.token, { name: '李', password: 'Passw0rd!' })).statusCode).toBe(404)

    const expired = (await invite({ email: 'zhou@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).json()
    await kit.haina.database.pool.query(
      `update invitations set expires_at = now() - interval '1 second' where id = $1`,
      [expired.id],
    )
    expect((await accept(expired.token, { name: '周', password: 'Passw0rd!' })).statusCode).toBe(404)
    const list = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/invitations' })).json().items
    expect(list.find((i: { id: string }) => i.id === expired.id).status).toBe('expired')
    // An expired invitation no longer blocks a new one for the same email.
    expect((await invite({ email: 'zhou@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).statusCode).toBe(
      201,
    )

    // Malformed tokens, and a token's tenant part pointing at another workspace.
    expect((await accept('nonsense', { name: 'x', password: 'Passw0rd!' })).statusCode).toBe(404)
    const fresh = (await invite({ email: 'wu@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).json()
    const swapped = `${kit.b.tenantId}.${fresh.token.split('.')[1]}`
    expect((await accept(swapped, { name: 'x', password: 'Passw0rd!' })).statusCode).toBe(404)
    const users = await kit.haina.database.pool.query(
      `select count(*)::int as n from users where email in ('li@a.test', 'zhou@a.test', 'wu@a.test')`,
    )
    expect(users.rows[0].n).toBe(0)
  })

  it('needs users.create to invite and users.view to list', async () => {
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'sales@a.test',
        name: '销售',
        unitId: kit.a.rootUnitId,
        roleIds: [roleId.salesperson!],
        password: 'Passw0rd!',
      },
    ])
    const sales = await kit.login(kit.a.tenantId, u!.id)
    const denied = await kit.req(sales, {
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: 'x@a.test', unitId: kit.a.rootUnitId, roleIds: [] },
    })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().detail).toBe('没有权限：users.create')
    expect((await kit.req(sales, { method: 'GET', url: '/api/v1/invitations' })).statusCode).toBe(403)
  })

  it('lets invitees join even when a user custom field is required', async () => {
    const def = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: { object: 'user', key: 'badge', label: '工牌', type: 'text', required: true },
    })
    expect(def.statusCode).toBe(201)
    const { token } = (await invite({ email: 'zheng@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).json()
    const joined = await accept(token, { name: '郑', password: 'Passw0rd!' })
    expect(joined.statusCode).toBe(201)
    const nameless = (await invite({ email: 'feng@a.test', unitId: kit.a.rootUnitId, roleIds: [] })).json()
    const noName = await accept(nameless.token, { password: 'Passw0rd!' })
    expect(noName.statusCode).toBe(400)
    expect(noName.json().errors[0]).toMatchObject({ field: 'name', code: 'required' })
  })
})

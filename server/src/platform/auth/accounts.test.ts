import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../test/harness.js'
import { createKit, type Kit } from '../../../test/kit.js'
import type { Haina } from '../../server.js'

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!

describe('first-run setup and sign-in', () => {
  let haina: Haina
  beforeAll(async () => {
    haina = await createTestApp()
  })
  afterAll(() => haina.close())
  const inject = (opts: InjectOptions) => haina.app.inject(opts)

  it('sets up the first workspace once, then refuses', async () => {
    expect((await inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true })
    const body = { workspaceName: '海纳科技', workspaceSlug: 'haina', adminName: '王伟', email: 'wang@haina.test', password: 'Passw0rd!' }
    const weak = await inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, password: 'short' } })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().errors[0]).toMatchObject({ field: 'password', code: 'weak_password' })
    expect((await inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true })
    const res = await inject({ method: 'POST', url: '/api/v1/setup', payload: body })
    expect(res.statusCode).toBe(201)
    expect(String(res.headers['set-cookie'])).toMatch(/haina_sid=.*HttpOnly.*SameSite=Lax/i)
    const me = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(res) } })
    expect(me.json()).toMatchObject({ user: { email: 'wang@haina.test' }, tenant: { slug: 'haina' }, dataScope: 'all' })
    expect(me.json().permissions).toContain('users.create')
    const again = await inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, workspaceSlug: 'other' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('setup_done')
  })

  it('gives one generic message for unknown email and wrong password, then locks the account', async () => {
    const login = (email: string, password: string) =>
      inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers: { 'accept-language': 'zh-CN' } })
    const unknown = await login('nobody@haina.test', 'Passw0rd!')
    const wrong = await login('wang@haina.test', 'Wrong0pass')
    expect(unknown.statusCode).toBe(401)
    expect(wrong.statusCode).toBe(401)
    expect(unknown.json().detail).toBe('账号或密码错误')
    expect(wrong.json().detail).toBe(unknown.json().detail)
    for (let i = 0; i < 3; i++) await login('wang@haina.test', 'Wrong0pass')
    const locking = await login('wang@haina.test', 'Wrong0pass')
    expect(locking.json().code).toBe('account_locked')
    // Locked: even the right password is refused, and nothing reveals which it was.
    const right = await login('wang@haina.test', 'Passw0rd!')
    expect(right.statusCode).toBe(429)
    expect(right.json().code).toBe('account_locked')
  })
})

describe('sessions, CSRF, permissions and API keys', () => {
  let kit: Kit
  beforeAll(async () => {
    kit = await createKit()
  })
  afterAll(() => kit.close())

  it('refuses writes without the CSRF token of the session', async () => {
    const res = await kit.haina.app.inject({ method: 'POST', url: '/api/v1/roles', headers: { cookie: kit.a.admin.cookie }, payload: { name: 'x', permissions: [], dataScope: 'self' } })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('csrf_failed')
  })

  it('names the missing permission with 403, and hides other workspaces with 404', async () => {
    const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items
    const salesRole = roles.find((r: { key: string }) => r.key === 'salesperson')
    const created = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'li@a.test', name: '李娜', unitId: kit.a.rootUnitId, roleIds: [salesRole.id], password: 'Passw0rd!' },
    })
    expect(created.statusCode).toBe(201)
    const li = await kit.login(kit.a.tenantId, created.json().id)
    const denied = await kit.req(li, { method: 'POST', url: '/api/v1/users', payload: { email: 'x@a.test', name: 'x', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' } })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toMatchObject({ code: 'forbidden', detail: '没有权限：users.create' })
    const other = await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/users/${created.json().id}` })
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('李娜')
    const dup = await kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'LI@a.test', name: 'x', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' } })
    expect(dup.statusCode).toBe(409)
  })

  it('signs out every session of a user', async () => {
    const second = await kit.login(kit.a.tenantId, kit.a.adminId)
    expect((await kit.req(second, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200)
    const out = await kit.req(second, { method: 'POST', url: '/api/v1/auth/logout-all' })
    expect(out.statusCode).toBe(204)
    expect((await kit.req(second, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401)
    expect((await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401)
    kit.a.admin = await kit.login(kit.a.tenantId, kit.a.adminId)
  })

  it('authenticates integrations by API key, limited to the key’s role', async () => {
    const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items
    const marketing = roles.find((r: { key: string }) => r.key === 'marketing')
    const made = await kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/api-keys', payload: { name: '官网表单', roleId: marketing.id, unitId: kit.a.rootUnitId } })
    expect(made.statusCode).toBe(201)
    const auth = { authorization: `Bearer ${made.json().key}` }
    const lead = await kit.haina.app.inject({ method: 'POST', url: '/api/v1/leads', headers: auth, payload: { name: '张伟', mobile: '13800138000' } })
    expect(lead.statusCode).toBe(201)
    const users = await kit.haina.app.inject({ method: 'POST', url: '/api/v1/users', headers: auth, payload: {} })
    expect(users.statusCode).toBe(403)
    const list = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/api-keys' })).json().items
    expect(JSON.stringify(list)).not.toContain(made.json().key)
    await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/api-keys/${made.json().id}` })
    const revoked = await kit.haina.app.inject({ method: 'GET', url: '/api/v1/leads', headers: auth })
    expect(revoked.statusCode).toBe(401)
  })
})

import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../test/harness.js'
import { createKit, type Kit } from '../../../test/kit.js'
import type { Haina } from '../../server.js'
import { createUsers } from '../org/users.service.js'

const cookieOf = (res: { headers: Record<string, unknown> }) =>
  String(res.headers['set-cookie']).split(';')[0]!

describe('first-run setup and sign-in', () => {
  let haina: Haina
  beforeAll(async () => {
    haina = await createTestApp()
  })
  afterAll(() => haina.close())
  const inject = (opts: InjectOptions) => haina.app.inject(opts)

  it('sets up the first workspace once, then refuses', async () => {
    expect((await inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true })
    const body = {
      workspaceName: '海纳科技',
      workspaceSlug: 'haina',
      adminName: '王伟',
      email: 'wang@haina.test',
      password: 'Passw0rd!',
    }
    const weak = await inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, password: 'short' },
    })
    expect(weak.statusCode).toBe(400)
    expect(weak.json().errors[0]).toMatchObject({ field: 'password', code: 'weak_password' })
    // The default phone region is checked like PATCH /workspace checks it: named, nothing created.
    for (const phoneRegion of ['XX', 'tw', '']) {
      const bad = await inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { ...body, phoneRegion },
        headers: { 'accept-language': 'en' },
      })
      expect(bad.statusCode, phoneRegion).toBe(400)
      expect(bad.json().errors).toEqual([
        { field: 'phoneRegion', code: 'invalid_option', message: 'Not one of the options' },
      ])
    }
    expect((await inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needsSetup: true })
    const res = await inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, phoneRegion: 'TW', timezone: 'Asia/Taipei' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().tenant).toMatchObject({ timezone: 'Asia/Taipei' })
    const ws = await inject({ method: 'GET', url: '/api/v1/workspace', headers: { cookie: cookieOf(res) } })
    expect(ws.json()).toMatchObject({ phoneRegion: 'TW', timezone: 'Asia/Taipei' })
    expect(String(res.headers['set-cookie'])).toMatch(/haina_sid=.*HttpOnly.*SameSite=Lax/i)
    const me = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookieOf(res) } })
    expect(me.json()).toMatchObject({
      user: { email: 'wang@haina.test' },
      tenant: { slug: 'haina' },
      dataScope: 'all',
    })
    expect(me.json().permissions).toContain('users.create')
    const again = await inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, workspaceSlug: 'other' },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('setup_done')
  })

  it('gives one generic message for unknown email and wrong password, then locks the account', async () => {
    const login = (email: string, password: string) =>
      inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        headers: { 'accept-language': 'zh-CN' },
      })
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
    // An email without an account locks after as many tries: the lockout tells nothing apart.
    const ghost = []
    for (let i = 0; i < 6; i++) ghost.push(await login('ghost@haina.test', 'Wrong0pass'))
    expect(ghost.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 429, 429])
    expect(ghost[5]!.json().detail).toBe(right.json().detail)
  })
})

describe('sessions, CSRF, permissions and API keys', () => {
  let kit: Kit
  beforeAll(async () => {
    kit = await createKit()
  })
  afterAll(() => kit.close())

  it('refuses writes without the CSRF token of the session', async () => {
    const res = await kit.haina.app.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: kit.a.admin.cookie },
      payload: { name: 'x', permissions: [], dataScope: 'self' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('csrf_failed')
  })

  it('names the missing permission with 403, and hides other workspaces with 404', async () => {
    const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items
    const salesRole = roles.find((r: { key: string }) => r.key === 'salesperson')
    const created = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'li@a.test',
        name: '李娜',
        unitId: kit.a.rootUnitId,
        roleIds: [salesRole.id],
        password: 'Passw0rd!',
      },
    })
    expect(created.statusCode).toBe(201)
    const li = await kit.login(kit.a.tenantId, created.json().id)
    const denied = await kit.req(li, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: 'x@a.test', name: 'x', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' },
    })
    expect(denied.statusCode).toBe(403)
    expect(denied.json()).toMatchObject({ code: 'forbidden', detail: '没有权限：users.create' })
    const other = await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/users/${created.json().id}` })
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('李娜')
    const dup = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: 'LI@a.test',
        name: 'x',
        unitId: kit.a.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    })
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
    const made = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: '官网表单', roleId: marketing.id, unitId: kit.a.rootUnitId },
    })
    expect(made.statusCode).toBe(201)
    const auth = { authorization: `Bearer ${made.json().key}` }
    const lead = await kit.haina.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: auth,
      payload: { name: '张伟', mobile: '13800138000' },
    })
    expect(lead.statusCode).toBe(201)
    const users = await kit.haina.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth,
      payload: {},
    })
    expect(users.statusCode).toBe(403)
    const list = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/api-keys' })).json().items
    expect(JSON.stringify(list)).not.toContain(made.json().key)
    await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/api-keys/${made.json().id}` })
    const revoked = await kit.haina.app.inject({ method: 'GET', url: '/api/v1/leads', headers: auth })
    expect(revoked.statusCode).toBe(401)
  })
})

describe('more bad input on accounts', () => {
  let kit: Kit
  let slugA: string
  beforeAll(async () => {
    kit = await createKit()
    slugA = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/workspace' })).json().slug
  })
  afterAll(() => kit.close())
  const adminEmail = () => `admin@${slugA}.test`

  it('answers malformed JSON on login with 400 problem+json', async () => {
    const res = await kit.haina.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(res.json().code).toBe('malformed_json')
  })

  it('asks for the workspace when there are several, and signs in with it', async () => {
    const without = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: adminEmail(), password: 'Passw0rd!2026' },
    })
    expect(without.statusCode).toBe(400)
    expect(without.json().errors[0]).toMatchObject({ field: 'workspace', code: 'workspace_required' })
    const ok = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { workspace: slugA, email: adminEmail().toUpperCase(), password: 'Passw0rd!2026' },
    })
    expect(ok.statusCode).toBe(200)
    expect(String(ok.headers['set-cookie'])).toMatch(/Path=\//)
    const row = await kit.haina.database.pool.query(
      'select token_hash, csrf_token from sessions where tenant_id = $1 order by created_at desc limit 1',
      [kit.a.tenantId],
    )
    const secret = String(ok.headers['set-cookie']).split(';')[0]!.split('.')[1]!
    expect(row.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.rows[0].token_hash).not.toBe(secret)
    expect(row.rows[0].csrf_token).toBe(ok.json().csrfToken)
    const user = await kit.haina.database.pool.query(
      'select last_login_at, failed_logins from users where id = $1',
      [kit.a.adminId],
    )
    expect(user.rows[0].last_login_at).not.toBeNull()
    // An unknown workspace gets the same generic answer as a wrong password.
    const wrongWs = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { workspace: 'no-such-ws', email: adminEmail(), password: 'Passw0rd!2026' },
    })
    expect(wrongWs.statusCode).toBe(401)
    expect(wrongWs.json().code).toBe('invalid_credentials')
  })

  it('follows the workspace lockout settings and resets the count on success', async () => {
    const patch = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { settings: { lockoutThreshold: 3, lockoutMinutes: 5 } },
    })
    expect(patch.statusCode).toBe(200)
    const [u] = await createUsers(kit.a.sys, [
      { email: 'lock@a.test', name: '锁定', unitId: kit.a.rootUnitId, roleIds: [], password: 'Passw0rd!' },
    ])
    const login = (password: string) =>
      kit.req(null, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { workspace: slugA, email: 'lock@a.test', password },
      })
    await login('Wrong0pass')
    await login('Wrong0pass')
    expect((await login('Passw0rd!')).statusCode).toBe(200)
    const reset = await kit.haina.database.pool.query('select failed_logins from users where id = $1', [
      u!.id,
    ])
    expect(reset.rows[0].failed_logins).toBe(0)
    await login('Wrong0pass')
    await login('Wrong0pass')
    const third = await login('Wrong0pass')
    expect(third.json().code).toBe('account_locked')
    const locked = await kit.haina.database.pool.query(
      `select locked_until > now() + interval '4 minutes' as long, locked_until < now() + interval '6 minutes' as short from users where id = $1`,
      [u!.id],
    )
    expect(locked.rows[0]).toEqual({ long: true, short: true })
    expect((await login('Passw0rd!')).json().code).toBe('account_locked')
    const audit = await kit.haina.database.pool.query(
      `select action from audit_log where tenant_id = $1 and object_id = $2 and object_type = 'user' order by at, id`,
      [kit.a.tenantId, u!.id],
    )
    expect(audit.rows.map((r) => r.action)).toEqual([
      'create',
      'login_failed',
      'login_failed',
      'login',
      'login_failed',
      'login_failed',
      'login_locked',
    ])
  })

  it('changing the password needs the current one, checks the policy and ends the other sessions', async () => {
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'change@a.test',
        name: '改密码',
        unitId: kit.a.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    ])
    const here = await kit.login(kit.a.tenantId, u!.id)
    const elsewhere = await kit.login(kit.a.tenantId, u!.id)
    const wrong = await kit.req(here, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'Nope0000', newPassword: 'Better0ne' },
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().errors[0]).toMatchObject({ field: 'currentPassword' })
    const weak = await kit.req(here, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'Passw0rd!', newPassword: 'abcdefgh' },
    })
    expect(weak.json().errors[0]).toMatchObject({ field: 'newPassword', code: 'weak_password' })
    const ok = await kit.req(here, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'Passw0rd!', newPassword: 'Better0ne' },
    })
    expect(ok.statusCode).toBe(204)
    expect((await kit.req(here, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200)
    expect((await kit.req(elsewhere, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401)
  })

  it('validates workspace time zone and language, and needs workspace.configure', async () => {
    const tz = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { timezone: 'Mars/Olympus' },
    })
    expect(tz.statusCode).toBe(400)
    expect(tz.json().errors[0]).toMatchObject({ field: 'timezone' })
    const locale = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { locale: 'fr' },
    })
    expect(locale.statusCode).toBe(400)
    expect(locale.json().errors[0]).toMatchObject({ field: 'locale' })
    const ok = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: '/api/v1/workspace',
      payload: { timezone: 'Asia/Taipei', locale: 'zh-TW', settings: { sessionDays: 1 } },
    })
    expect(ok.json()).toMatchObject({
      timezone: 'Asia/Taipei',
      locale: 'zh-TW',
      settings: { sessionDays: 1 },
    })
    // A session opened now lasts one day.
    const login = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { workspace: slugA, email: adminEmail(), password: 'Passw0rd!2026' },
    })
    const expires = new Date(String(login.headers['set-cookie']).match(/Expires=([^;]+)/)![1]!).getTime()
    expect(Math.abs(expires - Date.now() - 86_400_000)).toBeLessThan(60_000)
    const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items
    const [u] = await createUsers(kit.a.sys, [
      {
        email: 'ws@a.test',
        name: '只读',
        unitId: kit.a.rootUnitId,
        roleIds: [roles.find((r: { key: string }) => r.key === 'management').id],
        password: 'Passw0rd!',
      },
    ])
    const mgmt = await kit.login(kit.a.tenantId, u!.id)
    expect((await kit.req(mgmt, { method: 'GET', url: '/api/v1/workspace' })).statusCode).toBe(200)
    const denied = await kit.req(mgmt, { method: 'PATCH', url: '/api/v1/workspace', payload: { name: 'x' } })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().detail).toContain('workspace.configure')
  })

  it('records when an API key was last used, at most once a minute', async () => {
    const roles = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/roles' })).json().items
    const made = (
      await kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: {
          name: 'erp',
          roleId: roles.find((r: { key: string }) => r.key === 'auditor').id,
          unitId: kit.a.rootUnitId,
        },
      })
    ).json()
    expect(made.key).toMatch(new RegExp(`^hn_${kit.a.tenantId}_${made.id}_`))
    expect(made.lastUsedAt).toBeNull()
    const lastUsed = async () =>
      (await kit.haina.database.pool.query('select last_used_at from api_keys where id = $1', [made.id]))
        .rows[0].last_used_at as Date | null
    const call = () =>
      kit.haina.app.inject({
        method: 'GET',
        url: '/api/v1/leads',
        headers: { authorization: `Bearer ${made.key}` },
      })
    expect((await call()).statusCode).toBe(200)
    const first = await lastUsed()
    expect(first).not.toBeNull()
    await kit.haina.database.pool.query(
      `update api_keys set last_used_at = now() - interval '30 seconds' where id = $1`,
      [made.id],
    )
    const recent = await lastUsed()
    await new Promise((r) => setTimeout(r, 2100)) // past the 2 s authentication cache
    await call()
    expect((await lastUsed())!.getTime()).toBe(recent!.getTime())
    await kit.haina.database.pool.query(
      `update api_keys set last_used_at = now() - interval '2 minutes' where id = $1`,
      [made.id],
    )
    await new Promise((r) => setTimeout(r, 2100))
    await call()
    expect(Date.now() - (await lastUsed())!.getTime()).toBeLessThan(10_000)
    // A wrong secret for a real key id is refused.
    const forged = made.key.replace(/_[^_]+$/, '_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    expect(
      (
        await kit.haina.app.inject({
          method: 'GET',
          url: '/api/v1/leads',
          headers: { authorization: `Bearer ${forged}` },
        })
      ).statusCode,
    ).toBe(401)
  })
})

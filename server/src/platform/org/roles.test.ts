/** Roles and the permission catalogue over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { ALL_PERMISSIONS } from '../access/permissions.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  kit.req(kit.a.admin, { method, url, payload })

describe('roles', () => {
  it('lists the permission catalogue', async () => {
    const res = await call('GET', '/api/v1/permissions')
    expect(res.statusCode).toBe(200)
    const cat = res.json()
    expect(cat.special).toEqual(['pii.view'])
    expect(cat.scopes).toEqual(['self', 'department', 'department_tree', 'org', 'all'])
    expect(cat.modules).toContainEqual({
      key: 'leads',
      actions: expect.arrayContaining([
        'view',
        'create',
        'edit',
        'delete',
        'import',
        'export',
        'assign',
        'configure',
      ]),
    })
    const flat = cat.modules.flatMap((m: { key: string; actions: string[] }) =>
      m.actions.map((a) => `${m.key}.${a}`),
    )
    expect([...flat, ...cat.special].sort()).toEqual([...ALL_PERMISSIONS].sort())
  })

  it('creates, changes and deletes a role, with userCount and optimistic concurrency', async () => {
    const created = await call('POST', '/api/v1/roles', {
      name: '渠道专员',
      permissions: ['leads.view', 'leads.view', 'pii.view'],
      dataScope: 'department',
    })
    expect(created.statusCode, created.body).toBe(201)
    const role = created.json()
    expect(role).toMatchObject({
      name: '渠道专员',
      permissions: ['leads.view', 'pii.view'],
      dataScope: 'department',
      builtin: false,
      key: null,
    })
    const changed = await call('PATCH', `/api/v1/roles/${role.id}`, {
      dataScope: 'org',
      version: role.version,
    })
    expect(changed.json()).toMatchObject({ dataScope: 'org', version: role.version + 1 })
    expect(
      (await call('PATCH', `/api/v1/roles/${role.id}`, { name: 'x', version: role.version })).statusCode,
    ).toBe(409)

    const user = await call('POST', '/api/v1/users', {
      email: 'role-user@a.test',
      name: '角色用户',
      unitId: kit.a.rootUnitId,
      roleIds: [role.id],
      password: 'Passw0rd!2026',
    })
    expect(user.statusCode, user.body).toBe(201)
    const listed = (await call('GET', '/api/v1/roles')).json().items
    expect(listed.find((r: { id: string }) => r.id === role.id).userCount).toBe(1)
    expect(listed.find((r: { key: string }) => r.key === 'admin')).toMatchObject({
      builtin: true,
      userCount: 1,
    })
    expect(listed.filter((r: { builtin: boolean }) => r.builtin)).toHaveLength(9)

    const inUse = await call('DELETE', `/api/v1/roles/${role.id}`)
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().code).toBe('role_in_use')
    expect((await call('DELETE', `/api/v1/users/${user.json().id}`)).statusCode).toBe(204)
    expect((await call('DELETE', `/api/v1/roles/${role.id}`)).statusCode).toBe(204)
    expect((await call('GET', `/api/v1/roles/${role.id}`)).statusCode).toBe(404)
  })

  it('rejects unknown permissions naming the permission', async () => {
    const res = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/roles',
      payload: { name: 'bad', permissions: ['leads.view', 'leads.fly'], dataScope: 'self' },
      headers: { 'accept-language': 'en' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'permissions', code: 'unknown_permission' }),
    ])
    expect(res.body).toContain('leads.fly')
    expect(
      (await call('GET', '/api/v1/roles')).json().items.map((r: { name: string }) => r.name),
    ).not.toContain('bad')
  })

  it('lets built-in roles be edited but never deleted', async () => {
    const marketing = (await call('GET', '/api/v1/roles'))
      .json()
      .items.find((r: { key: string }) => r.key === 'marketing')
    const edited = await call('PATCH', `/api/v1/roles/${marketing.id}`, {
      permissions: [...marketing.permissions, 'pii.view'],
      version: marketing.version,
    })
    expect(edited.statusCode).toBe(200)
    expect(edited.json().permissions).toContain('pii.view')
    const del = await call('DELETE', `/api/v1/roles/${marketing.id}`)
    expect(del.statusCode).toBe(409)
    expect(del.json().code).toBe('builtin_role')
  })
})

describe('ready-made role names', () => {
  const names = async (lang: string) =>
    Object.fromEntries(
      (
        await kit.req(kit.a.admin, {
          method: 'GET',
          url: '/api/v1/roles',
          headers: { 'accept-language': lang },
        })
      )
        .json()
        .items.map((r: { key: string | null; name: string }) => [r.key ?? r.name, r.name]),
    )

  it('are in the reader’s language until the workspace renames them', async () => {
    expect((await names('en')).salesperson).toBe('Salesperson')
    expect((await names('zh-TW')).salesperson).toBe('銷售員')
    expect((await names('zh-CN')).salesperson).toBe('销售员')
    const seller = (await call('GET', '/api/v1/roles'))
      .json()
      .items.find((r: { key: string }) => r.key === 'salesperson')
    const one = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/roles/${seller.id}`,
      headers: { 'accept-language': 'en' },
    })
    expect(one.json().name).toBe('Salesperson')
    // Renamed by the workspace: its own name, in every language.
    const renamed = await call('PATCH', `/api/v1/roles/${seller.id}`, {
      name: '门店顾问',
      version: seller.version,
    })
    expect(renamed.statusCode).toBe(200)
    expect((await names('en')).salesperson).toBe('门店顾问')
    expect((await names('zh-TW')).salesperson).toBe('门店顾问')
  })
})

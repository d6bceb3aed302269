import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { auditLog, recycleBin } from '../audit/schema.js'
import { roles, userRoles, users } from '../org/schema.js'

let kit: Kit
const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, lang = 'zh-CN') =>
  kit.req(kit.a.admin, { method, url, payload: payload as never, headers: { 'accept-language': lang } })
const errorsOf = (res: { json(): { errors?: { field: string; code: string; message: string }[] } }) =>
  Object.fromEntries((res.json().errors ?? []).map((e) => [e.field, e.code]))

beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit?.close())

describe('custom field objects', () => {
  it('lists the objects with labels in the caller language', async () => {
    const zh = await api('GET', '/api/v1/custom-fields/objects')
    expect(zh.statusCode).toBe(200)
    expect(zh.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'lead', label: '线索' }),
        expect.objectContaining({ key: 'user', label: '用户' }),
      ]),
    )
    const en = await api('GET', '/api/v1/custom-fields/objects', undefined, 'en')
    expect(en.json().find((o: { key: string }) => o.key === 'lead').label).toBe('Lead')
  })
})

describe('field definitions', () => {
  it('creates, lists in position order, updates with a version and deletes to the recycle bin', async () => {
    const a = await api('POST', '/api/v1/custom-fields', {
      object: 'lead',
      key: 'intent',
      label: '意向',
      type: 'single_select',
      options: [
        { value: 'high', label: '高' },
        { value: 'low', label: '低' },
      ],
      defaultValue: 'low',
    })
    expect(a.statusCode).toBe(201)
    expect(a.json()).toMatchObject({
      object: 'lead',
      key: 'intent',
      type: 'single_select',
      position: 0,
      version: 1,
      defaultValue: 'low',
      required: false,
    })
    const b = await api('POST', '/api/v1/custom-fields', {
      object: 'lead',
      key: 'budget',
      label: '预算',
      type: 'money',
      validation: { min: 0 },
    })
    expect(b.json().position).toBe(1)
    const c = await api('POST', '/api/v1/custom-fields', {
      object: 'lead',
      key: 'first',
      label: '置顶',
      type: 'text',
      position: 0,
    })
    expect(c.statusCode).toBe(201)
    await api('POST', '/api/v1/custom-fields', {
      object: 'user',
      key: 'employee_no',
      label: '工号',
      type: 'text',
    })

    const list = await api('GET', '/api/v1/custom-fields?object=lead')
    expect(list.statusCode).toBe(200)
    const keys = list.json().items.map((f: { key: string }) => f.key)
    // position, then creation order
    expect(keys).toEqual(['intent', 'first', 'budget'])
    expect(keys).not.toContain('employee_no')
    expect(list.json().nextCursor).toBeNull()
    const all = await api('GET', '/api/v1/custom-fields')
    expect(all.json().items.map((f: { key: string }) => f.key)).toContain('employee_no')

    const id = b.json().id
    const upd = await api('PATCH', `/api/v1/custom-fields/${id}`, {
      label: '预算（分）',
      required: true,
      validation: { min: 0, max: 100000000 },
      version: 1,
      key: 'budget',
      type: 'money',
    })
    expect(upd.statusCode).toBe(200)
    expect(upd.json()).toMatchObject({
      label: '预算（分）',
      required: true,
      version: 2,
      validation: { min: 0, max: 100000000 },
    })
    const stale = await api('PATCH', `/api/v1/custom-fields/${id}`, { label: 'x', version: 1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().current.version).toBe(2)
    const immutable = await api('PATCH', `/api/v1/custom-fields/${id}`, {
      key: 'budget2',
      type: 'number',
      object: 'user',
      version: 2,
    })
    expect(immutable.statusCode).toBe(400)
    expect(errorsOf(immutable)).toEqual({ key: 'immutable', type: 'immutable', object: 'immutable' })

    const got = await api('GET', `/api/v1/custom-fields/${id}`)
    expect(got.json().label).toBe('预算（分）')

    const del = await api('DELETE', `/api/v1/custom-fields/${id}`)
    expect(del.statusCode).toBe(204)
    expect((await api('GET', `/api/v1/custom-fields/${id}`)).statusCode).toBe(404)
    const db = kit.haina.database.db
    const bin = await db
      .select()
      .from(recycleBin)
      .where(and(eq(recycleBin.tenantId, kit.a.tenantId), eq(recycleBin.objectId, id)))
    expect(bin).toHaveLength(1)
    expect(bin[0]!.objectType).toBe('custom_field')
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, kit.a.tenantId), eq(auditLog.objectId, id)))
    expect(audits.map((r) => r.action).sort()).toEqual(['create', 'delete', 'update'])
    // The key is free again once the field is deleted.
    expect(
      (
        await api('POST', '/api/v1/custom-fields', {
          object: 'lead',
          key: 'budget',
          label: '预算',
          type: 'number',
        })
      ).statusCode,
    ).toBe(201)
  })

  it('rejects bad definitions naming each field, in Chinese and English', async () => {
    const bad = { object: 'lead', key: 'Bad-Key', label: '坏', type: 'text' }
    const zh = await api('POST', '/api/v1/custom-fields', bad)
    expect(zh.statusCode).toBe(400)
    expect(zh.json().code).toBe('validation_failed')
    expect(zh.json().errors).toEqual([
      { field: 'key', code: 'invalid_field_key', message: expect.stringContaining('小写字母') },
    ])
    const en = await api('POST', '/api/v1/custom-fields', bad, 'en')
    expect(en.json().errors[0].message).toContain('lowercase letter')

    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ key: 'mobile', type: 'text' }, { key: 'reserved_field_key' }],
      [{ key: 'owner_id', type: 'text' }, { key: 'reserved_field_key' }],
      [{ key: 'x'.repeat(41), type: 'text' }, { key: 'invalid_field_key' }],
      [{ key: 'intent', type: 'text' }, { key: 'field_key_taken' }],
      [{ key: 'k1', type: 'single_select' }, { options: 'options_required' }],
      [
        {
          key: 'k2',
          type: 'multi_select',
          options: [
            { value: 'a', label: 'A' },
            { value: 'a', label: 'B' },
          ],
        },
        { 'options[1].value': 'duplicate_option' },
      ],
      [{ key: 'k3', type: 'text', options: [{ value: 'a', label: 'A' }] }, { options: 'not_applicable' }],
      [
        { key: 'k4', type: 'text', validation: { pattern: '(a+)+$' } },
        { 'validation.pattern': 'invalid_pattern' },
      ],
      [
        { key: 'k5', type: 'text', validation: { pattern: '[' } },
        { 'validation.pattern': 'invalid_pattern' },
      ],
      [{ key: 'k6', type: 'number', validation: { min: 5, max: 1 } }, { 'validation.min': 'min_gt_max' }],
      [{ key: 'k7', type: 'money', validation: { min: 0.5 } }, { 'validation.min': 'not_integer' }],
      [
        { key: 'k8', type: 'date', validation: { maxLength: 3 } },
        { 'validation.maxLength': 'not_applicable' },
      ],
      [{ key: 'k9', type: 'boolean', unique: true }, { unique: 'not_applicable' }],
      [{ key: 'k10', type: 'number', defaultValue: 'many' }, { defaultValue: 'invalid_number' }],
      [{ key: 'k11', type: 'region', defaultValue: { province: '99' } }, { defaultValue: 'invalid_region' }],
      [{ key: 'k12', type: 'colour' }, { type: 'invalid_option' }],
      [{ key: 'k13', type: 'text', object: 'spaceship' }, { object: 'unknown_object' }],
    ]
    for (const [body, expected] of cases) {
      const res = await api('POST', '/api/v1/custom-fields', { object: 'lead', label: '字段', ...body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(errorsOf(res), JSON.stringify(body)).toEqual(expected)
    }
    const unknown = await api('GET', '/api/v1/custom-fields?object=spaceship', undefined, 'en')
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().errors[0].message).toBe('This object has no custom fields: spaceship')
  })

  it("hides another workspace's fields: 404 for its ids", async () => {
    const mine = await api('POST', '/api/v1/custom-fields', {
      object: 'lead',
      key: 'secret_a',
      label: 'A',
      type: 'text',
    })
    const id = mine.json().id
    const asB = (method: 'GET' | 'PATCH' | 'DELETE', payload?: unknown) =>
      kit.req(kit.b.admin, { method, url: `/api/v1/custom-fields/${id}`, payload: payload as never })
    expect((await asB('GET')).statusCode).toBe(404)
    expect((await asB('PATCH', { label: 'stolen', version: 1 })).statusCode).toBe(404)
    expect((await asB('DELETE')).statusCode).toBe(404)
    const bList = await kit.req(kit.b.admin, { method: 'GET', url: '/api/v1/custom-fields?object=lead' })
    expect(bList.json().items.map((f: { key: string }) => f.key)).not.toContain('secret_a')
    expect((await api('GET', `/api/v1/custom-fields/${id}`)).json().label).toBe('A')
  })

  it('requires custom_fields.configure to change fields', async () => {
    const body = { object: 'lead', key: 'z', label: 'z', type: 'text' }
    const anon = await kit.req(null, { method: 'POST', url: '/api/v1/custom-fields', payload: body })
    expect(anon.statusCode).toBe(401)
    // A salesperson reads the definitions (forms need them) but cannot change them.
    const db = kit.haina.database.db
    const [role] = await db
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, kit.a.tenantId), eq(roles.key, 'salesperson')))
    const [user] = await db
      .insert(users)
      .values({ tenantId: kit.a.tenantId, email: 'sales@alpha.test', name: '销售', unitId: kit.a.rootUnitId })
      .returning()
    await db.insert(userRoles).values({ tenantId: kit.a.tenantId, userId: user!.id, roleId: role!.id })
    const sales = await kit.login(kit.a.tenantId, user!.id)
    const post = await kit.req(sales, {
      method: 'POST',
      url: '/api/v1/custom-fields',
      payload: body,
      headers: { 'accept-language': 'en' },
    })
    expect(post.statusCode).toBe(403)
    expect(post.json().detail).toBe('Missing permission: custom_fields.configure')
    expect(
      (await kit.req(sales, { method: 'GET', url: '/api/v1/custom-fields?object=lead' })).statusCode,
    ).toBe(200)
  })
})

describe('phone field defaults', () => {
  // Workspace A asks in Chinese, B in English.
  const as = (ws: 'a' | 'b', method: 'POST' | 'PATCH', url: string, payload: unknown) =>
    kit.req(kit[ws].admin, {
      method,
      url,
      payload: payload as never,
      headers: { 'accept-language': ws === 'a' ? 'zh-CN' : 'en' },
    })
  const create = (ws: 'a' | 'b', key: string, defaultValue: string) =>
    as(ws, 'POST', '/api/v1/custom-fields', {
      object: 'lead',
      label: '门市电话',
      type: 'phone',
      key,
      defaultValue,
    })
  const setDefault = (ws: 'a' | 'b', field: { id: string; version: number }, defaultValue: string) =>
    as(ws, 'PATCH', `/api/v1/custom-fields/${field.id}`, { defaultValue, version: field.version })

  it('reads a default without a country code in the workspace’s phone region', async () => {
    // Workspace A reads numbers as mainland ones: a Taiwan mobile is refused, naming the field.
    const cn = await create('a', 'shop_phone', '0912 345 678')
    expect(cn.statusCode).toBe(400)
    expect(cn.json().errors).toEqual([
      { field: 'defaultValue', code: 'invalid_phone', message: '手机号或电话号码格式不正确' },
    ])
    // As a lead's mobile is read: full-width digits and an extension.
    const wide = await create('a', 'shop_phone', '１３８ ００１３ ８０００ 转 12')
    expect(wide.statusCode, wide.body).toBe(201)
    expect(wide.json().defaultValue).toBe('+8613800138000')
    expect(errorsOf(await setDefault('a', wide.json(), '0912 345 678'))).toEqual({
      defaultValue: 'invalid_phone',
    })

    // Workspace B reads them as Taiwan numbers, on create and on update.
    expect((await as('b', 'PATCH', '/api/v1/workspace', { phoneRegion: 'TW' })).statusCode).toBe(200)
    try {
      const tw = await create('b', 'shop_phone', '0912 345 678')
      expect(tw.statusCode, tw.body).toBe(201)
      expect(tw.json().defaultValue).toBe('+886912345678')
      const mainland = await create('b', 'hq_phone', '138 0013 8000')
      expect(mainland.statusCode).toBe(400)
      expect(mainland.json().errors).toEqual([
        { field: 'defaultValue', code: 'invalid_phone', message: 'Not a valid phone number' },
      ])
      const upd = await setDefault('b', tw.json(), '(02) 2345-6789')
      expect(upd.statusCode, upd.body).toBe(200)
      expect(upd.json().defaultValue).toBe('+886223456789')
    } finally {
      await as('b', 'PATCH', '/api/v1/workspace', { phoneRegion: 'CN' })
    }
  })
})

describe('OpenAPI', () => {
  it('documents the routes', async () => {
    const res = await kit.req(null, { method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    const paths = res.json().paths
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/custom-fields',
        '/api/v1/custom-fields/{id}',
        '/api/v1/custom-fields/objects',
        '/api/v1/regions',
      ]),
    )
    expect(paths['/api/v1/custom-fields'].post.requestBody).toBeDefined()
  })
})

describe('regions', () => {
  it('walks provinces, cities and districts', async () => {
    const p = await api('GET', '/api/v1/regions')
    expect(p.statusCode).toBe(200)
    expect(p.json().items).toContainEqual({ code: '31', name: '上海市', hasChildren: true })
    const c = await api('GET', '/api/v1/regions?parent=44')
    expect(c.json().items).toContainEqual({ code: '4401', name: '广州市', hasChildren: true })
    const d = await api('GET', '/api/v1/regions?parent=4401')
    expect(d.json().items).toContainEqual({ code: '440106', name: '天河区', hasChildren: false })
    expect((await api('GET', '/api/v1/regions?parent=440106')).json().items).toEqual([])
    expect((await api('GET', '/api/v1/regions?parent=99')).statusCode).toBe(404)
    expect((await api('GET', '/api/v1/regions?parent=abc')).statusCode).toBe(400)
    expect((await kit.req(null, { method: 'GET', url: '/api/v1/regions' })).statusCode).toBe(401)
  })
})

import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createKit, type Kit } from '../../../test/kit.js'
import { leads } from '../../modules/leads/schema.js'
import { leadsRepo } from '../../modules/leads/service.js'
import type { Ctx } from '../access/actor.js'
import { PUBLIC } from '../access/permissions.js'
import { loadConfig } from '../config.js'
import { createDefinition } from '../custom-fields/definitions.service.js'
import { validateCustomValues } from '../custom-fields/validate.service.js'
import { inTransaction } from '../db/tx.js'
import { roles, userRoles, users } from '../org/schema.js'
import { createApp } from './app.js'
import { AppError } from './errors.js'
import { buildListQuery, listQuerySchema, parseFilter, parseSort } from './list-query.js'
import type { HainaModule } from './module.js'

const columns = { name: leads.name, status: leads.status, ownerId: leads.ownerId, createdAt: leads.createdAt }

let kit: Kit
let sys: Ctx
const names = async (filter: unknown, sort?: string) => {
  const q = await buildListQuery(
    { filter: JSON.stringify(filter), sort },
    { ctx: sys, columns, object: 'lead' },
  )
  const page = await leadsRepo.list(sys, { ...q, limit: 200 })
  return page.items.map((r) => r.name as string).sort()
}
const fieldErrors = async (filter: unknown) => {
  try {
    await buildListQuery(
      { filter: typeof filter === 'string' ? filter : JSON.stringify(filter) },
      { ctx: sys, columns, object: 'lead' },
    )
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(400)
    return (err as AppError).fields.map((f) => `${f.field}:${f.code}`)
  }
  throw new Error('expected a validation error')
}

beforeAll(async () => {
  kit = await createKit()
  sys = kit.a.sys
  const defs: Parameters<typeof createDefinition>[1][] = [
    {
      object: 'lead',
      key: 'level',
      label: '等级',
      type: 'single_select',
      options: ['a', 'b', 'c'].map((v) => ({ value: v, label: v })),
    },
    {
      object: 'lead',
      key: 'tags',
      label: '标签',
      type: 'multi_select',
      options: ['x', 'y', 'z'].map((v) => ({ value: v, label: v })),
    },
    { object: 'lead', key: 'budget', label: '预算', type: 'money' },
    { object: 'lead', key: 'rating', label: '评分', type: 'number' },
    { object: 'lead', key: 'visit_on', label: '到访日期', type: 'date' },
    { object: 'lead', key: 'called_at', label: '来电时间', type: 'datetime' },
    { object: 'lead', key: 'vip', label: 'VIP', type: 'boolean' },
    { object: 'lead', key: 'wechat', label: '微信', type: 'text' },
    { object: 'lead', key: 'backup_phone', label: '备用电话', type: 'phone' },
    { object: 'lead', key: 'area', label: '地区', type: 'region' },
    { object: 'lead', key: 'referrer', label: '推荐人', type: 'user' },
  ]
  for (const d of defs) await createDefinition(sys, d)
  const rows: [string, Record<string, unknown>][] = [
    [
      '甲',
      {
        level: 'a',
        tags: ['x', 'y'],
        budget: 500000,
        rating: 9.5,
        visit_on: '2026-01-05',
        called_at: '2026-01-05T10:00:00+08:00',
        vip: true,
        wechat: 'wx_jia',
        backup_phone: '13800138000',
        area: { province: '44', city: '4403', district: '440305' },
        referrer: kit.a.adminId,
      },
    ],
    [
      '乙',
      {
        level: 'b',
        tags: ['y'],
        budget: 120000,
        rating: 3,
        visit_on: '2026-02-10',
        called_at: '2026-02-10T23:30:00Z',
        vip: false,
        wechat: 'wx_yi_100%',
        area: { province: '44', city: '4401' },
      },
    ],
    [
      '丙',
      {
        level: 'c',
        tags: ['z'],
        budget: 99,
        rating: 10,
        visit_on: '2025-12-31',
        area: { province: '11', city: '1101', district: '110105' },
      },
    ],
    ['丁', {}],
  ]
  for (const [name, input] of rows) {
    const custom = await validateCustomValues(sys, 'lead', input)
    await leadsRepo.insert(sys, [
      { name, unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId, ownerId: kit.a.adminId, custom },
    ])
  }
  // Workspace B has a lead matching everything: it must never show up.
  const bDefs = await createDefinition(kit.b.sys, {
    object: 'lead',
    key: 'level',
    label: 'L',
    type: 'single_select',
    options: [{ value: 'a', label: 'a' }],
  })
  expect(bDefs.key).toBe('level')
  await leadsRepo.insert(kit.b.sys, [
    { name: '乙方', unitId: kit.b.rootUnitId, orgId: kit.b.rootUnitId, custom: { level: 'a' } },
  ])
})
afterAll(() => kit?.close())

describe('list query parsing', () => {
  it('has a reusable querystring fragment', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 20 })
    expect(listQuerySchema.parse({ limit: '50', sort: '-name' })).toMatchObject({ limit: 50, sort: '-name' })
    expect(() => listQuerySchema.parse({ limit: '201' })).toThrow()
    expect(() => listQuerySchema.parse({ limit: '0' })).toThrow()
    expect(listQuerySchema.extend({ q: z.string().optional() }).parse({ q: 'x' })).toMatchObject({ q: 'x' })
  })
  it('reads shorthand eq and op objects', () => {
    expect(parseFilter('{"status":"new","custom.rating":{"gt":3}}')).toEqual({
      status: { eq: 'new' },
      'custom.rating': { gt: 3 },
    })
    expect(parseFilter({ area: { province: '44' } })).toEqual({ area: { eq: { province: '44' } } })
    expect(parseFilter(undefined)).toEqual({})
  })
  it('parses sort and refuses unknown sort keys', () => {
    expect(parseSort('-createdAt', ['createdAt'])).toEqual({ column: 'createdAt', dir: 'desc' })
    expect(parseSort('name', ['name'])).toEqual({ column: 'name', dir: 'asc' })
    expect(() => parseSort('password', ['name'])).toThrowError(AppError)
  })
})

describe('filters on base columns', () => {
  it('eq, in, contains, startsWith, ne and sort through the repository', async () => {
    expect(await names({ name: '甲' })).toEqual(['甲'])
    expect(await names({ name: { in: ['甲', '丙', '无'] } })).toEqual(['丙', '甲'])
    expect(await names({ name: { ne: '甲' } })).toEqual(['丁', '丙', '乙'].sort())
    expect(await names({ status: 'new', ownerId: kit.a.adminId })).toHaveLength(4)
    expect(await names({ createdAt: { gte: '2000-01-01T00:00:00Z' } })).toHaveLength(4)
    const q = await buildListQuery({ sort: 'name' }, { columns, sortable: ['name', 'createdAt'] })
    expect(q.sort).toEqual({ column: 'name', dir: 'asc' })
  })
})

describe('filters on custom fields', () => {
  it('single_select: eq (shorthand), ne, in, nin', async () => {
    expect(await names({ 'custom.level': 'a' })).toEqual(['甲'])
    expect(await names({ 'custom.level': { ne: 'a' } })).toEqual(['丁', '丙', '乙'].sort())
    expect(await names({ 'custom.level': { in: ['a', 'c'] } })).toEqual(['丙', '甲'].sort())
    expect(await names({ 'custom.level': { nin: ['a', 'c'] } })).toEqual(['丁', '乙'].sort())
  })
  it('multi_select: in (any of), contains (all of), nin, isEmpty', async () => {
    expect(await names({ 'custom.tags': { in: ['y'] } })).toEqual(['乙', '甲'].sort())
    expect(await names({ 'custom.tags': { in: ['x', 'z'] } })).toEqual(['丙', '甲'].sort())
    expect(await names({ 'custom.tags': { contains: ['x', 'y'] } })).toEqual(['甲'])
    expect(await names({ 'custom.tags': { nin: ['y'] } })).toEqual(['丁', '丙'].sort())
    expect(await names({ 'custom.tags': { isEmpty: true } })).toEqual(['丁'])
  })
  it('money and number compare numerically', async () => {
    // As text '99' > '500000'; numerically it is the smallest.
    expect(await names({ 'custom.budget': { gt: 100 } })).toEqual(['乙', '甲'].sort())
    expect(await names({ 'custom.budget': { lte: 120000 } })).toEqual(['丙', '乙'].sort())
    expect(await names({ 'custom.budget': { between: [100, 200000] } })).toEqual(['乙'])
    expect(await names({ 'custom.budget': 99 })).toEqual(['丙'])
    expect(await names({ 'custom.rating': { gte: 9.5 } })).toEqual(['丙', '甲'].sort())
    expect(await names({ 'custom.rating': { in: [3, 10] } })).toEqual(['丙', '乙'].sort())
  })
  it('date and datetime ranges', async () => {
    expect(await names({ 'custom.visit_on': { gte: '2026-01-01' } })).toEqual(['乙', '甲'].sort())
    expect(await names({ 'custom.visit_on': { between: ['2025-12-31', '2026-01-31'] } })).toEqual(
      ['丙', '甲'].sort(),
    )
    // 10:00 in Beijing is 02:00 UTC: before 2026-01-05T03:00Z.
    expect(await names({ 'custom.called_at': { lt: '2026-01-05T11:00:00+08:00' } })).toEqual(['甲'])
    expect(await names({ 'custom.called_at': { gt: '2026-02-11T07:00:00+08:00' } })).toEqual(['乙'])
    expect(await names({ 'custom.called_at': { isEmpty: true } })).toEqual(['丁', '丙'].sort())
  })
  it('boolean, text, phone, region and user', async () => {
    expect(await names({ 'custom.vip': true })).toEqual(['甲'])
    expect(await names({ 'custom.vip': { ne: true } })).toEqual(['丁', '丙', '乙'].sort())
    expect(await names({ 'custom.wechat': { startsWith: 'WX_' } })).toEqual(['乙', '甲'].sort())
    // LIKE wildcards in the search text are literal.
    expect(await names({ 'custom.wechat': { contains: '100%' } })).toEqual(['乙'])
    expect(await names({ 'custom.wechat': { contains: '_%' } })).toEqual([])
    expect(await names({ 'custom.backup_phone': '138 0013 8000' })).toEqual(['甲'])
    expect(await names({ 'custom.backup_phone': { startsWith: '1380' } })).toEqual(['甲'])
    expect(await names({ 'custom.area': { province: '44' } })).toEqual(['乙', '甲'].sort())
    expect(await names({ 'custom.area': { eq: { province: '44', city: '4403' } } })).toEqual(['甲'])
    expect(
      await names({ 'custom.area': { in: [{ province: '11' }, { province: '44', city: '4401' }] } }),
    ).toEqual(['丙', '乙'].sort())
    expect(await names({ 'custom.referrer': kit.a.adminId })).toEqual(['甲'])
    expect(await names({ 'custom.referrer': { isEmpty: false } })).toEqual(['甲'])
  })
  it('a field created now is filterable on the next call, no restart', async () => {
    expect(await fieldErrors({ 'custom.late': 'x' })).toEqual(['filter.custom.late:unknown_filter_field'])
    await createDefinition(sys, { object: 'lead', key: 'late', label: '后加', type: 'text' })
    expect(await names({ 'custom.late': { isEmpty: true } })).toHaveLength(4)
  })
})

describe('index use', () => {
  it('custom eq and in filters are served by the GIN index on custom', async () => {
    for (const filter of [
      { 'custom.level': 'a' },
      { 'custom.budget': 99 },
      { 'custom.level': { in: ['a', 'b'] } },
    ]) {
      const q = await buildListQuery(
        { filter: JSON.stringify(filter) },
        { ctx: sys, columns, object: 'lead' },
      )
      const plan = await inTransaction(sys, async (tx) => {
        // A four-row table is scanned sequentially unless told otherwise.
        await tx.db.execute(sql`set local enable_seqscan = off`)
        const res = await tx.db.execute(sql`explain select ${leads.id} from ${leads} where ${q.where}`)
        return res.rows.map((r) => Object.values(r)[0]).join('\n')
      })
      expect(plan, JSON.stringify(filter)).toContain('leads_custom_idx')
    }
  })
})

describe('over HTTP', () => {
  it('the querystring fragment and filter errors render as 400 problem+json naming the field', async () => {
    const probe: HainaModule = {
      name: 'probe',
      routes(app) {
        app.get(
          '/api/v1/probe-leads',
          { config: { permission: PUBLIC }, schema: { querystring: listQuerySchema } },
          async (req) => {
            const q = await buildListQuery(req.query, { ctx: sys, columns, object: 'lead' })
            const page = await leadsRepo.list(sys, { ...q, limit: req.query.limit, cursor: req.query.cursor })
            return { items: page.items.map((r) => r.name), nextCursor: page.nextCursor }
          },
        )
      },
    }
    const { app } = await createApp(
      { config: loadConfig({ NODE_ENV: 'test' }), database: kit.haina.database },
      [probe],
    )
    try {
      const get = (query: Record<string, string>) =>
        app.inject({ method: 'GET', url: '/api/v1/probe-leads', query, headers: { 'accept-language': 'en' } })
      const okRes = await get({
        filter: JSON.stringify({ 'custom.budget': { gte: 100 } }),
        sort: 'name',
        limit: '1',
      })
      expect(okRes.statusCode).toBe(200)
      expect(okRes.json().items).toHaveLength(1)
      expect(okRes.json().nextCursor).toEqual(expect.any(String))
      const badJson = await get({ filter: '{"custom.level":' })
      expect(badJson.statusCode).toBe(400)
      expect(badJson.headers['content-type']).toContain('application/problem+json')
      expect(badJson.json().errors).toEqual([
        { field: 'filter', code: 'invalid_filter_json', message: 'The filter must be a JSON object' },
      ])
      const badOp = await get({ filter: JSON.stringify({ 'custom.vip': { contains: 'x' } }) })
      expect(badOp.json().errors).toEqual([
        {
          field: 'filter.custom.vip',
          code: 'invalid_filter_op',
          message: 'Operator contains is not available for this field',
        },
      ])
      const zh = await app.inject({
        method: 'GET',
        url: '/api/v1/probe-leads',
        query: { filter: '{"nope":1}' },
      })
      expect(zh.json().errors).toEqual([
        { field: 'filter.nope', code: 'unknown_filter_field', message: '不能按该字段筛选' },
      ])
      expect((await get({ limit: '500' })).statusCode).toBe(400)
      expect((await get({ sort: '-passwordHash' })).json().errors[0]).toMatchObject({
        field: 'sort',
        code: 'invalid_sort',
      })
    } finally {
      await app.close()
    }
  })
})

describe('through the leads API', () => {
  it('filters on custom fields, names bad filters and custom values in the caller language', async () => {
    const get = (filter: string, lang = 'en') =>
      kit.req(kit.a.admin, {
        method: 'GET',
        url: '/api/v1/leads',
        query: { filter },
        headers: { 'accept-language': lang },
      })
    const ok = await get(JSON.stringify({ 'custom.level': { in: ['a', 'b'] } }))
    expect(ok.statusCode).toBe(200)
    expect(
      ok
        .json()
        .items.map((l: { name: string }) => l.name)
        .sort(),
    ).toEqual(['乙', '甲'].sort())
    const bad = await get('{"custom.level":', 'zh-CN')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([
      { field: 'filter', code: 'invalid_filter_json', message: '筛选条件须为 JSON 对象' },
    ])
    const badField = await get(JSON.stringify({ 'custom.budget': { contains: 'x' } }))
    expect(badField.json().errors[0]).toMatchObject({
      field: 'filter.custom.budget',
      code: 'invalid_filter_op',
    })

    const post = (custom: unknown, lang: string) =>
      kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: { name: '新线索', custom },
        headers: { 'accept-language': lang },
      })
    const zh = await post({ budget: 1.5, backup_phone: '123', area: { province: '99' } }, 'zh-CN')
    expect(zh.statusCode).toBe(400)
    expect(zh.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'custom.budget', code: 'not_integer', message: '金额须为整数（以分为单位）' },
        { field: 'custom.backup_phone', code: 'invalid_phone', message: '手机号或电话号码格式不正确' },
        { field: 'custom.area', code: 'invalid_region', message: '省市区不存在' },
      ]),
    )
    const en = await post({ budget: 1.5 }, 'en')
    expect(en.json().errors).toEqual([
      { field: 'custom.budget', code: 'not_integer', message: 'Must be a whole number of fen (minor units)' },
    ])
    const created = await post({ budget: 100, backup_phone: '13912345678' }, 'en')
    expect(created.statusCode).toBe(201)
    expect(created.json().custom).toMatchObject({ budget: 100, backup_phone: '+8613912345678' })
  })
})

describe('masking over HTTP', () => {
  it('shows phone-typed custom values masked to a caller without pii.view', async () => {
    const db = kit.haina.database.db
    const [role] = await db
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, kit.a.tenantId), eq(roles.key, 'marketing')))
    const [user] = await db
      .insert(users)
      .values({ tenantId: kit.a.tenantId, email: 'mkt@alpha.test', name: '市场', unitId: kit.a.rootUnitId })
      .returning()
    await db.insert(userRoles).values({ tenantId: kit.a.tenantId, userId: user!.id, roleId: role!.id })
    const mkt = await kit.login(kit.a.tenantId, user!.id)
    const filter = JSON.stringify({ 'custom.backup_phone': '13800138000' })
    const masked = await kit.req(mkt, { method: 'GET', url: '/api/v1/leads', query: { filter } })
    expect(masked.statusCode).toBe(200)
    expect(
      masked.json().items.map((l: { custom: Record<string, unknown> }) => l.custom.backup_phone),
    ).toEqual(['138****8000'])
    const full = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/leads', query: { filter } })
    expect(full.json().items[0].custom.backup_phone).toBe('+8613800138000')
  })
})

describe('bad filters', () => {
  it('name the field and the reason', async () => {
    expect(await fieldErrors('{"name": ')).toEqual(['filter:invalid_filter_json'])
    expect(await fieldErrors('[1,2]')).toEqual(['filter:invalid_filter_json'])
    expect(await fieldErrors({ passwordHash: 'x' })).toEqual(['filter.passwordHash:unknown_filter_field'])
    expect(await fieldErrors({ 'custom.nope': 1 })).toEqual(['filter.custom.nope:unknown_filter_field'])
    expect(await fieldErrors({ 'custom.vip': { gt: true } })).toEqual(['filter.custom.vip:invalid_filter_op'])
    expect(await fieldErrors({ 'custom.tags': { gt: 'x' } })).toEqual([
      'filter.custom.tags:invalid_filter_op',
    ])
    expect(await fieldErrors({ name: { between: ['a', 'b'] } })).toEqual(['filter.name:invalid_filter_op'])
    expect(await fieldErrors({ 'custom.budget': { gt: 'lots' } })).toEqual([
      'filter.custom.budget:invalid_filter_value',
    ])
    expect(await fieldErrors({ 'custom.visit_on': { gt: '2026-13-01' } })).toEqual([
      'filter.custom.visit_on:invalid_filter_value',
    ])
    expect(await fieldErrors({ 'custom.area': { province: '99' } })).toEqual([
      'filter.custom.area:invalid_filter_value',
    ])
    expect(await fieldErrors({ ownerId: 'not-a-uuid' })).toEqual(['filter.ownerId:invalid_filter_value'])
    expect(await fieldErrors({ name: { in: [] } })).toEqual(['filter.name:invalid_filter_value'])
    expect(await fieldErrors({ 'custom.rating': { between: [1] }, name: { in: 'x' } })).toEqual([
      'filter.custom.rating:invalid_filter_value',
      'filter.name:invalid_filter_value',
    ])
  })
})

/** Lead conditions: validation names each bad part; SQL and in-memory evaluation agree. */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { createDefinition } from '../../platform/custom-fields/definitions.service.js'
import { AppError } from '../../platform/http/errors.js'
import { conditionsSql, matchesConditions, validateConditions } from './conditions.js'
import type { LeadCondition } from './pools.schema.js'
import { leads } from './schema.js'

let kit: Kit
let rows: Record<string, unknown>[] = []
const CHANNEL = '0b6a3c1e-2d4f-4a5b-9c8d-7e6f5a4b3c2d'

beforeAll(async () => {
  kit = await createKit()
  const sys = kit.a.sys
  const def = (key: string, type: string, extra: Record<string, unknown> = {}) =>
    createDefinition(sys, { object: 'lead', key, label: key, type: type as 'text', ...extra })
  await def('budget', 'number')
  await def('tags', 'multi_select', {
    options: ['a', 'b', 'c'].map((v) => ({ value: v, label: v })),
  })
  await def('area', 'region')
  await def('level', 'single_select', { options: ['gold', 'silver'].map((v) => ({ value: v, label: v })) })
  await def('vip', 'boolean')
  await def('due', 'date')
  await def('note', 'text')
  const base = { tenantId: kit.a.tenantId, unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId }
  await sys.db.insert(leads).values([
    {
      ...base,
      name: '赵一',
      regionCode: '310101',
      category: 'SUV',
      grade: 'A',
      source: '官网',
      score: 80,
      channelId: CHANNEL,
      company: 'Alpha Motors 上海',
      custom: {
        budget: 100,
        tags: ['a', 'b'],
        area: { province: '31', city: '3101', district: '310101' },
        level: 'gold',
        vip: true,
        due: '2026-03-01',
        note: 'Hello World',
      },
    },
    {
      ...base,
      name: '钱二',
      regionCode: '31',
      category: 'sedan',
      grade: 'B',
      source: '展会',
      score: 40,
      company: '',
      custom: {
        budget: 500,
        tags: ['c'],
        area: { province: '31' },
        level: 'silver',
        vip: false,
        due: '2026-05-01',
      },
    },
    {
      ...base,
      name: '孙三',
      regionCode: '440305',
      category: 'SUV',
      grade: null,
      score: 0,
      intentCount: 3,
      // A stray value stored with the wrong JSON type never matches a comparison.
      custom: { budget: '900', tags: [], note: '' },
    },
    { ...base, name: '李四', regionCode: null, category: null, score: 95, custom: {} },
    {
      ...base,
      name: '周五',
      regionCode: '3101',
      category: 'MPV',
      grade: 'A',
      source: '官网',
      score: 60,
      custom: { budget: 250.5, area: { province: '44', city: '4403' }, note: 'world peace' },
    },
  ])
  rows = (await sys.db.select().from(leads).where(eq(leads.tenantId, kit.a.tenantId))) as Record<
    string,
    unknown
  >[]
})
afterAll(() => kit.close())

const sqlNames = async (conditions: LeadCondition[]) => {
  const found = await kit.a.sys.db
    .select({ name: leads.name })
    .from(leads)
    .where(and(eq(leads.tenantId, kit.a.tenantId), conditionsSql(conditions)))
  return found.map((r) => r.name).sort()
}
const jsNames = (conditions: LeadCondition[]) =>
  rows
    .filter((r) => matchesConditions(r, conditions))
    .map((r) => r.name as string)
    .sort()

const CASES: [LeadCondition[], string[]][] = [
  [[], ['周五', '孙三', '李四', '赵一', '钱二']],
  [[{ field: 'regionCode', op: 'prefix', value: '31' }], ['周五', '赵一', '钱二']],
  [[{ field: 'regionCode', op: 'prefix', value: '3101' }], ['周五', '赵一']],
  [[{ field: 'regionCode', op: 'eq', value: '31' }], ['钱二']],
  [[{ field: 'regionCode', op: 'ne', value: '31' }], ['周五', '孙三', '李四', '赵一']],
  [[{ field: 'regionCode', op: 'empty' }], ['李四']],
  [[{ field: 'category', op: 'in', value: ['SUV', 'MPV'] }], ['周五', '孙三', '赵一']],
  [[{ field: 'category', op: 'not_in', value: ['SUV'] }], ['周五', '李四', '钱二']],
  [[{ field: 'grade', op: 'eq', value: 'A' }], ['周五', '赵一']],
  [[{ field: 'grade', op: 'not_empty' }], ['周五', '赵一', '钱二']],
  [[{ field: 'company', op: 'empty' }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'company', op: 'contains', value: 'motors' }], ['赵一']],
  [[{ field: 'name', op: 'contains', value: '三' }], ['孙三']],
  [[{ field: 'score', op: 'gte', value: 60 }], ['周五', '李四', '赵一']],
  [[{ field: 'score', op: 'lt', value: 40.5 }], ['孙三', '钱二']],
  [[{ field: 'score', op: 'in', value: [0, 95] }], ['孙三', '李四']],
  [[{ field: 'intentCount', op: 'gt', value: 1 }], ['孙三']],
  [[{ field: 'channelId', op: 'eq', value: CHANNEL.toUpperCase() }], ['赵一']],
  [[{ field: 'channelId', op: 'ne', value: CHANNEL }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'channelId', op: 'empty' }], ['周五', '孙三', '李四', '钱二']],
  [
    [
      { field: 'source', op: 'eq', value: '官网' },
      { field: 'score', op: 'gt', value: 70 },
    ],
    ['赵一'],
  ],
  [[{ field: 'custom.budget', op: 'gt', value: 200 }], ['周五', '钱二']],
  [[{ field: 'custom.budget', op: 'eq', value: 250.5 }], ['周五']],
  [[{ field: 'custom.budget', op: 'ne', value: 100 }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'custom.budget', op: 'empty' }], ['李四']],
  [[{ field: 'custom.tags', op: 'contains', value: ['a', 'b'] }], ['赵一']],
  [[{ field: 'custom.tags', op: 'contains', value: 'c' }], ['钱二']],
  [[{ field: 'custom.tags', op: 'in', value: ['b', 'c'] }], ['赵一', '钱二']],
  [[{ field: 'custom.tags', op: 'not_in', value: ['a'] }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'custom.tags', op: 'empty' }], ['周五', '孙三', '李四']],
  [[{ field: 'custom.area', op: 'prefix', value: '31' }], ['赵一', '钱二']],
  [[{ field: 'custom.area', op: 'eq', value: '4403' }], ['周五']],
  [[{ field: 'custom.area', op: 'not_empty' }], ['周五', '赵一', '钱二']],
  [[{ field: 'custom.level', op: 'eq', value: 'gold' }], ['赵一']],
  [[{ field: 'custom.level', op: 'ne', value: 'gold' }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'custom.vip', op: 'eq', value: false }], ['钱二']],
  [[{ field: 'custom.vip', op: 'ne', value: true }], ['周五', '孙三', '李四', '钱二']],
  [[{ field: 'custom.due', op: 'gte', value: '2026-04-01' }], ['钱二']],
  [[{ field: 'custom.due', op: 'lt', value: '2026-04-01' }], ['赵一']],
  [[{ field: 'custom.note', op: 'contains', value: 'WORLD' }], ['周五', '赵一']],
  [[{ field: 'custom.note', op: 'prefix', value: 'Hello' }], ['赵一']],
  [[{ field: 'custom.note', op: 'empty' }], ['孙三', '李四', '钱二']],
]

describe('lead conditions', () => {
  it('evaluate the same in SQL and in memory', async () => {
    for (const [conditions, expected] of CASES) {
      const fromSql = await sqlNames(conditions)
      expect(fromSql, JSON.stringify(conditions)).toEqual(expected)
      expect(jsNames(conditions), JSON.stringify(conditions)).toEqual(fromSql)
    }
  })

  it('validate field, operator and value, naming each bad part', async () => {
    const ok: LeadCondition[] = CASES.flatMap(([c]) => c)
    await validateConditions(kit.a.sys, ok, 'conditions')
    const bad: LeadCondition[] = [
      { field: 'regionCode', op: 'prefix', value: '31' },
      { field: 'mobile', op: 'eq', value: 'x' },
      { field: 'score', op: 'prefix', value: '1' },
      { field: 'score', op: 'gt', value: 'ten' },
      { field: 'category', op: 'in', value: [] },
      { field: 'grade', op: 'eq', value: '' },
      { field: 'custom.nope', op: 'eq', value: 'x' },
      { field: 'custom.vip', op: 'gt', value: true },
      { field: 'channelId', op: 'eq', value: 'not-a-uuid' },
      { field: 'custom.budget', op: 'eq', value: '5' },
      { field: 'category', op: 'contains', value: ['a'] },
    ]
    const err = await validateConditions(kit.a.sys, bad, 'conditions').catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err.code).toBe('validation_failed')
    expect(err.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)).toEqual([
      'conditions[1].field:unknown_filter_field',
      'conditions[2].op:invalid_filter_op',
      'conditions[3].value:invalid_filter_value',
      'conditions[4].value:invalid_filter_value',
      'conditions[5].value:required',
      'conditions[6].field:unknown_filter_field',
      'conditions[7].op:invalid_filter_op',
      'conditions[8].value:invalid_filter_value',
      'conditions[9].value:invalid_filter_value',
      'conditions[10].value:invalid_filter_value',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { isSafePattern } from './definitions.service.js'
import { isValidRegion, regionChildren, regionLabel } from './regions.js'
import type { CustomFieldType } from './schema.js'
import { checkValue, type FieldSpec, isEmptyValue, normaliseDateTime } from './values.js'

const spec = (type: CustomFieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key: 'f',
  type,
  options: [],
  validation: {},
  ...extra,
})
const good = (s: FieldSpec, v: unknown) => {
  const r = checkValue(s, v)
  if (!r.ok) throw new Error(`${s.type} rejected ${JSON.stringify(v)}: ${r.code}`)
  return r.value
}
const code = (s: FieldSpec, v: unknown) => {
  const r = checkValue(s, v)
  return r.ok ? 'ok' : r.code
}

describe('custom field values', () => {
  it('text: trimmed, maxLength and pattern', () => {
    const s = spec('text', { validation: { maxLength: 5, pattern: '^[A-Z]+$' } })
    expect(good(s, ' ABC ')).toBe('ABC')
    expect(code(s, 'ABCDEF')).toBe('too_long')
    expect(code(s, 'abc')).toBe('pattern_mismatch')
    expect(code(s, 12)).toBe('invalid_type')
    expect(code(spec('text'), 'x'.repeat(501))).toBe('too_long')
  })

  it('long_text keeps whitespace and allows long values', () => {
    expect(good(spec('long_text'), '  第一行\n第二行 ')).toBe('  第一行\n第二行 ')
    expect(code(spec('long_text'), 'x'.repeat(20_000))).toBe('ok')
    expect(code(spec('long_text'), 'x'.repeat(20_001))).toBe('too_long')
  })

  it('number: numbers and numeric strings within min/max', () => {
    const s = spec('number', { validation: { min: 0, max: 100 } })
    expect(good(s, 12.5)).toBe(12.5)
    expect(good(s, '42')).toBe(42)
    expect(code(s, -1)).toBe('too_small')
    expect(code(s, 101)).toBe('too_big')
    expect(code(s, 'abc')).toBe('invalid_number')
    expect(code(s, Number.NaN)).toBe('invalid_number')
    expect(code(s, true)).toBe('invalid_number')
  })

  it('money: integer fen only', () => {
    const s = spec('money', { validation: { min: 0 } })
    expect(good(s, 199900)).toBe(199900)
    expect(good(s, '100')).toBe(100)
    expect(code(s, 12.5)).toBe('not_integer')
    expect(code(s, -100)).toBe('too_small')
    expect(code(s, '1,000')).toBe('invalid_number')
    expect(code(s, 2 ** 60)).toBe('not_integer')
  })

  it('date: real calendar dates in YYYY-MM-DD', () => {
    expect(good(spec('date'), '2026-02-28')).toBe('2026-02-28')
    expect(good(spec('date'), '2024-02-29')).toBe('2024-02-29')
    expect(code(spec('date'), '2026-02-29')).toBe('invalid_date')
    expect(code(spec('date'), '2026/02/01')).toBe('invalid_date')
    expect(code(spec('date'), '2026-13-01')).toBe('invalid_date')
    expect(code(spec('date'), 20260101)).toBe('invalid_date')
  })

  it('datetime: ISO 8601 with a zone, stored in UTC', () => {
    expect(good(spec('datetime'), '2026-03-01T09:30:00+08:00')).toBe('2026-03-01T01:30:00.000Z')
    expect(good(spec('datetime'), '2026-03-01T01:30Z')).toBe('2026-03-01T01:30:00.000Z')
    expect(code(spec('datetime'), '2026-03-01T09:30:00')).toBe('invalid_datetime')
    expect(code(spec('datetime'), '2026-02-30T09:30:00Z')).toBe('invalid_datetime')
    expect(code(spec('datetime'), 'yesterday')).toBe('invalid_datetime')
    expect(normaliseDateTime('2026-03-01T09:30:00.123456+0800')).toBe('2026-03-01T01:30:00.123Z')
  })

  it('boolean', () => {
    expect(good(spec('boolean'), false)).toBe(false)
    expect(good(spec('boolean'), 'true')).toBe(true)
    expect(code(spec('boolean'), 1)).toBe('invalid_boolean')
    expect(code(spec('boolean'), 'yes')).toBe('invalid_boolean')
  })

  const options = [
    { value: 'a', label: 'A' },
    { value: 'b', label: 'B' },
    { value: 'c', label: 'C' },
  ]
  it('single_select: one of the option values', () => {
    expect(good(spec('single_select', { options }), 'b')).toBe('b')
    expect(code(spec('single_select', { options }), 'B')).toBe('invalid_option')
    expect(code(spec('single_select', { options }), ['a'])).toBe('invalid_type')
  })

  it('multi_select: option values, deduplicated in option order', () => {
    expect(good(spec('multi_select', { options }), ['c', 'a', 'c'])).toEqual(['a', 'c'])
    expect(good(spec('multi_select', { options }), 'b')).toEqual(['b'])
    expect(code(spec('multi_select', { options }), ['a', 'z'])).toBe('invalid_option')
    expect(code(spec('multi_select', { options }), [1])).toBe('invalid_type')
  })

  it('phone: mainland by default, stored as E.164', () => {
    expect(good(spec('phone'), '138 0013 8000')).toBe('+8613800138000')
    expect(good(spec('phone'), '+86 138-0013-8000')).toBe('+8613800138000')
    expect(good(spec('phone'), '010-62345678')).toBe('+861062345678')
    expect(good(spec('phone'), '+1 650 253 0000')).toBe('+16502530000')
    expect(code(spec('phone'), '12345')).toBe('invalid_phone')
    expect(code(spec('phone'), '1380013800')).toBe('invalid_phone')
    expect(code(spec('phone'), { n: 1 })).toBe('invalid_type')
  })

  it('phone: read as a lead’s mobile is, full-width digits, prefixes and extensions too', () => {
    expect(good(spec('phone'), '１３８ ００１３ ８０００')).toBe('+8613800138000')
    expect(good(spec('phone'), '138 0013 8000 转 12')).toBe('+8613800138000')
    expect(good(spec('phone'), '0755 8888 8888 分机 123')).toBe('+8675588888888')
    expect(good(spec('phone'), '0086 138 0013 8000')).toBe('+8613800138000')
    expect(good(spec('phone'), '86 138 0013 8000')).toBe('+8613800138000')
    // A number without a country code is read in the workspace's region.
    expect(checkValue(spec('phone'), '０９１２ ３４５ ６７８', { phoneRegion: 'TW' })).toEqual({
      ok: true,
      value: '+886912345678',
    })
    expect(code(spec('phone'), '0912 345 678')).toBe('invalid_phone')
  })

  it('email: lower-cased', () => {
    expect(good(spec('email'), ' Zhang.Wei@Example.COM ')).toBe('zhang.wei@example.com')
    expect(code(spec('email'), 'zhangwei@')).toBe('invalid_email')
    expect(code(spec('email'), 'no at sign')).toBe('invalid_email')
  })

  it('url: http(s) only, scheme added when missing', () => {
    expect(good(spec('url'), 'https://haina.dev/a?b=1')).toBe('https://haina.dev/a?b=1')
    expect(good(spec('url'), 'www.example.cn')).toBe('https://www.example.cn')
    expect(code(spec('url'), 'javascript:alert(1)')).toBe('invalid_url')
    expect(code(spec('url'), 'ftp://example.com')).toBe('invalid_url')
    expect(code(spec('url'), 'not a url')).toBe('invalid_url')
  })

  it('region: codes that exist and nest', () => {
    expect(good(spec('region'), { province: '44', city: '4403', district: '440305' })).toEqual({
      province: '44',
      city: '4403',
      district: '440305',
    })
    expect(good(spec('region'), { province: '11', city: null })).toEqual({ province: '11' })
    expect(code(spec('region'), { province: '99' })).toBe('invalid_region')
    // Shenzhen is not in Beijing; Nanshan is not in Guangzhou; a district needs its city.
    expect(code(spec('region'), { province: '11', city: '4403' })).toBe('invalid_region')
    expect(code(spec('region'), { province: '44', city: '4401', district: '440305' })).toBe('invalid_region')
    expect(code(spec('region'), { province: '44', district: '440305' })).toBe('invalid_region')
    expect(code(spec('region'), { province: '44', street: 'x' })).toBe('invalid_region')
    expect(code(spec('region'), '44')).toBe('invalid_region')
  })

  it('user: a uuid (existence is checked against the tenant by the service)', () => {
    expect(good(spec('user'), '0190A0B0-0000-7000-8000-000000000001')).toBe(
      '0190a0b0-0000-7000-8000-000000000001',
    )
    expect(code(spec('user'), 'zhangsan')).toBe('invalid_user')
  })

  it('empty values clear', () => {
    for (const v of [null, undefined, '', '  ', []]) expect(isEmptyValue(v)).toBe(true)
    for (const v of [0, false, 'x', ['a'], {}]) expect(isEmptyValue(v)).toBe(false)
  })
})

describe('regions', () => {
  it('lists provinces, cities and districts with hasChildren', () => {
    const provinces = regionChildren()!
    expect(provinces.length).toBeGreaterThanOrEqual(31)
    expect(provinces).toContainEqual({ code: '44', name: '广东省', hasChildren: true })
    expect(regionChildren('44')).toContainEqual({ code: '4403', name: '深圳市', hasChildren: true })
    expect(regionChildren('4403')).toContainEqual({ code: '440305', name: '南山区', hasChildren: false })
    expect(regionChildren('440305')).toEqual([])
    expect(regionChildren('999')).toBeUndefined()
  })
  it('validates and labels', () => {
    expect(isValidRegion({ province: '31', city: '3101', district: '310115' })).toBe(true)
    expect(regionLabel({ province: '44', city: '4403', district: '440305' })).toBe('广东省 / 深圳市 / 南山区')
  })
})

describe('validation patterns', () => {
  it('accepts ordinary patterns and rejects invalid or catastrophic ones', () => {
    expect(isSafePattern('^[A-Z]{2}\\d{6}$')).toBe(true)
    expect(isSafePattern('^\\p{Script=Han}+$')).toBe(true)
    expect(isSafePattern('([a-z')).toBe(false)
    expect(isSafePattern('^(a+)+$')).toBe(false)
    expect(isSafePattern('(x*)*y')).toBe(false)
  })
})

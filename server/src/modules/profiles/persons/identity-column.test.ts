/** Identity columns of uploaded tables: header synonyms, picking columns, reading cells (no database). */
import { describe, expect, it } from 'vitest'
import { headerKey, identityColumns, identityKey, rowIdentity } from './identity-column.js'

const uuid = '0190f5a8-7b1c-7d2e-9f00-1234567890ab'

describe('identity columns', () => {
  it('compares headers without case, width, spaces and punctuation', () => {
    expect(headerKey(' E-mail ')).toBe('email')
    expect(headerKey('手机号（必填）')).toBe('手机号必填')
    expect(headerKey('Ｐｅｒｓｏｎ_ID')).toBe('personid')
  })

  it('picks one column per kind in matching order, in simplified, traditional and English', () => {
    expect(identityColumns(['姓名', '郵箱', '手機號碼', '線索ID', '标签'])).toEqual([
      { kind: 'leadId', index: 3, header: '線索ID' },
      { kind: 'mobile', index: 2, header: '手機號碼' },
      { kind: 'email', index: 1, header: '郵箱' },
    ])
    expect(identityColumns(['Customer ID', 'Member ID', 'Phone', 'Tel'])).toEqual([
      { kind: 'customerId', index: 0, header: 'Customer ID' },
      { kind: 'mobile', index: 2, header: 'Phone' },
      { kind: 'external', index: 1, header: 'Member ID' },
    ])
    expect(identityColumns(['线索ID', '手机'], { kinds: ['personId', 'mobile', 'email'] })).toEqual([
      { kind: 'mobile', index: 1, header: '手机' },
    ])
  })

  it('takes a lone unnamed column only when asked, and nothing from unrelated headers', () => {
    expect(identityColumns(['名单'])).toEqual([])
    expect(identityColumns(['名单'], { lone: true })).toEqual([{ kind: 'any', index: 0, header: '名单' }])
    expect(identityColumns(['姓名', '年龄'], { lone: true })).toEqual([])
  })

  it('reads a cell as its column kind: E.164 phones, lower-case emails and ids, invalid as null', () => {
    expect(identityKey('mobile', '+86 138-0013-8000')).toEqual({ kind: 'mobile', value: '+8613800138000' })
    expect(identityKey('mobile', '１３８００１３８０００')).toEqual({
      kind: 'mobile',
      value: '+8613800138000',
    })
    expect(identityKey('mobile', '021-6234 5678')).toEqual({ kind: 'phone', value: '+862162345678' })
    expect(identityKey('mobile', 'abc')).toBeNull()
    expect(identityKey('email', ' Li.Na@Example.COM ')).toEqual({ kind: 'email', value: 'li.na@example.com' })
    expect(identityKey('email', 'not-an-email@')).toBeNull()
    expect(identityKey('leadId', uuid.toUpperCase())).toEqual({ kind: 'lead', value: uuid })
    expect(identityKey('personId', '12')).toBeNull()
    expect(identityKey('external', ' VIP-0012 ')).toEqual({ kind: 'external', value: 'VIP-0012' })
    // 'any' reads the cell by what it is.
    expect(identityKey('any', uuid)).toEqual({ kind: 'person', value: uuid })
    expect(identityKey('any', 'a@b.cn')).toEqual({ kind: 'email', value: 'a@b.cn' })
    expect(identityKey('any', '13800138000')).toEqual({ kind: 'mobile', value: '+8613800138000' })
  })

  it('names a row by its first non-empty identity column', () => {
    const cols = identityColumns(['邮箱', '手机号'])
    expect(rowIdentity(cols, ['a@b.cn', '13800138000'])?.key).toEqual({
      kind: 'mobile',
      value: '+8613800138000',
    })
    expect(rowIdentity(cols, ['a@b.cn', ' '])?.key).toEqual({ kind: 'email', value: 'a@b.cn' })
    expect(rowIdentity(cols, ['', ''])).toBeNull()
    expect(rowIdentity(cols, ['', 'x'])).toMatchObject({ value: 'x', key: null, column: { kind: 'mobile' } })
    expect(rowIdentity(cols, ['', uuid], { sniff: true })?.key).toEqual({ kind: 'person', value: uuid })
  })
})

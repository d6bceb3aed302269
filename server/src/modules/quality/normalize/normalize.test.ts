import { describe, expect, it } from 'vitest'
import {
  checkEmail,
  companyKey,
  creditCodeCheckChar,
  isCreditCode,
  nameKey,
  nameSimilarity,
  normalizeIdentity,
  normalizeLead,
  normalizePhone,
  pinyinKeys,
  regionFromAddress,
  trigramSimilarity,
} from './index.js'

describe('phones', () => {
  it.each([
    '13800138000',
    '138 0013 8000',
    '+86 138 0013 8000',
    '0086-13800138000',
    '86 13800138000',
    '８６１３８００１３８０００',
    '(+86) 138-0013-8000',
  ])('reads the CN mobile %s as +8613800138000', (raw) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, e164: '+8613800138000', kind: 'mobile' })
  })
  it('reads landlines with their area code and drops extensions', () => {
    expect(normalizePhone('010-12345678')).toMatchObject({
      ok: true,
      e164: '+861012345678',
      kind: 'landline',
      areaCode: '010',
    })
    expect(normalizePhone('(021)6123 4567')).toMatchObject({ kind: 'landline', areaCode: '021' })
    expect(normalizePhone('0755 8888 8888 转 123')).toMatchObject({
      e164: '+8675588888888',
      areaCode: '0755',
    })
  })
  it('refuses what is no phone', () => {
    for (const raw of ['12345', '1380013800', '23800138000', 'abc', '138001380001'])
      expect(normalizePhone(raw).ok, raw).toBe(false)
  })
  it('accepts valid foreign numbers', () => {
    expect(normalizePhone('+1 650 253 0000')).toMatchObject({ ok: true, e164: '+16502530000' })
  })
})

describe('phones in a workspace phone region', () => {
  it.each([
    ['TW', '0912 345 678', '+886912345678', 'mobile'],
    ['TW', '(02) 2345-6789', '+886223456789', 'landline'],
    ['HK', '9123 4567', '+85291234567', 'mobile'],
    ['MO', '6612 3456', '+85366123456', 'mobile'],
    ['SG', '9123 4567', '+6591234567', 'mobile'],
    ['MY', '012-345 6789', '+60123456789', 'mobile'],
  ])('reads the %s national number %s as %s', (region, raw, e164, kind) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, e164, kind })
  })
  it('reads a number by the region asked for, though the same text was read in another (memo key)', () => {
    expect(normalizePhone('0912345678', 'CN').ok).toBe(false)
    expect(normalizePhone('0912345678', 'TW')).toMatchObject({ ok: true, e164: '+886912345678' })
    expect(normalizePhone('0912345678').ok).toBe(false)
    expect(normalizePhone('91234567', 'HK')).toMatchObject({ ok: true, e164: '+85291234567' })
    expect(normalizePhone('91234567', 'SG')).toMatchObject({ ok: true, e164: '+6591234567' })
  })
  it('reads +/00 numbers as themselves in every region', () => {
    for (const region of ['CN', 'TW', 'HK', 'US']) {
      expect(normalizePhone('+886 912 345 678', region)).toMatchObject({ ok: true, e164: '+886912345678' })
      expect(normalizePhone('00886912345678', region)).toMatchObject({ ok: true, e164: '+886912345678' })
      expect(normalizePhone('+86 138 0013 8000', region)).toEqual({
        ok: true,
        e164: '+8613800138000',
        kind: 'mobile',
      })
    }
  })
  it('keeps the area code for mainland landlines only', () => {
    expect(normalizePhone('+86 10 1234 5678', 'TW')).toMatchObject({ kind: 'landline', areaCode: '010' })
    expect(normalizePhone('(02) 2345-6789', 'TW')).not.toHaveProperty('areaCode')
  })
  it('reads 86 + a mainland mobile as +86 elsewhere only when it is no number of the region', () => {
    expect(normalizePhone('86 138 0013 8000', 'TW')).toMatchObject({ ok: true, e164: '+8613800138000' })
    // A bare mainland mobile is a national number of another region: it needs its +86 there.
    expect(normalizePhone('13800138000', 'TW').ok).toBe(false)
  })
  it('normalises leads and identities in the region given', () => {
    const lead = normalizeLead({ name: '陳大文', mobile: '0912-345-678' }, 'TW')
    expect(lead).toMatchObject({ mobile: '+886912345678', regionCode: null, issues: [] })
    expect(normalizeLead({ name: '陳大文', mobile: '0912-345-678' }).issues).toEqual([
      { field: 'mobile', code: 'invalid_phone', value: '0912-345-678' },
    ])
    expect(normalizeIdentity({ mobile: '6612 3456' }, 'MO').mobile).toBe('+85366123456')
  })
})

describe('emails, ids and codes', () => {
  it('checks email syntax and disposable domains', () => {
    expect(checkEmail('zw@example.com')).toBe('ok')
    expect(checkEmail('zw@@example.com')).toBe('invalid_email')
    expect(checkEmail('a..b@example.com')).toBe('invalid_email')
    expect(checkEmail('x@mailinator.com')).toBe('disposable_email')
  })
  it('checks 统一社会信用代码 with its check character', () => {
    expect(isCreditCode('91350100M000100Y43')).toBe(true)
    expect(isCreditCode('91350100M000100Y44')).toBe(false)
    expect(creditCodeCheckChar('91110000802100433')).toBe('B')
    expect(isCreditCode('91110000802100433B')).toBe(true)
  })
})

describe('matching keys', () => {
  it('makes one key of traditional, full-width and spaced names', () => {
    expect(nameKey('張 偉')).toBe('张伟')
    expect(nameKey('ＺＨＡＮＧ Wei')).toBe('zhangwei')
  })
  it('strips legal forms, bracketed and leading places from company names', () => {
    for (const c of [
      '上海海纳科技有限公司',
      '海纳科技（上海）有限公司',
      '海納科技股份有限公司',
      '海纳科技集团',
      'Haina科技 Co., Ltd.',
    ])
      expect(companyKey(c), c).toMatch(/^(海纳科技|haina科技)$/)
  })
  it('gives pinyin keys so zhangwei and zw find 张伟', () => {
    expect(pinyinKeys('张伟')).toEqual({ full: 'zhangwei', initials: 'zw' })
    expect(pinyinKeys('Li Na')).toEqual({ full: 'lina', initials: 'ln' })
  })
  it('scores name similarity with characters and sound', () => {
    expect(nameSimilarity('张伟', '张伟')).toBe(1)
    expect(nameSimilarity('张伟', '张玮')).toBeGreaterThan(0.9)
    expect(nameSimilarity('张伟', '李娜')).toBeLessThan(0.5)
  })
  it('computes trigram similarity like pg_trgm for latin text', () => {
    expect(trigramSimilarity('word', 'word')).toBe(1)
    expect(trigramSimilarity('word', 'wrd')).toBeCloseTo(0.2857, 3) // PostgreSQL: select similarity('word', 'wrd')
  })
  it('finds the most specific region named in an address', () => {
    expect(regionFromAddress('广东省深圳市南山区科技园')).toBe('440305')
    expect(regionFromAddress('深圳南山区科技园')).toBe('440305')
    expect(regionFromAddress('上海市浦东新区世纪大道100号')).toBe('310115')
    expect(regionFromAddress('月球背面')).toBeNull()
  })
})

describe('normalizeLead', () => {
  it('normalises a messy record into the unified standard', () => {
    const n = normalizeLead({
      name: ' 張偉 ',
      mobile: '０１０-１２３４５６７８',
      phone: 13800138000,
      email: ' ZW@Example.COM ',
      company: '海納科技（上海）有限公司',
      address: '北京市朝阳区建国路1号',
    })
    expect(n).toMatchObject({
      name: '張偉',
      mobile: '+8613800138000',
      phone: '+861012345678',
      email: 'zw@example.com',
      regionCode: '110105',
      keys: { name: '张伟', company: '海纳科技', pinyinFull: 'zhangwei', pinyinInitials: 'zw' },
      issues: [],
    })
  })
  it('reports invalid values per field and keeps them out of the record', () => {
    const n = normalizeLead({
      name: '李娜',
      mobile: '12345',
      email: 'bad@',
      openid: 'nope',
      creditCode: '123',
    })
    expect(n.mobile).toBeNull()
    expect(n.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'mobile:invalid_phone',
      'email:invalid_email',
      'openid:invalid_openid',
      'creditCode:invalid_credit_code',
    ])
  })
  it('normalises an event identity exactly as a lead gives the same fields', () => {
    const inputs = [
      { mobile: '+86 138 0013 8000', deviceId: ' dev-1 ' },
      { mobile: '010-12345678', email: 'ZW@Example.com' },
      { mobile: '12345', email: 'a@mailinator.com', openid: 'nope', unionid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
      { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', wechatAppId: 'wx1', externalId: 'x'.repeat(201) },
      { email: 'bad@@x', deviceId: '' },
      {},
    ]
    const fields = [
      'mobile',
      'phone',
      'email',
      'openid',
      'unionid',
      'wechatAppId',
      'deviceId',
      'externalId',
    ] as const
    for (const input of inputs) {
      const lead = normalizeLead({ ...input, name: undefined })
      const identity = normalizeIdentity(input)
      for (const f of fields) expect(identity[f], f).toBe(lead[f])
      expect(identity.issues).toEqual(lead.issues.filter((i) => i.code !== 'required'))
    }
  })

  it('needs a name or a way to reach the person', () => {
    expect(normalizeLead({ notes: 'x' }).issues).toEqual([{ field: 'name', code: 'required', value: '' }])
    expect(normalizeLead({ email: 'a@b.cn' }).issues).toEqual([])
  })
  it('runs fast enough for bulk import', () => {
    const t0 = performance.now()
    for (let i = 0; i < 20_000; i++)
      normalizeLead({
        name: `张${i % 100}伟`,
        mobile: `138${String(i).padStart(8, '0')}`,
        company: `海纳${i % 50}科技有限公司`,
      })
    const perS = 20_000 / ((performance.now() - t0) / 1000)
    console.log(`normalizeLead: ${Math.round(perS)} rows/s`)
    expect(perS).toBeGreaterThan(1000) // a floor against pathologies; the bench measures the real rate
  })
})

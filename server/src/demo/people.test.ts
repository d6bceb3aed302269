import { isValidPhoneNumber } from 'libphonenumber-js'
import { describe, expect, it } from 'vitest'
import { isValidRegion } from '../platform/custom-fields/regions.js'
import { company, person, region } from './people.js'
import { rng } from './random.js'

const sample = (seed: number, n: number) => {
  const r = rng(seed)
  return Array.from({ length: n }, () => ({ ...person(r), company: company(r), region: region(r) }))
}

describe('demo data', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    expect(sample(42, 200)).toEqual(sample(42, 200))
    expect(sample(43, 200)).not.toEqual(sample(42, 200))
  })

  it('makes valid CN mobiles, ascii emails and real nested regions', () => {
    for (const p of sample(7, 2000)) {
      expect(isValidPhoneNumber(p.mobile, 'CN'), p.mobile).toBe(true)
      expect(p.email).toMatch(/^[a-z]+\d+@[a-z0-9.]+$/)
      expect(p.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/)
      expect(p.company).toMatch(/(有限公司|有限责任公司|股份有限公司)$/)
      const { province, city, district } = p.region
      expect(
        isValidRegion(district === city ? { province, city } : { province, city, district }),
        p.region.label,
      ).toBe(true)
    }
  })

  it('weights surnames: 王 and 李 are far more common than 欧阳', () => {
    const names = sample(1, 5000).map((p) => p.name)
    const count = (s: string) => names.filter((n) => n.startsWith(s)).length
    expect(count('王')).toBeGreaterThan(count('欧阳') * 10)
  })
})

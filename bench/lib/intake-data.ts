/**
 * Realistic messy leads with ground truth, for the intake benchmark: about 15 % repeats of earlier
 * people written differently (phone formats, full-width digits, traditional characters, company
 * suffixes, name typos, email only) and about 5 % invalid rows. Seeded: the same file every run.
 */
import { company, person, title } from '../../server/src/demo/people.js'
import { rng } from '../../server/src/demo/random.js'
import { companyVariant, phoneVariant, toTraditional, typo } from '../../server/src/demo/variants.js'
import { BENCH_MOBILE_PREFIXES, benchMobile } from './mobiles.js'

export interface IntakeData {
  header: string[]
  rows: string[][]
  /** Person index per row; -1 for rows generated invalid. */
  truth: number[]
  /** Normalised keys → person, to read the truth back from what the factory stored. */
  personByMobile: Map<string, number>
  personByEmail: Map<string, number>
}

/** More prefixes than the other benches' (177, 199 too). */
const PREFIXES = [...BENCH_MOBILE_PREFIXES, '177', '199']

export function generateIntake(n: number, seed = 2026): IntakeData {
  const r = rng(seed)
  const header = ['姓名', '手机号', '邮箱', '公司', '职务', '备注']
  const rows: string[][] = []
  const truth: number[] = []
  const people: { name: string; mobile: string; email: string; company: string; hasEmail: boolean }[] = []
  const personByMobile = new Map<string, number>()
  const personByEmail = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    const roll = r.next()
    if (roll < 0.05) {
      // Invalid: a phone that is no phone and nothing else to know the person by.
      rows.push([
        person(r).name,
        r.next() < 0.5 ? String(r.int(10000, 9999999)) : '1380013800O',
        '',
        '',
        '',
        '无效',
      ])
      truth.push(-1)
    } else if (roll < 0.2 && people.length > 10) {
      const p = r.int(0, people.length - 1)
      const who = people[p]!
      const k = r.int(0, 1000)
      const emailOnly = k % 5 === 0 && who.hasEmail
      const name = k % 3 === 0 ? toTraditional(who.name) : k % 7 === 0 ? typo(who.name, r) : who.name
      rows.push([
        name,
        emailOnly ? '' : phoneVariant(who.mobile, k),
        emailOnly || k % 2 === 0 ? (k % 4 === 0 ? who.email.toUpperCase() : who.email) : '',
        companyVariant(who.company, k),
        title(r),
        '再次咨询',
      ])
      truth.push(p)
    } else {
      const idx = people.length
      const base = person(r)
      // Unique by construction: the person's index spread over a prefix's 10^8 numbers.
      const mobile = benchMobile(idx, PREFIXES)
      const email = base.email.replace('@', `.${idx}@`)
      const who = { name: base.name, mobile, email, company: company(r), hasEmail: r.next() < 0.6 }
      people.push(who)
      personByMobile.set(`+86${mobile}`, idx)
      personByEmail.set(email.toLowerCase(), idx)
      rows.push([who.name, mobile, who.hasEmail ? email : '', who.company, title(r), ''])
      truth.push(idx)
    }
  }
  return { header, rows, truth, personByMobile, personByEmail }
}

/** CSV text (RFC 4180 quoting where needed). */
export function toCsv(header: string[], rows: string[][]): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return [header, ...rows].map((r) => r.map(q).join(',')).join('\r\n')
}

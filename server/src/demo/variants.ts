/**
 * The ways people write the same details again (phone formats, full-width digits, traditional
 * characters, company suffixes, a mistyped character): repeats for the demo's lead stream and the
 * intake benchmark's file, which the data factory must still recognise.
 */
import * as OpenCC from 'opencc-js'
import type { Rng } from './random.js'

export const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' })

export const fullWidth = (s: string) =>
  s.replace(/[0-9+]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))

/** An 11-digit mobile written one of six ways (`k` chooses). */
export function phoneVariant(mobile: string, k: number): string {
  const [a, b, c] = [mobile.slice(0, 3), mobile.slice(3, 7), mobile.slice(7)]
  switch (k % 6) {
    case 0:
      return `+86 ${a} ${b} ${c}`
    case 1:
      return `0086-${mobile}`
    case 2:
      return `86${mobile}`
    case 3:
      return `${a}-${b}-${c}`
    case 4:
      return fullWidth(mobile)
    default:
      return ` ${mobile} `
  }
}

/** The same company with another legal suffix, none, or in traditional characters. */
export function companyVariant(name: string, k: number): string {
  const base = name.replace(/(股份有限公司|有限责任公司|有限公司|集团)$/, '')
  return [`${base}股份有限公司`, `${base}有限责任公司`, `${base}集团`, base, toTraditional(name)][k % 5]!
}

/** A name with one character swapped for a look-alike or homophone (伟 → 玮). */
export function typo(name: string, r: Rng): string {
  if (name.length < 2) return name
  const i = 1 + r.int(0, name.length - 2)
  const swaps = '伟玮薇维静婧敏闵丽莉俊骏'
  return name.slice(0, i) + swaps[r.int(0, swaps.length - 1)] + name.slice(i + 1)
}

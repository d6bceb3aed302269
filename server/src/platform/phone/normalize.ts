import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { DEFAULT_PHONE_REGION } from '../tenancy/phone-region.js'
import { cleanText, memo } from '../text.js'

export type PhoneResult =
  | { ok: true; e164: string; kind: 'mobile' | 'landline'; areaCode?: string }
  | { ok: false; code: 'invalid_phone' }

const EXTENSION = /\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$/i
/** A mainland mobile written with its country code but no + (86 138 0013 8000). */
const CN_MOBILE_WITH_CODE = /^86(1\d{10})$/

// One cache for every region: the key carries the region, so a number read in a Taiwan workspace
// is never answered from a mainland workspace's reading of it.
const cached = memo((key: string) => {
  const at = key.indexOf(':')
  return parsePhone(key.slice(at + 1), key.slice(0, at) as CountryCode)
})

/**
 * Any way people write a phone number → E.164, with its kind. A number without + / 00 is read in
 * `region` (the workspace's phone region, ISO 3166 alpha-2; mainland China by default): Chinese
 * mobiles are 11 digits starting with 1, with or without +86 / 0086 / 86; landlines carry an area
 * code (010-12345678, (021)6123 4567); an extension (转 123, ext 123) is dropped. Numbers with +
 * are accepted when valid in their country. Only mainland landlines get an area code.
 * The one phone normaliser: leads, custom phone fields, customers, orders and search all read numbers here.
 */
export function normalizePhone(raw: string, region = DEFAULT_PHONE_REGION): PhoneResult {
  return cached(`${region}:${raw}`)
}

function parsePhone(raw: string, region: CountryCode): PhoneResult {
  let s = cleanText(raw).replace(EXTENSION, '')
  s = s.replace(/[\s\-().（）]/g, '')
  if (!/^\+?\d{5,20}$/.test(s)) return { ok: false, code: 'invalid_phone' }
  if (s.startsWith('00')) s = `+${s.slice(2)}`
  else if (region === 'CN' && CN_MOBILE_WITH_CODE.test(s)) s = `+${s}`
  let parsed = parsePhoneNumberFromString(s, region)
  // Elsewhere 86 + a mainland mobile is read so only when it is no number of the region itself.
  if (!parsed?.isValid() && region !== 'CN' && CN_MOBILE_WITH_CODE.test(s))
    parsed = parsePhoneNumberFromString(`+${s}`)
  if (!parsed?.isValid()) return { ok: false, code: 'invalid_phone' }
  const type = parsed.getType()
  const kind =
    type === 'MOBILE' || (type === 'FIXED_LINE_OR_MOBILE' && parsed.nationalNumber.startsWith('1'))
      ? 'mobile'
      : 'landline'
  const e164 = parsed.number
  if (kind === 'landline' && parsed.country === 'CN') {
    const n = parsed.nationalNumber
    const areaCode = `0${/^(10|2\d)/.test(n) ? n.slice(0, 2) : n.slice(0, 3)}`
    return { ok: true, e164, kind, areaCode }
  }
  return { ok: true, e164, kind }
}

/** The stored form of a phone value: E.164, or null when it is no phone number (see normalizePhone). */
export function phoneE164(raw: string, region?: string): string | null {
  const p = normalizePhone(raw, region)
  return p.ok ? p.e164 : null
}

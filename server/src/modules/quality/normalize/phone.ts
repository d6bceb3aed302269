import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { cleanText, memo } from './text.js'

export type PhoneResult =
  | { ok: true; e164: string; kind: 'mobile' | 'landline'; areaCode?: string }
  | { ok: false; code: 'invalid_phone' }

const EXTENSION = /\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$/i

/**
 * Any way people write a phone number → E.164, with its kind. Chinese mobiles are 11 digits starting
 * with 1, with or without +86 / 0086 / 86; landlines carry an area code (010-12345678, (021)6123 4567);
 * an extension (转 123, ext 123) is dropped. Numbers with + are accepted when valid in their country.
 */
export const normalizePhone = memo(parsePhone)

function parsePhone(raw: string): PhoneResult {
  const defaultCountry = 'CN'
  let s = cleanText(raw).replace(EXTENSION, '')
  s = s.replace(/[\s\-().（）]/g, '')
  if (!/^\+?\d{5,20}$/.test(s)) return { ok: false, code: 'invalid_phone' }
  if (s.startsWith('00')) s = `+${s.slice(2)}`
  else if (/^86(1\d{10})$/.test(s)) s = `+${s}`
  const parsed = parsePhoneNumberFromString(s, defaultCountry)
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

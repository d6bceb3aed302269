import { normalizePhone } from '../../../platform/phone/normalize.js'
import { isCreditCode, normalizeCreditCode } from './credit-code.js'
import { checkEmail, normalizeEmail } from './email.js'
import { isRegionCode, regionFromAddress, regionFromAreaCode } from './region.js'
import { cleanText, companyKey, nameKey, pinyinKeys } from './text.js'
import { isOpenid, isUnionid } from './wechat.js'

export interface LeadInput {
  name?: unknown
  mobile?: unknown
  phone?: unknown
  email?: unknown
  company?: unknown
  title?: unknown
  creditCode?: unknown
  openid?: unknown
  unionid?: unknown
  wechatAppId?: unknown
  deviceId?: unknown
  externalId?: unknown
  address?: unknown
  regionCode?: unknown
  notes?: unknown
}
export type IssueCode =
  | 'required'
  | 'invalid_phone'
  | 'not_mobile'
  | 'invalid_email'
  | 'disposable_email'
  | 'invalid_openid'
  | 'invalid_unionid'
  | 'invalid_credit_code'
  | 'too_long'
  | 'invalid_region'
export interface FieldIssue {
  field: keyof LeadInput
  code: IssueCode
  value: string
}
export interface NormalizedLead {
  name: string | null
  /** E.164 */
  mobile: string | null
  /** E.164 landline */
  phone: string | null
  email: string | null
  company: string | null
  title: string | null
  creditCode: string | null
  openid: string | null
  unionid: string | null
  wechatAppId: string | null
  deviceId: string | null
  externalId: string | null
  address: string | null
  regionCode: string | null
  notes: string | null
  keys: {
    name: string | null
    company: string | null
    pinyinFull: string | null
    pinyinInitials: string | null
  }
  /** An invalid value is null in the record and reported here. */
  issues: FieldIssue[]
}

const LIMITS: Partial<Record<keyof LeadInput, number>> = { name: 100, notes: 2000 }

/** Excel gives numbers (13800138000 as 13800138000 or 1.38e10): text without exponent, trimmed. */
function text(v: unknown): string | null {
  if (v == null) return null
  if (typeof v === 'number')
    return Number.isFinite(v) ? (Number.isInteger(v) ? BigInt(v).toString() : String(v)) : null
  const s = cleanText(String(v))
  return s === '' ? null : s
}

/** Reads one field as cleaned text, reporting (and dropping) a value over its length limit. */
function getter(input: LeadInput, issues: FieldIssue[]) {
  return (field: keyof LeadInput): string | null => {
    const v = text(input[field])
    if (v && v.length > (LIMITS[field] ?? 200)) {
      issues.push({ field, code: 'too_long', value: v.slice(0, 50) })
      return null
    }
    return v
  }
}

type Contacts = Pick<NormalizedLead, 'mobile' | 'phone' | 'email' | 'openid' | 'unionid'>

/** Phones (read in `phoneRegion`), email and WeChat ids into `out`; answers a landline's area code. */
function contactsInto(
  out: Contacts,
  get: (field: keyof LeadInput) => string | null,
  issues: FieldIssue[],
  phoneRegion: string,
): string | undefined {
  let areaCode: string | undefined
  for (const field of ['mobile', 'phone'] as const) {
    const raw = get(field)
    if (!raw) continue
    const p = normalizePhone(raw, phoneRegion)
    if (!p.ok) {
      issues.push({ field, code: 'invalid_phone', value: raw })
      continue
    }
    const slot = p.kind === 'mobile' ? 'mobile' : 'phone'
    if (!out[slot]) out[slot] = p.e164
    else if (out[slot] !== p.e164 && field === 'mobile')
      issues.push({ field, code: 'not_mobile', value: raw })
    if (p.kind === 'landline') areaCode = p.areaCode
  }
  const email = get('email')
  if (email) {
    const e = normalizeEmail(email)
    const check = checkEmail(e)
    if (check === 'invalid_email') issues.push({ field: 'email', code: 'invalid_email', value: email })
    else {
      out.email = e
      if (check === 'disposable_email')
        issues.push({ field: 'email', code: 'disposable_email', value: email })
    }
  }
  const openid = get('openid')
  if (openid && isOpenid(openid)) out.openid = openid
  else if (openid) issues.push({ field: 'openid', code: 'invalid_openid', value: openid })
  const unionid = get('unionid')
  if (unionid && isUnionid(unionid)) out.unionid = unionid
  else if (unionid) issues.push({ field: 'unionid', code: 'invalid_unionid', value: unionid })
  return areaCode
}

/** What identifies a person: the identity keys of a record (what identityKeysOf reads). */
export type NormalizedIdentity = Contacts &
  Pick<NormalizedLead, 'wechatAppId' | 'deviceId' | 'externalId' | 'creditCode' | 'issues'>

/**
 * A behaviour event's identity: the same cleaning, checks and issues as normalizeLead gives these
 * fields, without the name, company, region and matching keys an event does not carry.
 */
export function normalizeIdentity(
  input: Pick<
    LeadInput,
    'mobile' | 'phone' | 'email' | 'openid' | 'unionid' | 'wechatAppId' | 'deviceId' | 'externalId'
  >,
  phoneRegion = 'CN',
): NormalizedIdentity {
  const issues: FieldIssue[] = []
  const get = getter(input, issues)
  const out: NormalizedIdentity = {
    mobile: null,
    phone: null,
    email: null,
    openid: null,
    unionid: null,
    wechatAppId: get('wechatAppId'),
    deviceId: get('deviceId'),
    externalId: get('externalId'),
    creditCode: null,
    issues,
  }
  contactsInto(out, get, issues, phoneRegion)
  return out
}

/**
 * One raw record → the unified lead standard: every value cleaned (NFKC, trimmed), phones in E.164
 * (a landline given as mobile moves to phone and back), email lower-case, ids checked for shape,
 * region from the code, the address or the landline's area code, and the matching keys. A phone
 * without a country code is read in `phoneRegion` (the workspace's; see workspacePhoneRegion).
 */
export function normalizeLead(input: LeadInput, phoneRegion = 'CN'): NormalizedLead {
  const issues: FieldIssue[] = []
  const get = getter(input, issues)
  const out: NormalizedLead = {
    name: get('name'),
    mobile: null,
    phone: null,
    email: null,
    company: get('company'),
    title: get('title'),
    creditCode: null,
    openid: null,
    unionid: null,
    wechatAppId: get('wechatAppId'),
    deviceId: get('deviceId'),
    externalId: get('externalId'),
    address: get('address'),
    regionCode: null,
    notes: get('notes'),
    keys: { name: null, company: null, pinyinFull: null, pinyinInitials: null },
    issues,
  }
  const areaCode = contactsInto(out, get, issues, phoneRegion)
  const credit = get('creditCode')
  if (credit) {
    const c = normalizeCreditCode(credit)
    if (isCreditCode(c)) out.creditCode = c
    else issues.push({ field: 'creditCode', code: 'invalid_credit_code', value: credit })
  }
  const region = get('regionCode')
  if (region && !isRegionCode(region))
    issues.push({ field: 'regionCode', code: 'invalid_region', value: region })
  out.regionCode =
    (region && isRegionCode(region) ? region : null) ??
    (out.address ? regionFromAddress(out.address) : null) ??
    (areaCode ? regionFromAreaCode(areaCode) : null)

  if (out.name) {
    out.keys.name = nameKey(out.name) || null
    const py = pinyinKeys(out.name)
    out.keys.pinyinFull = py.full || null
    out.keys.pinyinInitials = py.initials || null
  }
  if (out.company) out.keys.company = companyKey(out.company) || null
  const identified =
    out.mobile || out.phone || out.email || out.openid || out.unionid || out.externalId || out.deviceId
  if (!out.name && !out.company && !identified) issues.push({ field: 'name', code: 'required', value: '' })
  else if (!out.name && !identified) issues.push({ field: 'name', code: 'required', value: '' })
  return out
}

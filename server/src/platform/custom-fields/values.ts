import { phoneE164 } from '../phone/normalize.js'
import { isValidRegion, type RegionValue } from './regions.js'
import type { CustomFieldOption, CustomFieldType, CustomFieldValidation } from './schema.js'

/** What the value checks need of a definition. */
export interface FieldSpec {
  key: string
  type: CustomFieldType
  options: CustomFieldOption[]
  validation: CustomFieldValidation
}

export type Checked =
  | { ok: true; value: unknown }
  | { ok: false; code: string; params?: Record<string, unknown> }

/** Length caps when a definition sets none: a record must stay small. */
export const DEFAULT_MAX_LENGTH: Partial<Record<CustomFieldType, number>> = {
  text: 500,
  long_text: 20_000,
  url: 2000,
  email: 254,
}

const ok = (value: unknown): Checked => ({ ok: true, value })
const fail = (code: string, params?: Record<string, unknown>): Checked => ({ ok: false, code, params })

/** Empty input clears a value: nothing is stored for it. */
export function isEmptyValue(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === 'string' && v.trim() === '') ||
    (Array.isArray(v) && v.length === 0)
  )
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isValidDate(s: string): boolean {
  const m = DATE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  )
}

/** An ISO 8601 date-time with a zone → its UTC form (fixed width, so text order is time order). */
export function normaliseDateTime(s: string): string | null {
  if (!DATETIME.test(s) || !isValidDate(s.slice(0, 10))) return null
  const t = Date.parse(s)
  if (Number.isNaN(t)) return null
  const iso = new Date(t).toISOString()
  return iso.length === 24 ? iso : null
}

/**
 * A phone value's stored form (E.164) or null: the platform's one normaliser (full-width digits,
 * 0086/86 prefixes and extensions as for leads); a number without a country code is read in
 * `region`, the workspace's phone region (mainland China by default).
 */
export const normalisePhone = phoneE164

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return null
}

function checkText(spec: FieldSpec, s: string): Checked {
  const max = spec.validation.maxLength ?? DEFAULT_MAX_LENGTH[spec.type]
  if (max !== undefined && s.length > max) return fail('too_long', { max })
  if (spec.validation.pattern && !new RegExp(spec.validation.pattern, 'u').test(s))
    return fail('pattern_mismatch')
  return ok(s)
}

function checkRange(spec: FieldSpec, n: number): Checked {
  const { min, max } = spec.validation
  if (min !== undefined && n < min) return fail('too_small', { min })
  if (max !== undefined && n > max) return fail('too_big', { max })
  return ok(n)
}

/**
 * Checks one non-empty value against its definition and returns the form to store. Pure:
 * user references and uniqueness need the database and are checked by validateCustomValues.
 * `phoneRegion`: where a phone value without a country code is read (the workspace's).
 */
export function checkValue(spec: FieldSpec, v: unknown, opts: { phoneRegion?: string } = {}): Checked {
  switch (spec.type) {
    case 'text':
    case 'long_text': {
      if (typeof v !== 'string') return fail('invalid_type')
      return checkText(spec, spec.type === 'text' ? v.trim() : v)
    }
    case 'number': {
      const n = toNumber(v)
      return n === null ? fail('invalid_number') : checkRange(spec, n)
    }
    case 'money': {
      const n = toNumber(v)
      if (n === null) return fail('invalid_number')
      if (!Number.isSafeInteger(n)) return fail('not_integer')
      return checkRange(spec, n)
    }
    case 'date':
      return typeof v === 'string' && isValidDate(v.trim()) ? ok(v.trim()) : fail('invalid_date')
    case 'datetime': {
      const iso = typeof v === 'string' ? normaliseDateTime(v.trim()) : null
      return iso ? ok(iso) : fail('invalid_datetime')
    }
    case 'boolean':
      if (typeof v === 'boolean') return ok(v)
      if (v === 'true' || v === 'false') return ok(v === 'true')
      return fail('invalid_boolean')
    case 'single_select': {
      if (typeof v !== 'string') return fail('invalid_type')
      return spec.options.some((o) => o.value === v) ? ok(v) : fail('invalid_option')
    }
    case 'multi_select': {
      const list = typeof v === 'string' ? [v] : v
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return fail('invalid_type')
      if (list.some((x) => !spec.options.some((o) => o.value === x))) return fail('invalid_option')
      // Stored in option order, without duplicates, so equal selections compare equal.
      return ok(spec.options.map((o) => o.value).filter((x) => list.includes(x)))
    }
    case 'phone': {
      if (typeof v !== 'string' && typeof v !== 'number') return fail('invalid_type')
      const e164 = phoneE164(String(v), opts.phoneRegion)
      return e164 ? ok(e164) : fail('invalid_phone')
    }
    case 'email': {
      if (typeof v !== 'string') return fail('invalid_type')
      const s = v.trim().toLowerCase()
      if (!EMAIL.test(s)) return fail('invalid_email')
      return checkText(spec, s)
    }
    case 'url': {
      if (typeof v !== 'string') return fail('invalid_type')
      const s = v.trim()
      // 'www.example.com' is a web address; other schemes (javascript:, file:) are not accepted.
      const withScheme = /^[a-z][a-z\d+.-]*:/i.test(s) ? s : `https://${s}`
      let url: URL
      try {
        url = new URL(withScheme)
      } catch {
        return fail('invalid_url')
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname.includes('.'))
        return fail('invalid_url')
      return checkText(spec, withScheme)
    }
    case 'region': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('invalid_region')
      const r = v as Record<string, unknown>
      const codes = ['province', 'city', 'district'] as const
      if (Object.keys(r).some((k) => !(codes as readonly string[]).includes(k))) return fail('invalid_region')
      const out: Record<string, string> = {}
      for (const c of codes) {
        const code = r[c]
        if (code === undefined || code === null || code === '') continue
        if (typeof code !== 'string') return fail('invalid_region')
        out[c] = code
      }
      if (!out.province || !isValidRegion(out as unknown as RegionValue)) return fail('invalid_region')
      return ok(out)
    }
    case 'user':
      return typeof v === 'string' && UUID.test(v) ? ok(v.toLowerCase()) : fail('invalid_user')
  }
}

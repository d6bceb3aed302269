import type { LeadInput } from '../quality/normalize/index.js'
import type { ChannelMapping } from './schema.js'

export interface MappedRecord {
  lead: LeadInput
  custom: Record<string, unknown>
  campaignCode: string | null
  /**
   * Values of the wrong type (an object, array or boolean where text is expected), under the
   * target field's name; the value itself is left out of `lead`. The record is then invalid.
   */
  issues: { field: string; code: 'invalid_type' }[]
}

const LEAD_FIELDS = new Set([
  'name',
  'mobile',
  'phone',
  'email',
  'company',
  'title',
  'creditCode',
  'openid',
  'unionid',
  'wechatAppId',
  'deviceId',
  'externalId',
  'address',
  'regionCode',
  'notes',
])

/** Reads `a.b.c` (or `items.0.id`) from a payload. */
export function readPath(payload: unknown, path: string): unknown {
  let cur: unknown = payload
  for (const part of path.split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v != null && typeof v === 'object' && !Array.isArray(v)

/**
 * A scalar field's value as text: strings as they are, finite numbers as their decimal digits
 * (integrations send 13800138000 as a JSON number, without an exponent), null as absent. Anything
 * else (objects, arrays, booleans) is the wrong type.
 */
function scalar(value: unknown): { ok: true; value: string | null } | { ok: false } {
  if (value === null) return { ok: true, value: null }
  if (typeof value === 'string') return { ok: true, value }
  if (typeof value === 'number' && Number.isFinite(value))
    return { ok: true, value: Number.isInteger(value) ? BigInt(value).toString() : String(value) }
  return { ok: false }
}

/**
 * A channel's payload → the unified lead standard (seed 003: every platform's data normalised to
 * one standard). With no mapping the payload already uses the standard names (and `custom: {}`).
 * Standard fields take text or numbers; custom values go as they are (their definitions check them).
 */
export function applyMapping(payload: Record<string, unknown>, mapping: ChannelMapping): MappedRecord {
  const issues: MappedRecord['issues'] = []
  let customEntries: (readonly [string, unknown])[] = []
  if (!Object.keys(mapping).length && payload.custom !== undefined && payload.custom !== null) {
    if (isPlainObject(payload.custom))
      customEntries = Object.entries(payload.custom).map(([k, v]) => [`custom.${k}`, v] as const)
    else issues.push({ field: 'custom', code: 'invalid_type' })
  }
  const entries = Object.keys(mapping).length
    ? Object.entries(mapping).map(
        ([target, m]) => [target, m.path ? readPath(payload, m.path) : m.value] as const,
      )
    : [
        ...Object.entries(payload).filter(([k]) => k !== 'custom'),
        ...customEntries,
        ...(payload.utm_campaign !== undefined ? [['campaignCode', payload.utm_campaign] as const] : []),
      ]
  const lead: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  let campaignCode: string | null = null
  for (const [target, value] of entries) {
    if (value === undefined) continue
    if (target.startsWith('custom.')) {
      custom[target.slice(7)] = value
      continue
    }
    if (target !== 'campaignCode' && !LEAD_FIELDS.has(target)) continue
    const v = scalar(value)
    if (!v.ok) {
      if (!issues.some((i) => i.field === target)) issues.push({ field: target, code: 'invalid_type' })
      if (target === 'campaignCode') campaignCode = null
      else delete lead[target]
    } else if (target === 'campaignCode') campaignCode = v.value?.trim() || null
    else lead[target] = v.value
  }
  return { lead: lead as LeadInput, custom, campaignCode, issues }
}

import type { LeadInput } from '../quality/normalize/index.js'
import type { ChannelMapping } from './schema.js'

export interface MappedRecord {
  lead: LeadInput
  custom: Record<string, unknown>
  campaignCode: string | null
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

/**
 * A channel's payload → the unified lead standard (seed 003: every platform's data normalised to
 * one standard). With no mapping the payload already uses the standard names (and `custom: {}`).
 */
export function applyMapping(payload: Record<string, unknown>, mapping: ChannelMapping): MappedRecord {
  const entries = Object.keys(mapping).length
    ? Object.entries(mapping).map(
        ([target, m]) => [target, m.path ? readPath(payload, m.path) : m.value] as const,
      )
    : [
        ...Object.entries(payload).filter(([k]) => k !== 'custom'),
        ...Object.entries((payload.custom as Record<string, unknown>) ?? {}).map(
          ([k, v]) => [`custom.${k}`, v] as const,
        ),
        ...(payload.utm_campaign ? [['campaignCode', payload.utm_campaign] as const] : []),
      ]
  const lead: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  let campaignCode: string | null = null
  for (const [target, value] of entries) {
    if (value === undefined) continue
    if (target.startsWith('custom.')) custom[target.slice(7)] = value
    else if (target === 'campaignCode') campaignCode = value == null ? null : String(value).trim() || null
    else if (LEAD_FIELDS.has(target)) lead[target] = value
  }
  return { lead: lead as LeadInput, custom, campaignCode }
}

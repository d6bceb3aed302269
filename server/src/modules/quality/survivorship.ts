import type { QualitySettingsValue } from './schema.js'

/** Lead fields the data factory fills and merges (lead column names). */
export const MERGE_FIELDS = [
  'name',
  'mobile',
  'phone',
  'email',
  'company',
  'title',
  'creditCode',
  'address',
  'regionCode',
  'notes',
] as const
export type MergeField = (typeof MERGE_FIELDS)[number]
export type LeadValues = Partial<Record<MergeField, string | null>> & { custom?: Record<string, unknown> }

/**
 * Field survivorship when a record merges into a lead. An empty incoming value never erases a known
 * one. `newest`: the incoming value wins; `most_complete`: the longer value wins; `channel_priority`:
 * the incoming value wins when its channel ranks at least as high as the lead's (unlisted ranks last).
 */
export function survive(
  target: LeadValues & { channelId?: string | null },
  incoming: LeadValues,
  incomingChannelId: string | null,
  policy: QualitySettingsValue['survivorship'],
): { values: LeadValues; changed: string[] } {
  const rank = (ch: string | null | undefined) => {
    const i = ch ? policy.channelPriority.indexOf(ch) : -1
    return i === -1 ? Number.MAX_SAFE_INTEGER : i
  }
  const incomingWins = (a: string | null | undefined, b: string) => {
    if (!a) return true
    if (policy.default === 'most_complete') return b.length > a.length
    if (policy.default === 'channel_priority') return rank(incomingChannelId) <= rank(target.channelId)
    return true
  }
  const values: LeadValues = {}
  const changed: string[] = []
  for (const f of MERGE_FIELDS) {
    const next = incoming[f]
    if (next == null || next === '') continue
    if (next !== target[f] && incomingWins(target[f], next)) {
      values[f] = next
      changed.push(f)
    }
  }
  if (incoming.custom && Object.keys(incoming.custom).length) {
    const merged = { ...(target.custom ?? {}) }
    for (const [k, v] of Object.entries(incoming.custom)) {
      if (v == null || v === '') continue
      const cur = merged[k]
      const curText = cur == null ? '' : JSON.stringify(cur)
      if (JSON.stringify(v) !== curText && (cur == null || incomingWins(curText, JSON.stringify(v)))) {
        merged[k] = v
        changed.push(`custom.${k}`)
      }
    }
    if (changed.some((c) => c.startsWith('custom.'))) values.custom = merged
  }
  return { values, changed }
}

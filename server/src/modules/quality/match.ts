import { distance } from 'fastest-levenshtein'
import type { NormalizedIdentity, NormalizedLead } from './normalize/index.js'
import { nameSimilarity } from './normalize/index.js'
import type { IdentityKind, MatchCondition, MatchField } from './schema.js'
import type { DedupeRule } from './settings.service.js'

/** What matching knows of an existing (or earlier-in-the-batch) lead. */
export interface Candidate {
  leadId: string
  personId: string
  orgId: string
  channelId: string | null
  campaignId: string | null
  lastIntentAt: Date
  /** `kind|namespace|value` of every identity key of the lead's person. */
  identities: Set<string>
  nameKey: string | null
  companyKey: string | null
  regionCode: string | null
}

/** Where the incoming record comes from: rule scopes compare against it. */
export interface Origin {
  orgId: string
  channelId: string | null
  campaignId: string | null
  now: Date
}

const IDENTITY_FIELDS: Partial<Record<MatchField, IdentityKind>> = {
  mobile: 'mobile',
  phone: 'phone',
  email: 'email',
  openid: 'openid',
  unionid: 'unionid',
  deviceId: 'device',
  externalId: 'external',
  creditCode: 'credit_code',
}

export const identityKey = (kind: IdentityKind, namespace: string, value: string) =>
  `${kind}|${namespace}|${value}`

/** The exact identity keys a normalised record carries (the openid is per WeChat app, the external id per channel). */
export function identityKeysOf(
  n: NormalizedIdentity,
  channelId: string | null,
): { field: MatchField; kind: IdentityKind; namespace: string; value: string }[] {
  const out: { field: MatchField; kind: IdentityKind; namespace: string; value: string }[] = []
  for (const [field, kind] of Object.entries(IDENTITY_FIELDS) as [MatchField, IdentityKind][]) {
    const value = n[field as keyof NormalizedIdentity]
    if (typeof value !== 'string' || !value) continue
    const namespace = kind === 'openid' ? (n.wechatAppId ?? '') : kind === 'external' ? (channelId ?? '') : ''
    out.push({ field, kind, namespace, value })
  }
  return out
}

/** Similarity of two company keys (already stripped of legal forms and cities). */
export function companySimilarity(a: string, b: string): number {
  if (a === b) return 1
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 0 : 1 - distance(a, b) / longest
}

/** How well one condition holds between the record and a candidate: 0 (not at all) to 1. */
function conditionScore(
  c: MatchCondition,
  n: NormalizedLead,
  keys: Map<MatchField, string>,
  cand: Candidate,
): number {
  const kind = IDENTITY_FIELDS[c.field]
  if (kind) {
    const k = keys.get(c.field)
    return k && cand.identities.has(k) ? 1 : 0
  }
  const [mine, theirs] =
    c.field === 'name'
      ? [n.keys.name, cand.nameKey]
      : c.field === 'company'
        ? [n.keys.company, cand.companyKey]
        : [n.regionCode, cand.regionCode]
  if (!mine || !theirs) return 0
  if (c.match === 'exact') return mine === theirs ? 1 : 0
  const sim =
    c.field === 'name'
      ? nameSimilarity(mine, theirs)
      : c.field === 'company'
        ? companySimilarity(mine, theirs)
        : Number(mine === theirs)
  return sim >= (c.threshold ?? 0.85) ? sim : 0
}

function inScope(rule: DedupeRule, origin: Origin, cand: Candidate): boolean {
  const s = rule.scope
  if (s.sameOrg !== false && cand.orgId !== origin.orgId) return false
  if (s.sameChannel && cand.channelId !== origin.channelId) return false
  if (s.sameCampaign && cand.campaignId !== origin.campaignId) return false
  if (s.windowDays != null && origin.now.getTime() - cand.lastIntentAt.getTime() > s.windowDays * 86_400_000)
    return false
  return true
}

export interface Match {
  rule: DedupeRule
  candidate: Candidate
  similarity: number
}

/**
 * The first rule (by priority) that some candidate satisfies on every condition and within the
 * rule's scope; among candidates for that rule, the most similar, then the most recently active.
 */
export function findMatch(
  rules: DedupeRule[],
  n: NormalizedLead,
  origin: Origin,
  candidates: Iterable<Candidate>,
): Match | null {
  const keys = new Map(
    identityKeysOf(n, origin.channelId).map((k) => [k.field, identityKey(k.kind, k.namespace, k.value)]),
  )
  const list = [...candidates]
  for (const rule of rules) {
    if (!rule.enabled || rule.conditions.length === 0) continue
    let best: Match | null = null
    for (const cand of list) {
      if (!inScope(rule, origin, cand)) continue
      let total = 0
      for (const c of rule.conditions) {
        const s = conditionScore(c, n, keys, cand)
        if (s === 0) {
          total = 0
          break
        }
        total += s
      }
      if (total === 0) continue
      const similarity = total / rule.conditions.length
      if (
        !best ||
        similarity > best.similarity ||
        (similarity === best.similarity && cand.lastIntentAt > best.candidate.lastIntentAt)
      )
        best = { rule, candidate: cand, similarity }
    }
    if (best) return best
  }
  return null
}

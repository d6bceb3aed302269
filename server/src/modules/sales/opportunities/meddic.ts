import { MEDDIC_KEYS, type Meddic } from './schema.js'

export type MeddicKey = (typeof MEDDIC_KEYS)[number]

const TEXT_KEYS = [...MEDDIC_KEYS] as string[]
const CONTACT_KEYS = ['economicBuyerContactId', 'championContactId'] as const

/** The contact id that also fills a letter: naming the economic buyer or champion counts. */
const CONTACT_OF: Partial<Record<MeddicKey, (typeof CONTACT_KEYS)[number]>> = {
  economicBuyer: 'economicBuyerContactId',
  champion: 'championContactId',
}

const filledText = (v: unknown) => typeof v === 'string' && v.trim() !== ''

/** True when a MEDDIC letter is filled: its text, or (economic buyer, champion) a named contact. */
export function meddicFilled(m: Meddic, key: MeddicKey): boolean {
  const contact = CONTACT_OF[key]
  return filledText(m[key]) || (contact !== undefined && filledText(m[contact]))
}

/** Filled letters × 100 / 6, rounded: what `opportunities.meddic_score` keeps. */
export function meddicScore(m: Meddic): number {
  return Math.round((MEDDIC_KEYS.filter((k) => meddicFilled(m, k)).length * 100) / MEDDIC_KEYS.length)
}

/**
 * The stored MEDDIC object after a patch: keys absent from the patch keep their value, empty
 * strings and nulls clear one. Texts are trimmed; unknown keys are dropped (zod rejects them first).
 */
export function mergeMeddic(current: Meddic, patch: Meddic | undefined): Meddic {
  const out: Record<string, string> = {}
  for (const key of [...TEXT_KEYS, ...CONTACT_KEYS]) {
    const has = patch && Object.hasOwn(patch, key)
    const raw = has ? (patch as Record<string, unknown>)[key] : (current as Record<string, unknown>)[key]
    if (typeof raw === 'string' && raw.trim() !== '') out[key] = raw.trim()
  }
  return out as Meddic
}

/** The contacts a MEDDIC object names, with the field each one sits in. */
export function meddicContacts(m: Meddic): { field: string; id: string }[] {
  return CONTACT_KEYS.flatMap((k) => (m[k] ? [{ field: `meddic.${k}`, id: m[k]! }] : []))
}

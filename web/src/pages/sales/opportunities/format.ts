import type { TFunction } from 'i18next'
import { ApiError } from '../../../api/client.js'

export const pct = (r: number | null | undefined, digits = 1) =>
  r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)}%`

/** MEDDIC (seed 004): the six letters, in order. */
export const MEDDIC_KEYS = [
  'metrics',
  'economicBuyer',
  'decisionCriteria',
  'decisionProcess',
  'identifyPain',
  'champion',
] as const
export type MeddicKey = (typeof MEDDIC_KEYS)[number]
export const MEDDIC_LETTER: Record<MeddicKey, string> = {
  metrics: 'M',
  economicBuyer: 'E',
  decisionCriteria: 'D',
  decisionProcess: 'D',
  identifyPain: 'I',
  champion: 'C',
}

/** A filled letter: its text, or (buyer and champion) a named contact. */
export function meddicFilled(m: Record<string, unknown> | null | undefined, k: MeddicKey): boolean {
  const v = m?.[k]
  if (typeof v === 'string' && v.trim()) return true
  if (k === 'economicBuyer' || k === 'champion') return !!m?.[`${k}ContactId`]
  return false
}

/** The completeness score the server keeps: filled letters × 100 / 6. */
export const meddicScore = (m: Record<string, unknown> | null | undefined) =>
  Math.round((MEDDIC_KEYS.filter((k) => meddicFilled(m, k)).length * 100) / MEDDIC_KEYS.length)

/** Base fields a stage gate may require (plus `meddic.<letter>` and `custom.<key>`). */
export const GATE_FIELDS = ['amount', 'expectedCloseDate', 'contactId', 'products', 'competitors'] as const

/**
 * A stage-gate field as people read it: `meddic.champion` → "C 支持者（Champion）",
 * `custom.budget` → the custom field's label.
 */
export function gateFieldLabel(t: TFunction, field: string, customLabels: Record<string, string> = {}) {
  if (field.startsWith('meddic.')) {
    const k = field.slice(7) as MeddicKey
    return MEDDIC_LETTER[k] ? `${MEDDIC_LETTER[k]} · ${t(`opps.meddic.${k}`)}` : field
  }
  if (field.startsWith('custom.')) return customLabels[field.slice(7)] ?? field.slice(7)
  return t(`opps.gate.${field}`, { defaultValue: field })
}

/** The server's message for a failed request (already in the user's language). */
export function errText(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return e instanceof Error ? e.message : String(e)
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409
export const isStageGate = (e: unknown) => e instanceof ApiError && e.code === 'stage_gate'

/** The missing fields of a 422 stage_gate answer (field errors, or `params.fields`). */
export function missingFields(e: unknown): string[] {
  if (!(e instanceof ApiError)) return []
  return [...new Set(e.fields.map((f) => f.field))]
}

export const STATUS_COLORS: Record<string, string> = { open: 'processing', won: 'success', lost: 'error' }

/** Gross of a line in 分 (quantity may be fractional), rounded half away from zero like the server. */
const gross = (quantity: number, unitPrice: number) => Math.round(quantity * unitPrice)

/** A line's amount after its percentage discount (the server's rule, rounded once per line). */
export const lineAmount = (quantity: number, unitPrice: number, discountPct = 0) =>
  gross(quantity, unitPrice) - Math.round((gross(quantity, unitPrice) * discountPct) / 100)

/** Subtotal, discount, total and the largest discount in percent, for the live totals of an editor. */
export function lineTotals(
  lines: { quantity: number; unitPrice: number; discountPct?: number }[],
  headerPct = 0,
) {
  const subtotal = lines.reduce((n, l) => n + gross(l.quantity, l.unitPrice), 0)
  const net = lines.reduce((n, l) => n + lineAmount(l.quantity, l.unitPrice, l.discountPct), 0)
  const total = net - Math.round((net * headerPct) / 100)
  const lineMax = Math.max(0, ...lines.map((l) => l.discountPct ?? 0))
  const overall = subtotal > 0 ? Math.round(((subtotal - total) * 10000) / subtotal) / 100 : 0
  return { subtotal, discountTotal: subtotal - total, total, maxDiscountPct: Math.max(lineMax, overall) }
}

import type { TFunction } from 'i18next'
import { ApiError } from '../../api/client.js'
import type { BulkResult } from './api.js'

/** What a bulk action did: how many went through, and why the others did not. */
export interface Outcome {
  ok: number
  failed: { id: string; why: string }[]
}

/** A failure's reason: the server's message (already in the user's language). */
export function why(e: unknown): string {
  if (e instanceof ApiError) return e.message
  return e instanceof Error ? e.message : String(e)
}

/** Runs a per-lead request for each id in turn (the server has no bulk form of it). */
export async function runEach(ids: string[], fn: (id: string) => Promise<unknown>) {
  const out: Outcome = { ok: 0, failed: [] }
  for (const id of ids) {
    try {
      await fn(id)
      out.ok++
    } catch (e) {
      out.failed.push({ id, why: why(e) })
    }
  }
  return out
}

/**
 * A bulk answer as an Outcome: {results:[{id, ok, code?, message?}]} names each failure;
 * {moved: n} only counts (the rest were already there or out of reach).
 */
export function fromAnswer(t: TFunction, total: number, answer: unknown): Outcome {
  const a = (answer ?? {}) as { results?: BulkResult[]; moved?: number }
  if (!Array.isArray(a.results) && typeof a.moved === 'number')
    return {
      ok: a.moved,
      failed: Array.from({ length: Math.max(0, total - a.moved) }, () => ({
        id: '',
        why: t('pools.bulk.unchanged'),
      })),
    }
  const failed = (a.results ?? [])
    .filter((r) => !r.ok)
    .map((r) => ({
      id: r.id,
      why: r.code ? t(`pools.claim.codes.${r.code}`, { defaultValue: r.code }) : '',
    }))
  return { ok: total - failed.length, failed }
}

/** Tells the user: all done, or how many went through and the distinct reasons for the rest. */
export function report(
  t: TFunction,
  msg: { success: (s: string) => void; warning: (s: string) => void; error: (s: string) => void },
  o: Outcome,
) {
  if (!o.failed.length) return msg.success(t('pools.bulk.done', { n: o.ok }))
  const reasons = [...new Set(o.failed.map((f) => f.why).filter(Boolean))].join('；')
  if (!o.ok) return msg.error(reasons)
  msg.warning(t('pools.bulk.partly', { ok: o.ok, failed: o.failed.length, why: reasons }))
}

import { isEmptyValue } from '../../../platform/custom-fields/values.js'
import { AppError, type FieldError } from '../../../platform/http/errors.js'
import { type MeddicKey, meddicFilled } from './meddic.js'
import './messages.js'
import type { Meddic } from './schema.js'

/** What a stage gate looks at: the opportunity's fields and how many product lines and competitors it has. */
export interface GateSubject {
  amount: number
  expectedCloseDate: string | null
  contactId: string | null
  meddic: Meddic
  custom: Record<string, unknown>
  lineCount: number
  competitorCount: number
  /** Gate field names in effect (pipelines.service knownGateFields): a gate naming a custom field deleted since blocks nobody. */
  known: Set<string>
}

interface GateStage {
  id: string
  name: string
  position: number
  requiredFields: string[]
}

/** Whether one gate field ('amount', 'meddic.metrics', 'custom.budget'…) is filled. */
export function gateFieldFilled(s: GateSubject, field: string): boolean {
  if (field.startsWith('meddic.')) return meddicFilled(s.meddic, field.slice(7) as MeddicKey)
  if (field.startsWith('custom.')) return !isEmptyValue(s.custom[field.slice(7)])
  switch (field) {
    case 'amount':
      return s.amount > 0
    case 'expectedCloseDate':
      return !!s.expectedCloseDate
    case 'contactId':
      return !!s.contactId
    case 'products':
      return s.lineCount > 0
    case 'competitors':
      return s.competitorCount > 0
    default:
      return true
  }
}

/**
 * The stages whose gates a move must pass (documented decision): moving forward, the target and
 * every stage skipped over on the way (an opportunity cannot jump past a gate); moving back, the
 * target only. Entering a pipeline (create, reopen) counts as moving forward from before its first stage.
 */
export function gatesToPass<S extends GateStage>(stages: S[], fromPosition: number | null, target: S): S[] {
  if (fromPosition !== null && target.position <= fromPosition) return [target]
  const from = fromPosition ?? -1
  return stages.filter((s) => s.position > from && s.position <= target.position)
}

/**
 * Throws 422 `stage_gate` when the subject misses a field required by one of `stages`: `errors`
 * has one entry per missing field (named as in the gate, with the stage asking for it), and
 * `fields` lists them for clients that only want the names.
 */
export function checkGates(subject: GateSubject, stages: GateStage[], target: GateStage): void {
  const missing: FieldError[] = []
  const seen = new Set<string>()
  for (const stage of stages)
    for (const field of stage.requiredFields)
      if (!seen.has(field) && subject.known.has(field) && !gateFieldFilled(subject, field)) {
        seen.add(field)
        missing.push({ field, code: 'gate_field_missing', params: { stage: stage.name } })
      }
  if (missing.length)
    throw new AppError(422, 'stage_gate', { stage: target.name, count: missing.length }, missing, {
      stageId: target.id,
      fields: missing.map((m) => m.field),
    })
}

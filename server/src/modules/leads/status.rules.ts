import type { Ctx } from '../../platform/access/actor.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import './pools.messages.js'
import { closeReasonOf, getLeadSettings } from './settings.service.js'

/** Statuses in which somebody works the lead: they need an owner. */
const NEEDS_OWNER = new Set(['assigned', 'following', 'qualified', 'converted'])
export const isTerminalWithReason = (status: string) => status === 'closed' || status === 'invalid'

/**
 * Checks a lead's status change: closed/invalid need one of the workspace's close reasons for that
 * status (lead_settings.closeReasons); statuses that mean somebody works the lead need an owner.
 */
export async function checkStatus(
  ctx: Ctx,
  ownerId: unknown,
  status: string,
  closeReason: string | null | undefined,
): Promise<void> {
  const errors: FieldError[] = []
  if (isTerminalWithReason(status)) {
    if (!closeReason) errors.push({ field: 'closeReason', code: 'required' })
    else if (!closeReasonOf(await getLeadSettings(ctx), status, closeReason))
      errors.push({ field: 'closeReason', code: 'invalid_option' })
  }
  if (NEEDS_OWNER.has(status) && !ownerId) errors.push({ field: 'status', code: 'status_needs_owner' })
  if (errors.length) throw validationFailed(errors)
}

import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, validationFailed } from '../../platform/http/errors.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { type LeadInput, leadsRepo, prepareLeads } from '../leads/service.js'
import { runFactory } from '../quality/factory.service.js'
import type { IntentOutcome } from '../quality/schema.js'

/**
 * 手工录入: a lead typed in by a person goes through the data factory like every other channel, so
 * it is normalised, gets its matching keys and person, and is deduped. Contact formats are checked
 * strictly first (a person can correct a typo at once). The answer says what happened: created (or
 * created and queued for review), or merged into the existing lead, which is returned. A known
 * person whose lead the caller may not see is a 409 that names nothing, and stores nothing.
 */
export async function createLeadManually(
  ctx: Ctx,
  input: LeadInput,
): Promise<{ outcome: IntentOutcome; lead: Record<string, unknown> }> {
  return inTransaction(ctx, async (tx) => {
    // Read once: the contact check and the factory read the phone in the same region.
    const phoneRegion = await workspacePhoneRegion(tx.db, tx.actor.tenantId)
    const [v] = await prepareLeads(tx, [input], { phoneRegion })
    const [r] = await runFactory(
      tx,
      {
        channelId: null,
        campaignId: null,
        importId: null,
        unitId: v!.unitId,
        orgId: v!.orgId,
        ownerId: v!.ownerId,
        source: v!.source ?? null,
        status: v!.status,
        audit: false,
        phoneRegion,
      },
      [
        {
          lead: {
            name: v!.name,
            mobile: v!.mobile,
            email: v!.email,
            company: v!.company,
            title: v!.title,
            notes: v!.notes,
          },
          custom: v!.custom,
        },
      ],
    )
    if (r!.outcome === 'invalid') throw validationFailed(r!.issues)
    if (r!.outcome === 'duplicate') throw new AppError(409, 'duplicate_lead')
    const [lead] = await leadsRepo.findMany(tx, [r!.leadId!])
    if (!lead) throw new AppError(409, 'duplicate_lead')
    const [raw] = await leadsRepo.findMany(tx, [r!.leadId!], { raw: true })
    const created = r!.outcome === 'created' || r!.outcome === 'review'
    // Reads in the audit log like any record made by hand: a create with its values, or a merge.
    await writeAudit(tx, [
      {
        action: created ? 'create' : 'merge',
        objectType: 'lead',
        objectId: r!.leadId,
        summary: String(raw!.name),
        after: created ? raw : { intentId: r!.intentId, rule: r!.rule },
      },
    ])
    return { outcome: r!.outcome, lead }
  })
}

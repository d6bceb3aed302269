import { and, asc, count, eq, gt, isNotNull } from 'drizzle-orm'
import { systemActor } from '../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../platform/access/permissions.js'
import { newId } from '../../platform/db/columns.js'
import { registerJob } from '../../platform/jobs/queue.js'
import { leads } from '../leads/schema.js'
import { CandidateIndex } from './candidate-index.js'
import { loadCandidates } from './candidates.js'
import { findMatch, identityKey, identityKeysOf } from './match.js'
import { mergeLeads } from './merge.service.js'
import type { NormalizedLead } from './normalize/index.js'
import { dismissedPairs, openReviews } from './review.service.js'
import { reviewItems } from './schema.js'
import { loadRules } from './settings.service.js'

const BATCH = 500

type LeadRow = typeof leads.$inferSelect

/** What matching needs of a stored lead: its normalised values and keys are already columns. */
function asNormalized(l: LeadRow): NormalizedLead {
  return {
    name: l.name,
    mobile: l.mobile,
    phone: l.phone,
    email: l.email,
    company: l.company,
    title: l.title,
    creditCode: l.creditCode,
    openid: null,
    unionid: null,
    wechatAppId: null,
    deviceId: null,
    externalId: null,
    address: l.address,
    regionCode: l.regionCode,
    notes: l.notes,
    keys: {
      name: l.nameKey,
      company: l.companyKey,
      pinyinFull: l.pinyinFull,
      pinyinInitials: l.pinyinInitials,
    },
    issues: [],
  }
}

/**
 * Re-dedupe (after rules change): every lead, oldest first, against the older leads the current
 * rules match — merge rules merge the newer into the older, review rules queue the pair (unless a
 * person dismissed it before), overwrite rules close the older. Resumes from its checkpoint.
 */
registerJob({
  type: 'quality.rededupe',
  async run(job, tools) {
    const tenantId = job.tenantId!
    const ctx = { db: tools.db, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN' as const }
    const rules = await loadRules(ctx)
    const [{ total }] = (await tools.db
      .select({ total: count() })
      .from(leads)
      .where(and(eq(leads.tenantId, tenantId), isNotNull(leads.personId)))) as [{ total: number }]
    const state =
      (job.checkpoint as {
        after?: string
        done?: number
        merged?: number
        review?: number
        closed?: number
      } | null) ?? {}
    let after = state.after ?? '00000000-0000-0000-0000-000000000000'
    const counts = {
      done: state.done ?? 0,
      merged: state.merged ?? 0,
      review: state.review ?? 0,
      closed: state.closed ?? 0,
    }
    for (;;) {
      const batch = await tools.db
        .select()
        .from(leads)
        .where(and(eq(leads.tenantId, tenantId), isNotNull(leads.personId), gt(leads.id, after)))
        .orderBy(asc(leads.id))
        .limit(BATCH)
      if (!batch.length) break
      await tools.db.transaction(async (tx) => {
        const tctx = { ...ctx, db: tx, inTx: true }
        const ids = batch.map((l) => l.id)
        const dismissed = await dismissedPairs(tctx, ids)
        const reviewed = await openReviews(tctx, ids)
        const records = batch.map((lead) => ({ lead, n: asNormalized(lead) }))
        // One candidate query for the whole batch (it used to be one per lead).
        const { candidates } = await loadCandidates(
          tctx,
          records.flatMap((r) => identityKeysOf(r.n, r.lead.channelId)),
          batch.map((l) => ({ name: l.nameKey, pinyin: l.pinyinFull || null, company: l.companyKey })),
        )
        const index = new CandidateIndex(candidates)
        const candidateOf = new Map(candidates.map((c) => [c.leadId, c]))
        const gone = new Set<string>()
        const queued: (typeof reviewItems.$inferInsert)[] = []
        for (const { lead, n } of records) {
          if (gone.has(lead.id)) continue
          const keys = identityKeysOf(n, lead.channelId).map((k) => identityKey(k.kind, k.namespace, k.value))
          // Older leads only (ids are time-ordered): each pair is looked at once, the older survives.
          const older = [...index.related(keys, lead.nameKey, lead.companyKey)].filter(
            (c) => c.leadId < lead.id && !gone.has(c.leadId),
          )
          const match = findMatch(
            rules,
            n,
            {
              orgId: lead.orgId,
              channelId: lead.channelId,
              campaignId: lead.lastCampaignId,
              now: lead.lastIntentAt,
            },
            older,
          )
          if (!match) continue
          const other = match.candidate
          if (match.rule.action === 'merge') {
            await mergeLeads(tctx, other.leadId, [lead.id])
            gone.add(lead.id)
            // The merged lead's keys are its survivor's person's now: later leads with them find the survivor.
            const own = candidateOf.get(lead.id)?.identities ?? []
            for (const k of new Set([...keys, ...own])) index.addKey(other.personId, k)
            counts.merged++
          } else if (
            match.rule.action === 'review' &&
            !dismissed.has(`${lead.id}|${other.leadId}`) &&
            !reviewed.has(lead.id)
          ) {
            reviewed.add(lead.id)
            queued.push({
              tenantId,
              id: newId(),
              kind: 'duplicate',
              leadId: lead.id,
              candidateLeadId: other.leadId,
              ruleId: match.rule.id,
              ruleName: match.rule.name,
              similarity: match.similarity,
              unitId: lead.unitId,
              orgId: lead.orgId,
            })
            counts.review++
          } else if (match.rule.action === 'overwrite') {
            await tx
              .update(leads)
              .set({ status: 'closed', updatedAt: new Date() })
              .where(and(eq(leads.tenantId, tenantId), eq(leads.id, other.leadId)))
            counts.closed++
          }
        }
        if (queued.length) await tx.insert(reviewItems).values(queued)
      })
      after = batch[batch.length - 1]!.id
      counts.done += batch.length
      await tools.progress(
        total ? Math.min(99, Math.floor((counts.done / total) * 100)) : 99,
        `${counts.done}/${total}`,
        {
          after,
          ...counts,
        },
      )
      if (await tools.isCancelled()) return { cancelled: true, ...counts }
    }
    return counts
  },
})

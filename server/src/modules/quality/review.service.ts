import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { maskValue } from '../../platform/access/mask.js'
import { PII_PERMISSION } from '../../platform/access/permissions.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError } from '../../platform/http/errors.js'
import { leads } from '../leads/schema.js'
import { leadsRepo } from '../leads/service.js'
import { mergeLeads } from './merge.service.js'
import { reviewItems } from './schema.js'
import { ruleName } from './shipped-names.js'

/** The cleansing queue, scoped like leads (its unit/org columns are the lead's). */
export const reviewRepo = createRepository({
  table: reviewItems,
  objectType: 'review_item',
  scope: { unit: reviewItems.unitId, org: reviewItems.orgId },
  recycle: false,
  label: (r) => `${r.kind} ${r.leadId}`,
})

const PII_FIELDS: Record<string, 'phone' | 'email'> = { mobile: 'phone', phone: 'phone', email: 'email' }

/** Open items with both leads side by side (as the caller may see them: masked without pii.view). */
export async function listReview(ctx: Ctx, opts: { kind?: string; limit?: number; cursor?: string }) {
  const page = await reviewRepo.list(ctx, {
    where: and(
      eq(reviewItems.status, 'open'),
      opts.kind ? eq(reviewItems.kind, opts.kind as 'duplicate') : undefined,
    ),
    limit: opts.limit,
    cursor: opts.cursor,
  })
  const ids = [
    ...new Set(
      page.items.flatMap((i) => [i.leadId as string, i.candidateLeadId as string | null]).filter(Boolean),
    ),
  ] as string[]
  const visible = new Map((await leadsRepo.findMany(ctx, ids)).map((l) => [l.id as string, l]))
  // A flagged issue carries the value as received (mobile `1234`): masked like the lead's own
  // contact fields for a caller without pii.view.
  const pii = can(ctx.actor, PII_PERMISSION)
  const masked = (issues: unknown) =>
    pii || !Array.isArray(issues)
      ? issues
      : issues.map((x: { field?: string; value?: unknown }) =>
          x?.value === undefined || !PII_FIELDS[x.field ?? '']
            ? x
            : { ...x, value: maskValue(PII_FIELDS[x.field!]!, x.value) },
        )
  const lead = (id: string | null) => {
    const l = id ? visible.get(id) : undefined
    if (!l) return null
    return 'qualityIssues' in l ? { ...l, qualityIssues: masked(l.qualityIssues) } : l
  }
  return {
    items: page.items.map((i) => ({
      ...i,
      reasons: masked(i.reasons),
      // Why the pair is here: the rule that raised it (a shipped rule named in the reader's language).
      rule: i.ruleName
        ? { id: (i.ruleId as string | null) ?? null, name: ruleName(i.ruleName as string, ctx.locale) }
        : null,
      lead: lead(i.leadId as string),
      candidate: lead(i.candidateLeadId as string | null),
    })),
    nextCursor: page.nextCursor,
  }
}

export type ReviewAction = 'merge' | 'dismiss' | 'invalid'

/**
 * Resolves items in bulk: `merge` folds the newer lead into its look-alike (the older one stays),
 * `dismiss` keeps both (the pair is not raised again), `invalid` marks the lead invalid.
 */
export async function resolveReview(ctx: Ctx, ids: string[], action: ReviewAction) {
  return inTransaction(ctx, async (tx) => {
    const items = await reviewRepo.findMany(tx, ids, { forUpdate: true, raw: true })
    if (items.length !== ids.length) throw new AppError(404, 'not_found')
    let done = 0
    for (const item of items) {
      if (item.status !== 'open') continue
      if (action === 'merge') {
        if (!item.candidateLeadId) throw new AppError(409, 'review_nothing_to_merge', { id: item.id })
        const still = await leadsRepo.findMany(tx, [item.leadId as string, item.candidateLeadId as string], {
          raw: true,
        })
        if (still.length === 2) await mergeLeads(tx, item.candidateLeadId as string, [item.leadId as string])
      } else if (action === 'invalid') {
        await tx.db
          .update(leads)
          .set({ status: 'invalid', updatedAt: new Date(), version: sql`${leads.version} + 1` })
          .where(and(eq(leads.tenantId, tx.actor.tenantId), eq(leads.id, item.leadId as string)))
      }
      await tx.db
        .update(reviewItems)
        .set({
          status: action === 'merge' ? 'merged' : 'dismissed',
          resolvedBy: tx.actor.id,
          resolvedAt: new Date(),
          version: sql`${reviewItems.version} + 1`,
        })
        .where(and(eq(reviewItems.tenantId, tx.actor.tenantId), eq(reviewItems.id, item.id as string)))
      done++
    }
    await writeAudit(
      tx,
      items.map((i) => ({
        action: `review_${action}`,
        objectType: 'review_item',
        objectId: i.id as string,
        summary: `${i.kind}: ${action}`,
        before: { status: i.status },
        after: { status: action === 'merge' ? 'merged' : 'dismissed' },
      })),
    )
    return { resolved: done }
  })
}

/** Pairs a person already dismissed: re-dedupe does not raise them again. */
export async function dismissedPairs(ctx: Ctx, leadIds: string[]): Promise<Set<string>> {
  if (!leadIds.length) return new Set()
  const rows = await ctx.db
    .select({ a: reviewItems.leadId, b: reviewItems.candidateLeadId })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.tenantId, ctx.actor.tenantId),
        eq(reviewItems.status, 'dismissed'),
        inArray(reviewItems.leadId, leadIds),
      ),
    )
  return new Set(rows.map((r) => `${r.a}|${r.b}`))
}

/** Which of these leads already wait in the review queue (an open item of any kind). */
export async function openReviews(ctx: Ctx, leadIds: string[]): Promise<Set<string>> {
  if (!leadIds.length) return new Set()
  const rows = await ctx.db
    .select({ id: reviewItems.leadId })
    .from(reviewItems)
    .where(
      and(
        eq(reviewItems.tenantId, ctx.actor.tenantId),
        eq(reviewItems.status, 'open'),
        inArray(reviewItems.leadId, leadIds),
      ),
    )
  return new Set(rows.map((r) => r.id))
}

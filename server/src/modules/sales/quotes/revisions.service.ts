/**
 * Quote revisions: a quote number keeps every version that left the building. Revising copies
 * the latest revision into n+1 (a draft, validity restarted) and marks the old one superseded.
 */
import { and, asc, desc, eq } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { getSalesSettings } from '../settings.service.js'
import { addDays, workspaceToday } from './refs.js'
import { type QuoteStatus, quoteLines, quotes } from './schema.js'
import { linesOf, loadQuote, type Quote, quotesRepo } from './service.js'
import { badTransition, changeRecord } from './transition.js'

/** A draft is edited instead; an accepted quote is the deal itself. */
const REVISABLE: readonly QuoteStatus[] = ['pending_approval', 'approved', 'rejected', 'sent', 'declined']

/** Every revision of the quote's number the caller can see, oldest first. */
export async function quoteRevisions(ctx: Ctx, id: string) {
  const quote = (await quotesRepo.get(ctx, id)) as Quote
  return ctx.db
    .select()
    .from(quotes)
    .where(and(quotesRepo.visible(ctx), eq(quotes.number, quote.number)))
    .orderBy(asc(quotes.revision))
}

export async function reviseQuote(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const quote = (await quotesRepo.get(tx, id, { raw: true })) as Quote
    const [latest] = (await tx.db
      .select()
      .from(quotes)
      .where(and(quotesRepo.visible(tx), eq(quotes.number, quote.number)))
      .orderBy(desc(quotes.revision))
      .limit(1)
      .for('update')) as Quote[]
    if (!latest || !REVISABLE.includes(latest.status))
      throw badTransition('quote_transition', latest?.status ?? quote.status, 'revise')
    const settings = await getSalesSettings(tx)
    const { today } = await workspaceToday(tx)
    const { id: _id, tenantId: _t, createdAt: _c, updatedAt: _u, version: _v, ...copy } = latest
    const [next] = await quotesRepo.insert(tx, [
      {
        ...copy,
        revision: latest.revision + 1,
        status: 'draft',
        validUntil: addDays(today, settings.quoteValidDays),
        submittedBy: null,
        submittedAt: null,
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
        sentAt: null,
        createdBy: tx.actor.id,
      },
    ])
    const nextId = String(next!.id)
    const lines = await linesOf(tx, latest.id)
    if (lines.length)
      await tx.db
        .insert(quoteLines)
        .values(lines.map(({ id: _l, quoteId: _q, ...l }) => ({ ...l, quoteId: nextId })))
    await changeRecord(
      tx,
      quotesRepo,
      latest,
      { status: 'superseded' },
      'revise',
      `${latest.number} v${latest.revision + 1}`,
    )
    return loadQuote(tx, nextId)
  })
}

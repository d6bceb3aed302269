import { and, asc, eq, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository } from '../../../platform/access/data-access.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { users } from '../../../platform/org/schema.js'
import { contacts, customers } from '../customers/schema.js'
import { lineAmount, priceLines } from '../money.js'
import { nextNumber } from '../numbers.js'
import { opportunities } from '../opportunities/schema.js'
import { getSalesSettings } from '../settings.service.js'
import './messages.js'
import {
  addDays,
  checkPriceBook,
  contactOf,
  fromCatalog,
  visibleOpportunity,
  workspaceToday,
} from './refs.js'
import { type QuoteStatus, quoteLines, quotes } from './schema.js'
import { checkVersion, salesError } from './transition.js'

export const quotesRepo = createRepository({
  table: quotes,
  objectType: 'quote',
  scope: { owner: quotes.ownerId, unit: quotes.unitId, org: quotes.orgId },
  sortable: ['createdAt', 'updatedAt', 'number', 'total', 'validUntil'],
  label: (r) => `${r.number} v${r.revision} ${r.title}`,
  dependents: [{ table: quoteLines, column: quoteLines.quoteId }],
})

export type Quote = typeof quotes.$inferSelect
export type QuoteLine = typeof quoteLines.$inferSelect

export interface QuoteLineInput {
  productId?: string | null
  name?: string | null
  description?: string | null
  quantity: number
  /** Minor units; defaults from the price book entry or the product's list price. */
  unitPrice?: number | null
  discountPct?: number
}

export interface QuoteInput {
  opportunityId: string
  title: string
  contactId?: string | null
  priceBookId?: string | null
  lines: QuoteLineInput[]
  headerDiscountPct?: number
  validUntil?: string | null
  terms?: string | null
  notes?: string | null
}

/** Quotes can be changed (and deleted) only before they are submitted, or after a rejection. */
export const EDITABLE: readonly QuoteStatus[] = ['draft', 'rejected']
export const assertEditable = (q: { status: string }) => {
  if (!EDITABLE.includes(q.status as QuoteStatus)) throw salesError(409, 'quote_locked', { status: q.status })
}

/** Lines completed from the catalogue and priced; the header totals with the header discount. */
async function priceQuote(
  ctx: Ctx,
  lines: QuoteLineInput[],
  priceBookId: string | null,
  headerDiscountPct: number,
  errors: FieldError[],
) {
  const filled = await fromCatalog(ctx, lines, priceBookId, errors)
  const priced = filled.map((l, position) => ({
    position,
    productId: l.productId ?? null,
    name: l.name,
    description: l.description ?? null,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountPct: l.discountPct ?? 0,
    amount: lineAmount(l.quantity, l.unitPrice, l.discountPct ?? 0),
  }))
  return { lines: priced, totals: priceLines(priced, headerDiscountPct) }
}

async function writeLines(
  ctx: Ctx,
  quoteId: string,
  lines: Omit<QuoteLine, 'tenantId' | 'id' | 'quoteId'>[],
) {
  const t = ctx.actor.tenantId
  await ctx.db.delete(quoteLines).where(and(eq(quoteLines.tenantId, t), eq(quoteLines.quoteId, quoteId)))
  if (lines.length) await ctx.db.insert(quoteLines).values(lines.map((l) => ({ ...l, tenantId: t, quoteId })))
}

/**
 * A quote for an opportunity the caller can see: the customer and the data scope (owner, unit,
 * org) are the opportunity's, the number the workspace's next, validity the settings' default.
 */
export async function createQuote(ctx: Ctx, input: QuoteInput) {
  return inTransaction(ctx, async (tx) => {
    const opp = await visibleOpportunity(tx, input.opportunityId)
    const errors: FieldError[] = []
    await contactOf(tx, opp.customerId, input.contactId, errors)
    await checkPriceBook(tx, input.priceBookId, errors)
    const priceBookId = input.priceBookId ?? opp.priceBookId ?? null
    const { lines, totals } = await priceQuote(
      tx,
      input.lines,
      priceBookId,
      input.headerDiscountPct ?? 0,
      errors,
    )
    if (errors.length) throw validationFailed(errors)
    const settings = await getSalesSettings(tx)
    const validUntil = input.validUntil ?? addDays((await workspaceToday(tx)).today, settings.quoteValidDays)
    const [quote] = await quotesRepo.insert(tx, [
      {
        number: await nextNumber(tx, 'quote', settings.quoteNumberPrefix),
        revision: 1,
        title: input.title,
        opportunityId: opp.id,
        customerId: opp.customerId,
        contactId: input.contactId ?? opp.contactId ?? null,
        priceBookId,
        status: 'draft',
        currency: opp.currency,
        ...totals,
        headerDiscountPct: input.headerDiscountPct ?? 0,
        validUntil,
        terms: input.terms ?? null,
        notes: input.notes ?? null,
        ownerId: opp.ownerId,
        unitId: opp.unitId,
        orgId: opp.orgId,
        createdBy: tx.actor.id,
      },
    ])
    await writeLines(tx, String(quote!.id), lines)
    return loadQuote(tx, String(quote!.id))
  })
}

export type QuotePatch = Partial<Omit<QuoteInput, 'opportunityId'>> & { version: number }

/** Changes a draft or rejected quote (a rejected one goes back to draft); other states are 409 quote_locked. */
export async function updateQuote(ctx: Ctx, id: string, patch: QuotePatch) {
  return inTransaction(ctx, async (tx) => {
    const current = (await quotesRepo.get(tx, id, { raw: true, forUpdate: true })) as Quote
    checkVersion(tx, quotesRepo, current, patch.version)
    assertEditable(current)
    const { version: _v, lines: newLines, ...fields } = patch
    const errors: FieldError[] = []
    if (fields.contactId !== undefined) await contactOf(tx, current.customerId, fields.contactId, errors)
    if (fields.priceBookId !== undefined) await checkPriceBook(tx, fields.priceBookId, errors)
    const priceBookId = fields.priceBookId === undefined ? current.priceBookId : fields.priceBookId
    const header = fields.headerDiscountPct ?? current.headerDiscountPct
    const lines = newLines ?? (await linesOf(tx, id))
    const priced = await priceQuote(tx, lines, priceBookId, header, errors)
    if (errors.length) throw validationFailed(errors)
    if (newLines) await writeLines(tx, id, priced.lines)
    await quotesRepo.update(tx, id, {
      ...fields,
      ...priced.totals,
      ...(current.status === 'rejected' ? { status: 'draft' } : {}),
    })
    return loadQuote(tx, id)
  })
}

/** Deletes a draft or rejected quote (to the recycle bin). */
export async function deleteQuote(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    const current = await quotesRepo.get(tx, id, { raw: true, forUpdate: true })
    assertEditable(current as Quote)
    return quotesRepo.remove(tx, [id])
  })
}

export async function linesOf(ctx: Ctx, quoteId: string): Promise<QuoteLine[]> {
  return ctx.db
    .select()
    .from(quoteLines)
    .where(and(eq(quoteLines.tenantId, ctx.actor.tenantId), eq(quoteLines.quoteId, quoteId)))
    .orderBy(asc(quoteLines.position))
}

const submitter = alias(users, 'submitter')
const decider = alias(users, 'decider')

/**
 * One quote as the API shows it: its lines, the names around it (customer, opportunity,
 * contact, submitter, approver) and whether its discount needs approval under today's threshold.
 */
export async function loadQuote(ctx: Ctx, id: string) {
  const quote = (await quotesRepo.get(ctx, id)) as Quote
  const t = ctx.actor.tenantId
  const [names] = await ctx.db
    .select({
      customerName: customers.name,
      opportunityName: opportunities.name,
      contactName: contacts.name,
      submittedByName: submitter.name,
      decidedByName: decider.name,
    })
    .from(customers)
    .innerJoin(opportunities, and(eq(opportunities.tenantId, t), eq(opportunities.id, quote.opportunityId)))
    .leftJoin(contacts, and(eq(contacts.tenantId, t), eq(contacts.id, sql`${quote.contactId}::uuid`)))
    .leftJoin(submitter, and(eq(submitter.tenantId, t), eq(submitter.id, sql`${quote.submittedBy}::uuid`)))
    .leftJoin(decider, and(eq(decider.tenantId, t), eq(decider.id, sql`${quote.decidedBy}::uuid`)))
    .where(and(eq(customers.tenantId, t), eq(customers.id, quote.customerId)))
  const { quoteApprovalDiscountPct } = await getSalesSettings(ctx)
  return {
    ...quote,
    customerName: names?.customerName ?? null,
    opportunityName: names?.opportunityName ?? null,
    contactName: names?.contactName ?? null,
    submittedByName: names?.submittedByName ?? null,
    decidedByName: names?.decidedByName ?? null,
    needsApproval: quote.maxDiscountPct > quoteApprovalDiscountPct,
    approvalThresholdPct: quoteApprovalDiscountPct,
    lines: await linesOf(ctx, id),
  }
}
export type QuoteDetail = Awaited<ReturnType<typeof loadQuote>>

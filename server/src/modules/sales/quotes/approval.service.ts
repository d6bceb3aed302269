/**
 * The quote's way to the customer: draft → submit → approved (at once when the largest discount
 * is within the workspace threshold) or pending_approval → approved / rejected → sent →
 * accepted / declined. Every step is audited under its own action.
 */
import { sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { loadUserActor } from '../../../platform/access/load-actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError } from '../../../platform/http/errors.js'
import { LOCALES, type Locale, translate } from '../../../platform/i18n/messages.js'
import { notify } from '../../../platform/notifications/service.js'
import { opportunitiesRepo } from '../opportunities/service.js'
import { getSalesSettings } from '../settings.service.js'
import { formatYuan } from './format.js'
import { visibleOpportunity, workspaceToday } from './refs.js'
import type { QuoteStatus } from './schema.js'
import { linesOf, loadQuote, type Quote, quotesRepo } from './service.js'
import { badTransition, changeRecord, checkVersion, salesError } from './transition.js'

export type QuoteAction = 'submit' | 'approve' | 'reject' | 'send' | 'accept' | 'decline'

/** The states each action starts from. */
const FROM: Record<QuoteAction, readonly QuoteStatus[]> = {
  submit: ['draft', 'rejected'],
  approve: ['pending_approval'],
  reject: ['pending_approval'],
  send: ['approved'],
  accept: ['sent'],
  decline: ['sent'],
}

export interface QuoteStep {
  version?: number
  comment?: string | null
}

/** Locks the quote and checks its version and that `action` may start from its state. */
async function begin(ctx: Ctx, id: string, action: QuoteAction, step: QuoteStep): Promise<Quote> {
  const quote = (await quotesRepo.get(ctx, id, { raw: true, forUpdate: true })) as Quote
  checkVersion(ctx, quotesRepo, quote, step.version)
  if (!FROM[action].includes(quote.status)) throw badTransition('quote_transition', quote.status, action)
  return quote
}

/**
 * Submits a draft (or a rejected quote again): approved at once when its largest discount is at
 * or below the threshold, otherwise pending_approval with a notification to its approvers.
 */
export async function submitQuote(ctx: Ctx, id: string, step: QuoteStep = {}) {
  return inTransaction(ctx, async (tx) => {
    const quote = await begin(tx, id, 'submit', step)
    if ((await linesOf(tx, id)).length === 0)
      throw new AppError(422, 'quote_empty', {}, [{ field: 'lines', code: 'required' }])
    const { quoteApprovalDiscountPct: threshold } = await getSalesSettings(tx)
    const now = new Date()
    const auto = quote.maxDiscountPct <= threshold
    const after = await changeRecord(
      tx,
      quotesRepo,
      quote,
      {
        status: auto ? 'approved' : 'pending_approval',
        submittedBy: tx.actor.id,
        submittedAt: now,
        decidedBy: null,
        decidedAt: auto ? now : null,
        decisionComment: null,
      },
      'submit',
    )
    if (!auto) await notifyApprovers(tx, after as Quote, threshold)
    return loadQuote(tx, id)
  })
}

/** Approves or rejects a pending quote (quotes.approve): never the person who submitted it. */
export async function decideQuote(
  ctx: Ctx,
  id: string,
  decision: 'approve' | 'reject',
  step: QuoteStep = {},
) {
  return inTransaction(ctx, async (tx) => {
    const quote = await begin(tx, id, decision, step)
    if (quote.submittedBy && quote.submittedBy === tx.actor.id) throw new AppError(403, 'quote_self_approval')
    const after = (await changeRecord(
      tx,
      quotesRepo,
      quote,
      {
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: tx.actor.id,
        decidedAt: new Date(),
        decisionComment: step.comment ?? null,
      },
      decision,
    )) as Quote
    await notifyDecision(tx, after)
    return loadQuote(tx, id)
  })
}

/** Marks an approved quote sent to the customer; an expired one must be revised first. */
export async function sendQuote(ctx: Ctx, id: string, step: QuoteStep = {}) {
  return inTransaction(ctx, async (tx) => {
    const quote = await begin(tx, id, 'send', step)
    const { today } = await workspaceToday(tx)
    if (quote.validUntil && quote.validUntil < today)
      throw salesError(409, 'quote_expired', { validUntil: quote.validUntil })
    await changeRecord(tx, quotesRepo, quote, { status: 'sent', sentAt: new Date() }, 'send')
    return loadQuote(tx, id)
  })
}

/**
 * Records the customer's answer. Accepting also sets the opportunity's amount to the quote's
 * total (unless the opportunity was lost): what the customer agreed to is the deal's value.
 */
export async function answerQuote(ctx: Ctx, id: string, answer: 'accept' | 'decline', step: QuoteStep = {}) {
  return inTransaction(ctx, async (tx) => {
    const quote = await begin(tx, id, answer, step)
    await changeRecord(
      tx,
      quotesRepo,
      quote,
      {
        status: answer === 'accept' ? 'accepted' : 'declined',
        decisionComment: step.comment ?? quote.decisionComment,
      },
      answer,
    )
    if (answer === 'accept') await takeAmount(tx, quote)
    return loadQuote(tx, id)
  })
}

async function takeAmount(ctx: Ctx, quote: Quote) {
  const opp = await visibleOpportunity(ctx, quote.opportunityId, true)
  if (opp.status !== 'lost' && opp.amount !== quote.total)
    await opportunitiesRepo.update(ctx, opp.id, { amount: quote.total })
}

interface Recipient {
  id: string
  locale: Locale
}
const lang = (l: string | null | undefined): Locale =>
  (LOCALES as readonly string[]).includes(l ?? '') ? (l as Locale) : 'zh-CN'

/**
 * Who approves a quote: the owner's manager, and everyone holding quotes.approve whose data
 * scope covers the quote (checked through the quote repository with that person's actor).
 * Never the submitter.
 */
export async function approversOf(ctx: Ctx, quote: Quote): Promise<Recipient[]> {
  const t = ctx.actor.tenantId
  const { rows } = await ctx.db.execute<{ id: string; locale: string | null; manager: boolean }>(sql`
    select u.id, u.locale, bool_or(u.id = o.manager_id) as manager
    from users u
    left join users o on o.tenant_id = u.tenant_id and o.id = ${quote.ownerId}::uuid
    where u.tenant_id = ${t} and u.status = 'active'
      and (u.id = o.manager_id or exists (
        select 1 from user_roles ur join roles r on r.tenant_id = ur.tenant_id and r.id = ur.role_id
        where ur.tenant_id = u.tenant_id and ur.user_id = u.id and r.permissions ? 'quotes.approve'))
    group by u.id, u.locale`)
  const out: Recipient[] = []
  for (const r of rows) {
    if (r.id === quote.submittedBy) continue
    const actor = r.manager ? null : await loadUserActor(ctx.db, t, r.id)
    if (actor && (await quotesRepo.findMany({ ...ctx, actor }, [quote.id])).length === 0) continue
    out.push({ id: r.id, locale: lang(r.locale) })
  }
  return out
}

async function notifyApprovers(ctx: Ctx, quote: Quote, threshold: number) {
  const to = await approversOf(ctx, quote)
  await notify(
    ctx,
    to.map((u) => ({
      userId: u.id,
      kind: 'quote_approval',
      title: translate('notify_quote_approval_title', u.locale, quote),
      body: translate('notify_quote_approval_body', u.locale, {
        submitter: ctx.actor.name,
        discount: quote.maxDiscountPct,
        threshold,
        total: formatYuan(quote.total),
      }),
      link: `/sales/quotes/${quote.id}`,
      subjectType: 'quote',
      subjectId: quote.id,
      dedupeKey: `quote_approval:${quote.id}:${new Date(quote.submittedAt!).getTime()}`,
    })),
  )
}

/** Tells the submitter (and the owner, when someone else) how their quote was decided. */
async function notifyDecision(ctx: Ctx, quote: Quote) {
  const ids = [...new Set([quote.submittedBy, quote.ownerId].filter((x): x is string => !!x))]
  if (!ids.length) return
  const { rows } = await ctx.db.execute<{ id: string; locale: string | null }>(sql`
    select id, locale from users where tenant_id = ${ctx.actor.tenantId} and status = 'active'
      and id = any(${`{${ids.join(',')}}`}::uuid[])`)
  const title = quote.status === 'approved' ? 'notify_quote_approved_title' : 'notify_quote_rejected_title'
  await notify(
    ctx,
    rows.map((u) => ({
      userId: u.id,
      kind: `quote_${quote.status}`,
      title: translate(title, lang(u.locale), quote),
      body: quote.decisionComment,
      link: `/sales/quotes/${quote.id}`,
      subjectType: 'quote',
      subjectId: quote.id,
      dedupeKey: `quote_decision:${quote.id}:${new Date(quote.decidedAt!).getTime()}`,
    })),
  )
}

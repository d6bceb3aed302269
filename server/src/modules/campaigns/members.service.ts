import { and, count, desc, eq, inArray, min, notExists, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../platform/access/actor.js'
import { decodeCursor, encodeCursor, isUuid } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { validationFailed } from '../../platform/http/errors.js'
import { leads } from '../leads/schema.js'
import { leadsRepo } from '../leads/service.js'
import { leadIntents } from '../quality/schema.js'

/**
 * A response time to the microsecond, as text. A JS Date keeps milliseconds only, and the intents
 * of one transaction (an import, a channel batch) share one `now()`: a millisecond cursor would
 * skip the rest of them on the next page.
 */
const exactTime = sql<string>`to_char(${leadIntents.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
const EXACT_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{1,6}Z$/

/** The page's start from a cursor: after (time, intent id); 400 naming `cursor` when it is not ours. */
function after(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined
  const [at, id] = decodeCursor(cursor)
  const time = typeof at === 'string' ? EXACT_TIME.exec(at) : null
  // The date must exist too (no 30 February), or the database would refuse it with a 500.
  const valid =
    time &&
    !Number.isNaN(Date.parse(at as string)) &&
    new Date(at as string).toISOString().startsWith(time[1]!)
  if (!valid || typeof id !== 'string' || !isUuid(id))
    throw validationFailed([{ field: 'cursor', code: 'invalid_cursor' }])
  return sql`(${leadIntents.receivedAt}, ${leadIntents.id}) < (${at}::timestamptz, ${id}::uuid)`
}

const newer = alias(leadIntents, 'newer')

/**
 * 活动成员: the leads a campaign brought or touched, latest response first, with how often and when
 * they responded and whether the campaign was their first touch.
 *
 * A page walks the campaign's responses newest first (`lead_intents_campaign_time_idx`) and shows a
 * lead at its newest one: a response is skipped when the same lead has a newer one in the campaign
 * (one probe of `lead_intents_campaign_lead_idx`). Leads outside the caller's scope are skipped in
 * the same walk, so pages stay full. The cursor is the last response's (time, id), so a page costs
 * its own rows at any depth, and a lead that responds again while someone pages moves to the top
 * rather than showing twice.
 */
export async function campaignMembers(
  ctx: Ctx,
  campaignId: string,
  opts: { limit?: number; cursor?: string },
) {
  const limit = Math.min(opts.limit ?? 50, 200)
  const tenantId = ctx.actor.tenantId
  const start = after(opts.cursor)
  return inTransaction(ctx, async (tx) => {
    // A narrow scope skips most responses. Parallel workers would each race through their part of
    // the index ahead of the ordered merge (a salesperson's first page read 69,000 of 200,000
    // responses for 5,000 needed): one process reads only as far as the page needs.
    await tx.db.execute(sql`set local max_parallel_workers_per_gather = 0`)
    const rows = await tx.db
      .select({
        intentId: leadIntents.id,
        at: exactTime,
        lastAt: leadIntents.receivedAt,
        leadId: leads.id,
        name: leads.name,
        company: leads.company,
        status: leads.status,
        grade: leads.grade,
        ownerId: leads.ownerId,
        firstTouch: sql<boolean>`coalesce(${leads.firstCampaignId} = ${campaignId}, false)`,
      })
      .from(leadIntents)
      .innerJoin(leads, and(eq(leads.tenantId, leadIntents.tenantId), eq(leads.id, leadIntents.leadId)))
      .where(
        and(
          leadsRepo.visible(tx),
          eq(leadIntents.tenantId, tenantId),
          eq(leadIntents.campaignId, campaignId),
          start,
          notExists(
            tx.db
              .select({ one: sql`1` })
              .from(newer)
              .where(
                and(
                  eq(newer.tenantId, tenantId),
                  eq(newer.campaignId, campaignId),
                  eq(newer.leadId, leadIntents.leadId),
                  sql`(${newer.receivedAt}, ${newer.id}) > (${leadIntents.receivedAt}, ${leadIntents.id})`,
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(leadIntents.receivedAt), desc(leadIntents.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    const counts = new Map(
      (page.length
        ? await tx.db
            .select({ leadId: leadIntents.leadId, intents: count(), firstAt: min(leadIntents.receivedAt) })
            .from(leadIntents)
            .where(
              and(
                eq(leadIntents.tenantId, tenantId),
                eq(leadIntents.campaignId, campaignId),
                inArray(
                  leadIntents.leadId,
                  page.map((r) => r.leadId),
                ),
              ),
            )
            .groupBy(leadIntents.leadId)
        : []
      ).map((c) => [c.leadId, c]),
    )
    const items = page.map(({ intentId: _, at: __, ...r }) => {
      const c = counts.get(r.leadId)
      return {
        ...r,
        firstTouch: r.firstTouch === true,
        intents: c?.intents ?? 1,
        firstAt: c?.firstAt ? new Date(c.firstAt) : r.lastAt,
        lastAt: new Date(r.lastAt),
      }
    })
    const tail = page[page.length - 1]
    return { items, nextCursor: rows.length > limit && tail ? encodeCursor([tail.at, tail.intentId]) : null }
  })
}

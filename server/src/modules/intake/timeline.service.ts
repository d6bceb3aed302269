import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { leadsRepo } from '../leads/service.js'

export interface TimelineItem {
  kind: 'intent' | 'merge' | 'event'
  id: string
  at: string
  type: string
  channelId: string | null
  data: Record<string, unknown>
}

const iso = (v: unknown) => new Date(v as string).toISOString()

/**
 * What happened to a lead and its person, newest first: every intent (each arrival, and what the
 * factory did), every merge into it, and the person's behaviour events. The lead must be visible to
 * the caller (404 otherwise); intents and merges of other leads of the same person are not shown.
 */
export async function leadTimeline(ctx: Ctx, leadId: string, q: { before?: string; limit: number }) {
  const lead = await leadsRepo.get(ctx, leadId, { raw: true })
  const t = ctx.actor.tenantId
  const personId = (lead.personId as string | null) ?? null
  const before = q.before ? new Date(q.before) : new Date(Date.now() + 60_000)
  const res = await ctx.db.execute<Record<string, unknown>>(sql`
    (select 'intent' as kind, id, received_at as at, outcome as type, channel_id, jsonb_build_object(
        'outcome', outcome, 'campaignId', campaign_id, 'importId', import_id, 'issues', issues, 'payload', payload) as data
       from lead_intents where tenant_id = ${t} and lead_id = ${leadId} and received_at < ${before}
       order by received_at desc limit ${q.limit})
    union all
    (select 'merge', id, merged_at, case when source_lead_id is null then 'intent' else 'lead' end, null,
        jsonb_build_object('changed', changed, 'sourceLeadId', source_lead_id, 'undoneAt', undone_at)
       from lead_merges where tenant_id = ${t} and target_lead_id = ${leadId} and merged_at < ${before}
       order by merged_at desc limit ${q.limit})
    union all
    (select 'event', id, occurred_at, type, channel_id, properties
       from behaviour_events where tenant_id = ${t} and person_id = ${personId} and occurred_at < ${before}
       order by occurred_at desc limit ${q.limit})
    order by at desc limit ${q.limit}`)
  const [summary] = (
    await ctx.db.execute<{ first: unknown; last: unknown; counts: Record<string, number> | null }>(sql`
      select p.first_seen_at as first, p.last_seen_at as last,
        (select jsonb_object_agg(type, n) from (select type, count(*)::int as n from behaviour_events
           where tenant_id = ${t} and person_id = ${personId} group by type) c) as counts
      from persons p where p.tenant_id = ${t} and p.id = ${personId}`)
  ).rows
  return {
    personId,
    items: res.rows.map((r) => ({
      kind: r.kind as TimelineItem['kind'],
      id: String(r.id),
      at: iso(r.at),
      type: String(r.type),
      channelId: (r.channel_id as string | null) ?? null,
      data: (r.data as Record<string, unknown>) ?? {},
    })),
    summary: {
      firstSeenAt: summary?.first ? iso(summary.first) : null,
      lastSeenAt: summary?.last ? iso(summary.last) : null,
      eventCounts: summary?.counts ?? {},
      intentCount: Number(lead.intentCount ?? 1),
    },
  }
}

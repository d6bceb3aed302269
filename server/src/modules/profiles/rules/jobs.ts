import { sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import { registerConsumer, type StoredEvent } from '../../../platform/events/outbox.js'
import { registerSchedule } from '../../../platform/jobs/cron.js'
import { registerJob } from '../../../platform/jobs/queue.js'
import { sqlArray } from '../../quality/bulk.js'
import { runAllTagRules, runTagRule } from './autotag.service.js'
import { drainChanges, markChanged } from './changes.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const uuids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter(
    (x): x is string => typeof x === 'string' && UUID.test(x),
  )

async function personsOf(
  ctx: Ctx,
  table: 'leads' | 'customers' | 'orders',
  ids: string[],
): Promise<string[]> {
  if (!ids.length) return []
  const res = await ctx.db.execute<{ person_id: string }>(
    sql`select distinct person_id from ${sql.identifier(table)}
      where tenant_id = ${ctx.actor.tenantId} and id = any(${sqlArray(ids, 'uuid')}) and person_id is not null`,
  )
  return res.rows.map((r) => r.person_id)
}

/** The persons an event is about (payload shapes of the publishers: leads, orders, intake). */
export async function personsOfEvent(
  ctx: Ctx,
  event: Pick<StoredEvent, 'type' | 'payload'>,
): Promise<string[]> {
  const p = event.payload
  switch (event.type) {
    case 'behaviour.recorded':
      return uuids(p.personIds)
    case 'lead.created':
    case 'lead.merged':
    case 'lead.unmerged': {
      const out = await personsOf(ctx, 'leads', [...uuids(p.leadIds), ...uuids(p.restoredId)])
      // Absorbed leads are gone: their persons (now merged away) leave tags and segments.
      const sources = uuids(p.sourceIds)
      if (sources.length) {
        const res = await ctx.db.execute<{ person_id: string | null }>(sql`
          select distinct source_before -> 'row' ->> 'person_id' as person_id from lead_merges
          where tenant_id = ${ctx.actor.tenantId} and source_lead_id = any(${sqlArray(sources, 'uuid')})`)
        out.push(...uuids(res.rows.map((r) => r.person_id)))
      }
      return out
    }
    case 'lead.updated':
      return personsOf(ctx, 'leads', uuids(p.leadIds))
    case 'customer.updated':
      return personsOf(ctx, 'customers', uuids(p.customerIds))
    case 'lead.converted':
      return [...uuids(p.personId), ...(await personsOf(ctx, 'customers', uuids(p.customerId)))]
    case 'order.confirmed':
    case 'order.completed':
    case 'order.refunded':
    case 'order.cancelled':
      // The order's person and the customer's (customer.orderTotal and friends changed too).
      return [
        ...uuids(p.personId),
        ...(await personsOf(ctx, 'orders', uuids(p.orderId))),
        ...(await personsOf(ctx, 'customers', uuids(p.customerId))),
      ]
    default:
      return []
  }
}

/**
 * Whatever a condition reads changed for these persons: mark them, the changes job re-evaluates
 * their automatic tags and segments within a minute. Idempotent (a mark is an upsert).
 */
registerConsumer({
  name: 'profiles.changes',
  eventTypes: [
    'lead.created',
    'lead.merged',
    'lead.unmerged',
    'lead.converted',
    'lead.updated',
    'customer.updated',
    'order.confirmed',
    'order.completed',
    'order.refunded',
    'order.cancelled',
    'behaviour.recorded',
  ],
  async handle(ctx, event) {
    const ids = await personsOfEvent(ctx, event)
    if (ids.length) await markChanged(ctx, ctx.actor.tenantId, ids)
  },
})

/** Drains profile_changes: incremental rules and segments for the persons that changed. */
registerJob({
  type: 'profiles.changes',
  async run(job, tools) {
    return drainChanges(tools.db, job.tenantId!)
  },
})

registerSchedule({
  name: 'profiles-changes-minutely',
  pattern: '20 * * * * *',
  perTenant: true,
  jobType: 'profiles.changes',
})

/** Automatic tags in full: one tag (payload.tagId, after its rule was saved) or every enabled rule (hourly). */
registerJob({
  type: 'profiles.autotag',
  async run(job, tools) {
    const ctx: Ctx = { db: tools.db, actor: systemActor(job.tenantId!, ALL_PERMISSIONS), locale: 'zh-CN' }
    const tagId = (job.payload as { tagId?: unknown }).tagId
    if (typeof tagId === 'string' && UUID.test(tagId))
      return { tagId, ...(await runTagRule(ctx, tagId, { enabledOnly: true })) }
    return runAllTagRules(ctx)
  },
})

registerSchedule({
  name: 'profiles-autotag-hourly',
  pattern: '0 10 * * * *',
  perTenant: true,
  jobType: 'profiles.autotag',
})

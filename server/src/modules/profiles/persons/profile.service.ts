import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { isUuid, scopeCondition } from '../../../platform/access/data-access.js'
import { maskValue } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { notFound } from '../../../platform/http/errors.js'
import { tenants } from '../../../platform/tenancy/schema.js'
import { behaviourEvents, channels } from '../../intake/schema.js'
import { leads } from '../../leads/schema.js'
import { leadsRepo } from '../../leads/service.js'
import { leadIntents, personIdentities, persons } from '../../quality/schema.js'
import { customersRepo } from '../../sales/customers/repo.js'
import { customers } from '../../sales/customers/schema.js'
import { orders } from '../../sales/orders/schema.js'
import { ordersRepo } from '../../sales/orders/service.js'
import { segmentMembers, segments } from '../schema.js'
import { regionNameOf as regionName } from '../segments/members.service.js'
import { personTagsOf, type TagView } from '../tags/tagging.service.js'
import { COUNTED_ORDER_STATUSES } from './directory.service.js'
import { asDate } from './present.js'
import { personScope } from './scope.js'

const RECENT_ORDERS = 10
const LIST_LIMIT = 100
const DAYS = 30
const COUNTED = sql.raw(`(${COUNTED_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`)

export interface Profile {
  person: {
    id: string
    name: string | null
    company: string | null
    kind: string
    regionCode: string | null
    regionName: string | null
    firstSeenAt: Date
    lastSeenAt: Date
  }
  identities: { kind: string; namespace: string; value: string }[]
  tags: TagView[]
  scores: { leadId: string; name: string; score: number; grade: string | null; status: string }[]
  channels: { channelId: string | null; name: string | null; intents: number; firstAt: Date; lastAt: Date }[]
  behaviour: {
    firstSeenAt: Date | null
    lastSeenAt: Date | null
    total: number
    counts: { type: string; count: number; lastAt: Date }[]
    last30Days: { date: string; count: number }[]
  }
  orders: {
    count: number
    total: number
    lifetimeValue: number
    averageValue: number | null
    firstOrderAt: Date | null
    lastOrderAt: Date | null
    recent: { id: string; number: string; status: string; total: number; orderedAt: Date }[]
  }
  customers: { id: string; name: string; customerGroup: string | null; level: string | null }[]
  leads: { id: string; name: string; status: string }[]
  segments: { id: string; name: string }[]
}

/** The person if it exists in the workspace, is not merged away and the caller sees it; 404 otherwise. */
async function visiblePerson(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound()
  const t = ctx.actor.tenantId
  const [row] = await ctx.db
    .select({
      id: persons.id,
      name: persons.name,
      company: persons.company,
      kind: persons.kind,
      regionCode: persons.regionCode,
      firstSeenAt: persons.firstSeenAt,
      lastSeenAt: persons.lastSeenAt,
    })
    .from(persons)
    .where(
      and(
        eq(persons.tenantId, t),
        eq(persons.id, id),
        sql`${persons.mergedIntoId} is null`,
        personScope(ctx, sql`${id}::uuid`),
      ),
    )
  if (!row) throw notFound()
  return row
}

const num = (v: unknown) => Number(v ?? 0)

/**
 * The profile (画像) of one person the caller sees: identities (phones and emails masked without
 * pii.view), tags, the leads' scores, channels and intents, a behaviour summary, orders and lifetime
 * value, customers, leads and segments.
 *
 * The figures (intents, behaviour, order count, total, lifetime value) describe the whole person, as
 * automatic tags and segments read it; the records listed (leads, customers, recent orders) are those
 * in the caller's data scope. One lookup of the person, then a fixed set of statements in parallel,
 * each by the person's indexed key with a LIMIT.
 */
export async function personProfile(ctx: Ctx, id: string): Promise<Profile> {
  const person = await visiblePerson(ctx, id)
  const t = ctx.actor.tenantId
  const pii = can(ctx.actor, PII_PERMISSION)
  const [
    identities,
    tagMap,
    leadRows,
    channelRows,
    eventRows,
    days,
    orderAgg,
    recent,
    customerRows,
    segmentRows,
  ] = await Promise.all([
    ctx.db
      .select({
        kind: personIdentities.kind,
        namespace: personIdentities.namespace,
        value: personIdentities.value,
      })
      .from(personIdentities)
      .where(and(eq(personIdentities.tenantId, t), eq(personIdentities.personId, id)))
      .orderBy(asc(personIdentities.kind), asc(personIdentities.createdAt), asc(personIdentities.value))
      .limit(LIST_LIMIT),
    personTagsOf(ctx, [id]),
    ctx.db
      .select({
        id: leads.id,
        name: leads.name,
        score: leads.score,
        grade: leads.grade,
        status: leads.status,
      })
      .from(leads)
      .where(and(eq(leads.tenantId, t), eq(leads.personId, id), scopeCondition(ctx, leadsRepo.config.scope)))
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(LIST_LIMIT),
    ctx.db
      .select({
        channelId: leadIntents.channelId,
        name: channels.name,
        intents: sql<number>`count(*)::int`,
        firstAt: sql<Date>`min(${leadIntents.receivedAt})`,
        lastAt: sql<Date>`max(${leadIntents.receivedAt})`,
      })
      .from(leadIntents)
      .leftJoin(
        channels,
        and(eq(channels.tenantId, leadIntents.tenantId), eq(channels.id, leadIntents.channelId)),
      )
      .where(and(eq(leadIntents.tenantId, t), eq(leadIntents.personId, id)))
      .groupBy(leadIntents.channelId, channels.name)
      .orderBy(desc(sql`max(${leadIntents.receivedAt})`)),
    ctx.db
      .select({
        type: behaviourEvents.type,
        count: sql<number>`count(*)::int`,
        firstAt: sql<Date>`min(${behaviourEvents.occurredAt})`,
        lastAt: sql<Date>`max(${behaviourEvents.occurredAt})`,
      })
      .from(behaviourEvents)
      .where(and(eq(behaviourEvents.tenantId, t), eq(behaviourEvents.personId, id)))
      .groupBy(behaviourEvents.type)
      .orderBy(desc(sql`count(*)`), asc(behaviourEvents.type)),
    // The last 30 days in the workspace's time zone, today last, days without events as 0.
    ctx.db.execute<{ date: string; count: number }>(sql`
        with tz as (select coalesce((select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${t}),
          'Asia/Shanghai') as zone),
        day as (select (now() at time zone tz.zone)::date - g as d from tz, generate_series(0, ${DAYS - 1}) g),
        n as (select (e.occurred_at at time zone tz.zone)::date as d, count(*)::int as count
          from ${behaviourEvents} e, tz
          where e.tenant_id = ${t} and e.person_id = ${id}
            and e.occurred_at >= now() - make_interval(days => ${DAYS + 1})
          group by 1)
        select to_char(day.d, 'YYYY-MM-DD') as date, coalesce(n.count, 0)::int as count
        from day left join n on n.d = day.d order by day.d`),
    ctx.db
      .select({
        count: sql<number>`count(*)::int`,
        total: sql<string>`coalesce(sum(${orders.total}), 0)`,
        net: sql<string>`coalesce(sum(${orders.total} - ${orders.refundedTotal}), 0)`,
        firstAt: sql<Date | null>`min(${orders.orderedAt})`,
        lastAt: sql<Date | null>`max(${orders.orderedAt})`,
      })
      .from(orders)
      .where(and(eq(orders.tenantId, t), eq(orders.personId, id), sql`${orders.status} in ${COUNTED}`)),
    ctx.db
      .select({
        id: orders.id,
        number: orders.number,
        status: orders.status,
        total: orders.total,
        orderedAt: orders.orderedAt,
      })
      .from(orders)
      .where(
        and(eq(orders.tenantId, t), eq(orders.personId, id), scopeCondition(ctx, ordersRepo.config.scope)),
      )
      .orderBy(desc(orders.orderedAt), desc(orders.id))
      .limit(RECENT_ORDERS),
    ctx.db
      .select({
        id: customers.id,
        name: customers.name,
        customerGroup: customers.customerGroup,
        level: customers.level,
      })
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, t),
          eq(customers.personId, id),
          scopeCondition(ctx, customersRepo.config.scope),
        ),
      )
      .orderBy(asc(customers.name))
      .limit(LIST_LIMIT),
    ctx.db
      .select({ id: segments.id, name: segments.name })
      .from(segmentMembers)
      .innerJoin(
        segments,
        and(eq(segments.tenantId, segmentMembers.tenantId), eq(segments.id, segmentMembers.segmentId)),
      )
      .where(and(eq(segmentMembers.tenantId, t), eq(segmentMembers.personId, id)))
      .orderBy(asc(segments.name))
      .limit(LIST_LIMIT),
  ])

  const agg = orderAgg[0]
  const count = num(agg?.count)
  const net = num(agg?.net)
  const firstEvent = eventRows.reduce<Date | null>((m, r) => {
    const d = asDate(r.firstAt)!
    return !m || d < m ? d : m
  }, null)
  const lastEvent = eventRows.reduce<Date | null>((m, r) => {
    const d = asDate(r.lastAt)!
    return !m || d > m ? d : m
  }, null)
  return {
    person: { ...person, regionName: regionName(person.regionCode) },
    identities: identities.map((i) => ({
      ...i,
      value:
        pii || !['mobile', 'phone', 'email'].includes(i.kind)
          ? i.value
          : (maskValue(i.kind === 'email' ? 'email' : 'phone', i.value) as string),
    })),
    tags: tagMap.get(id) ?? [],
    scores: leadRows.map((l) => ({
      leadId: l.id,
      name: l.name,
      score: l.score,
      grade: l.grade,
      status: l.status,
    })),
    channels: channelRows.map((c) => ({
      channelId: c.channelId,
      name: c.name,
      intents: num(c.intents),
      firstAt: asDate(c.firstAt)!,
      lastAt: asDate(c.lastAt)!,
    })),
    behaviour: {
      firstSeenAt: firstEvent,
      lastSeenAt: lastEvent,
      total: eventRows.reduce((s, r) => s + num(r.count), 0),
      counts: eventRows.map((r) => ({ type: r.type, count: num(r.count), lastAt: asDate(r.lastAt)! })),
      last30Days: days.rows.map((d) => ({ date: d.date, count: num(d.count) })),
    },
    orders: {
      count,
      total: num(agg?.total),
      lifetimeValue: net,
      averageValue: count ? Math.round(net / count) : null,
      firstOrderAt: asDate(agg?.firstAt),
      lastOrderAt: asDate(agg?.lastAt),
      recent: recent.map((o) => ({ ...o, total: num(o.total) })),
    },
    customers: customerRows,
    leads: leadRows.map((l) => ({ id: l.id, name: l.name, status: l.status })),
    segments: segmentRows,
  }
}

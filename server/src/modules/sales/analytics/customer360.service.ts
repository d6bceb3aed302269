import { and, asc, desc, eq, getTableColumns, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { isUuid, scopeCondition } from '../../../platform/access/data-access.js'
import { maskValue, type PiiKind } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { notFound } from '../../../platform/http/errors.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { campaigns } from '../../campaigns/schema.js'
import { channels } from '../../intake/schema.js'
import { followUpsRepo } from '../../leads/followups.service.js'
import { personTagsOf } from '../../profiles/tags/tagging.service.js'
import { contactsRepo, customersRepo } from '../customers/repo.js'
import { contacts, customers } from '../customers/schema.js'
import { opportunities, pipelineStages, pipelines } from '../opportunities/schema.js'
import { orders } from '../orders/schema.js'
import { quotes } from '../quotes/schema.js'
import { tasks } from '../tasks/schema.js'
import { taskVisibility } from '../tasks/service.js'
import { inScope, SALES_SCOPES } from '../tasks/subjects.js'

/**
 * Customer 360 (客户全景): everything about one customer in one answer. The customer must be in the
 * caller's scope (404 otherwise); every part is read with its own table's scope and shown only
 * with the permission of its module (opportunities.view, quotes.view, orders.view, tasks.view).
 * One lookup of the customer, then a fixed set of statements run in parallel, each by indexed
 * keys of the customer (customer_id, parent_id, subject, person, lead, object) with a LIMIT.
 */
type Row = Record<string, unknown>

const RECENT_ORDERS = 20
const LIST_LIMIT = 50
const MAX_DEPTH = 10
/** Orders that count as business: neither drafts nor cancelled ones. */
const COUNTED = sql.raw(`('confirmed', 'shipped', 'completed', 'refunded')`)
/** Orders whose balance is owed (receivables). */
const OWED = sql.raw(`('confirmed', 'shipped', 'completed')`)

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString())
const num = (v: unknown) => Number(v ?? 0)

/** The repositories' own PII columns, and the contacts' lists of phones and emails. */
const CUSTOMER_PII = customersRepo.config.pii ?? {}
const CONTACT_PII = contactsRepo.config.pii ?? {}
const CONTACT_PII_LISTS: Record<string, PiiKind> = { phones: 'phone', emails: 'email' }

/** Phones and emails masked without pii.view, PII custom fields too. */
function masker(
  ctx: Ctx,
  scalar: Record<string, PiiKind>,
  lists: Record<string, PiiKind>,
  custom: (c: Row) => Row,
) {
  const open = can(ctx.actor, PII_PERMISSION)
  return (row: Row): Row => {
    const out: Row = { ...row, custom: custom((row.custom as Row) ?? {}) }
    if (open) return out
    for (const [k, kind] of Object.entries(scalar)) out[k] = maskValue(kind, out[k])
    for (const [k, kind] of Object.entries(lists))
      out[k] = ((out[k] as unknown[]) ?? []).map((v) => maskValue(kind, v))
    return out
  }
}

const owner = alias(users, 'owner')
const { tenantId: _t, nameKey: _n, ...customerColumns } = getTableColumns(customers)
const firstCampaign = alias(campaigns, 'first_campaign')
const lastCampaign = alias(campaigns, 'last_campaign')

/** The customer as the caller sees it, with owner, unit, channel and campaign names; 404 otherwise. */
async function loadCustomer(ctx: Ctx, id: string) {
  if (!isUuid(id)) throw notFound()
  const [row] = await ctx.db
    .select({
      ...customerColumns,
      ownerName: owner.name,
      unitName: orgUnits.name,
      channelName: channels.name,
      firstCampaignName: firstCampaign.name,
      lastCampaignName: lastCampaign.name,
    })
    .from(customers)
    .leftJoin(owner, and(eq(owner.tenantId, customers.tenantId), eq(owner.id, customers.ownerId)))
    .leftJoin(orgUnits, and(eq(orgUnits.tenantId, customers.tenantId), eq(orgUnits.id, customers.unitId)))
    .leftJoin(channels, and(eq(channels.tenantId, customers.tenantId), eq(channels.id, customers.channelId)))
    .leftJoin(
      firstCampaign,
      and(eq(firstCampaign.tenantId, customers.tenantId), eq(firstCampaign.id, customers.firstCampaignId)),
    )
    .leftJoin(
      lastCampaign,
      and(eq(lastCampaign.tenantId, customers.tenantId), eq(lastCampaign.id, customers.lastCampaignId)),
    )
    .where(and(inScope(ctx, customers.tenantId, SALES_SCOPES.customer), eq(customers.id, id)))
  if (!row) throw notFound()
  return row
}
type CustomerRow = Awaited<ReturnType<typeof loadCustomer>>

/** `true` when the scope is the whole tenant (no condition). */
const scopeOf = (ctx: Ctx, scope: Parameters<typeof scopeCondition>[1]) =>
  scopeCondition(ctx, scope) ?? sql`true`

/** Parent chain (top first, visible ones) and visible children. */
async function hierarchy(ctx: Ctx, c: CustomerRow) {
  const t = ctx.actor.tenantId
  const [chain, children] = await Promise.all([
    c.parentId
      ? ctx.db.execute<{ id: string; name: string }>(sql`
          with recursive up(id, depth) as (
            select ${c.parentId}::uuid, 1
            union all
            select p.parent_id, up.depth + 1 from up
            join customers p on p.tenant_id = ${t} and p.id = up.id
            where p.parent_id is not null and up.depth < ${MAX_DEPTH}
          )
          select customers.id, customers.name from up
          join customers on customers.tenant_id = ${t} and customers.id = up.id
          where ${scopeOf(ctx, SALES_SCOPES.customer)}
          order by up.depth desc`)
      : { rows: [] },
    ctx.db
      .select({
        id: customers.id,
        name: customers.name,
        customerGroup: customers.customerGroup,
        orderTotal: customers.orderTotal,
      })
      .from(customers)
      .where(and(inScope(ctx, customers.tenantId, SALES_SCOPES.customer), eq(customers.parentId, c.id)))
      .orderBy(asc(customers.name))
      .limit(100),
  ])
  return { parents: chain.rows.map((r) => ({ id: r.id, name: r.name })), children }
}

/** Contacts nested by reporting line (a contact whose manager is not shown sits at the top). */
async function contactsTree(ctx: Ctx, customerId: string) {
  const { tenantId: _ct, ...columns } = getTableColumns(contacts)
  const [rows, customMask] = await Promise.all([
    ctx.db
      .select(columns)
      .from(contacts)
      .where(and(inScope(ctx, contacts.tenantId, SALES_SCOPES.contact), eq(contacts.customerId, customerId)))
      .orderBy(desc(contacts.isPrimary), asc(contacts.name))
      .limit(500),
    customMasker(ctx, 'contact'),
  ])
  const mask = masker(ctx, CONTACT_PII, CONTACT_PII_LISTS, customMask)
  type Node = Row & { children: Node[] }
  const nodes = new Map<string, Node>(rows.map((r) => [r.id, { ...mask(r), children: [] }]))
  const roots: Node[] = []
  for (const r of rows) {
    const node = nodes.get(r.id)!
    const boss = r.reportsToId && r.reportsToId !== r.id ? nodes.get(r.reportsToId) : undefined
    if (boss) boss.children.push(node)
    else roots.push(node)
  }
  return roots
}

const opportunitiesOf = (ctx: Ctx, customerId: string) =>
  ctx.db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      status: opportunities.status,
      amount: opportunities.amount,
      currency: opportunities.currency,
      probability: opportunities.probability,
      expectedCloseDate: opportunities.expectedCloseDate,
      pipelineId: opportunities.pipelineId,
      pipelineName: pipelines.name,
      stageId: opportunities.stageId,
      stageName: pipelineStages.name,
      stageProbability: pipelineStages.probability,
      stageKind: pipelineStages.kind,
      meddicScore: opportunities.meddicScore,
      ownerId: opportunities.ownerId,
      ownerName: owner.name,
      closedAt: opportunities.closedAt,
      closeReason: opportunities.closeReason,
      createdAt: opportunities.createdAt,
    })
    .from(opportunities)
    .leftJoin(
      pipelineStages,
      and(eq(pipelineStages.tenantId, opportunities.tenantId), eq(pipelineStages.id, opportunities.stageId)),
    )
    .leftJoin(
      pipelines,
      and(eq(pipelines.tenantId, opportunities.tenantId), eq(pipelines.id, opportunities.pipelineId)),
    )
    .leftJoin(owner, and(eq(owner.tenantId, opportunities.tenantId), eq(owner.id, opportunities.ownerId)))
    .where(
      and(
        inScope(ctx, opportunities.tenantId, SALES_SCOPES.opportunity),
        eq(opportunities.customerId, customerId),
      ),
    )
    .orderBy(desc(opportunities.createdAt))
    .limit(100)

/** The latest revision of each quote number. */
async function quotesOf(ctx: Ctx, customerId: string) {
  const rows = await ctx.db
    .selectDistinctOn([quotes.number], {
      id: quotes.id,
      number: quotes.number,
      revision: quotes.revision,
      title: quotes.title,
      status: quotes.status,
      opportunityId: quotes.opportunityId,
      currency: quotes.currency,
      total: quotes.total,
      maxDiscountPct: quotes.maxDiscountPct,
      validUntil: quotes.validUntil,
      sentAt: quotes.sentAt,
      createdAt: quotes.createdAt,
    })
    .from(quotes)
    .where(and(inScope(ctx, quotes.tenantId, SALES_SCOPES.quote), eq(quotes.customerId, customerId)))
    .orderBy(asc(quotes.number), desc(quotes.revision))
    .limit(200)
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, LIST_LIMIT)
}

/** The latest orders, and totals and receivables over all of the customer's orders the caller sees. */
async function ordersOf(ctx: Ctx, customerId: string) {
  const mine = and(inScope(ctx, orders.tenantId, SALES_SCOPES.order), eq(orders.customerId, customerId))
  const balance = sql`(${orders.total} - ${orders.paidTotal} + ${orders.refundedTotal})`
  const [recent, [sums]] = await Promise.all([
    ctx.db
      .select({
        id: orders.id,
        number: orders.number,
        status: orders.status,
        source: orders.source,
        currency: orders.currency,
        total: orders.total,
        paidTotal: orders.paidTotal,
        refundedTotal: orders.refundedTotal,
        balance: sql<number>`${balance}::float8`,
        orderedAt: orders.orderedAt,
        paymentDueDate: orders.paymentDueDate,
        opportunityId: orders.opportunityId,
      })
      .from(orders)
      .where(mine)
      .orderBy(desc(orders.orderedAt))
      .limit(RECENT_ORDERS),
    ctx.db
      .select({
        count: sql<number>`count(*) filter (where ${orders.status} in ${COUNTED})::int`,
        amount: sql<number>`coalesce(sum(${orders.total}) filter (where ${orders.status} in ${COUNTED}), 0)::float8`,
        paid: sql<number>`coalesce(sum(${orders.paidTotal}) filter (where ${orders.status} in ${COUNTED}), 0)::float8`,
        refunded: sql<number>`coalesce(sum(${orders.refundedTotal}) filter (where ${orders.status} in ${COUNTED}), 0)::float8`,
        balance: sql<number>`coalesce(sum(greatest(${balance}, 0)) filter (where ${orders.status} in ${OWED}), 0)::float8`,
        overdue: sql<number>`coalesce(sum(greatest(${balance}, 0)) filter (where ${orders.status} in ${OWED}
          and ${orders.paymentDueDate} < current_date), 0)::float8`,
        openOrders: sql<number>`count(*) filter (where ${orders.status} in ${OWED} and ${balance} > 0)::int`,
      })
      .from(orders)
      .where(mine),
  ])
  return {
    orders: {
      recent: recent.map((o) => ({ ...o, balance: num(o.balance) })),
      count: num(sums?.count),
      amount: num(sums?.amount),
      paid: num(sums?.paid),
      refunded: num(sums?.refunded),
    },
    receivable: {
      balance: num(sums?.balance),
      overdue: num(sums?.overdue),
      openOrders: num(sums?.openOrders),
    },
  }
}

/** Ids (as an SQL array) of the customer's opportunities the caller sees: empty without the permission. */
function visibleOpportunityIds(ctx: Ctx, customerId: string): SQL {
  if (!can(ctx.actor, 'opportunities.view')) return sql`'{}'::uuid[]`
  return sql`array(select opportunities.id from opportunities where opportunities.tenant_id = ${ctx.actor.tenantId}
    and opportunities.customer_id = ${customerId} and ${scopeOf(ctx, SALES_SCOPES.opportunity)})`
}

/** The leads the customer was converted from. */
const leadIdsOf = (ctx: Ctx, c: CustomerRow) =>
  sql`array(select lead_id from lead_conversions where tenant_id = ${ctx.actor.tenantId} and customer_id = ${c.id}
    ${c.leadId ? sql`union select ${c.leadId}::uuid` : sql``})`

/**
 * Follow-ups on the customer, its opportunities and the lead(s) it came from, newest first: those
 * in the caller's follow-up scope, and those written in the org that holds the customer now (the
 * rule of followups.service.ts: whoever sees the subject reads its history in its org).
 */
async function followUpsOf(ctx: Ctx, c: CustomerRow) {
  const t = ctx.actor.tenantId
  const { rows } = await ctx.db.execute(sql`
    select follow_ups.id, follow_ups.subject_type, follow_ups.subject_id, follow_ups.type, follow_ups.content,
      follow_ups.outcome, follow_ups.occurred_at, follow_ups.next_at, follow_ups.next_step, follow_ups.owner_id,
      u.name as author_name
    from follow_ups
    left join users u on u.tenant_id = follow_ups.tenant_id and u.id = follow_ups.owner_id
    where follow_ups.tenant_id = ${t}
      and ((follow_ups.subject_type = 'customer' and follow_ups.subject_id = ${c.id})
        or (follow_ups.subject_type = 'opportunity' and follow_ups.subject_id = any(${visibleOpportunityIds(ctx, c.id)}))
        or (follow_ups.subject_type = 'lead' and follow_ups.subject_id = any(${leadIdsOf(ctx, c)})))
      and (${scopeCondition(ctx, followUpsRepo.config.scope) ?? sql`true`} or follow_ups.org_id = ${c.orgId})
    order by follow_ups.occurred_at desc, follow_ups.id desc
    limit ${LIST_LIMIT}`)
  return rows.map((r) => ({
    id: String(r.id),
    subjectType: String(r.subject_type),
    subjectId: String(r.subject_id),
    type: String(r.type),
    content: String(r.content),
    outcome: (r.outcome as string | null) ?? null,
    occurredAt: iso(r.occurred_at)!,
    nextAt: iso(r.next_at),
    nextStep: (r.next_step as string | null) ?? null,
    ownerId: (r.owner_id as string | null) ?? null,
    authorName: (r.author_name as string | null) ?? null,
  }))
}

/** Behaviour events of the customer's person and its contacts' persons: the latest, per person an index probe. */
async function timelineOf(ctx: Ctx, c: CustomerRow) {
  const t = ctx.actor.tenantId
  const { rows } = await ctx.db.execute(sql`
    select e.id, e.person_id, e.type, e.occurred_at, e.channel_id, e.properties
    from unnest(array(
      select contacts.person_id from contacts where contacts.tenant_id = ${t} and contacts.customer_id = ${c.id}
        and contacts.person_id is not null and ${scopeOf(ctx, SALES_SCOPES.contact)}
      ${c.personId ? sql`union select ${c.personId}::uuid` : sql``})) p(id)
    cross join lateral (select be.id, be.person_id, be.type, be.occurred_at, be.channel_id, be.properties
      from behaviour_events be where be.tenant_id = ${t} and be.person_id = p.id
      order by be.occurred_at desc limit ${LIST_LIMIT}) e
    order by e.occurred_at desc, e.id desc
    limit ${LIST_LIMIT}`)
  return rows.map((r) => ({
    kind: 'event' as const,
    id: String(r.id),
    personId: String(r.person_id),
    type: String(r.type),
    at: iso(r.occurred_at)!,
    channelId: (r.channel_id as string | null) ?? null,
    data: (r.properties as Row) ?? {},
  }))
}

/** What reached the data factory for the lead(s) the customer came from (no payload: it holds PII). */
async function intentsOf(ctx: Ctx, c: CustomerRow) {
  const t = ctx.actor.tenantId
  const { rows } = await ctx.db.execute(sql`
    select i.id, i.lead_id, i.outcome, i.received_at, i.channel_id, ch.name as channel_name,
      i.campaign_id, cp.name as campaign_name
    from lead_intents i
    left join channels ch on ch.tenant_id = i.tenant_id and ch.id = i.channel_id
    left join campaigns cp on cp.tenant_id = i.tenant_id and cp.id = i.campaign_id
    where i.tenant_id = ${t} and i.lead_id = any(${leadIdsOf(ctx, c)})
    order by i.received_at desc
    limit ${LIST_LIMIT}`)
  return rows.map((r) => ({
    id: String(r.id),
    leadId: String(r.lead_id),
    outcome: String(r.outcome),
    at: iso(r.received_at)!,
    channelId: (r.channel_id as string | null) ?? null,
    channelName: (r.channel_name as string | null) ?? null,
    campaignId: (r.campaign_id as string | null) ?? null,
    campaignName: (r.campaign_name as string | null) ?? null,
  }))
}

/** Open tasks on the customer, its opportunities and its orders that the caller sees, soonest first. */
function tasksOf(ctx: Ctx, customerId: string) {
  const orderIds = can(ctx.actor, 'orders.view')
    ? sql`array(select orders.id from orders where orders.tenant_id = ${ctx.actor.tenantId}
        and orders.customer_id = ${customerId} and ${scopeOf(ctx, SALES_SCOPES.order)})`
    : sql`'{}'::uuid[]`
  return ctx.db
    .select({
      id: tasks.id,
      kind: tasks.kind,
      title: tasks.title,
      status: tasks.status,
      priority: tasks.priority,
      startAt: tasks.startAt,
      endAt: tasks.endAt,
      dueAt: tasks.dueAt,
      allDay: tasks.allDay,
      subjectType: tasks.subjectType,
      subjectId: tasks.subjectId,
      ownerId: tasks.ownerId,
    })
    .from(tasks)
    .where(
      and(
        eq(tasks.tenantId, ctx.actor.tenantId),
        taskVisibility(ctx),
        eq(tasks.status, 'open'),
        or(
          and(eq(tasks.subjectType, 'customer'), eq(tasks.subjectId, customerId)),
          and(
            eq(tasks.subjectType, 'opportunity'),
            sql`${tasks.subjectId} = any(${visibleOpportunityIds(ctx, customerId)})`,
          ),
          and(eq(tasks.subjectType, 'order'), sql`${tasks.subjectId} = any(${orderIds})`),
        ),
      ),
    )
    .orderBy(sql`coalesce(${tasks.startAt}, ${tasks.dueAt}) asc nulls last`, asc(tasks.id))
    .limit(20)
}

/**
 * The latest audit entries on the customer and on its contacts, opportunities, quotes and orders
 * that the caller sees (by module permission and scope). Per object an index probe; values are
 * not shown (they hold PII): the changed field names only.
 */
async function auditOf(ctx: Ctx, c: CustomerRow) {
  const t = ctx.actor.tenantId
  const part = (type: string, table: string, permission: string, scope: SQL) =>
    can(ctx.actor, permission)
      ? sql`union all select ${type}::text, ${sql.raw(table)}.id::text from ${sql.raw(table)}
          where ${sql.raw(table)}.tenant_id = ${t} and ${sql.raw(table)}.customer_id = ${c.id} and ${scope}`
      : sql``
  const { rows } = await ctx.db.execute(sql`
    with objs(object_type, object_id) as (
      select 'customer'::text, ${c.id}::text
      ${part('contact', 'contacts', 'customers.view', scopeOf(ctx, SALES_SCOPES.contact))}
      ${part('opportunity', 'opportunities', 'opportunities.view', scopeOf(ctx, SALES_SCOPES.opportunity))}
      ${part('quote', 'quotes', 'quotes.view', scopeOf(ctx, SALES_SCOPES.quote))}
      ${part('order', 'orders', 'orders.view', scopeOf(ctx, SALES_SCOPES.order))}
    )
    select a.id, a.at, a.actor_id, a.actor_name, a.action, a.object_type, a.object_id, a.summary, a.changes
    from objs cross join lateral (
      select a.id, a.at, a.actor_id, a.actor_name, a.action, a.object_type, a.object_id, a.summary,
        case when a.action = 'update' and jsonb_typeof(a.after) = 'object'
          then (select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(a.after) k)
          else '[]'::jsonb end as changes
      from audit_log a
      where a.tenant_id = ${t} and a.object_type = objs.object_type and a.object_id = objs.object_id
      order by a.at desc limit ${LIST_LIMIT}) a
    order by a.at desc, a.id desc
    limit ${LIST_LIMIT}`)
  return rows.map((r) => ({
    id: String(r.id),
    at: iso(r.at)!,
    actorId: (r.actor_id as string | null) ?? null,
    actorName: (r.actor_name as string | null) ?? null,
    action: String(r.action),
    objectType: String(r.object_type),
    objectId: String(r.object_id),
    summary: (r.summary as string | null) ?? null,
    changes: (r.changes as string[]) ?? [],
  }))
}

const nothing = async <T>(value: T) => value

export async function customer360(ctx: Ctx, id: string) {
  const c = await loadCustomer(ctx, id)
  const may = (permission: string) => can(ctx.actor, permission)
  const [customMask, tree, family, opps, quoteRows, orderPart, follow, timeline, intents, taskRows, audit] =
    await Promise.all([
      customMasker(ctx, 'customer'),
      contactsTree(ctx, c.id),
      hierarchy(ctx, c),
      may('opportunities.view') ? opportunitiesOf(ctx, c.id) : nothing([]),
      may('quotes.view') ? quotesOf(ctx, c.id) : nothing([]),
      may('orders.view') ? ordersOf(ctx, c.id) : nothing(null),
      followUpsOf(ctx, c),
      timelineOf(ctx, c),
      intentsOf(ctx, c),
      may('tasks.view') ? tasksOf(ctx, c.id) : nothing([]),
      auditOf(ctx, c),
    ])
  // Tags live on the customer's person (issue #6): the same ones every view of that person shows.
  const tags = c.personId ? ((await personTagsOf(ctx, [c.personId])).get(c.personId) ?? []) : []
  const { channelName, firstCampaignName, lastCampaignName, ...customer } = c
  const named = (id: string | null, name: string | null) => (id ? { id, name: name ?? null } : null)
  return {
    customer: masker(ctx, CUSTOMER_PII, {}, customMask)(customer),
    hierarchy: family,
    contactsTree: tree,
    opportunities: opps,
    quotes: quoteRows,
    orders: orderPart?.orders ?? null,
    receivable: orderPart?.receivable ?? null,
    followUps: follow,
    timeline,
    tags,
    intents,
    attribution: {
      source: c.source,
      channel: named(c.channelId, channelName),
      firstCampaign: named(c.firstCampaignId, firstCampaignName),
      lastCampaign: named(c.lastCampaignId, lastCampaignName),
    },
    tasks: taskRows,
    audit,
  }
}

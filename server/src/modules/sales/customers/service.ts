import { and, count, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import {
  AppError,
  conflict,
  type FieldError,
  notFound,
  validationFailed,
} from '../../../platform/http/errors.js'
import { placeRecord } from '../../../platform/org/placement.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { opportunities } from '../opportunities/schema.js'
import { orders } from '../orders/schema.js'
import { customerNameKey, findDuplicates } from './duplicates.service.js'
import { creditCodeField, customField, emailField, phoneField, regionField, userNames } from './fields.js'
import './messages.js'
import { publish } from '../../../platform/events/outbox.js'
import { moveCustomers } from './moves.js'
import { contactsRepo, customersRepo } from './repo.js'
import { type CustomerKind, contacts, customers, leadConversions } from './schema.js'

type Row = Record<string, unknown>

/** Head count bands (schema: customers.size). */
export const CUSTOMER_SIZES = ['1-49', '50-199', '200-999', '1000+'] as const
export const CUSTOMER_STATUSES = ['active', 'inactive'] as const

export interface CustomerInput {
  kind?: CustomerKind
  name: string
  parentId?: string | null
  industry?: string | null
  size?: string | null
  regionCode?: string | null
  address?: string | null
  creditCode?: string | null
  phone?: string | null
  email?: string | null
  website?: string | null
  source?: string | null
  level?: string | null
  status?: 'active' | 'inactive'
  ownerId?: string | null
  unitId?: string
  custom?: Record<string, unknown>
  /** Provenance, set by lead conversion. */
  personId?: string | null
  leadId?: string | null
  channelId?: string | null
  firstCampaignId?: string | null
  lastCampaignId?: string | null
}

/** Create even when the duplicate check finds candidates. */
export interface CreateOptions {
  allowDuplicate?: boolean
  /** Another number that identifies it (a converted lead's mobile), also checked for duplicates. */
  alsoMobile?: string | null
}

/** Phone (read in `phoneRegion`), email, credit code and region as stored (E.164, lower case, checked, known). */
function normalise(input: Partial<CustomerInput>, errors: FieldError[], phoneRegion: string) {
  const out: Row = {}
  const set = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v
  }
  set('phone', phoneField(input.phone, 'phone', errors, phoneRegion))
  set('email', emailField(input.email, 'email', errors))
  set('creditCode', creditCodeField(input.creditCode, 'creditCode', errors))
  set('regionCode', regionField(input.regionCode, 'regionCode', errors))
  if (input.name !== undefined) out.name = input.name.trim()
  return out
}

/**
 * A parent (group / holding company) the caller sees, and not the customer itself or one of its
 * subsidiaries: walking up from the new parent must never reach `selfId`.
 */
async function checkParent(ctx: Ctx, parentId: string, selfId: string | null, errors: FieldError[]) {
  const visible = isUuid(parentId) ? await customersRepo.findMany(ctx, [parentId], { raw: true }) : []
  if (!visible.length) {
    errors.push({ field: 'parentId', code: 'unknown_customer' })
    return
  }
  if (!selfId) return
  const res = await ctx.db.execute<{ id: string }>(sql`with recursive up (id, parent_id, depth) as (
      select ${customers.id}, ${customers.parentId}, 0 from ${customers}
       where ${customers.tenantId} = ${ctx.actor.tenantId} and ${customers.id} = ${parentId}
      union all
      select c.id, c.parent_id, up.depth + 1 from customers c join up on c.id = up.parent_id
       where c.tenant_id = ${ctx.actor.tenantId}::uuid and up.depth < 100)
    select id from up where id = ${selfId}::uuid limit 1`)
  if (res.rows.length) errors.push({ field: 'parentId', code: 'customer_cycle' })
}

/** 409 customer_duplicate listing the candidates (as `params.candidates`, names in the message). */
function duplicateError(candidates: Awaited<ReturnType<typeof findDuplicates>>) {
  const params = { candidates, names: candidates.map((c) => c.name).join('、') }
  return new AppError(409, 'customer_duplicate', params, [], { params })
}

/**
 * Creates a customer: fields checked and normalised, placed inside the caller's scope (owner
 * default: the caller), custom values checked, and — unless `allowDuplicate` — refused with 409
 * customer_duplicate when the same credit code, a same or 80 % similar name key, or the same phone
 * (customers' phones, contacts' mobiles) exists in the org boundary it goes to.
 */
export async function createCustomer(ctx: Ctx, input: CustomerInput, opts: CreateOptions = {}): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const errors: FieldError[] = []
    const phoneRegion = await workspacePhoneRegion(tx.db, tx.actor.tenantId)
    const fields = normalise(input, errors, phoneRegion)
    const ownerId =
      input.ownerId === undefined ? (tx.actor.type === 'user' ? tx.actor.id : null) : input.ownerId
    const place = await placeRecord(tx, ownerId, input.unitId, errors, '')
    if (input.parentId) await checkParent(tx, input.parentId, null, errors)
    const custom = await customField(tx, 'customer', input.custom, errors, { phoneRegion })
    if (errors.length || !place) throw validationFailed(errors)
    const kind = input.kind ?? 'organisation'
    if (!opts.allowDuplicate) {
      const candidates = await findDuplicates(
        tx,
        {
          name: fields.name as string,
          kind,
          creditCode: fields.creditCode as string | null,
          mobiles: [fields.phone as string | null, opts.alsoMobile],
        },
        eq(customers.orgId, place.orgId),
      )
      if (candidates.length) throw duplicateError(candidates)
    }
    const [row] = await customersRepo.insert(tx, [
      {
        ...input,
        ...fields,
        kind,
        nameKey: customerNameKey(fields.name as string, kind),
        ownerId,
        ...place,
        assignedAt: ownerId ? new Date() : null,
        custom,
        createdBy: tx.actor.id,
      },
    ])
    return row!
  })
}

export type CustomerPatch = Partial<Omit<CustomerInput, 'personId' | 'leadId' | 'channelId'>> & {
  version?: number
}

/**
 * Changes a customer of the caller's scope (a stale `version` gets 409 with the current row).
 * Owner and unit changes move it (audited as assign) and its contacts follow.
 */
export async function updateCustomer(ctx: Ctx, id: string, patch: CustomerPatch): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const current = await customersRepo.get(tx, id, { raw: true, forUpdate: true })
    const { version, custom, ownerId, unitId, ...rest } = patch
    const errors: FieldError[] = []
    const phoneRegion = await workspacePhoneRegion(tx.db, tx.actor.tenantId)
    const fields = normalise(rest, errors, phoneRegion)
    let place: { unitId: string; orgId: string } | null = null
    const owner = ownerId === undefined ? (current.ownerId as string | null) : ownerId
    const moves = owner !== current.ownerId || (unitId !== undefined && unitId !== current.unitId)
    if (moves) place = await placeRecord(tx, owner, unitId, errors, '')
    if (rest.parentId) await checkParent(tx, rest.parentId, id, errors)
    const nextCustom = await customField(tx, 'customer', custom, errors, {
      existing: current.custom as Row,
      recordId: id,
      phoneRegion,
    })
    if (errors.length || (moves && !place)) throw validationFailed(errors)
    if (version !== undefined && current.version !== version)
      throw conflict(customersRepo.present(tx, current))
    if (moves) await moveCustomers(tx, [id], { ownerId: owner, unitId: place!.unitId }, { kind: 'assign' })
    const kind = rest.kind ?? (current.kind as CustomerKind)
    const name = (fields.name as string | undefined) ?? (current.name as string)
    const updated = await customersRepo.update(tx, id, {
      ...rest,
      ...fields,
      ...(rest.name !== undefined || rest.kind !== undefined ? { nameKey: customerNameKey(name, kind) } : {}),
      ...(nextCustom ? { custom: nextCustom } : {}),
    })
    // Profiles re-evaluate the customer's person (customer fields feed tags and segments).
    await publish(tx, [
      { type: 'customer.updated', aggregateType: 'customer', payload: { customerIds: [id] } },
    ])
    return updated
  })
}

const countOf = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0)

/**
 * Deletes a customer of the caller's scope with its contacts (to the recycle bin). Refused with 409
 * customer_in_use while orders, opportunities, subsidiaries or a lead conversion refer to it; the
 * first orders and opportunities are named in params.orderList / params.opportunityList.
 */
export async function deleteCustomer(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const customer = await customersRepo.get(tx, id, { raw: true, forUpdate: true })
    const t = tx.actor.tenantId
    const ofOrders = and(eq(orders.tenantId, t), eq(orders.customerId, id))
    const ofOpportunities = and(eq(opportunities.tenantId, t), eq(opportunities.customerId, id))
    const n = () => ({ n: count() })
    const counts = {
      orders: await countOf(tx.db.select(n()).from(orders).where(ofOrders)),
      opportunities: await countOf(tx.db.select(n()).from(opportunities).where(ofOpportunities)),
      subsidiaries: await countOf(
        tx.db
          .select(n())
          .from(customers)
          .where(and(eq(customers.tenantId, t), eq(customers.parentId, id))),
      ),
      conversions: await countOf(
        tx.db
          .select(n())
          .from(leadConversions)
          .where(and(eq(leadConversions.tenantId, t), eq(leadConversions.customerId, id))),
      ),
    }
    if (Object.values(counts).some((v) => v > 0)) {
      const params = {
        ...counts,
        orderList: await tx.db
          .select({ id: orders.id, number: orders.number, status: orders.status })
          .from(orders)
          .where(ofOrders)
          .limit(5),
        opportunityList: await tx.db
          .select({ id: opportunities.id, name: opportunities.name, status: opportunities.status })
          .from(opportunities)
          .where(ofOpportunities)
          .limit(5),
      }
      throw new AppError(409, 'customer_in_use', params, [], { params })
    }
    const mine = and(eq(contacts.tenantId, t), eq(contacts.customerId, id))
    const contactIds = (await tx.db.select({ id: contacts.id }).from(contacts).where(mine)).map((c) => c.id)
    if (contactIds.length) {
      // Their reporting lines refer to each other: cut them first (the recycle bin keeps them).
      await tx.db.update(contacts).set({ reportsToId: null }).where(mine)
      await contactsRepo.remove(tx, contactIds)
    }
    await customersRepo.remove(tx, [customer.id as string])
  })
}

/** Customers as the API shows them: PII masked without pii.view (custom fields too), owner names. */
export async function presentCustomers(ctx: Ctx, rows: Row[]): Promise<Row[]> {
  const [mask, names] = await Promise.all([
    customMasker(ctx, 'customer'),
    userNames(
      ctx,
      rows.map((r) => r.ownerId as string | null),
    ),
  ])
  return rows.map((r) => {
    const c = customersRepo.present(ctx, r)
    return {
      ...c,
      custom: mask(c.custom as Row),
      ownerName: c.ownerId ? (names.get(c.ownerId as string) ?? null) : null,
    }
  })
}

const brief = { id: customers.id, name: customers.name }

/**
 * A customer's group structure: the parent chain from the top of the group down to the direct
 * parent, and the direct subsidiaries. Customers outside the caller's scope appear with id and
 * name only (`visible: false`), so the structure stays whole.
 */
export async function customerHierarchy(ctx: Ctx, id: string) {
  const customer = await customersRepo.get(ctx, id, { raw: true })
  const t = ctx.actor.tenantId
  const up = await ctx.db.execute<{
    id: string
    name: string
    depth: number
  }>(sql`with recursive up (id, name, parent_id, depth) as (
      select c.id, c.name, c.parent_id, 1 from customers c
       where c.tenant_id = ${t}::uuid and c.id = ${customer.parentId ?? null}::uuid
      union all
      select c.id, c.name, c.parent_id, up.depth + 1 from customers c join up on c.id = up.parent_id
       where c.tenant_id = ${t}::uuid and up.depth < 50 and c.id <> ${id}::uuid)
    select id, name, depth from up order by depth desc`)
  const children = await ctx.db
    .select({
      ...brief,
      kind: customers.kind,
      customerGroup: customers.customerGroup,
      orderTotal: customers.orderTotal,
      ownerId: customers.ownerId,
    })
    .from(customers)
    .where(and(eq(customers.tenantId, t), eq(customers.parentId, id)))
    .orderBy(customers.name)
  const grandchildren = children.length
    ? await ctx.db
        .select({ parentId: customers.parentId, n: count() })
        .from(customers)
        .where(
          and(
            eq(customers.tenantId, t),
            inArray(
              customers.parentId,
              children.map((c) => c.id),
            ),
          ),
        )
        .groupBy(customers.parentId)
    : []
  const childCount = new Map(grandchildren.map((g) => [g.parentId, Number(g.n)]))
  const ids = [...up.rows.map((r) => r.id), ...children.map((c) => c.id)]
  const seen = new Set((await customersRepo.findMany(ctx, ids, { raw: true })).map((r) => r.id as string))
  return {
    customer: { id: customer.id as string, name: customer.name as string },
    parents: up.rows.map((r) => ({ id: r.id, name: r.name, visible: seen.has(r.id) })),
    children: children.map((c) => {
      const sub = childCount.get(c.id) ?? 0
      return seen.has(c.id)
        ? { ...c, childCount: sub, visible: true }
        : { id: c.id, name: c.name, childCount: sub, visible: false }
    }),
  }
}

/** One customer of the caller's scope as the API shows it; 404 otherwise. */
export async function getCustomer(ctx: Ctx, id: string): Promise<Row> {
  if (!isUuid(id)) throw notFound()
  const row = await customersRepo.get(ctx, id, { raw: true })
  return (await presentCustomers(ctx, [row]))[0]!
}

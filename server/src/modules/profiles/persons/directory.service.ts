import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { decodeCursor, encodeCursor, isUuid, scopeCondition } from '../../../platform/access/data-access.js'
import { maskPhone } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { DEFAULT_PHONE_REGION, workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { leads } from '../../leads/schema.js'
import { leadsRepo } from '../../leads/service.js'
import { normalizeEmail, normalizePhone } from '../../quality/normalize/index.js'
import { isRegionCode } from '../../quality/normalize/region.js'
import { personIdentities, persons } from '../../quality/schema.js'
import { customersRepo } from '../../sales/customers/repo.js'
import { customers } from '../../sales/customers/schema.js'
import { orders } from '../../sales/orders/schema.js'
import { personTags, segmentMembers, segments, tags } from '../schema.js'
import { personTagsOf, type TagView } from '../tags/tagging.service.js'
import './messages.js'
import { regionNameOf as regionName } from '../segments/members.service.js'
import { asDate } from './present.js'
import { personScope } from './scope.js'

/** Orders that count as business (conditions' orders.count / orders.amount, the profile's LTV). */
export const COUNTED_ORDER_STATUSES = ['confirmed', 'shipped', 'completed'] as const

export interface PersonFilter {
  q?: string
  tagId?: string
  segmentId?: string
  regionCode?: string
  cursor?: string
  limit?: number
}

export interface PersonRow {
  id: string
  name: string | null
  company: string | null
  kind: string
  regionCode: string | null
  regionName: string | null
  mobile: string | null
  tags: { id: string; name: string; color: string | null }[]
  firstSeenAt: Date
  lastSeenAt: Date
  /** Net value of the person's counted orders (total − refunded), minor units. */
  orderTotal: number
  leadIds: string[]
  customerIds: string[]
}

const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)
/** Persons behind the person_identities of one kind family with exactly this value. */
const byIdentity = (t: string, kinds: string[], value: string) =>
  sql`${persons.id} in (select ${personIdentities.personId} from ${personIdentities}
    where ${personIdentities.tenantId} = ${t} and ${inArray(personIdentities.kind, kinds as never[])}
      and ${personIdentities.namespace} = '' and ${personIdentities.value} = ${value})`

/** A search of five digits or more (besides separators and +) and no @: perhaps a phone number. */
const readsAsPhone = (q: string) => !q.includes('@') && /\d{5,}/.test(q.replace(/[\s\-().（）+]/g, ''))

/**
 * What `q` finds: the name or company (any part, any case), the pinyin of a lead's name
 * (zhangwei / zw find 张伟), and — when it reads as one — a phone number in any notation (normalised
 * to E.164 as the data factory stores it, read in the workspace's `phoneRegion`) or an email
 * address, by the person's identities.
 */
export function personSearch(ctx: Ctx, raw: string, phoneRegion: string): SQL | undefined {
  const q = raw.trim()
  if (!q) return undefined
  const t = ctx.actor.tenantId
  const text = `%${like(q)}%`
  const any: SQL[] = [sql`${persons.name} ilike ${text}`, sql`${persons.company} ilike ${text}`]
  const latin = q.toLowerCase().replace(/\s+/g, '')
  if (/^[a-z]{2,}$/.test(latin)) {
    const prefix = `${latin}%`
    any.push(sql`${persons.id} in (select ${leads.personId} from ${leads}
      where ${leads.tenantId} = ${t} and ${leads.personId} is not null
        and (${leads.pinyinFull} like ${prefix} or ${leads.pinyinInitials} like ${prefix}))`)
  }
  if (q.includes('@')) any.push(byIdentity(t, ['email'], normalizeEmail(q)))
  else if (readsAsPhone(q)) {
    const phone = normalizePhone(q, phoneRegion)
    if (phone.ok) any.push(byIdentity(t, ['mobile', 'phone'], phone.e164))
  }
  return sql`(${sql.join(any, sql` or `)})`
}

/** The filters as SQL over `persons`; 400 naming the parameter for a malformed or unknown id/region. */
async function filters(ctx: Ctx, f: PersonFilter): Promise<SQL[]> {
  const t = ctx.actor.tenantId
  const errors: FieldError[] = []
  const out: SQL[] = []
  // The phone region is read only for a search that may be a phone number.
  const phoneRegion = f.q && readsAsPhone(f.q) ? await workspacePhoneRegion(ctx.db, t) : DEFAULT_PHONE_REGION
  const search = f.q ? personSearch(ctx, f.q, phoneRegion) : undefined
  if (search) out.push(search)
  if (f.tagId) {
    if (!isUuid(f.tagId)) errors.push({ field: 'tagId', code: 'invalid_value' })
    else {
      const [tag] = await ctx.db
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.tenantId, t), eq(tags.id, f.tagId)))
      if (!tag) errors.push({ field: 'tagId', code: 'unknown_tag' })
      out.push(sql`exists (select 1 from ${personTags} where ${personTags.tenantId} = ${t}
        and ${personTags.tagId} = ${f.tagId} and ${personTags.personId} = ${persons.id})`)
    }
  }
  if (f.segmentId) {
    if (!isUuid(f.segmentId)) errors.push({ field: 'segmentId', code: 'invalid_value' })
    else {
      const [segment] = await ctx.db
        .select({ id: segments.id })
        .from(segments)
        .where(and(eq(segments.tenantId, t), eq(segments.id, f.segmentId)))
      if (!segment) errors.push({ field: 'segmentId', code: 'unknown_segment' })
      out.push(sql`exists (select 1 from ${segmentMembers} where ${segmentMembers.tenantId} = ${t}
        and ${segmentMembers.segmentId} = ${f.segmentId} and ${segmentMembers.personId} = ${persons.id})`)
    }
  }
  if (f.regionCode) {
    // A province (2 digits), city (4) or district (6): the region and everything inside it.
    if (!/^\d{2}(\d{2}){0,2}$/.test(f.regionCode) || !isRegionCode(f.regionCode))
      errors.push({ field: 'regionCode', code: 'invalid_region' })
    else out.push(sql`${persons.regionCode} like ${`${f.regionCode}%`}`)
  }
  if (errors.length) throw validationFailed(errors)
  return out
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/

/**
 * The person directory (客户档案): persons the caller sees (through a lead or a customer in their
 * data scope), never those merged into another, most recently seen first, in keyset pages
 * (last_seen_at desc, id desc). Each row carries the mobile (masked without pii.view), the tags,
 * the net order total and the ids of the leads and customers the caller sees.
 */
export async function listPersons(
  ctx: Ctx,
  f: PersonFilter,
): Promise<{ items: PersonRow[]; nextCursor: string | null }> {
  const t = ctx.actor.tenantId
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 200)
  const conds = await filters(ctx, f)
  const scope = personScope(ctx)
  if (scope) conds.push(scope)
  const cur = f.cursor ? decodeCursor(f.cursor) : null
  if (
    cur &&
    typeof cur[0] === 'string' &&
    TIMESTAMP.test(cur[0]) &&
    typeof cur[1] === 'string' &&
    isUuid(cur[1])
  )
    conds.push(sql`(${persons.lastSeenAt}, ${persons.id}) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`)
  const res = await ctx.db.execute<{
    id: string
    name: string | null
    company: string | null
    kind: string
    region_code: string | null
    first_seen_at: Date | string
    last_seen_at: Date | string
    seen: string
  }>(sql`select ${persons.id} as id, ${persons.name} as name, ${persons.company} as company,
      ${persons.kind} as kind, ${persons.regionCode} as region_code, ${persons.firstSeenAt} as first_seen_at,
      ${persons.lastSeenAt} as last_seen_at, ${persons.lastSeenAt}::text as seen
    from ${persons}
    where ${persons.tenantId} = ${t} and ${persons.mergedIntoId} is null
      ${conds.length ? sql`and ${sql.join(conds, sql` and `)}` : sql``}
    order by ${persons.lastSeenAt} desc, ${persons.id} desc
    limit ${sql.raw(String(limit + 1))}`)
  const more = res.rows.length > limit
  const rows = more ? res.rows.slice(0, limit) : res.rows
  const last = rows[rows.length - 1]
  const ids = rows.map((r) => r.id)
  const extra = await personExtras(ctx, ids)
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      company: r.company,
      kind: r.kind,
      regionCode: r.region_code,
      regionName: regionName(r.region_code),
      mobile: extra.mobile.get(r.id) ?? null,
      tags: (extra.tags.get(r.id) ?? []).map((g) => ({ id: g.id, name: g.name, color: g.color })),
      firstSeenAt: asDate(r.first_seen_at)!,
      lastSeenAt: asDate(r.last_seen_at)!,
      orderTotal: extra.orderTotal.get(r.id) ?? 0,
      leadIds: extra.leadIds.get(r.id) ?? [],
      customerIds: extra.customerIds.get(r.id) ?? [],
    })),
    nextCursor: more && last ? encodeCursor([last.seen, last.id]) : null,
  }
}

const group = <R extends { personId: string | null }, V>(rows: R[], value: (r: R) => V) => {
  const out = new Map<string, V[]>()
  for (const r of rows) {
    if (!r.personId) continue
    const list = out.get(r.personId) ?? []
    list.push(value(r))
    out.set(r.personId, list)
  }
  return out
}

/** What a directory row shows beyond the person itself, for one page of persons, in five lookups. */
async function personExtras(ctx: Ctx, ids: string[]) {
  const t = ctx.actor.tenantId
  if (!ids.length)
    return {
      mobile: new Map<string, string>(),
      tags: new Map<string, TagView[]>(),
      orderTotal: new Map<string, number>(),
      leadIds: new Map<string, string[]>(),
      customerIds: new Map<string, string[]>(),
    }
  const pii = can(ctx.actor, PII_PERMISSION)
  const [mobiles, tagMap, totals, leadRows, customerRows] = await Promise.all([
    ctx.db
      .select({ personId: personIdentities.personId, value: personIdentities.value })
      .from(personIdentities)
      .where(
        and(
          eq(personIdentities.tenantId, t),
          inArray(personIdentities.personId, ids),
          eq(personIdentities.kind, 'mobile'),
        ),
      )
      .orderBy(asc(personIdentities.createdAt), asc(personIdentities.value)),
    personTagsOf(ctx, ids),
    ctx.db
      .select({
        personId: orders.personId,
        net: sql<string>`sum(${orders.total} - ${orders.refundedTotal})`,
      })
      .from(orders)
      .where(
        and(
          eq(orders.tenantId, t),
          inArray(orders.personId, ids),
          inArray(orders.status, [...COUNTED_ORDER_STATUSES]),
        ),
      )
      .groupBy(orders.personId),
    ctx.db
      .select({ personId: leads.personId, id: leads.id })
      .from(leads)
      .where(
        and(
          eq(leads.tenantId, t),
          inArray(leads.personId, ids),
          isNotNull(leads.personId),
          scopeCondition(ctx, leadsRepo.config.scope),
        ),
      )
      .orderBy(asc(leads.createdAt)),
    ctx.db
      .select({ personId: customers.personId, id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, t),
          inArray(customers.personId, ids),
          scopeCondition(ctx, customersRepo.config.scope),
        ),
      )
      .orderBy(asc(customers.createdAt)),
  ])
  const mobile = new Map<string, string>()
  for (const m of mobiles)
    if (!mobile.has(m.personId)) mobile.set(m.personId, pii ? m.value : maskPhone(m.value))
  return {
    mobile,
    tags: tagMap,
    orderTotal: new Map(totals.map((r) => [r.personId!, Number(r.net ?? 0)])),
    leadIds: group(leadRows, (r) => r.id),
    customerIds: group(customerRows, (r) => r.id),
  }
}

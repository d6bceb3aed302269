/**
 * Finding the customer of an imported order, set-based per batch among the customers the importer
 * can see: by 统一社会信用代码, then a contact's (or the customer's) mobile, then the name (exact or
 * its duplicate-check key). Unmatched ones are created (with the buyer as their contact) when the
 * import is configured to, through the customers module's own service.
 */
import { and, asc, eq, or, sql } from 'drizzle-orm'
import type { Ctx } from '../../../../platform/access/actor.js'
import { AppError, type FieldError } from '../../../../platform/http/errors.js'
import { translate } from '../../../../platform/i18n/messages.js'
import { workspaceLocale } from '../../../../platform/tenancy/locale.js'
import { sqlArray } from '../../../quality/bulk.js'
import { createContact } from '../../customers/contacts.service.js'
import { customerNameKey } from '../../customers/duplicates.service.js'
import { customersRepo } from '../../customers/repo.js'
import { contacts, customers } from '../../customers/schema.js'
import { createCustomer } from '../../customers/service.js'
import '../messages.js'

export interface BuyerProbe {
  customerName: string | null
  creditCode: string | null
  mobile: string | null
  contactName: string | null
}

export interface Buyer {
  customerId: string
  contactId: string | null
  personId: string | null
  ownerId: string | null
  unitId: string
  orgId: string
}

const ORGANISATION =
  /公司|集团|集團|企业|企業|工厂|工廠|研究院|学校|學校|医院|醫院|事务所|co\.|ltd|inc|llc|gmbh/i
const kindOf = (p: BuyerProbe) =>
  p.creditCode || ORGANISATION.test(p.customerName ?? '') ? 'organisation' : 'individual'
const codeOf = (p: BuyerProbe) => p.creditCode?.normalize('NFKC').toUpperCase().replace(/\s/g, '') ?? null
/** One key per buyer, so two orders of a new buyer in one batch create one customer. */
export const buyerKey = (p: BuyerProbe) =>
  codeOf(p) ? `c:${codeOf(p)}` : p.mobile ? `m:${p.mobile}` : `n:${p.customerName ?? ''}`

/** Matches buyers to visible customers; answers buyer key → customer. */
async function matchBuyers(ctx: Ctx, probes: BuyerProbe[]): Promise<Map<string, Buyer>> {
  const codes = [...new Set(probes.map(codeOf).filter((c): c is string => !!c))]
  const mobiles = [...new Set(probes.map((p) => p.mobile).filter((m): m is string => !!m))]
  const names = [...new Set(probes.map((p) => p.customerName).filter((n): n is string => !!n))]
  const keys = [
    ...new Set(names.flatMap((n) => [customerNameKey(n, 'organisation'), customerNameKey(n, 'individual')])),
  ].filter((k): k is string => !!k)
  if (!codes.length && !mobiles.length && !names.length) return new Map()
  const rows = await ctx.db
    .select({
      id: customers.id,
      creditCode: customers.creditCode,
      phone: customers.phone,
      name: customers.name,
      nameKey: customers.nameKey,
      personId: customers.personId,
      ownerId: customers.ownerId,
      unitId: customers.unitId,
      orgId: customers.orgId,
      contactId: contacts.id,
      contactMobile: contacts.mobile,
      contactPersonId: contacts.personId,
    })
    .from(customers)
    .leftJoin(
      contacts,
      and(
        eq(contacts.tenantId, customers.tenantId),
        eq(contacts.customerId, customers.id),
        sql`${contacts.mobile} = any(${sqlArray(mobiles, 'text')})`,
      ),
    )
    .where(
      and(
        customersRepo.visible(ctx),
        or(
          sql`${customers.creditCode} = any(${sqlArray(codes, 'text')})`,
          sql`${customers.phone} = any(${sqlArray(mobiles, 'text')})`,
          sql`${contacts.id} is not null`,
          sql`${customers.name} = any(${sqlArray(names, 'text')})`,
          sql`${customers.nameKey} = any(${sqlArray(keys, 'text')})`,
        ),
      ),
    )
    .orderBy(asc(customers.createdAt), asc(customers.id))
  const out = new Map<string, Buyer>()
  for (const p of probes) {
    const key = buyerKey(p)
    if (out.has(key)) continue
    const code = codeOf(p)
    const nameKeys = p.customerName ? [customerNameKey(p.customerName, kindOf(p))] : []
    const hit =
      (code && rows.find((r) => r.creditCode === code)) ||
      (p.mobile && rows.find((r) => r.contactMobile === p.mobile || r.phone === p.mobile)) ||
      (p.customerName &&
        rows.find((r) => r.name === p.customerName || (r.nameKey && nameKeys.includes(r.nameKey))))
    if (!hit) continue
    const viaContact = !!p.mobile && hit.contactMobile === p.mobile
    out.set(key, {
      customerId: hit.id,
      contactId: viaContact ? hit.contactId : null,
      personId: hit.personId ?? (viaContact ? hit.contactPersonId : null),
      ownerId: hit.ownerId,
      unitId: hit.unitId,
      orgId: hit.orgId,
    })
  }
  return out
}

/** A customer (and its contact, when there is a mobile) for a buyer nobody knew. */
async function createBuyer(ctx: Ctx, p: BuyerProbe, unitId: string, source: string): Promise<Buyer> {
  const customer = await createCustomer(
    ctx,
    {
      name: p.customerName ?? p.contactName ?? p.mobile ?? '',
      kind: kindOf(p),
      creditCode: p.creditCode,
      phone: kindOf(p) === 'individual' ? p.mobile : null,
      source,
      ownerId: ctx.actor.dataScope === 'self' ? ctx.actor.id : null,
      unitId,
    },
    { allowDuplicate: true },
  )
  const contact = p.mobile
    ? await createContact(ctx, {
        customerId: String(customer.id),
        name: p.contactName ?? p.customerName ?? p.mobile,
        mobile: p.mobile,
        isPrimary: true,
      })
    : null
  return {
    customerId: String(customer.id),
    contactId: contact ? String(contact.id) : null,
    personId: (customer.personId as string | null) ?? null,
    ownerId: customer.ownerId as string | null,
    unitId: String(customer.unitId),
    orgId: String(customer.orgId),
  }
}

/**
 * The customer of each buyer (by buyer key), creating the missing ones when `create` is set;
 * buyers that cannot be resolved get their reasons (customer_not_found, or the customer's field errors).
 */
export async function resolveBuyers(
  ctx: Ctx,
  probes: BuyerProbe[],
  opts: { create: boolean; unitId: string },
): Promise<{ found: Map<string, Buyer>; refused: Map<string, FieldError[]> }> {
  const found = await matchBuyers(ctx, probes)
  const refused = new Map<string, FieldError[]>()
  // What new buyers' customers say they came from, in the workspace's language: read once per batch.
  let source: string | undefined
  for (const p of probes) {
    const key = buyerKey(p)
    if (found.has(key) || refused.has(key)) continue
    if (!opts.create) {
      refused.set(key, [{ field: 'customerName', code: 'customer_not_found' }])
      continue
    }
    try {
      source ??= translate('customer_source_order_import', await workspaceLocale(ctx.db, ctx.actor.tenantId))
      found.set(key, await createBuyer(ctx, p, opts.unitId, source))
    } catch (err) {
      // Field checks fail before anything is written, so the batch's transaction stays usable.
      if (!(err instanceof AppError) || err.status !== 400) throw err
      refused.set(
        key,
        err.fields.map((f) => ({
          field: f.field === 'phone' || f.field === 'mobile' ? 'mobile' : f.field,
          code: f.code,
        })),
      )
    }
  }
  return { found, refused }
}

import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { maskEmail, maskPhone } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { isValidDate } from '../../../platform/custom-fields/values.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { conflict, type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { customField, emailField, listField, phoneField } from './fields.js'
import './messages.js'
import { contactsRepo, customersRepo } from './repo.js'
import { contacts, customers, type DealRole } from './schema.js'

type Row = Record<string, unknown>

export interface ContactInput {
  customerId: string
  name: string
  title?: string | null
  department?: string | null
  dealRole?: DealRole | null
  reportsToId?: string | null
  /** The primary mobile: first of `phones`. */
  mobile?: string | null
  /** The primary email: first of `emails`. */
  email?: string | null
  phones?: string[]
  emails?: string[]
  wechatIds?: string[]
  birthday?: string | null
  preferences?: string | null
  isPrimary?: boolean
  personId?: string | null
  leadId?: string | null
  custom?: Record<string, unknown>
}
export type ContactPatch = Partial<Omit<ContactInput, 'customerId' | 'personId' | 'leadId'>> & {
  version?: number
}

/**
 * A primary value and its list kept together: the first of the list is the primary one. Setting
 * the primary puts it first (replacing the old primary); setting the list makes its first the
 * primary; clearing the primary promotes the next one.
 */
function primaryFirst(
  primary: string | null | undefined,
  list: string[] | undefined,
  current: { primary: string | null; list: string[] },
): { primary?: string | null; list?: string[] } {
  if (primary === undefined && list === undefined) return {}
  let out = list ?? current.list.filter((x) => x !== current.primary)
  if (primary) out = [primary, ...out.filter((x) => x !== primary)]
  return { primary: out[0] ?? null, list: out }
}

/** Phones in E.164 (read in `phoneRegion`), emails lower case, WeChat ids trimmed, birthday a real date. */
function normalise(input: ContactPatch, current: Row | null, errors: FieldError[], phoneRegion: string): Row {
  const out: Row = {}
  const phones = primaryFirst(
    phoneField(input.mobile, 'mobile', errors, phoneRegion),
    listField(input.phones, 'phones', errors, (raw, field, errs) =>
      phoneField(raw, field, errs, phoneRegion),
    ),
    { primary: (current?.mobile as string) ?? null, list: (current?.phones as string[]) ?? [] },
  )
  const emails = primaryFirst(
    emailField(input.email, 'email', errors),
    listField(input.emails, 'emails', errors, emailField),
    { primary: (current?.email as string) ?? null, list: (current?.emails as string[]) ?? [] },
  )
  if (phones.list) Object.assign(out, { mobile: phones.primary, phones: phones.list })
  if (emails.list) Object.assign(out, { email: emails.primary, emails: emails.list })
  if (input.wechatIds) out.wechatIds = [...new Set(input.wechatIds.map((w) => w.trim()).filter(Boolean))]
  if (input.birthday && !isValidDate(input.birthday)) errors.push({ field: 'birthday', code: 'invalid_date' })
  if (input.name !== undefined) out.name = input.name.trim()
  return out
}

/**
 * The manager a contact reports to: a contact of the same customer, and not the contact itself
 * or anyone below it (walking up from the manager never reaches `selfId`).
 */
async function checkReportsTo(
  ctx: Ctx,
  reportsToId: string,
  customerId: string,
  selfId: string | null,
  errors: FieldError[],
) {
  const t = ctx.actor.tenantId
  const [manager] = isUuid(reportsToId)
    ? await ctx.db
        .select({ id: contacts.id })
        .from(contacts)
        .where(
          and(eq(contacts.tenantId, t), eq(contacts.id, reportsToId), eq(contacts.customerId, customerId)),
        )
    : []
  if (!manager) {
    errors.push({ field: 'reportsToId', code: 'invalid_reports_to' })
    return
  }
  if (!selfId) return
  const res = await ctx.db.execute(sql`with recursive up (id, reports_to_id, depth) as (
      select id, reports_to_id, 0 from contacts where tenant_id = ${t}::uuid and id = ${reportsToId}::uuid
      union all
      select c.id, c.reports_to_id, up.depth + 1 from contacts c join up on c.id = up.reports_to_id
       where c.tenant_id = ${t}::uuid and up.depth < 100)
    select 1 from up where id = ${selfId}::uuid limit 1`)
  if (res.rows.length) errors.push({ field: 'reportsToId', code: 'contact_cycle' })
}

/** One primary contact per customer: making `id` primary makes the others not (audited). */
async function onlyPrimary(ctx: Ctx, customerId: string, id: string) {
  const rows = await ctx.db
    .update(contacts)
    .set({ isPrimary: false, updatedAt: new Date(), version: sql`${contacts.version} + 1` })
    .where(
      and(
        eq(contacts.tenantId, ctx.actor.tenantId),
        eq(contacts.customerId, customerId),
        eq(contacts.isPrimary, true),
        ne(contacts.id, id),
      ),
    )
    .returning({ id: contacts.id, name: contacts.name })
  await writeAudit(
    ctx,
    rows.map((r) => ({
      action: 'update',
      objectType: 'contact',
      objectId: r.id,
      summary: r.name,
      before: { isPrimary: true },
      after: { isPrimary: false },
    })),
  )
}

/**
 * Adds a contact to a customer the caller sees; the contact takes the customer's scope columns
 * (owner, unit, org), so it moves whenever its customer does.
 */
export async function createContact(ctx: Ctx, input: ContactInput): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const errors: FieldError[] = []
    const [customer] = isUuid(input.customerId)
      ? await customersRepo.findMany(tx, [input.customerId], { raw: true, forUpdate: true })
      : []
    if (!customer) errors.push({ field: 'customerId', code: 'unknown_customer' })
    const phoneRegion = await workspacePhoneRegion(tx.db, tx.actor.tenantId)
    const fields = normalise(input, null, errors, phoneRegion)
    if (input.reportsToId && customer)
      await checkReportsTo(tx, input.reportsToId, input.customerId, null, errors)
    const custom = await customField(tx, 'contact', input.custom, errors, { phoneRegion })
    if (errors.length) throw validationFailed(errors)
    const [row] = await contactsRepo.insert(tx, [
      {
        ...input,
        ...fields,
        custom,
        ownerId: customer!.ownerId,
        unitId: customer!.unitId,
        orgId: customer!.orgId,
        createdBy: tx.actor.id,
      },
    ])
    if (input.isPrimary) await onlyPrimary(tx, input.customerId, row!.id as string)
    return row!
  })
}

/** Changes a contact of the caller's scope (a stale `version` gets 409 with the current row). */
export async function updateContact(ctx: Ctx, id: string, patch: ContactPatch): Promise<Row> {
  return inTransaction(ctx, async (tx) => {
    const current = await contactsRepo.get(tx, id, { raw: true, forUpdate: true })
    const { version, custom, ...rest } = patch
    const errors: FieldError[] = []
    const phoneRegion = await workspacePhoneRegion(tx.db, tx.actor.tenantId)
    const fields = normalise(rest, current, errors, phoneRegion)
    const customerId = current.customerId as string
    if (rest.reportsToId) await checkReportsTo(tx, rest.reportsToId, customerId, id, errors)
    const nextCustom = await customField(tx, 'contact', custom, errors, {
      existing: current.custom as Row,
      recordId: id,
      phoneRegion,
    })
    if (errors.length) throw validationFailed(errors)
    if (version !== undefined && current.version !== version)
      throw conflict(contactsRepo.present(tx, current))
    if (rest.isPrimary) await onlyPrimary(tx, customerId, id)
    return contactsRepo.update(tx, id, { ...rest, ...fields, ...(nextCustom ? { custom: nextCustom } : {}) })
  })
}

/** Deletes a contact (recycle bin); the people who reported to it now report to its manager. */
export async function deleteContact(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const current = await contactsRepo.get(tx, id, { raw: true, forUpdate: true })
    const reports = await tx.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.tenantId, tx.actor.tenantId), eq(contacts.reportsToId, id)))
    for (const r of reports)
      await contactsRepo.update(tx, r.id, { reportsToId: (current.reportsToId as string | null) ?? null })
    await contactsRepo.remove(tx, [id])
  })
}

const maskList = (list: unknown, mask: (v: string) => string) =>
  Array.isArray(list) ? list.map((v) => (typeof v === 'string' ? mask(v) : v)) : list

/** Contacts as the API shows them: phones and emails masked without pii.view, the customer's name. */
export async function presentContacts(ctx: Ctx, rows: Row[]): Promise<Row[]> {
  const mask = await customMasker(ctx, 'contact')
  const pii = can(ctx.actor, PII_PERMISSION)
  const ids = [...new Set(rows.map((r) => r.customerId as string))]
  const names = new Map(
    ids.length
      ? (
          await ctx.db
            .select({ id: customers.id, name: customers.name })
            .from(customers)
            .where(and(eq(customers.tenantId, ctx.actor.tenantId), inArray(customers.id, ids)))
        ).map((c) => [c.id, c.name])
      : [],
  )
  return rows.map((r) => {
    const c = contactsRepo.present(ctx, r)
    return {
      ...c,
      phones: pii ? c.phones : maskList(c.phones, maskPhone),
      emails: pii ? c.emails : maskList(c.emails, maskEmail),
      custom: mask(c.custom as Row),
      customerName: names.get(c.customerId as string) ?? null,
    }
  })
}

export type ContactNode = Row & { children: ContactNode[] }

/**
 * The contacts of a customer the caller sees as a tree by reporting line (seed 003's school:
 * principal → deans → teachers). Contacts whose manager is not a contact of this customer are roots.
 */
export async function contactTree(ctx: Ctx, customerId: string): Promise<ContactNode[]> {
  await customersRepo.get(ctx, customerId)
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.tenantId, ctx.actor.tenantId), eq(contacts.customerId, customerId)))
    .orderBy(desc(contacts.isPrimary), asc(contacts.name), asc(contacts.id))
  const shown = await presentContacts(ctx, rows)
  const nodes = new Map(shown.map((c) => [c.id as string, { ...c, children: [] } as ContactNode]))
  const roots: ContactNode[] = []
  for (const node of nodes.values()) {
    const parent = node.reportsToId ? nodes.get(node.reportsToId as string) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { publish } from '../../../platform/events/outbox.js'
import { AppError, type FieldError, notFound, validationFailed } from '../../../platform/http/errors.js'
import { moveLeads } from '../../leads/moves.service.js'
import { leadsRepo } from '../../leads/service.js'
import { createOpportunity } from '../opportunities/service.js'
import { createContact } from './contacts.service.js'
import { findDuplicates } from './duplicates.service.js'
import './messages.js'
import { customersRepo } from './repo.js'
import { type CustomerKind, contacts, type DealRole, leadConversions } from './schema.js'
import { type CustomerInput, createCustomer } from './service.js'

type Row = Record<string, unknown>

export interface ConvertInput {
  customer:
    | ({ mode: 'new'; allowDuplicate?: boolean } & Partial<CustomerInput>)
    | { mode: 'existing'; customerId: string }
  contact: {
    name?: string
    title?: string | null
    mobile?: string | null
    email?: string | null
    dealRole?: DealRole | null
  } | null
  opportunity: {
    name?: string
    pipelineId?: string
    amount?: number
    expectedCloseDate?: string | null
  } | null
}

export interface ConvertResult {
  customerId: string
  contactId: string | null
  opportunityId: string | null
  existingCustomer: boolean
}

/** Field errors of one part of the conversion named under it: `customer.creditCode`, `opportunity.pipelineId`. */
async function part<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed')
      throw validationFailed(err.fields.map((f: FieldError) => ({ ...f, field: `${prefix}.${f.field}` })))
    throw err
  }
}

/** The first conversion of a lead, or null. */
export async function leadConversion(ctx: Ctx, leadId: string) {
  const [row] = await ctx.db
    .select()
    .from(leadConversions)
    .where(and(eq(leadConversions.tenantId, ctx.actor.tenantId), eq(leadConversions.leadId, leadId)))
  return row ?? null
}

const alreadyConverted = (c: typeof leadConversions.$inferSelect) => {
  const params = {
    customerId: c.customerId,
    contactId: c.contactId,
    opportunityId: c.opportunityId,
    convertedAt: c.convertedAt.toISOString(),
  }
  return new AppError(409, 'lead_already_converted', params, [], { params })
}

/**
 * What a new customer made from the lead starts with: its company (or, for a person, its name),
 * credit code, region, address, source, channel and campaigns, person, and the custom values whose
 * keys customers also have. A person's own phone and email go to an individual customer.
 */
export async function customerFromLead(ctx: Ctx, lead: Row): Promise<CustomerInput> {
  const kind: CustomerKind = lead.company ? 'organisation' : 'individual'
  const keys = new Set((await loadDefinitions(ctx, 'customer')).map((d) => d.key))
  const custom = Object.fromEntries(
    Object.entries((lead.custom as Row) ?? {}).filter(([k, v]) => keys.has(k) && v != null),
  )
  const person = kind === 'individual'
  return {
    kind,
    name: (lead.company ?? lead.name) as string,
    creditCode: (lead.creditCode as string | null) ?? null,
    regionCode: (lead.regionCode as string | null) ?? null,
    address: (lead.address as string | null) ?? null,
    phone: ((lead.phone ?? (person ? lead.mobile : null)) as string | null) ?? null,
    email: person ? ((lead.email as string | null) ?? null) : null,
    source: (lead.source as string | null) ?? null,
    personId: (lead.personId as string | null) ?? null,
    leadId: lead.id as string,
    channelId: (lead.channelId as string | null) ?? null,
    firstCampaignId: (lead.firstCampaignId as string | null) ?? null,
    lastCampaignId: (lead.lastCampaignId as string | null) ?? null,
    custom,
  }
}

/** Existing customers the caller sees that may be the lead's: credit code, company name key, mobile. */
export async function conversionCandidates(ctx: Ctx, lead: Row) {
  return findDuplicates(
    ctx,
    {
      name: (lead.company ?? lead.name) as string,
      kind: lead.company ? 'organisation' : 'individual',
      creditCode: (lead.creditCode as string | null) ?? null,
      mobiles: [lead.mobile as string | null, lead.phone as string | null],
    },
    customersRepo.visible(ctx),
  )
}

/** A contact of `customerId` with this mobile already (the lead's person met before), or null. */
async function knownContact(ctx: Ctx, customerId: string, mobile: string | null | undefined) {
  if (!mobile) return null
  const [row] = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.tenantId, ctx.actor.tenantId),
        eq(contacts.customerId, customerId),
        eq(contacts.mobile, mobile),
      ),
    )
    .limit(1)
  return row?.id ?? null
}

/**
 * Converts a lead the caller sees (线索转化), in ONE transaction: a customer (new, prefilled from the
 * lead, with the duplicate check; or an existing one the caller sees), a contact made from the lead
 * (or the customer's contact with the same mobile), an opportunity (createOpportunity), the lead
 * marked converted (history + audit), the conversion row — whose primary key makes a second
 * conversion impossible: 409 lead_already_converted pointing at the first — and the outbox event
 * lead.converted. The lead's follow-ups, intents and attribution stay with it, linked through
 * leadId and personId; campaign ids are copied to the customer and the opportunity.
 */
export async function convertLead(ctx: Ctx, leadId: string, input: ConvertInput): Promise<ConvertResult> {
  return inTransaction(ctx, async (tx) => {
    const lead = await leadsRepo.get(tx, leadId, { raw: true, forUpdate: true })
    const done = await leadConversion(tx, leadId)
    if (done) throw alreadyConverted(done)
    const me = tx.actor.type === 'user' ? tx.actor.id : null
    const ownerId = (lead.ownerId as string | null) ?? me

    let customer: Row
    const existing = input.customer.mode === 'existing'
    if (input.customer.mode === 'existing') {
      const id = input.customer.customerId
      const [found] = isUuid(id) ? await customersRepo.findMany(tx, [id], { raw: true }) : []
      if (!found) throw validationFailed([{ field: 'customer.customerId', code: 'unknown_customer' }])
      customer = found
    } else {
      const { mode: _m, allowDuplicate, ...fields } = input.customer
      const prefill = await customerFromLead(tx, lead)
      const values = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
      customer = await part('customer', () =>
        createCustomer(
          tx,
          {
            ...prefill,
            ownerId,
            ...values,
            custom: { ...prefill.custom, ...(fields.custom ?? {}) },
          } as CustomerInput,
          { allowDuplicate, alsoMobile: (lead.mobile as string | null) ?? null },
        ),
      )
    }
    const customerId = customer.id as string

    let contactId: string | null = null
    if (input.contact) {
      const c = input.contact
      const mobile = c.mobile === undefined ? (lead.mobile as string | null) : c.mobile
      contactId = existing ? await knownContact(tx, customerId, mobile) : null
      if (!contactId) {
        const [any] = existing
          ? await tx.db
              .select({ id: contacts.id })
              .from(contacts)
              .where(and(eq(contacts.tenantId, tx.actor.tenantId), eq(contacts.customerId, customerId)))
              .limit(1)
          : []
        const made = await part('contact', () =>
          createContact(tx, {
            customerId,
            name: c.name ?? (lead.name as string),
            title: c.title === undefined ? (lead.title as string | null) : c.title,
            mobile,
            email: c.email === undefined ? (lead.email as string | null) : c.email,
            dealRole: c.dealRole ?? null,
            personId: (lead.personId as string | null) ?? null,
            leadId,
            isPrimary: !any,
          }),
        )
        contactId = made.id as string
      }
    }

    let opportunityId: string | null = null
    if (input.opportunity) {
      const o = input.opportunity
      const made = await part('opportunity', () =>
        createOpportunity(tx, {
          name: o.name ?? `${customer.name as string}`,
          customerId,
          contactId,
          ...(o.pipelineId ? { pipelineId: o.pipelineId } : {}),
          ...(o.amount !== undefined ? { amount: o.amount } : {}),
          expectedCloseDate: o.expectedCloseDate ?? null,
          leadId,
          source: (lead.source as string | null) ?? null,
          channelId: (lead.channelId as string | null) ?? null,
          firstCampaignId: (lead.firstCampaignId as string | null) ?? null,
          lastCampaignId: (lead.lastCampaignId as string | null) ?? null,
          ownerId,
        }),
      )
      opportunityId = made.id as string
    }

    // A converted lead needs an owner: an unowned one goes to whoever converts it.
    await moveLeads(
      tx,
      [leadId],
      { status: 'converted', ...(lead.ownerId || !me ? {} : { ownerId: me }) },
      { kind: 'status' },
    )
    const [row] = await tx.db
      .insert(leadConversions)
      .values({
        tenantId: tx.actor.tenantId,
        leadId,
        customerId,
        contactId,
        opportunityId,
        existingCustomer: existing,
        convertedBy: tx.actor.id,
      })
      .onConflictDoNothing()
      .returning()
    if (!row) throw alreadyConverted((await leadConversion(tx, leadId))!)
    const result: ConvertResult = { customerId, contactId, opportunityId, existingCustomer: existing }
    await writeAudit(tx, [
      {
        action: 'convert',
        objectType: 'lead',
        objectId: leadId,
        summary: `${lead.name as string} → ${customer.name as string}`,
        after: result,
      },
    ])
    await publish(tx, [
      {
        type: 'lead.converted',
        aggregateType: 'lead',
        aggregateId: leadId,
        payload: { leadId, personId: lead.personId ?? null, ...result },
      },
    ])
    return result
  })
}

/** GET /leads/:id/conversion: the conversion of a lead the caller sees, with the customer's name; 404 when none. */
export async function getConversion(ctx: Ctx, leadId: string) {
  await leadsRepo.get(ctx, leadId)
  const row = await leadConversion(ctx, leadId)
  if (!row) throw notFound()
  const [customer] = await customersRepo.findMany(ctx, [row.customerId], { raw: true })
  const { tenantId: _t, ...rest } = row
  return { ...rest, customerName: (customer?.name as string | undefined) ?? null }
}

/** GET /leads/:id/convert/preview: the lead, what a new customer would start with, and candidates. */
export async function conversionPreview(ctx: Ctx, leadId: string) {
  const raw = await leadsRepo.get(ctx, leadId, { raw: true })
  const lead = leadsRepo.present(ctx, raw)
  const prefill = await customerFromLead(ctx, raw)
  return {
    lead: {
      id: lead.id as string,
      name: lead.name as string,
      company: (lead.company as string | null) ?? null,
      mobile: (lead.mobile as string | null) ?? null,
      email: (lead.email as string | null) ?? null,
      title: (lead.title as string | null) ?? null,
      source: (lead.source as string | null) ?? null,
      regionCode: (lead.regionCode as string | null) ?? null,
      creditCode: (lead.creditCode as string | null) ?? null,
      address: (lead.address as string | null) ?? null,
      status: lead.status as string,
    },
    prefill: {
      kind: prefill.kind!,
      name: prefill.name,
      creditCode: prefill.creditCode ?? null,
      regionCode: prefill.regionCode ?? null,
      address: prefill.address ?? null,
      source: prefill.source ?? null,
    },
    candidates: await conversionCandidates(ctx, raw),
    conversion: await leadConversion(ctx, leadId).then((c) =>
      c
        ? {
            customerId: c.customerId,
            contactId: c.contactId,
            opportunityId: c.opportunityId,
            convertedAt: c.convertedAt,
          }
        : null,
    ),
  }
}

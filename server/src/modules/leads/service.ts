import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository, isUuid } from '../../platform/access/data-access.js'
import { validateCustomValues } from '../../platform/custom-fields/validate.service.js'
import { normalisePhone } from '../../platform/custom-fields/values.js'
import { inTransaction } from '../../platform/db/tx.js'
import { publish } from '../../platform/events/outbox.js'
import { conflict, type FieldError, validationFailed } from '../../platform/http/errors.js'
import { placeRecord } from '../../platform/org/placement.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { moveLeads } from './moves.service.js'
import { leadPools } from './pools.schema.js'
import { leads } from './schema.js'
import { checkStatus, isTerminalWithReason } from './status.rules.js'

export const leadsRepo = createRepository({
  table: leads,
  objectType: 'lead',
  scope: { owner: leads.ownerId, unit: leads.unitId, org: leads.orgId },
  pii: { mobile: 'phone', email: 'email' },
  sortable: ['createdAt', 'updatedAt', 'name', 'score'],
})

export const LEAD_STATUSES = [
  'new',
  'assigned',
  'following',
  'qualified',
  'converted',
  'closed',
  'invalid',
] as const

export interface LeadInput {
  name: string
  mobile?: string | null
  email?: string | null
  company?: string | null
  title?: string | null
  source?: string | null
  status?: string
  notes?: string | null
  ownerId?: string | null
  unitId?: string
  custom?: Record<string, unknown>
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Normalises contact fields (mobile → E.164 read in `phoneRegion`, email lower-case) and collects field errors. */
function normaliseContact(
  input: Partial<LeadInput>,
  errors: FieldError[],
  prefix: string,
  phoneRegion: string | undefined,
) {
  const out: Partial<LeadInput> = {}
  if (input.mobile !== undefined) {
    const raw = input.mobile?.trim()
    if (!raw) out.mobile = null
    else {
      const e164 = normalisePhone(raw, phoneRegion)
      if (e164) out.mobile = e164
      else errors.push({ field: `${prefix}mobile`, code: 'invalid_phone' })
    }
  }
  if (input.email !== undefined) {
    const raw = input.email?.trim().toLowerCase()
    if (!raw) out.email = null
    else if (EMAIL.test(raw)) out.email = raw
    else errors.push({ field: `${prefix}email`, code: 'invalid_email' })
  }
  return out
}

/**
 * Checks and places leads as typed by a person or a system: contact formats, owner and unit
 * within the caller's scope, custom values. Any bad row fails the whole batch with every field named.
 * Phones are read in the workspace's phone region (read once here unless the caller has it).
 */
export async function prepareLeads(ctx: Ctx, inputs: LeadInput[], opts: { phoneRegion?: string } = {}) {
  const errors: FieldError[] = []
  const values = []
  const phoneRegion = opts.phoneRegion ?? (await workspacePhoneRegion(ctx.db, ctx.actor.tenantId))
  for (const [n, input] of inputs.entries()) {
    const prefix = inputs.length > 1 ? `[${n}].` : ''
    const ownerId =
      input.ownerId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.ownerId
    const contact = normaliseContact(input, errors, prefix, phoneRegion)
    const place = await placeRecord(ctx, ownerId, input.unitId, errors, prefix)
    const custom = await validateCustomValues(ctx, 'lead', input.custom ?? {}, { phoneRegion }).catch(
      (err) => {
        errors.push(...(err.fields ?? []).map((f: FieldError) => ({ ...f, field: `${prefix}${f.field}` })))
        return {}
      },
    )
    if (place)
      values.push({
        ...input,
        ...contact,
        ownerId,
        ...place,
        custom,
        status: input.status ?? (ownerId ? 'assigned' : 'new'),
        createdBy: ctx.actor.id,
      })
  }
  if (errors.length) throw validationFailed(errors)
  return values
}

/**
 * Inserts leads as given, without the data factory (demo data, tests, migrations). People and
 * channels create leads through the factory instead (intake/manual.service.ts), so they are deduped.
 */
export async function createLeads(ctx: Ctx, inputs: LeadInput[]) {
  return inTransaction(ctx, async (tx) => leadsRepo.insert(tx, await prepareLeads(tx, inputs)))
}

export async function updateLead(
  ctx: Ctx,
  id: string,
  patch: Partial<LeadInput> & { version?: number; closeReason?: string | null },
) {
  return inTransaction(ctx, async (tx) => {
    const current = await leadsRepo.get(tx, id, { raw: true, forUpdate: true })
    const { version, custom, status, closeReason, ...fields } = patch
    const errors: FieldError[] = []
    // Read only when a number is typed: most edits carry none.
    const phoneRegion = fields.mobile?.trim()
      ? await workspacePhoneRegion(tx.db, tx.actor.tenantId)
      : undefined
    const contact = normaliseContact(fields, errors, '', phoneRegion)
    let place = {}
    if (fields.ownerId !== undefined || fields.unitId !== undefined) {
      const p = await placeRecord(
        tx,
        fields.ownerId === undefined ? (current.ownerId as string | null) : fields.ownerId,
        fields.unitId,
        errors,
        '',
      )
      if (p) place = p
    }
    const nextCustom =
      custom === undefined
        ? undefined
        : await validateCustomValues(tx, 'lead', custom, {
            existing: current.custom as Record<string, unknown>,
            recordId: id,
            phoneRegion,
          }).catch((err) => {
            errors.push(...(err.fields ?? []))
            return undefined
          })
    if (errors.length) throw validationFailed(errors)
    if (version !== undefined && current.version !== version) throw conflict(leadsRepo.present(tx, current))
    // Owner, unit and status changes go through moveLeads, so they land in the lead's history.
    const { ownerId, unitId, ...rest } = { ...fields, ...contact, ...place } as Record<string, unknown>
    const owner = ownerId === undefined ? current.ownerId : ownerId
    const changesStatus = status !== undefined && (status !== current.status || closeReason !== undefined)
    if (changesStatus) await checkStatus(tx, owner, status!, closeReason)
    if (owner !== current.ownerId || (unitId !== undefined && unitId !== current.unitId) || changesStatus) {
      const terminal = changesStatus && isTerminalWithReason(status!)
      await moveLeads(
        tx,
        [id],
        {
          ...(owner !== current.ownerId ? { ownerId: owner as string | null } : {}),
          ...(unitId !== undefined ? { unitId: unitId as string } : {}),
          ...(changesStatus ? { status, closeReason: terminal ? closeReason : null } : {}),
        },
        {
          kind: owner !== current.ownerId ? 'assign' : changesStatus ? 'status' : 'distribute',
          reason: terminal ? closeReason : null,
        },
      )
    }
    const updated = await leadsRepo.update(tx, id, { ...rest, ...(nextCustom ? { custom: nextCustom } : {}) })
    await publishLeadUpdated(tx, [id])
    return updated
  })
}

/** Fields conditions read (profiles: tags and segments) changed on these leads. */
export const publishLeadUpdated = (tx: Ctx, leadIds: string[]) =>
  publish(tx, [{ type: 'lead.updated', aggregateType: 'lead', payload: { leadIds } }])

export async function deleteLeads(ctx: Ctx, ids: string[]) {
  return inTransaction(ctx, (tx) => leadsRepo.remove(tx, ids))
}

export const leadSearch = (q: string) =>
  sql`(${leads.name} ilike ${`%${q}%`} or ${leads.company} ilike ${`%${q}%`} or ${leads.mobile} like ${`%${q.replace(/\D/g, '') || q}%`})`

/**
 * `?filter={"poolId":…}`: the leads of a pool. Leads not yet placed in any pool belong to the
 * master pool (the pyramid's base takes in every lead), so the master pool's id also finds them.
 */
export function inPool(ctx: Ctx, value: unknown, field: string) {
  if (value === null) return sql`${leads.poolId} is null`
  if (typeof value !== 'string' || !isUuid(value))
    throw validationFailed([{ field, code: 'invalid_filter_value' }])
  return sql`(${leads.poolId} = ${value}::uuid or (${leads.poolId} is null and exists (select 1 from ${leadPools} where ${leadPools.tenantId} = ${ctx.actor.tenantId} and ${leadPools.id} = ${value}::uuid and ${leadPools.kind} = 'master')))`
}

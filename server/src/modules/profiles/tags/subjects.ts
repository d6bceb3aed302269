import { and, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { newId } from '../../../platform/db/columns.js'
import { leads } from '../../leads/schema.js'
import { leadsRepo } from '../../leads/service.js'
import { insertMany, updateMany } from '../../quality/bulk.js'
import { checkEmail, normalizeEmail, normalizePhone } from '../../quality/normalize/index.js'
import type { IdentityKind } from '../../quality/schema.js'
import { customersRepo } from '../../sales/customers/repo.js'
import { customers } from '../../sales/customers/schema.js'
import { personScope } from '../persons/scope.js'
import { sqlArray } from './sql.js'

export const SUBJECT_TYPES = ['person', 'lead', 'customer'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

export interface Resolved {
  /** Subject id → the person it tags. */
  persons: Map<string, string>
  /** Ids the caller may not see, unknown ones, or persons merged away. */
  skipped: { id: string; reason: 'not_found' }[]
  /** Persons made for leads or customers that had none. */
  created: number
}

/** Follows merged-away persons to the one they were merged into (a few hops at most). */
export async function survivors(ctx: Ctx, personIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>(personIds.map((id) => [id, id]))
  let pending = [...new Set(personIds)]
  for (let hop = 0; hop < 5 && pending.length; hop++) {
    const res = await ctx.db.execute<{ id: string; merged_into_id: string }>(sql`
      select id, merged_into_id from persons where tenant_id = ${ctx.actor.tenantId}
        and id = any(${sqlArray(pending, 'uuid')}) and merged_into_id is not null`)
    if (!res.rows.length) break
    const next = new Map(res.rows.map((r) => [String(r.id), String(r.merged_into_id)]))
    for (const [from, to] of out) if (next.has(to)) out.set(from, next.get(to)!)
    pending = [...new Set(next.values())]
  }
  return out
}

/** What a lead or customer without a person brings to the person made for it. */
export interface PersonSource {
  id: string
  kind: 'person' | 'organisation'
  name: string | null
  company: string | null
  regionCode: string | null
  phones: (string | null)[]
  email: string | null
}

/** The exact identity keys a lead's or customer's contact fields make (as the data factory writes them). */
function identitiesOf(s: PersonSource): { kind: IdentityKind; value: string }[] {
  const out: { kind: IdentityKind; value: string }[] = []
  for (const raw of s.phones) {
    if (!raw) continue
    // Stored phones are E.164 already (the factory and the customer fields write them so): their
    // kind and key do not depend on the workspace's phone region.
    const p = normalizePhone(raw)
    if (p.ok) out.push({ kind: p.kind === 'mobile' ? 'mobile' : 'phone', value: p.e164 })
  }
  if (s.email) {
    const e = normalizeEmail(s.email)
    if (checkEmail(e) !== 'invalid_email') out.push({ kind: 'email', value: e })
  }
  return out
}

/**
 * Gives leads or customers that have no person one, so that their tags live on a person: the person
 * an exact identity of theirs (mobile, phone, email) already belongs to, or a new one (name, company,
 * region copied; the identities recorded). Sets the record's person_id (a link, not a change of its
 * fields: no version bump). Set-based. Answers record id → person id and how many persons were made.
 */
export async function ensurePersons(
  ctx: Ctx,
  table: 'leads' | 'customers',
  sources: PersonSource[],
): Promise<{ persons: Map<string, string>; created: number }> {
  const persons = new Map<string, string>()
  if (!sources.length) return { persons, created: 0 }
  const t = ctx.actor.tenantId
  const keys = sources.map((s) => ({ s, ids: identitiesOf(s) }))
  const all = [...new Map(keys.flatMap((k) => k.ids).map((i) => [`${i.kind}|${i.value}`, i])).values()]
  const known = new Map<string, string>()
  if (all.length) {
    const res = await ctx.db.execute<{ kind: string; value: string; person_id: string }>(sql`
      select pi.kind, pi.value, pi.person_id from person_identities pi
      join unnest(${sqlArray(
        all.map((i) => i.kind),
        'text',
      )}, ${sqlArray(
        all.map((i) => i.value),
        'text',
      )}) as u(kind, value) on pi.kind = u.kind and pi.value = u.value
      where pi.tenant_id = ${t} and pi.namespace = ''`)
    const alive = await survivors(
      ctx,
      res.rows.map((r) => String(r.person_id)),
    )
    for (const r of res.rows) known.set(`${r.kind}|${r.value}`, alive.get(String(r.person_id))!)
  }
  const newPersons: Record<string, unknown>[] = []
  const newIdentities: Record<string, unknown>[] = []
  for (const { s, ids } of keys) {
    let personId = ids.map((i) => known.get(`${i.kind}|${i.value}`)).find(Boolean)
    if (!personId) {
      personId = newId()
      newPersons.push({
        tenant_id: t,
        id: personId,
        kind: s.kind,
        name: s.name,
        company: s.company,
        region_code: s.regionCode,
      })
      for (const i of ids) {
        const key = `${i.kind}|${i.value}`
        if (known.has(key)) continue
        // Two records of the batch with one identity share the person made for the first.
        known.set(key, personId)
        newIdentities.push({ tenant_id: t, kind: i.kind, namespace: '', value: i.value, person_id: personId })
      }
    }
    persons.set(s.id, personId)
  }
  await insertMany(
    ctx,
    'persons',
    { tenant_id: 'uuid', id: 'uuid', kind: 'text', name: 'text', company: 'text', region_code: 'text' },
    newPersons,
  )
  await insertMany(
    ctx,
    'person_identities',
    { tenant_id: 'uuid', kind: 'text', namespace: 'text', value: 'text', person_id: 'uuid' },
    newIdentities,
    sql`on conflict do nothing`,
  )
  await updateMany(
    ctx,
    table,
    { person_id: 'uuid' },
    [...persons].map(([id, personId]) => ({ id, person_id: personId })),
    sql`person_id = r.person_id`,
  )
  return { persons, created: newPersons.length }
}

/**
 * The persons behind the subjects the caller names: persons the caller sees (personScope), or the
 * persons of leads/customers in the caller's data scope (one made for those without). Anything
 * unknown, invisible or merged away is skipped as not_found.
 */
export async function resolveSubjects(ctx: Ctx, type: SubjectType, rawIds: string[]): Promise<Resolved> {
  const ids = [...new Set(rawIds)]
  const valid = ids.filter(isUuid)
  const persons = new Map<string, string>()
  let created = 0
  if (valid.length && type === 'person') {
    const scope = personScope(ctx, sql`persons.id`)
    const res = await ctx.db.execute<{ id: string }>(sql`
      select id from persons where tenant_id = ${ctx.actor.tenantId} and id = any(${sqlArray(valid, 'uuid')})
        and merged_into_id is null and ${scope ?? sql`true`}`)
    for (const r of res.rows) persons.set(String(r.id), String(r.id))
  } else if (valid.length) {
    const rows =
      type === 'lead'
        ? await ctx.db
            .select({
              id: leads.id,
              personId: leads.personId,
              name: leads.name,
              company: leads.company,
              regionCode: leads.regionCode,
              mobile: leads.mobile,
              phone: leads.phone,
              email: leads.email,
            })
            .from(leads)
            .where(and(leadsRepo.visible(ctx), inArray(leads.id, valid)))
            .then((r) => r.map((x) => ({ ...x, kind: 'person' as const, phones: [x.mobile, x.phone] })))
        : await ctx.db
            .select({
              id: customers.id,
              personId: customers.personId,
              name: customers.name,
              regionCode: customers.regionCode,
              phone: customers.phone,
              email: customers.email,
              customerKind: customers.kind,
            })
            .from(customers)
            .where(and(customersRepo.visible(ctx), inArray(customers.id, valid)))
            .then((r) =>
              r.map((x) => ({
                ...x,
                // An organisation customer's person is the organisation itself; an individual's, the person.
                kind: x.customerKind === 'individual' ? ('person' as const) : ('organisation' as const),
                company: x.customerKind === 'individual' ? null : x.name,
                phones: [x.phone],
              })),
            )
    const linked = rows.filter((r) => r.personId)
    const alive = await survivors(
      ctx,
      linked.map((r) => r.personId!),
    )
    for (const r of linked) persons.set(r.id, alive.get(r.personId!)!)
    const made = await ensurePersons(
      ctx,
      type === 'lead' ? 'leads' : 'customers',
      rows
        .filter((r) => !r.personId)
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          name: r.name,
          company: r.company ?? null,
          regionCode: r.regionCode,
          phones: r.phones,
          email: r.email,
        })),
    )
    for (const [id, personId] of made.persons) persons.set(id, personId)
    created = made.created
  }
  const skipped = ids.filter((id) => !persons.has(id)).map((id) => ({ id, reason: 'not_found' as const }))
  return { persons, skipped, created }
}

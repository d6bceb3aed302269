import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { users } from '../../../platform/org/schema.js'
import { sqlArray } from '../../quality/bulk.js'
import { companyKey, nameKey } from '../../quality/normalize/index.js'
import { customersRepo } from './repo.js'
import { type CustomerKind, contacts, customers } from './schema.js'

/** Trigram similarity of name keys from which two customers count as possibly the same. */
export const NAME_SIMILARITY = 0.8

/**
 * The duplicate-check key of a customer's name: the data factory's company key (no legal form, no
 * bracketed or leading place, simplified, NFKC) for organisations, its person key for individuals.
 */
export const customerNameKey = (name: string, kind: CustomerKind = 'organisation') =>
  (kind === 'individual' ? nameKey(name) : companyKey(name)) || null

export interface DuplicateProbe {
  name?: string | null
  kind?: CustomerKind
  /** Already normalised (creditCodeField). */
  creditCode?: string | null
  /** E.164 numbers: matched against customers' phones and contacts' mobiles. */
  mobiles?: (string | null | undefined)[]
  /** The customer itself, on update. */
  excludeId?: string
}

export interface DuplicateCandidate {
  id: string
  name: string
  creditCode: string | null
  ownerId: string | null
  ownerName: string | null
  /** creditCode, name (same key), similarName (trigram ≥ 0.8), mobile */
  matchedBy: string
  /** Whether the caller may open it (a candidate can be someone else's). */
  visible: boolean
}

/**
 * Existing customers that may be the one described: same credit code, same name key or one at
 * least 80 % trigram-similar, or a phone/contact mobile equal to `mobile`. `within` limits where to
 * look (the caller's scope, or the org boundary the new customer goes to); strongest match first.
 */
export async function findDuplicates(
  ctx: Ctx,
  probe: DuplicateProbe,
  within: SQL | undefined,
  limit = 10,
): Promise<DuplicateCandidate[]> {
  const key = probe.name ? customerNameKey(probe.name, probe.kind) : null
  const code = probe.creditCode ?? null
  const c = customers
  const sameCode = sql`(${code}::text is not null and ${c.creditCode} = ${code})`
  const sameKey = sql`(${c.nameKey} = ${key}::text)`
  const likeness = sql`similarity(coalesce(${c.nameKey}, ''), coalesce(${key}::text, ''))`
  const tests: SQL[] = []
  if (code) tests.push(sameCode)
  if (key)
    tests.push(sql`(${sameKey} or (${c.nameKey} % ${key}::text and ${likeness} >= ${NAME_SIMILARITY}))`)
  const mobiles = [...new Set((probe.mobiles ?? []).filter((m): m is string => !!m))]
  if (mobiles.length) {
    const list = sqlArray(mobiles, 'text')
    tests.push(sql`(${c.phone} = any(${list}) or ${c.id} in (select ${contacts.customerId} from ${contacts}
      where ${contacts.tenantId} = ${ctx.actor.tenantId} and ${contacts.mobile} = any(${list})))`)
  }
  if (!tests.length) return []
  const res = await ctx.db.execute<{
    id: string
    name: string
    credit_code: string | null
    owner_id: string | null
    owner_name: string | null
    matched_by: string
    visible: boolean
  }>(sql`select ${c.id} as id, ${c.name} as name, ${c.creditCode} as credit_code, ${c.ownerId} as owner_id,
      ${users.name} as owner_name,
      case when ${sameCode} then 'creditCode' when ${sameKey} then 'name'
           when ${likeness} >= ${NAME_SIMILARITY} then 'similarName' else 'mobile' end as matched_by,
      coalesce(${customersRepo.visible(ctx)}, false) as visible
    from ${c} left join ${users} on ${users.tenantId} = ${c.tenantId} and ${users.id} = ${c.ownerId}
    where ${c.tenantId} = ${ctx.actor.tenantId} ${within ? sql`and ${within}` : sql``}
      ${probe.excludeId ? sql`and ${c.id} <> ${probe.excludeId}` : sql``}
      and (${sql.join(tests, sql` or `)})
    order by case when ${sameCode} then 0 when ${sameKey} then 1 else 2 end, ${likeness} desc, ${c.createdAt} desc
    limit ${limit}`)
  return res.rows.map((r) => ({
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    matchedBy: r.matched_by,
    visible: r.visible,
  }))
}

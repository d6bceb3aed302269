import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { sqlArray } from './bulk.js'
import type { Candidate } from './match.js'
import { identityKey } from './match.js'
import type { IdentityKind } from './schema.js'

export interface KeyProbe {
  kind: IdentityKind
  namespace: string
  value: string
}

/** Leads per blocking key: enough for a common name without reading thousands of 张伟. */
const BLOCK_LIMIT = 20

/**
 * Everything matching needs for a batch, in two round trips: which person each exact key belongs
 * to, and the leads (with all their person's keys) of those persons and of the leads sharing a
 * name key or a company key with the batch (the blocking keys for fuzzy rules).
 */
export async function loadCandidates(
  ctx: Ctx,
  probes: KeyProbe[],
  nameKeys: string[],
  companyKeys: string[],
): Promise<{ personByKey: Map<string, string>; candidates: Candidate[] }> {
  const t = ctx.actor.tenantId
  const personByKey = new Map<string, string>()
  if (probes.length) {
    const hits = await ctx.db.execute<{
      kind: IdentityKind
      namespace: string
      value: string
      person_id: string
    }>(sql`
      select i.kind, i.namespace, i.value, i.person_id
      from unnest(${sqlArray(
        probes.map((p) => p.kind),
        'text',
      )}, ${sqlArray(
        probes.map((p) => p.namespace),
        'text',
      )},
                  ${sqlArray(
                    probes.map((p) => p.value),
                    'text',
                  )}) k(kind, namespace, value)
      join person_identities i on i.tenant_id = ${t} and i.kind = k.kind and i.namespace = k.namespace and i.value = k.value`)
    for (const h of hits.rows) personByKey.set(identityKey(h.kind, h.namespace, h.value), h.person_id)
  }
  const persons = [...new Set(personByKey.values())]
  if (!persons.length && !nameKeys.length && !companyKeys.length) return { personByKey, candidates: [] }
  const rows = await ctx.db.execute<{
    id: string
    person_id: string
    org_id: string
    channel_id: string | null
    last_campaign_id: string | null
    last_intent_at: Date | string
    name_key: string | null
    company_key: string | null
    region_code: string | null
    ids: string[] | null
  }>(sql`
    with ps as (
      select unnest(${sqlArray(persons, 'uuid')}) as person_id
      union
      select b.person_id from unnest(${sqlArray(nameKeys, 'text')}) n(key)
        cross join lateral (select person_id from leads
          where tenant_id = ${t} and name_key = n.key and person_id is not null limit ${BLOCK_LIMIT}) b
      union
      select b.person_id from unnest(${sqlArray(companyKeys, 'text')}) c(key)
        cross join lateral (select person_id from leads
          where tenant_id = ${t} and company_key = c.key and person_id is not null limit ${BLOCK_LIMIT}) b
    )
    select l.id, l.person_id, l.org_id, l.channel_id, l.last_campaign_id, l.last_intent_at,
           l.name_key, l.company_key, l.region_code,
           (select array_agg(i.kind || '|' || i.namespace || '|' || i.value) from person_identities i
             where i.tenant_id = ${t} and i.person_id = l.person_id) as ids
    from ps join leads l on l.tenant_id = ${t} and l.person_id = ps.person_id`)
  return {
    personByKey,
    candidates: rows.rows.map((r) => ({
      leadId: r.id,
      personId: r.person_id,
      orgId: r.org_id,
      channelId: r.channel_id,
      campaignId: r.last_campaign_id,
      lastIntentAt: new Date(r.last_intent_at),
      identities: new Set(r.ids ?? []),
      nameKey: r.name_key,
      companyKey: r.company_key,
      regionCode: r.region_code,
    })),
  }
}

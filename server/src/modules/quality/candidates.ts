import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import type { Candidate } from './match.js'
import { identityKey } from './match.js'
import type { IdentityKind } from './schema.js'

export interface KeyProbe {
  kind: IdentityKind
  namespace: string
  value: string
}

/** A record's blocking keys for fuzzy rules: its name key and company key. */
export interface BlockingKeys {
  name: string | null
  company: string | null
}

/** Leads per blocking key: enough for look-alikes without reading every 张伟 of a large pool. */
const BLOCK_LIMIT = 20

/**
 * Everything matching needs for a batch, in two round trips.
 * 1. Which person each exact key belongs to (the identity primary key).
 * 2. The leads of those persons — with all their person's keys, for rules that combine a key with
 *    a fuzzy condition — plus look-alike leads for the fuzzy rules, found by blocking: the same
 *    company key, or the same name key at a company whose key starts alike (a company typo after its
 *    first characters). Names alone are too common to block on when a company is known.
 */
export async function loadCandidates(
  ctx: Ctx,
  probes: KeyProbe[],
  blocking: BlockingKeys[],
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
      from jsonb_to_recordset(${JSON.stringify(probes)}::jsonb) as k(kind text, namespace text, value text)
      join person_identities i on i.tenant_id = ${t} and i.kind = k.kind and i.namespace = k.namespace and i.value = k.value`)
    for (const h of hits.rows) personByKey.set(identityKey(h.kind, h.namespace, h.value), h.person_id)
  }
  const persons = [...new Set(personByKey.values())]
  const blocks = uniqueBlocks(blocking)
  if (!persons.length && !blocks.length) return { personByKey, candidates: [] }
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
    with hits as (
      select p.id::uuid as person_id from jsonb_array_elements_text(${JSON.stringify(persons)}::jsonb) p(id)
    ), b as (
      select * from jsonb_to_recordset(${JSON.stringify(blocks)}::jsonb) as b(name text, company text)
    ), ps as (
      select person_id from hits
      union
      select x.person_id from b cross join lateral (select person_id from leads
        where tenant_id = ${t} and company_key = b.company and person_id is not null limit ${BLOCK_LIMIT}) x
        where b.company is not null
      union
      select x.person_id from b cross join lateral (select person_id from leads
        where tenant_id = ${t} and name_key = b.name and person_id is not null
          and (b.company is null or company_key like left(b.company, 2) || '%') limit ${BLOCK_LIMIT}) x
        where b.name is not null
    )
    select l.id, l.person_id, l.org_id, l.channel_id, l.last_campaign_id, l.last_intent_at,
           l.name_key, l.company_key, l.region_code,
           case when h.person_id is not null then (select array_agg(i.kind || '|' || i.namespace || '|' || i.value)
             from person_identities i where i.tenant_id = ${t} and i.person_id = l.person_id) end as ids
    from ps join leads l on l.tenant_id = ${t} and l.person_id = ps.person_id
    left join hits h on h.person_id = ps.person_id`)
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

function uniqueBlocks(blocking: BlockingKeys[]): BlockingKeys[] {
  const seen = new Set<string>()
  const out: BlockingKeys[] = []
  for (const b of blocking) {
    if (!b.name && !b.company) continue
    const k = `${b.name ?? ''}|${b.company ?? ''}`
    if (seen.has(k)) continue
    seen.add(k)
    out.push(b)
  }
  return out
}

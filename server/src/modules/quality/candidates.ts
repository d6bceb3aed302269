import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { sqlArray } from './bulk.js'
import type { Candidate } from './match.js'
import type { IdentityKind } from './schema.js'

export interface KeyProbe {
  kind: IdentityKind
  namespace: string
  value: string
}

/** A record's blocking keys for fuzzy rules: its name key, the name's pinyin and its company key. */
export interface BlockingKeys {
  name: string | null
  pinyin: string | null
  company: string | null
}

/** Leads per blocking key: enough for look-alikes without reading every 张伟 of a large pool. */
const BLOCK_LIMIT = 20
/** Leads read on each side of a record at its company, in pinyin order. */
const NEIGHBOURS = 10
/**
 * Namesakes read on each side of a record's company, in company order. Fewer: names are common. At
 * 200,000 leads 5 found 80 % of the look-alike companies the default rule asks for, 10 found 87 % at
 * a fifth fewer rows/s, the former any-20 block 33 % (docs/BENCHMARKS.md).
 */
const NAMESAKE_NEIGHBOURS = 5
/** What matching reads of a candidate lead, in the order of the result's columns after `key`. */
const CANDIDATE_COLUMNS = sql.raw(
  'l.id, l.person_id, l.org_id, l.channel_id, l.last_campaign_id, l.last_intent_at, l.name_key, l.company_key, l.region_code',
)

/**
 * Everything matching needs for a batch, in one round trip.
 * 1. Which person each exact key belongs to (the identity primary key).
 * 2. The leads of those persons — with all their person's keys, for rules that combine a key with
 *    a fuzzy condition — plus look-alike leads for the fuzzy rules, found by blocking: the leads of
 *    the same company whose names' pinyin sorts nearest to the record's, and the leads of the same
 *    name whose company keys sort nearest (a company typo after its first characters). Names alone
 *    are too common to block on when a company is known. A look-alike comes alone (its person's
 *    other leads share no blocking key, so no fuzzy rule could take them), read in the same index
 *    scan that found it.
 * Keys and blocks go in as typed arrays and leads are read per person (lateral): the plan stays
 * index probes even when the tables' statistics lag far behind a fast-growing workspace (a JSON
 * document, always estimated at 100 rows, made PostgreSQL hash every lead of the workspace).
 */
export async function loadCandidates(
  ctx: Ctx,
  probes: KeyProbe[],
  blocking: BlockingKeys[],
): Promise<{ personByKey: Map<string, string>; candidates: Candidate[] }> {
  const t = ctx.actor.tenantId
  const personByKey = new Map<string, string>()
  const blocks = uniqueBlocks(blocking)
  if (!probes.length && !blocks.length) return { personByKey, candidates: [] }
  const rows = await ctx.db.execute<{
    key: string | null
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
    with k as (
      select * from unnest(${sqlArray(
        probes.map((p) => p.kind),
        'text',
      )}, ${sqlArray(
        probes.map((p) => p.namespace),
        'text',
      )}, ${sqlArray(
        probes.map((p) => p.value),
        'text',
      )}) as k(kind, namespace, value)
    ), owned as (
      -- one primary-key probe per key (offset 0): joined, PostgreSQL hashed every identity of the
      -- workspace once it believed the probes many (80 ms a batch at 260,000 identities, and growing)
      select k.kind, k.namespace, k.value, i.person_id from k cross join lateral (
        select i.person_id from person_identities i where i.tenant_id = ${t} and i.kind = k.kind
          and i.namespace = k.namespace and i.value = k.value offset 0) i
    ), hits as (
      select distinct person_id from owned
    ), b as (
      select * from unnest(${sqlArray(
        blocks.map((b) => b.name),
        'text',
      )}, ${sqlArray(
        blocks.map((b) => b.pinyin),
        'text',
      )}, ${sqlArray(
        blocks.map((b) => b.company),
        'text',
      )}) as b(name, pinyin, company)
    ), blocked as (
      -- at the record's company, the leads whose names' pinyin sorts nearest to its own, on both sides
      -- (leads_company_pinyin_idx gives them in order): homophones (张伟 / 章伟 / 张玮) sort together,
      -- where any 20 leads of a company with hundreds missed most of them
      select x.* from b cross join lateral (${neighbours(t, 'company_key', 'company', 'pinyin_full', 'pinyin', NEIGHBOURS)}) x
        where b.company is not null and b.pinyin is not null
      union
      -- a record without a name: any leads of its company (only company rules can take them)
      select x.* from (select distinct company from b where company is not null and pinyin is null) c
        cross join lateral (select ${CANDIDATE_COLUMNS} from leads l
          where l.tenant_id = ${t} and l.company_key = c.company and l.person_id is not null limit ${BLOCK_LIMIT}) x
      union
      -- the same name at the companies whose keys sort nearest to the record's (leads_name_key_idx
      -- gives them in order): a company typo after its first characters sorts beside the original
      select x.* from b cross join lateral (${neighbours(t, 'name_key', 'name', 'company_key', 'company', NAMESAKE_NEIGHBOURS)}) x
        where b.name is not null and b.company is not null
      union
      -- a name without a company: leads of that name (only name rules can take them)
      select x.* from b cross join lateral (select ${CANDIDATE_COLUMNS} from leads l
        where l.tenant_id = ${t} and l.name_key = b.name and l.person_id is not null limit ${BLOCK_LIMIT}) x
        where b.name is not null and b.company is null
    )
    -- every lead of a person owning one of the keys, with all that person's keys
    select null as key, l.*, (select array_agg(i.kind || '|' || i.namespace || '|' || i.value)
             from person_identities i where i.tenant_id = ${t} and i.person_id = l.person_id) as ids
    -- offset 0 keeps this a per-person index probe (flattened, it became a hash of every lead)
    from hits h cross join lateral (select ${CANDIDATE_COLUMNS} from leads l
      where l.tenant_id = ${t} and l.person_id = h.person_id offset 0) l
    union all
    -- look-alikes: the blocked leads themselves (their person's keys matter only to a hit)
    select null, x.*, null from blocked x where not exists (select 1 from hits h where h.person_id = x.person_id)
    union all
    select o.kind || '|' || o.namespace || '|' || o.value, null, o.person_id, null, null, null, null,
           null, null, null, null
    from owned o`)
  const candidates: Candidate[] = []
  for (const r of rows.rows) {
    if (r.key !== null) {
      personByKey.set(r.key, r.person_id)
      continue
    }
    candidates.push({
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
    })
  }
  return { personByKey, candidates }
}

/**
 * The leads of a block (`l.<column>` = `b.<key>`) on each side of the record in `l.<order>`:
 * `n` from `b.<value>` up and `n` below it, each an index range scan read in order.
 */
function neighbours(t: string, column: string, key: string, order: string, value: string, n: number) {
  const side = (cmp: '>=' | '<', dir: 'asc' | 'desc') =>
    sql`l.tenant_id = ${t} and ${sql.raw(`l.${column} = b.${key} and l.${order} ${cmp} b.${value}
      and l.person_id is not null order by l.${order} ${dir} limit ${n}`)}`
  return sql`(select ${CANDIDATE_COLUMNS} from leads l where ${side('>=', 'asc')})
    union all (select ${CANDIDATE_COLUMNS} from leads l where ${side('<', 'desc')})`
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

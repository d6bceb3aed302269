import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { auditInsert } from '../../platform/audit/service.js'
import { validateCustomValues } from '../../platform/custom-fields/validate.service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { publishInsert } from '../../platform/events/outbox.js'
import type { FieldError } from '../../platform/http/errors.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { sqlArray, unnestRows } from './bulk.js'
import { CandidateIndex } from './candidate-index.js'
import { loadCandidates } from './candidates.js'
import { loadFactoryConfig } from './config.js'
import { findMatch, identityKey, identityKeysOf, type Match } from './match.js'
import { type LeadInput, type NormalizedLead, normalizeLead } from './normalize/index.js'
import { type IntentOutcome, leadIntents, type QualitySettingsValue } from './schema.js'
import { gradeSql, scoreSql } from './scoring.service.js'
import { type LeadValues, MERGE_FIELDS, survive } from './survivorship.js'

/** Where a batch comes from and where its new leads go. */
export interface IntakeSource {
  channelId: string | null
  campaignId: string | null
  importId: string | null
  /** Owning unit and org boundary of new leads; owner when the channel assigns one. */
  unitId: string
  orgId: string
  ownerId?: string | null
  /** Label stored in leads.source (the channel's name). */
  source: string | null
  /** Status of new leads (default: assigned with an owner, else new). */
  status?: string
  /** false: the caller writes the audit record itself (a lead typed in by a person). */
  audit?: boolean
  /** The workspace's phone region (workspacePhoneRegion), when the caller has read it already. */
  phoneRegion?: string
}

export interface IntakeRecord {
  lead: LeadInput
  custom?: Record<string, unknown>
  /** Overrides the source's campaign (a campaign code in the row or the link). */
  campaignId?: string | null
  receivedAt?: Date
  /** `normalizeLead(lead, phoneRegion)` computed ahead (by a bulk import); else done here. */
  normalized?: NormalizedLead
}

export interface IntakeResult {
  outcome: IntentOutcome
  leadId: string | null
  personId: string | null
  /** For review and duplicate: the existing lead it resembles; for overwrite: the lead it replaced. */
  candidateLeadId: string | null
  rule: string | null
  /** `value`: the value as received, for a flagged field kept empty on the lead (mobile `1234`). */
  issues: { field: string; code: string; value?: string }[]
  intentId: string | null
}

/** Which workspace validation policy governs an issue; required and too_long always reject. */
const POLICY_OF: Record<string, keyof QualitySettingsValue['validation'] | null> = {
  invalid_phone: 'mobile',
  not_mobile: 'mobile',
  invalid_email: 'email',
  disposable_email: 'disposableEmail',
  invalid_openid: 'wechat',
  invalid_unionid: 'wechat',
  invalid_credit_code: 'creditCode',
}

const LEAD_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  name: 'text',
  mobile: 'text',
  phone: 'text',
  email: 'text',
  company: 'text',
  title: 'text',
  credit_code: 'text',
  address: 'text',
  region_code: 'text',
  notes: 'text',
  source: 'text',
  status: 'text',
  owner_id: 'uuid',
  unit_id: 'uuid',
  org_id: 'uuid',
  custom: 'jsonb',
  created_by: 'uuid',
  person_id: 'uuid',
  channel_id: 'uuid',
  first_campaign_id: 'uuid',
  last_campaign_id: 'uuid',
  import_id: 'uuid',
  intent_count: 'int',
  last_intent_at: 'timestamptz',
  quality: 'text',
  quality_issues: 'jsonb',
  name_key: 'text',
  company_key: 'text',
  pinyin_full: 'text',
  pinyin_initials: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
}
const PERSON_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  name: 'text',
  company: 'text',
  region_code: 'text',
  first_seen_at: 'timestamptz',
  last_seen_at: 'timestamptz',
}
const IDENTITY_COLUMNS = {
  tenant_id: 'uuid',
  kind: 'text',
  namespace: 'text',
  value: 'text',
  person_id: 'uuid',
}
/** A merge target's row as written back, with what its score reads (tenant, person, channel). */
const MERGED_COLUMNS = Object.fromEntries(
  `tenant_id id person_id channel_id name mobile phone email company title credit_code address region_code
   notes custom name_key company_key pinyin_full pinyin_initials status intent_count last_intent_at
   last_campaign_id`
    .split(/\s+/)
    .map((c) => [c, LEAD_COLUMNS[c as keyof typeof LEAD_COLUMNS]]),
)
const MERGE_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  target_lead_id: 'uuid',
  intent_id: 'uuid',
  import_id: 'uuid',
  before: 'jsonb',
  changed: 'jsonb',
  merged_by: 'uuid',
  merged_at: 'timestamptz',
}
const INTENT_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  lead_id: 'uuid',
  person_id: 'uuid',
  channel_id: 'uuid',
  campaign_id: 'uuid',
  import_id: 'uuid',
  external_id: 'text',
  outcome: 'text',
  rule_id: 'uuid',
  issues: 'jsonb',
  payload: 'jsonb',
  received_at: 'timestamptz',
}
const REVIEW_COLUMNS = {
  tenant_id: 'uuid',
  id: 'uuid',
  kind: 'text',
  lead_id: 'uuid',
  candidate_lead_id: 'uuid',
  rule_id: 'uuid',
  rule_name: 'text',
  similarity: 'real',
  reasons: 'jsonb',
  unit_id: 'uuid',
  org_id: 'uuid',
}
const columnList = (columns: Record<string, string>) =>
  sql.raw(
    Object.keys(columns)
      .map((c) => `"${c}"`)
      .join(', '),
  )
const COLUMN_OF: Record<string, string> = {
  creditCode: 'credit_code',
  regionCode: 'region_code',
}
const col = (field: string) => COLUMN_OF[field] ?? field

type LeadRow = Record<string, unknown> & { id: string; person_id: string; custom: Record<string, unknown> }

function valuesOf(n: NormalizedLead, custom: Record<string, unknown>): LeadValues {
  const v: LeadValues = { custom }
  for (const f of MERGE_FIELDS) v[f] = (n as unknown as Record<string, string | null>)[f] ?? null
  return v
}

/** A row's merge-relevant values, read back from a lead row (snake_case columns). */
function rowValues(row: LeadRow): LeadValues & { channelId: string | null } {
  const v: LeadValues & { channelId: string | null } = {
    custom: row.custom ?? {},
    channelId: (row.channel_id as string) ?? null,
  }
  for (const f of MERGE_FIELDS) v[f] = (row[col(f)] as string | null) ?? null
  return v
}

interface Decided {
  n: NormalizedLead
  custom: Record<string, unknown>
  issues: { field: string; code: string; value?: string }[]
  campaignId: string | null
  at: Date
  result: IntakeResult
  match: Match | null
  /** The row this record creates (created, review, overwrite). */
  row?: LeadRow
}

/**
 * The data factory (数据工厂) for a batch: validate → normalise → resolve identity → dedupe by the
 * workspace rules → merge / overwrite / flag for review / reject → write → score. One transaction,
 * serialised per workspace by an advisory lock, so two batches carrying the same phone cannot both
 * create it. Publishes `lead.created` and `lead.merged` with the lead ids of the batch.
 */
export async function runFactory(
  ctx: Ctx,
  source: IntakeSource,
  records: IntakeRecord[],
): Promise<IntakeResult[]> {
  // Normalising needs neither the lock nor the transaction: done before either is held.
  const phoneRegion = source.phoneRegion ?? (await workspacePhoneRegion(ctx.db, ctx.actor.tenantId))
  const normalized = records.map((r) => r.normalized ?? normalizeLead(r.lead, phoneRegion))
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    // The lock and the configuration in one round trip (see loadFactoryConfig).
    const config = await loadFactoryConfig(tx, `intake:${t}`)
    const { settings, rules, definitions } = config
    const now = new Date()

    // 1. Validate; the workspace decides whether an invalid value rejects or flags.
    const decided: Decided[] = []
    for (const [i, record] of records.entries()) {
      const n = normalized[i]!
      const reject = n.issues.filter((i) => {
        const p = POLICY_OF[i.code]
        return p === null || p === undefined ? true : settings.validation[p] === 'reject'
      })
      let custom: Record<string, unknown> = {}
      const customIssues: FieldError[] = []
      if (definitions.length || (record.custom && Object.keys(record.custom).length))
        custom = await validateCustomValues(tx, 'lead', record.custom ?? {}, {
          definitions,
          phoneRegion,
        }).catch((err) => {
          customIssues.push(
            ...((err.fields as FieldError[] | undefined) ?? [{ field: 'custom', code: 'invalid' }]),
          )
          return {}
        })
      // A flagged value is not on the lead (its normalised columns and dedupe keys stay clean), so
      // the issue keeps it as received: the review queue shows it and a person can correct it.
      const issues = n.issues.map((i) => ({
        field: i.field as string,
        code: i.code,
        ...(i.value ? { value: i.value } : {}),
      }))
      const rejected = reject.length > 0 || customIssues.length > 0
      decided.push({
        n,
        custom,
        issues: [...issues, ...customIssues.map((f) => ({ field: f.field, code: f.code }))],
        campaignId: record.campaignId ?? source.campaignId,
        at: record.receivedAt ?? now,
        match: null,
        result: {
          outcome: rejected ? 'invalid' : 'created',
          leadId: null,
          personId: null,
          candidateLeadId: null,
          rule: null,
          issues: rejected
            ? [...reject.map((i) => ({ field: i.field as string, code: i.code })), ...customIssues]
            : issues,
          intentId: null,
        },
      })
    }

    // 2. A channel's own external id makes its retries exactly-once: a replay answers the first outcome.
    const externalIds = decided
      .filter((d) => d.result.outcome !== 'invalid' && d.n.externalId && source.channelId)
      .map((d) => d.n.externalId!)
    const seen = new Map<string, string | null>()
    if (externalIds.length) {
      const prior = await tx.db
        .select({ externalId: leadIntents.externalId, leadId: leadIntents.leadId })
        .from(leadIntents)
        .where(
          and(
            eq(leadIntents.tenantId, t),
            eq(leadIntents.channelId, source.channelId!),
            inArray(leadIntents.externalId, externalIds),
          ),
        )
      for (const p of prior) seen.set(p.externalId!, p.leadId)
    }

    // 3. Candidates: who owns each exact key, and leads sharing a blocking key.
    const live = decided.filter((d) => d.result.outcome !== 'invalid')
    const probes = live.flatMap((d) => identityKeysOf(d.n, source.channelId))
    const fuzzy = rules.some((r) =>
      r.conditions.some((c) => ['name', 'company', 'regionCode'].includes(c.field)),
    )
    const { personByKey, candidates } = await loadCandidates(
      tx,
      probes,
      fuzzy
        ? live.map((d) => ({
            name: d.n.keys.name,
            pinyin: d.n.keys.pinyinFull || null,
            company: d.n.keys.company,
          }))
        : [],
    )
    const index = new CandidateIndex(candidates)

    // 4. Decide record by record, in order: earlier records of the batch are candidates for later ones.
    const origin = { orgId: source.orgId, channelId: source.channelId }
    const newPersons: Record<string, unknown>[] = []
    const newIdentities: Record<string, unknown>[] = []
    for (const d of live) {
      const ext = d.n.externalId
      if (ext && source.channelId && seen.has(ext)) {
        d.result.outcome = 'duplicate'
        d.result.leadId = seen.get(ext) ?? null
        continue
      }
      const keys = identityKeysOf(d.n, source.channelId)
      const related = index.related(
        keys.map((k) => identityKey(k.kind, k.namespace, k.value)),
        d.n.keys.name,
        d.n.keys.company,
      )
      const match = findMatch(rules, d.n, { ...origin, campaignId: d.campaignId, now: d.at }, related)
      d.match = match
      d.result.rule = match?.rule.name ?? null
      const action = match?.rule.action
      if (ext && source.channelId) seen.set(ext, null)

      if (match && (action === 'merge' || action === 'reject')) {
        d.result.outcome = action === 'merge' ? 'merged' : 'duplicate'
        d.result.leadId = match.candidate.leadId
        d.result.personId = match.candidate.personId
        d.result.candidateLeadId = match.candidate.leadId
        if (ext && source.channelId) seen.set(ext, match.candidate.leadId)
      } else {
        // A new lead (created, or kept beside a look-alike for review, or replacing a stale one).
        const known = keys
          .map((k) => personByKey.get(identityKey(k.kind, k.namespace, k.value)))
          .find(Boolean)
        const personId = match && action === 'overwrite' ? match.candidate.personId : (known ?? newId())
        if (!known && !(match && action === 'overwrite'))
          newPersons.push({
            tenant_id: t,
            id: personId,
            name: d.n.name,
            company: d.n.company,
            region_code: d.n.regionCode,
            first_seen_at: d.at,
            last_seen_at: d.at,
          })
        const leadId = newId()
        d.result.outcome = match ? (action === 'overwrite' ? 'overwritten' : 'review') : 'created'
        d.result.leadId = leadId
        d.result.personId = personId
        d.result.candidateLeadId = match?.candidate.leadId ?? null
        d.row = {
          tenant_id: t,
          id: leadId,
          person_id: personId,
          ...Object.fromEntries(
            MERGE_FIELDS.map((f) => [col(f), (d.n as unknown as Record<string, unknown>)[f] ?? null]),
          ),
          name: d.n.name ?? d.n.company ?? d.n.mobile ?? d.n.email ?? d.n.externalId ?? '—',
          source: source.source,
          status: source.status ?? (source.ownerId ? 'assigned' : 'new'),
          owner_id: source.ownerId ?? null,
          unit_id: source.unitId,
          org_id: source.orgId,
          custom: d.custom,
          created_by: tx.actor.type === 'user' ? tx.actor.id : null,
          channel_id: source.channelId,
          first_campaign_id: d.campaignId,
          last_campaign_id: d.campaignId,
          import_id: source.importId,
          intent_count: 1,
          last_intent_at: d.at,
          quality: d.issues.length ? 'flagged' : 'ok',
          quality_issues: d.issues,
          name_key: d.n.keys.name,
          company_key: d.n.keys.company,
          pinyin_full: d.n.keys.pinyinFull,
          pinyin_initials: d.n.keys.pinyinInitials,
          created_at: d.at,
          updated_at: d.at,
        }
        if (ext && source.channelId) seen.set(ext, leadId)
        index.add({
          leadId,
          personId,
          orgId: source.orgId,
          channelId: source.channelId,
          campaignId: d.campaignId,
          lastIntentAt: d.at,
          identities: new Set(),
          nameKey: d.n.keys.name,
          companyKey: d.n.keys.company,
          regionCode: d.n.regionCode,
        })
      }
      // Every key of the record now belongs to its person (a key already owned by another person stays there).
      const personId = d.result.personId!
      for (const k of keys) {
        const key = identityKey(k.kind, k.namespace, k.value)
        if (personByKey.has(key)) continue
        personByKey.set(key, personId)
        newIdentities.push({
          tenant_id: t,
          kind: k.kind,
          namespace: k.namespace,
          value: k.value,
          person_id: personId,
        })
        index.addKey(personId, key)
      }
    }

    // 5. Apply merges in order: survivorship over the target's current values, with before-images.
    const created = decided.filter((d) => d.row)
    const mergedInto = decided.filter((d) => d.result.outcome === 'merged')
    const pendingRows = new Map(created.map((d) => [d.row!.id, d.row!]))
    const dbTargetIds = [
      ...new Set(mergedInto.map((d) => d.result.leadId!).filter((id) => !pendingRows.has(id))),
    ]
    const dbRows = new Map<string, LeadRow>()
    if (dbTargetIds.length) {
      const res = await tx.db.execute<LeadRow>(
        sql`select * from leads where tenant_id = ${t} and id = any(${sqlArray(dbTargetIds, 'uuid')}) for update`,
      )
      for (const r of res.rows) dbRows.set(r.id, r)
    }
    const merges: Record<string, unknown>[] = []
    const intents: Record<string, unknown>[] = []
    for (const d of decided) {
      if (d.result.outcome === 'duplicate' && !d.match) continue // a replay: nothing new happened
      const intentId = newId()
      d.result.intentId = intentId
      if (d.result.outcome === 'merged') {
        const target = pendingRows.get(d.result.leadId!) ?? dbRows.get(d.result.leadId!)
        if (!target) throw new Error(`merge target ${d.result.leadId} vanished`)
        const before = { ...target }
        // The same name or company in another spelling (張偉 / 张伟, 有限公司 / 股份有限公司) keeps the lead's own.
        const incoming = valuesOf(d.n, d.custom)
        if (d.n.keys.name && d.n.keys.name === target.name_key) incoming.name = null
        if (d.n.keys.company && d.n.keys.company === target.company_key) incoming.company = null
        const { values, changed } = survive(
          rowValues(target),
          incoming,
          source.channelId,
          settings.survivorship,
        )
        for (const [f, v] of Object.entries(values)) target[f === 'custom' ? 'custom' : col(f)] = v
        if (changed.includes('name') || changed.includes('company')) {
          target.name_key = d.n.keys.name ?? target.name_key
          target.company_key = d.n.keys.company ?? target.company_key
          target.pinyin_full = d.n.keys.pinyinFull ?? target.pinyin_full
          target.pinyin_initials = d.n.keys.pinyinInitials ?? target.pinyin_initials
        }
        target.intent_count = Number(target.intent_count ?? 1) + 1
        target.last_intent_at = d.at
        if (d.campaignId) target.last_campaign_id = d.campaignId
        // A repeat intent re-opens a closed or invalid lead (seed 003: 再次意向).
        if (target.status === 'closed' || target.status === 'invalid')
          target.status = target.owner_id ? 'assigned' : 'new'
        target.__touched = true
        merges.push({
          tenant_id: t,
          id: newId(),
          target_lead_id: target.id,
          intent_id: intentId,
          import_id: source.importId,
          before: stripInternal(before),
          changed,
          merged_by: tx.actor.type === 'user' ? tx.actor.id : null,
          merged_at: d.at,
        })
      }
      intents.push({
        tenant_id: t,
        id: intentId,
        lead_id: d.result.outcome === 'invalid' ? null : d.result.leadId,
        person_id: d.result.personId,
        channel_id: source.channelId,
        campaign_id: d.campaignId,
        import_id: source.importId,
        external_id:
          d.n.externalId && source.channelId
            ? d.result.outcome === 'duplicate'
              ? null
              : d.n.externalId
            : null,
        outcome: d.result.outcome,
        rule_id: d.match?.rule.id ?? null,
        issues: d.result.issues,
        payload: { ...stripKeys(d.n), custom: d.custom },
        received_at: d.at,
      })
    }

    // 6. Write everything in ONE statement (data-modifying CTEs, each only when it has rows). They
    // share one snapshot, so no part may need another's effect: new persons carry their seen-time
    // (greatest(): what the seen-time update gave them), leads are scored as inserted or updated,
    // and a lead both merged into and replaced is closed in its row instead of a second update.
    const replaced = new Set(
      decided.filter((d) => d.result.outcome === 'overwritten').map((d) => d.result.candidateLeadId!),
    )
    for (const id of replaced) {
      const row = pendingRows.get(id) ?? dbRows.get(id)
      if (row && (pendingRows.has(id) || row.__touched)) {
        row.status = 'closed'
        replaced.delete(id)
      }
    }
    const touched = [...dbRows.values()].filter((r) => r.__touched)
    const reviews = decided.filter((d) => d.result.outcome === 'review' || (d.row && d.issues.length))
    const newPersonIds = new Set(newPersons.map((p) => p.id as string))
    const personsSeen = [
      ...new Set(
        decided.map((d) => d.result.personId).filter((p): p is string => !!p && !newPersonIds.has(p)),
      ),
    ]
    // Scores are computed in a subquery `s` kept apart by `offset 0`: inlined, the score (with its
    // behaviour counts) was computed again for each mention of s.score in the grade.
    const score = scoreSql(config.scoring)
    const grade = gradeSql(sql`s.score`, settings.grades)
    const parts: SQL[] = []
    const part = (name: string, statement: SQL) => parts.push(sql`${sql.raw(name)} as (${statement})`)
    if (newPersons.length)
      part(
        'new_persons',
        sql`insert into persons (tenant_id, id, name, company, region_code, first_seen_at, last_seen_at)
          select tenant_id, id, name, company, region_code, first_seen_at, greatest(last_seen_at, now())
          from ${unnestRows(newPersons, PERSON_COLUMNS, 'r')}`,
      )
    if (newIdentities.length)
      part(
        'new_identities',
        sql`insert into person_identities (tenant_id, kind, namespace, value, person_id)
          select * from ${unnestRows(newIdentities, IDENTITY_COLUMNS, 'r')} on conflict do nothing`,
      )
    if (created.length)
      // Scored as inserted, by the same SQL rescoreLeads runs over a stored lead (the rows are `l`).
      part(
        'new_leads',
        sql`insert into leads (${columnList(LEAD_COLUMNS)}, score, grade)
          select ${columnList(LEAD_COLUMNS)}, s.score, ${grade}
          from (select l.*, ${score} as score from ${unnestRows(
            created.map((d) => d.row!),
            LEAD_COLUMNS,
            'l',
          )} offset 0) s`,
      )
    if (touched.length)
      // Rescored from the values it writes (the rows are `l` again): what rescoreLeads would answer after.
      part(
        'merged_leads',
        sql`update leads t set name = s.name, mobile = s.mobile, phone = s.phone, email = s.email,
          company = s.company, title = s.title, credit_code = s.credit_code, address = s.address,
          region_code = s.region_code, notes = s.notes, custom = s.custom, name_key = s.name_key,
          company_key = s.company_key, pinyin_full = s.pinyin_full, pinyin_initials = s.pinyin_initials,
          status = s.status, intent_count = s.intent_count, last_intent_at = s.last_intent_at,
          last_campaign_id = s.last_campaign_id, updated_at = now(), version = t.version + 1,
          score = s.score, grade = ${grade}
          from (select l.*, ${score} as score from ${unnestRows(touched, MERGED_COLUMNS, 'l')} offset 0) s
          where t.tenant_id = ${t} and t.id = s.id`,
      )
    // Overwrite: the newest record replaces the stale lead, which is closed (its history stays).
    if (replaced.size)
      part(
        'replaced_leads',
        sql`update leads set status = 'closed', updated_at = ${now}, version = version + 1
          where tenant_id = ${t} and id = any(${sqlArray([...replaced], 'uuid')})`,
      )
    if (merges.length)
      part(
        'merges',
        sql`insert into lead_merges (${columnList(MERGE_COLUMNS)}) select * from ${unnestRows(merges, MERGE_COLUMNS, 'r')}`,
      )
    if (intents.length)
      part(
        'intents',
        sql`insert into lead_intents (${columnList(INTENT_COLUMNS)})
          select * from ${unnestRows(intents, INTENT_COLUMNS, 'r')}`,
      )
    if (reviews.length)
      part(
        'reviews',
        sql`insert into review_items (${columnList(REVIEW_COLUMNS)}) select * from ${unnestRows(
          reviews.map((d) => ({
            tenant_id: t,
            id: newId(),
            kind: d.result.outcome === 'review' ? 'duplicate' : 'invalid',
            lead_id: d.result.leadId,
            candidate_lead_id: d.result.outcome === 'review' ? d.result.candidateLeadId : null,
            rule_id: d.match?.rule.id ?? null,
            rule_name: d.result.outcome === 'review' ? (d.match?.rule.name ?? null) : null,
            similarity: d.match?.similarity ?? null,
            reasons: d.issues,
            unit_id: source.unitId,
            org_id: source.orgId,
          })),
          REVIEW_COLUMNS,
          'r',
        )}`,
      )
    if (personsSeen.length)
      // Only rows it would change. least(): as `last_seen_at < now()` it was an index condition on
      // persons_last_seen_idx, read over every person of the workspace.
      part(
        'seen',
        sql`update persons set last_seen_at = now() where tenant_id = ${t}
          and id = any(${sqlArray(personsSeen, 'uuid')}) and least(last_seen_at, now()) < now()`,
      )
    // The run's events and its audit record go in the same statement (publishInsert, auditInsert).
    const createdIds = created.map((d) => d.row!.id)
    const mergedIds = [...new Set(mergedInto.map((d) => d.result.leadId!))]
    const payload = (leadIds: string[]) => ({
      leadIds,
      channelId: source.channelId,
      importId: source.importId,
    })
    const events = [
      ...(createdIds.length
        ? [{ type: 'lead.created', aggregateType: 'lead', payload: payload(createdIds) }]
        : []),
      ...(mergedIds.length
        ? [{ type: 'lead.merged', aggregateType: 'lead', payload: payload(mergedIds) }]
        : []),
    ]
    if (events.length) part('events', publishInsert(tx, events))
    const counts = countOutcomes(decided.map((d) => d.result))
    if (source.audit !== false)
      part(
        'audit',
        auditInsert(tx, [
          {
            action: 'intake',
            objectType: 'lead',
            objectId: createdIds.length === 1 && decided.length === 1 ? createdIds[0] : null,
            summary: Object.entries(counts)
              .filter(([, n]) => n)
              .map(([k, n]) => `${k} ${n}`)
              .join(', '),
            after: {
              channelId: source.channelId,
              importId: source.importId,
              counts,
              created: createdIds,
              merged: mergedIds,
            },
          },
        ]),
      )
    if (parts.length) await tx.db.execute(sql`with ${sql.join(parts, sql`, `)} select 1`)
    return decided.map((d) => d.result)
  })
}

export function countOutcomes(results: Pick<IntakeResult, 'outcome'>[]): Record<IntentOutcome, number> {
  const counts: Record<IntentOutcome, number> = {
    created: 0,
    merged: 0,
    overwritten: 0,
    duplicate: 0,
    review: 0,
    invalid: 0,
  }
  for (const r of results) counts[r.outcome]++
  return counts
}

function stripInternal<T extends Record<string, unknown>>(row: T): T {
  const { __touched, ...rest } = row
  return rest as T
}

function stripKeys(n: NormalizedLead) {
  const { keys, issues, ...rest } = n
  return rest
}

import { asc, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { sqlArray } from './bulk.js'
import { type QualitySettingsValue, type ScoringKind, scoringRules } from './schema.js'
import { loadSettings } from './settings.service.js'

export interface ScoringRule {
  id: string | null
  name: string
  kind: ScoringKind
  params: Record<string, unknown>
  points: number
  enabled: boolean
}

/** Lead fields a rule may test, by their column (anything else is refused when a rule is saved). */
export const SCORABLE_FIELDS: Record<string, string> = {
  name: 'name',
  mobile: 'mobile',
  phone: 'phone',
  email: 'email',
  company: 'company',
  title: 'title',
  creditCode: 'credit_code',
  address: 'address',
  regionCode: 'region_code',
  notes: 'notes',
}
const CUSTOM_KEY = /^custom\.([a-z][a-z0-9_]{0,39})$/

export const DEFAULT_SCORING: ScoringRule[] = [
  {
    id: null,
    name: '资料完整度',
    kind: 'completeness',
    params: { fields: ['name', 'mobile', 'email', 'company', 'title', 'regionCode'] },
    points: 30,
    enabled: true,
  },
  {
    id: null,
    name: '有手机号',
    kind: 'field_present',
    params: { field: 'mobile' },
    points: 20,
    enabled: true,
  },
  { id: null, name: '多次意向', kind: 'intent_count', params: { min: 2 }, points: 20, enabled: true },
  { id: null, name: '近 30 天有意向', kind: 'recency', params: { days: 30 }, points: 15, enabled: true },
  {
    id: null,
    name: '近 30 天浏览 ≥ 3 次',
    kind: 'behaviour_count',
    params: { eventType: 'view', days: 30, min: 3 },
    points: 15,
    enabled: true,
  },
]

/** A field reference as SQL over the lead row `l`; throws on a field that is not scorable. */
export function fieldPresent(field: string): SQL {
  const custom = field.match(CUSTOM_KEY)
  if (custom) return sql`(l.custom ->> ${custom[1]!}) is not null and (l.custom ->> ${custom[1]!}) <> ''`
  const column = SCORABLE_FIELDS[field]
  if (!column) throw new Error(`unknown field ${field}`)
  return sql`${sql.identifier('l')}.${sql.identifier(column)} is not null and ${sql.identifier('l')}.${sql.identifier(column)} <> ''`
}

const num = (v: unknown, fallback: number) => (Number.isFinite(Number(v)) ? Number(v) : fallback)

/** The points one rule gives a lead `l`, as SQL. */
export function ruleSql(rule: ScoringRule): SQL {
  const p = rule.params
  switch (rule.kind) {
    case 'completeness': {
      const fields = (Array.isArray(p.fields) ? p.fields : []) as string[]
      if (!fields.length) return sql`0`
      const filled = sql.join(
        fields.map((f) => sql`(case when ${fieldPresent(f)} then 1 else 0 end)`),
        sql` + `,
      )
      return sql`round(${rule.points}::numeric * (${filled}) / ${fields.length})::int`
    }
    case 'field_present':
      return sql`(case when ${fieldPresent(String(p.field))} then ${rule.points} else 0 end)`
    case 'intent_count':
      return sql`(case when l.intent_count >= ${num(p.min, 2)} then ${rule.points} else 0 end)`
    case 'recency':
      return sql`(case when l.last_intent_at > now() - make_interval(days => ${num(p.days, 30)}) then ${rule.points} else 0 end)`
    case 'channel': {
      const ids = (Array.isArray(p.channelIds) ? p.channelIds : []) as string[]
      return sql`(case when l.channel_id = any(${sqlArray(ids, 'uuid')}) then ${rule.points} else 0 end)`
    }
    case 'behaviour_count':
      return sql`(case when (select count(*) from behaviour_events e
        where e.tenant_id = l.tenant_id and e.person_id = l.person_id and e.type = ${String(p.eventType ?? 'view')}
          and e.occurred_at > now() - make_interval(days => ${num(p.days, 30)})) >= ${num(p.min, 1)}
        then ${rule.points} else 0 end)`
  }
}

export async function loadScoringRules(ctx: Ctx): Promise<ScoringRule[]> {
  const rows = await ctx.db
    .select()
    .from(scoringRules)
    .where(eq(scoringRules.tenantId, ctx.actor.tenantId))
    .orderBy(asc(scoringRules.createdAt))
  return rows.length ? rows.filter((r) => r.enabled) : DEFAULT_SCORING
}

/** The total points of a lead `l` under `rules`, as SQL (the one definition of a score). */
export function scoreSql(rules: ScoringRule[]): SQL {
  return rules.length ? sql`(${sql.join(rules.map(ruleSql), sql` + `)})::int` : sql`0`
}

/** The grade of a score under the workspace's thresholds, as SQL. */
export function gradeSql(score: SQL, g: QualitySettingsValue['grades']): SQL {
  return sql`case when ${score} >= ${g.A} then 'A' when ${score} >= ${g.B} then 'B' when ${score} >= ${g.C} then 'C' else 'D' end`
}

/**
 * Recomputes score and grade of the given leads in one statement (set-based: batches of any size).
 * `loaded`: the rules and grades when the caller has read them already (the data factory).
 * Each row is scored in place (no join of leads to itself: with stale statistics PostgreSQL
 * hashed the whole workspace's leads for one id — 60 ms for a single lead); `offset 0` keeps the
 * score from being computed again for each mention in the grade.
 */
export async function rescoreLeads(
  ctx: Ctx,
  leadIds: string[],
  loaded?: { rules: ScoringRule[]; grades: QualitySettingsValue['grades'] },
): Promise<void> {
  if (!leadIds.length) return
  const rules = loaded?.rules ?? (await loadScoringRules(ctx))
  const grades = loaded?.grades ?? (await loadSettings(ctx)).grades
  await ctx.db.execute(sql`
    update leads l set (score, grade) = (select s.score, ${gradeSql(sql`s.score`, grades)}
      from (select ${scoreSql(rules)} as score offset 0) s)
    where l.tenant_id = ${ctx.actor.tenantId} and l.id = any(${sqlArray(leadIds, 'uuid')})`)
}

/** Why a lead has its score: the points each rule gives it now. */
export async function explainScore(
  ctx: Ctx,
  leadId: string,
): Promise<{ rule: string; kind: ScoringKind; points: number }[]> {
  const rules = await loadScoringRules(ctx)
  if (!rules.length) return []
  const cols = sql.join(
    rules.map((r, i) => sql`(${ruleSql(r)})::int as ${sql.identifier(`r${i}`)}`),
    sql`, `,
  )
  const res = await ctx.db.execute<Record<string, number>>(
    sql`select ${cols} from leads l where l.tenant_id = ${ctx.actor.tenantId} and l.id = ${leadId}`,
  )
  const row = res.rows[0]
  if (!row) return []
  return rules.map((r, i) => ({ rule: r.name, kind: r.kind, points: Number(row[`r${i}`] ?? 0) }))
}

import { asc, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { loadDefinitions } from '../../platform/custom-fields/definitions.service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import { enqueue } from '../../platform/jobs/queue.js'
import {
  DEDUPE_ACTIONS,
  dedupeRules,
  MATCH_FIELDS,
  type QualitySettingsValue,
  qualitySettings,
  SCORING_KINDS,
  scoringRules,
} from './schema.js'
import { DEFAULT_SCORING, loadScoringRules, SCORABLE_FIELDS, type ScoringRule } from './scoring.service.js'
import { DEFAULT_RULES, type DedupeRule, loadSettings } from './settings.service.js'

const IDENTITY_FIELDS = new Set([
  'mobile',
  'phone',
  'email',
  'openid',
  'unionid',
  'deviceId',
  'externalId',
  'creditCode',
])

/** The workspace's dedupe rules in priority order (the defaults while it has none). */
export async function listDedupeRules(ctx: Ctx): Promise<DedupeRule[]> {
  const rows = await ctx.db
    .select()
    .from(dedupeRules)
    .where(eq(dedupeRules.tenantId, ctx.actor.tenantId))
    .orderBy(asc(dedupeRules.priority))
  return rows.length ? rows : DEFAULT_RULES
}

export function checkDedupeRules(rules: Omit<DedupeRule, 'id'>[]): void {
  const errors: FieldError[] = []
  rules.forEach((r, i) => {
    const at = `rules[${i}]`
    if (!r.name?.trim()) errors.push({ field: `${at}.name`, code: 'required' })
    if (!(DEDUPE_ACTIONS as readonly string[]).includes(r.action))
      errors.push({ field: `${at}.action`, code: 'invalid_option' })
    if (!r.conditions?.length) errors.push({ field: `${at}.conditions`, code: 'required' })
    r.conditions?.forEach((c, j) => {
      const ct = `${at}.conditions[${j}]`
      if (!(MATCH_FIELDS as readonly string[]).includes(c.field))
        errors.push({ field: `${ct}.field`, code: 'invalid_option' })
      else if (c.match === 'fuzzy' && IDENTITY_FIELDS.has(c.field))
        errors.push({ field: `${ct}.match`, code: 'exact_only' }) // ids either are the same or not
      if (c.match !== 'exact' && c.match !== 'fuzzy')
        errors.push({ field: `${ct}.match`, code: 'invalid_option' })
      if (c.match === 'fuzzy' && !(typeof c.threshold === 'number' && c.threshold >= 0.5 && c.threshold <= 1))
        errors.push({ field: `${ct}.threshold`, code: 'out_of_range', params: { min: 0.5, max: 1 } })
    })
    const w = r.scope?.windowDays
    if (w != null && !(Number.isInteger(w) && w > 0 && w <= 3650))
      errors.push({ field: `${at}.scope.windowDays`, code: 'out_of_range', params: { min: 1, max: 3650 } })
  })
  if (errors.length) throw validationFailed(errors)
}

/** Replaces the whole rule set (order = priority). Audited with before and after. */
export async function saveDedupeRules(ctx: Ctx, rules: Omit<DedupeRule, 'id' | 'priority'>[]) {
  const withPriority = rules.map((r, i) => ({ ...r, priority: (i + 1) * 10 }))
  checkDedupeRules(withPriority)
  return inTransaction(ctx, async (tx) => {
    const before = await listDedupeRules(tx)
    await tx.db.delete(dedupeRules).where(eq(dedupeRules.tenantId, tx.actor.tenantId))
    if (withPriority.length)
      await tx.db.insert(dedupeRules).values(
        withPriority.map((r) => ({
          tenantId: tx.actor.tenantId,
          id: newId(),
          name: r.name.trim(),
          priority: r.priority,
          enabled: r.enabled ?? true,
          conditions: r.conditions,
          scope: r.scope ?? {},
          action: r.action,
        })),
      )
    const after = await listDedupeRules(tx)
    await writeAudit(tx, [
      { action: 'update', objectType: 'dedupe_rules', summary: `${after.length} rules`, before, after },
    ])
    return after
  })
}

export async function saveSettings(ctx: Ctx, value: QualitySettingsValue) {
  const errors: FieldError[] = []
  for (const [k, v] of Object.entries(value.validation))
    if (v !== 'reject' && v !== 'flag') errors.push({ field: `validation.${k}`, code: 'invalid_option' })
  const g = value.grades
  if (!(g.A > g.B && g.B > g.C && g.C >= 0)) errors.push({ field: 'grades', code: 'grades_order' })
  if (errors.length) throw validationFailed(errors)
  return inTransaction(ctx, async (tx) => {
    const before = await loadSettings(tx)
    await tx.db
      .insert(qualitySettings)
      .values({ tenantId: tx.actor.tenantId, value })
      .onConflictDoUpdate({
        target: qualitySettings.tenantId,
        set: { value, updatedAt: new Date(), version: sql`${qualitySettings.version} + 1` },
      })
    await writeAudit(tx, [
      { action: 'update', objectType: 'quality_settings', summary: 'settings', before, after: value },
    ])
    if (JSON.stringify(before.grades) !== JSON.stringify(value.grades)) await enqueueRescore(tx)
    return loadSettings(tx)
  })
}

export async function listScoringRules(ctx: Ctx): Promise<ScoringRule[]> {
  const rows = await ctx.db
    .select()
    .from(scoringRules)
    .where(eq(scoringRules.tenantId, ctx.actor.tenantId))
    .orderBy(asc(scoringRules.createdAt))
  return rows.length ? rows : DEFAULT_SCORING
}

/** Replaces the scoring rules; fields must be scorable base fields or existing lead custom fields. */
export async function saveScoringRules(ctx: Ctx, rules: Omit<ScoringRule, 'id'>[]) {
  const defs = new Set((await loadDefinitions(ctx, 'lead')).map((d) => `custom.${d.key}`))
  const okField = (f: unknown) => typeof f === 'string' && (f in SCORABLE_FIELDS || defs.has(f))
  const errors: FieldError[] = []
  rules.forEach((r, i) => {
    const at = `rules[${i}]`
    if (!(SCORING_KINDS as readonly string[]).includes(r.kind))
      errors.push({ field: `${at}.kind`, code: 'invalid_option' })
    if (!Number.isInteger(r.points) || Math.abs(r.points) > 1000)
      errors.push({ field: `${at}.points`, code: 'out_of_range' })
    if (r.kind === 'field_present' && !okField(r.params.field))
      errors.push({ field: `${at}.params.field`, code: 'invalid_option' })
    if (r.kind === 'completeness') {
      const fields = r.params.fields
      if (!Array.isArray(fields) || !fields.length || !fields.every(okField))
        errors.push({ field: `${at}.params.fields`, code: 'invalid_option' })
    }
    if (r.kind === 'behaviour_count' && !/^[a-z][a-z0-9_]{1,39}$/.test(String(r.params.eventType ?? '')))
      errors.push({ field: `${at}.params.eventType`, code: 'invalid_option' })
  })
  if (errors.length) throw validationFailed(errors)
  return inTransaction(ctx, async (tx) => {
    const before = await listScoringRules(tx)
    await tx.db.delete(scoringRules).where(eq(scoringRules.tenantId, tx.actor.tenantId))
    if (rules.length)
      await tx.db.insert(scoringRules).values(
        rules.map((r) => ({
          tenantId: tx.actor.tenantId,
          id: newId(),
          name: r.name,
          kind: r.kind,
          params: r.params,
          points: r.points,
          enabled: r.enabled ?? true,
        })),
      )
    const after = await loadScoringRules(tx)
    await writeAudit(tx, [
      { action: 'update', objectType: 'scoring_rules', summary: `${after.length} rules`, before, after },
    ])
    await enqueueRescore(tx)
    return listScoringRules(tx)
  })
}

/** Existing leads get the new scores in the background (a job with progress on the jobs page). */
function enqueueRescore(ctx: Ctx) {
  return enqueue(ctx, { type: 'quality.rescore', tenantId: ctx.actor.tenantId, maxAttempts: 3 })
}

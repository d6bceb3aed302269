import { asc, eq, getTableColumns, getTableName, type SQL, sql, type Table } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { customFieldRepo, type FieldDefinition } from '../../platform/custom-fields/definitions.service.js'
import { customFieldDefs } from '../../platform/custom-fields/schema.js'
import { dedupeRules, type QualitySettingsValue, qualitySettings, scoringRules } from './schema.js'
import { DEFAULT_SCORING, type ScoringRule } from './scoring.service.js'
import { DEFAULT_RULES, DEFAULT_SETTINGS, type DedupeRule } from './settings.service.js'

/** What one factory run reads of the workspace's configuration. */
export interface FactoryConfig {
  settings: QualitySettingsValue
  /** Enabled dedupe rules by priority (the defaults while the workspace has none). */
  rules: DedupeRule[]
  /** Enabled scoring rules (the defaults while the workspace has none). */
  scoring: ScoringRule[]
  /** Lead custom-field definitions in form order. */
  definitions: FieldDefinition[]
}

const objects = new Map<Table, SQL>()

/**
 * A table's rows as one JSON array of objects keyed by property name, in `order`. The object's
 * column list is static: built once as raw text (walking hundreds of chunks on every run was 0.2 ms
 * of each factory run, inside its lock).
 */
function rowsJson(table: Table, where: SQL | undefined, order: SQL): SQL {
  let object = objects.get(table)
  if (!object) {
    const name = getTableName(table)
    object = sql.raw(
      `json_build_object(${Object.entries(getTableColumns(table))
        .map(([k, c]) => `'${k}', "${name}"."${c.name}"`)
        .join(', ')})`,
    )
    objects.set(table, object)
  }
  return sql`(select coalesce(json_agg(${object} order by ${order}), '[]') from ${table} where ${where})`
}

/** Rows read by rowsJson, mapped by each column as Drizzle maps a selected row. */
function rowsFrom<T>(table: Table, json: Record<string, unknown>[]): T[] {
  const cols = Object.entries(getTableColumns(table))
  return json.map(
    (o) =>
      Object.fromEntries(
        cols.map(([k, c]) => [k, o[k] === null || o[k] === undefined ? null : c.mapFromDriverValue(o[k])]),
      ) as T,
  )
}

/**
 * Settings, dedupe rules, scoring rules and lead field definitions in ONE statement (what
 * loadSettings, loadRules, loadScoringRules and loadDefinitions read in four), read on every run
 * (no cache: a change by any server process applies to the next run). `lock`: an advisory lock
 * key taken in the same statement. The configuration is read as of the statement's start, which
 * may be before the lock is granted; that is as current as a change made just after the grant.
 */
export async function loadFactoryConfig(ctx: Ctx, lock?: string): Promise<FactoryConfig> {
  const t = ctx.actor.tenantId
  const res = await ctx.db.execute<{
    settings: Partial<QualitySettingsValue> | null
    rules: Record<string, unknown>[]
    scoring: Record<string, unknown>[]
    definitions: Record<string, unknown>[]
  }>(sql`select ${lock === undefined ? sql`` : sql`pg_advisory_xact_lock(hashtextextended(${lock}, 0)) as locked,`}
    (select value from ${qualitySettings} where ${eq(qualitySettings.tenantId, t)}) as settings,
    ${rowsJson(dedupeRules, eq(dedupeRules.tenantId, t), sql`${asc(dedupeRules.priority)}`)} as rules,
    ${rowsJson(scoringRules, eq(scoringRules.tenantId, t), sql`${asc(scoringRules.createdAt)}`)} as scoring,
    ${rowsJson(
      customFieldDefs,
      sql`${customFieldRepo.visible(ctx)} and ${eq(customFieldDefs.object, 'lead')}`,
      sql`${asc(customFieldDefs.position)}, ${asc(customFieldDefs.createdAt)}`,
    )} as definitions`)
  const row = res.rows[0]!
  const value = row.settings
  const rules = rowsFrom<DedupeRule & { enabled: boolean }>(dedupeRules, row.rules)
  const scoring = rowsFrom<ScoringRule>(scoringRules, row.scoring)
  return {
    // As loadSettings, loadRules and loadScoringRules answer.
    settings: value
      ? {
          validation: { ...DEFAULT_SETTINGS.validation, ...value.validation },
          survivorship: { ...DEFAULT_SETTINGS.survivorship, ...value.survivorship },
          grades: { ...DEFAULT_SETTINGS.grades, ...value.grades },
        }
      : DEFAULT_SETTINGS,
    rules: rules.length ? rules.filter((r) => r.enabled) : DEFAULT_RULES,
    scoring: scoring.length ? scoring.filter((r) => r.enabled) : DEFAULT_SCORING,
    definitions: rowsFrom<FieldDefinition>(customFieldDefs, row.definitions),
  }
}

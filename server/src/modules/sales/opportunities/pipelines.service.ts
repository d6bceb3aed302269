import { and, asc, count, eq, inArray, ne } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import {
  AppError,
  conflict,
  type FieldError,
  notFound,
  validationFailed,
} from '../../../platform/http/errors.js'
import './messages.js'
import { MEDDIC_KEYS, opportunities, pipelineStages, pipelines, type StageKind } from './schema.js'

/**
 * Sales pipelines (销售流程) and their stages: workspace configuration, no data scope. A pipeline
 * is read and written whole (its stages inline, in order); deleting one is for good (audited with
 * its stages), as a pipeline restored without its stages would be unusable.
 */
export const pipelinesRepo = createRepository({
  table: pipelines,
  objectType: 'pipeline',
  recycle: false,
  sortable: ['sort', 'name', 'createdAt'],
})
export const stagesRepo = createRepository({
  table: pipelineStages,
  objectType: 'pipeline_stage',
  recycle: false,
})

export type Pipeline = typeof pipelines.$inferSelect
export type Stage = typeof pipelineStages.$inferSelect
export type PipelineWithStages = Pipeline & { stages: Stage[] }

export interface StageInput {
  id?: string
  name: string
  probability: number
  kind: StageKind
  requiredFields?: string[]
}
export interface PipelineInput {
  name: string
  businessLine?: string | null
  isDefault?: boolean
  active?: boolean
  sort?: number
  stages: StageInput[]
}

/** Base fields a stage gate may require (besides meddic.<letter> and custom.<key>). */
export const GATE_BASE_FIELDS = [
  'amount',
  'expectedCloseDate',
  'contactId',
  'products',
  'competitors',
] as const

export const DEFAULT_PIPELINE_NAME = '默认销售流程'
const ALL_MEDDIC = MEDDIC_KEYS.map((k) => `meddic.${k}`)
export const DEFAULT_STAGES: StageInput[] = [
  { name: '初步接洽', probability: 10, kind: 'open', requiredFields: [] },
  { name: '需求确认', probability: 30, kind: 'open', requiredFields: ['contactId', 'amount'] },
  {
    name: '方案报价',
    probability: 50,
    kind: 'open',
    requiredFields: ['meddic.metrics', 'meddic.economicBuyer', 'meddic.identifyPain', 'products'],
  },
  { name: '商务谈判', probability: 70, kind: 'open', requiredFields: [...ALL_MEDDIC, 'expectedCloseDate'] },
  { name: '赢单', probability: 100, kind: 'won', requiredFields: [] },
  { name: '输单', probability: 0, kind: 'lost', requiredFields: [] },
]

/** The field names a stage gate may name in this workspace. */
export async function knownGateFields(ctx: Ctx): Promise<Set<string>> {
  const defs = await loadDefinitions(ctx, 'opportunity')
  return new Set<string>([...GATE_BASE_FIELDS, ...ALL_MEDDIC, ...defs.map((d) => `custom.${d.key}`)])
}

/** Stage rules: names, probabilities 0–100, ≥ 1 open stage, exactly one won and one lost, known gate fields. */
async function checkStages(ctx: Ctx, stages: StageInput[]): Promise<void> {
  const errors: FieldError[] = []
  const known = await knownGateFields(ctx)
  const names = new Set<string>()
  for (const [i, s] of stages.entries()) {
    if (names.has(s.name)) errors.push({ field: `stages[${i}].name`, code: 'not_unique' })
    names.add(s.name)
    if (!Number.isInteger(s.probability) || s.probability < 0 || s.probability > 100)
      errors.push({ field: `stages[${i}].probability`, code: 'invalid_value' })
    for (const [j, f] of (s.requiredFields ?? []).entries())
      if (!known.has(f))
        errors.push({
          field: `stages[${i}].requiredFields[${j}]`,
          code: 'unknown_gate_field',
          params: { stage: s.name, field: f },
        })
  }
  const kinds = (k: StageKind) => stages.filter((s) => s.kind === k).length
  if (kinds('open') < 1 || kinds('won') !== 1 || kinds('lost') !== 1)
    errors.push({ field: 'stages', code: 'pipeline_stage_kinds' })
  if (errors.length) throw validationFailed(errors)
}

async function stagesOf(ctx: Ctx, pipelineIds: string[]): Promise<Stage[]> {
  if (pipelineIds.length === 0) return []
  return ctx.db
    .select()
    .from(pipelineStages)
    .where(and(stagesRepo.visible(ctx), inArray(pipelineStages.pipelineId, pipelineIds)))
    .orderBy(asc(pipelineStages.position))
}

const withStages = (p: Pipeline, stages: Stage[]): PipelineWithStages => ({
  ...p,
  stages: stages.filter((s) => s.pipelineId === p.id),
})

const stageValues = (s: StageInput, pipelineId: string, position: number) => ({
  pipelineId,
  name: s.name,
  probability: s.probability,
  kind: s.kind,
  requiredFields: [...new Set(s.requiredFields ?? [])],
  position,
})

async function insertPipeline(ctx: Ctx, input: PipelineInput): Promise<PipelineWithStages> {
  const { stages, ...fields } = input
  const [p] = (await pipelinesRepo.insert(ctx, [fields])) as Pipeline[]
  const rows = (await stagesRepo.insert(
    ctx,
    stages.map((s, i) => stageValues(s, p!.id, i)),
  )) as Stage[]
  return withStages(p!, rows)
}

const selectDefault = (ctx: Ctx) =>
  ctx.db
    .select()
    .from(pipelines)
    .where(and(pipelinesRepo.visible(ctx), eq(pipelines.isDefault, true)))

/**
 * The workspace's default pipeline with its stages, created on first use. Concurrent first calls
 * race on the unique index pipelines_default_key: the loser's insert does nothing and it reads
 * the winner's (PostgreSQL makes it wait until the winner's transaction ends).
 */
export async function ensureDefaultPipeline(ctx: Ctx): Promise<PipelineWithStages> {
  const [found] = await selectDefault(ctx)
  if (found) return withStages(found, await stagesOf(ctx, [found.id]))
  return inTransaction(ctx, async (tx) => {
    // A pipeline already called 默认销售流程 (not the default any more) keeps its name.
    for (const name of [DEFAULT_PIPELINE_NAME, `${DEFAULT_PIPELINE_NAME}（默认）`]) {
      const [row] = await tx.db
        .insert(pipelines)
        .values({ tenantId: tx.actor.tenantId, name, isDefault: true })
        .onConflictDoNothing()
        .returning()
      if (row) {
        await writeAudit(tx, [
          { action: 'create', objectType: 'pipeline', objectId: row.id, summary: row.name, after: row },
        ])
        const stages = (await stagesRepo.insert(
          tx,
          DEFAULT_STAGES.map((s, i) => stageValues(s, row.id, i)),
        )) as Stage[]
        return withStages(row, stages)
      }
      const [winner] = await selectDefault(tx)
      if (winner) return withStages(winner, await stagesOf(tx, [winner.id]))
    }
    throw new Error('could not create the default pipeline')
  })
}

/** Every pipeline of the workspace with its stages, the default one first (created if missing). */
export async function listPipelines(ctx: Ctx): Promise<PipelineWithStages[]> {
  await ensureDefaultPipeline(ctx)
  const rows = await ctx.db
    .select()
    .from(pipelines)
    .where(pipelinesRepo.visible(ctx))
    .orderBy(asc(pipelines.sort), asc(pipelines.createdAt))
  const stages = await stagesOf(
    ctx,
    rows.map((p) => p.id),
  )
  const out = rows.map((p) => withStages(p, stages))
  return [...out.filter((p) => p.isDefault), ...out.filter((p) => !p.isDefault)]
}

/** One pipeline with its stages; 404 for another workspace's. */
export async function getPipeline(ctx: Ctx, id: string, opts: { forUpdate?: boolean } = {}) {
  const p = (await pipelinesRepo.get(ctx, id, { ...opts, raw: true })) as Pipeline
  return withStages(p, await stagesOf(ctx, [id]))
}

/** The pipeline to use: the given one (must be active) or the default. */
export async function resolvePipeline(ctx: Ctx, id: string | undefined, field = 'pipelineId') {
  if (!id) return ensureDefaultPipeline(ctx)
  const p = await getPipeline(ctx, id).catch(() => null)
  if (!p?.active) throw validationFailed([{ field, code: 'invalid_pipeline' }])
  return p
}

/** Only one default pipeline: making one the default clears the flag of the others first. */
async function clearOtherDefaults(ctx: Ctx, keep: string | null) {
  const others = await ctx.db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(
      and(
        pipelinesRepo.visible(ctx),
        eq(pipelines.isDefault, true),
        keep ? ne(pipelines.id, keep) : undefined,
      ),
    )
  for (const o of others) await pipelinesRepo.update(ctx, o.id, { isDefault: false })
}

export async function createPipeline(ctx: Ctx, input: PipelineInput): Promise<PipelineWithStages> {
  await checkStages(ctx, input.stages)
  return inTransaction(ctx, async (tx) => {
    if (input.isDefault) await clearOtherDefaults(tx, null)
    return insertPipeline(tx, input)
  })
}

/** Opportunities (any status) per stage of `stageIds`. */
async function opportunitiesPerStage(ctx: Ctx, stageIds: string[]): Promise<Map<string, number>> {
  if (stageIds.length === 0) return new Map()
  const rows = await ctx.db
    .select({ stageId: opportunities.stageId, n: count() })
    .from(opportunities)
    .where(and(eq(opportunities.tenantId, ctx.actor.tenantId), inArray(opportunities.stageId, stageIds)))
    .groupBy(opportunities.stageId)
  return new Map(rows.map((r) => [r.stageId, r.n]))
}

/**
 * Changes a pipeline; `stages`, when given, is the whole new list in order: stages with an id are
 * kept and changed, without one added, missing ones deleted. Deleting a stage that opportunities
 * sit in, or changing its kind, is a 409 `stage_in_use`.
 */
export async function updatePipeline(
  ctx: Ctx,
  id: string,
  patch: Partial<PipelineInput> & { version?: number },
): Promise<PipelineWithStages> {
  const { stages, version, ...fields } = patch
  if (stages) await checkStages(ctx, stages)
  return inTransaction(ctx, async (tx) => {
    const current = await getPipeline(tx, id, { forUpdate: true })
    if (version !== undefined && current.version !== version) throw conflict(current)
    if (fields.isDefault === false && current.isDefault)
      throw validationFailed([{ field: 'isDefault', code: 'invalid_value' }])
    if (fields.isDefault && !current.isDefault) await clearOtherDefaults(tx, id)
    if (stages) await replaceStages(tx, current, stages)
    // The version moves on every save, also when only the stages changed.
    await pipelinesRepo.update(tx, id, fields)
    return getPipeline(tx, id)
  })
}

async function replaceStages(ctx: Ctx, current: PipelineWithStages, stages: StageInput[]) {
  const byId = new Map(current.stages.map((s) => [s.id, s]))
  const errors: FieldError[] = []
  for (const [i, s] of stages.entries())
    if (s.id && !byId.has(s.id)) errors.push({ field: `stages[${i}].id`, code: 'invalid_stage' })
  if (errors.length) throw validationFailed(errors)
  const kept = new Set(stages.flatMap((s) => (s.id ? [s.id] : [])))
  const removed = current.stages.filter((s) => !kept.has(s.id))
  const rekinded = stages.filter((s) => s.id && byId.get(s.id)!.kind !== s.kind).map((s) => byId.get(s.id!)!)
  const inUse = await opportunitiesPerStage(
    ctx,
    [...removed, ...rekinded].map((s) => s.id),
  )
  for (const s of [...removed, ...rekinded]) {
    const n = inUse.get(s.id) ?? 0
    if (n > 0) throw new AppError(409, 'stage_in_use', { stage: s.name, count: n })
  }
  if (removed.length)
    await stagesRepo.remove(
      ctx,
      removed.map((s) => s.id),
    )
  for (const [i, s] of stages.entries()) {
    const values = stageValues(s, current.id, i)
    if (s.id) await stagesRepo.update(ctx, s.id, values)
    else await stagesRepo.insert(ctx, [values])
  }
}

/**
 * Deletes a pipeline and its stages; 409 `pipeline_in_use` while opportunities use it and
 * `pipeline_is_default` for the default one (make another the default first).
 */
export async function deletePipeline(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const current = await getPipeline(tx, id, { forUpdate: true })
    const [used] = await tx.db
      .select({ n: count() })
      .from(opportunities)
      .where(and(eq(opportunities.tenantId, tx.actor.tenantId), eq(opportunities.pipelineId, id)))
    if (used!.n > 0) throw new AppError(409, 'pipeline_in_use', { count: used!.n })
    if (current.isDefault) throw new AppError(409, 'pipeline_is_default')
    await stagesRepo.remove(
      tx,
      current.stages.map((s) => s.id),
    )
    const n = await pipelinesRepo.remove(tx, [id])
    if (!n) throw notFound()
  })
}

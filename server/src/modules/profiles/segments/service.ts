import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { createRepository, type ListOptions } from '../../../platform/access/data-access.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, conflict, validationFailed } from '../../../platform/http/errors.js'
import type { ConditionNode } from '../conditions/types.js'
import { validateConditionTree } from '../conditions/validate.js'
import { type SegmentKind, segmentMembers, segmentSizes, segments } from '../schema.js'
import './messages.js'
import { analyzeAfter, lockSegment, type RefreshResult, refreshSegment } from './refresh.service.js'

/**
 * Segments are workspace configuration (no data scope of their own): everyone with segments.view
 * sees the list; the persons inside are shown through the caller's person scope. A deleted
 * segment goes to the recycle bin with its static members and size history.
 */
export const segmentsRepo = createRepository({
  table: segments,
  objectType: 'segment',
  sortable: ['createdAt', 'updatedAt', 'name', 'memberCount'],
  dependents: [
    { table: segmentMembers, column: segmentMembers.segmentId },
    { table: segmentSizes, column: segmentSizes.segmentId },
  ],
})

export interface SegmentView {
  id: string
  name: string
  description: string | null
  kind: SegmentKind
  conditions: ConditionNode | null
  autoRefresh: boolean
  memberCount: number
  refreshedAt: Date | null
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
  version: number
}

type Row = Record<string, unknown>

export const segmentView = (r: Row): SegmentView => ({
  id: String(r.id),
  name: String(r.name),
  description: (r.description as string | null) ?? null,
  kind: r.kind as SegmentKind,
  conditions: (r.conditions as ConditionNode | null) ?? null,
  autoRefresh: Boolean(r.autoRefresh),
  memberCount: Number(r.memberCount ?? 0),
  refreshedAt: (r.refreshedAt as Date | null) ?? null,
  createdBy: (r.createdBy as string | null) ?? null,
  createdAt: r.createdAt as Date,
  updatedAt: r.updatedAt as Date,
  version: Number(r.version),
})

export interface SegmentInput {
  name: string
  description?: string | null
  kind: SegmentKind
  conditions?: ConditionNode | null
  autoRefresh?: boolean
}

/** A taken name is a 409 naming `name` (with the name in the message). */
function nameTaken(name: string) {
  return (err: unknown): never => {
    if (err instanceof AppError && err.code === 'duplicate' && err.params.field === 'name')
      throw new AppError(409, 'segment_name_taken', { name }, [{ field: 'name', code: 'not_unique' }])
    throw err
  }
}

/**
 * The conditions a segment of `kind` may carry: a static one none (400), a dynamic one a valid
 * tree (400 naming the condition, e.g. conditions.conditions[1].value).
 */
async function checkConditions(ctx: Ctx, kind: SegmentKind, conditions: ConditionNode | null | undefined) {
  if (kind === 'static') {
    if (conditions != null)
      throw validationFailed([{ field: 'conditions', code: 'static_segment_conditions' }])
    return
  }
  if (conditions == null) throw validationFailed([{ field: 'conditions', code: 'required' }])
  await validateConditionTree(ctx, conditions, 'conditions')
}

export async function listSegments(ctx: Ctx, opts: ListOptions) {
  const page = await segmentsRepo.list(ctx, opts)
  return { items: page.items.map(segmentView), nextCursor: page.nextCursor }
}

export async function getSegment(ctx: Ctx, id: string): Promise<SegmentView> {
  return segmentView(await segmentsRepo.get(ctx, id))
}

/** Creates a segment; a dynamic one is validated and its membership computed at once. */
export async function createSegment(ctx: Ctx, input: SegmentInput): Promise<SegmentView> {
  const name = input.name.trim()
  await checkConditions(ctx, input.kind, input.conditions)
  let change: RefreshResult | undefined
  const view = await inTransaction(ctx, async (tx) => {
    const [row] = await segmentsRepo
      .insert(tx, [
        {
          name,
          description: input.description ?? null,
          kind: input.kind,
          conditions: input.kind === 'dynamic' ? input.conditions : null,
          autoRefresh: input.autoRefresh ?? true,
          createdBy: tx.actor.id,
        },
      ])
      .catch(nameTaken(name))
    const id = String(row!.id)
    change = await refreshSegment(tx, id, input.kind === 'dynamic' ? 'full' : 'manual')
    return getSegment(tx, id)
  })
  if (change) await analyzeAfter(ctx, change)
  return view
}

export type SegmentPatch = Partial<SegmentInput> & { version?: number }

/**
 * Changes a segment (send version: a stale one is a 409 with the current segment). New conditions
 * are validated and the membership refreshed; a dynamic segment turned static keeps its members
 * as a fixed list; a static one turned dynamic needs conditions.
 */
export async function updateSegment(ctx: Ctx, id: string, patch: SegmentPatch): Promise<SegmentView> {
  let change: RefreshResult | undefined
  const view = await inTransaction(ctx, async (tx) => {
    await lockSegment(tx, id)
    const current = await segmentsRepo.get(tx, id, { raw: true })
    if (patch.version !== undefined && current.version !== patch.version)
      throw conflict(segmentView(current) as unknown as Row)
    const kind = patch.kind ?? (current.kind as SegmentKind)
    const values: Row = {}
    if (patch.name !== undefined) values.name = patch.name.trim()
    if (patch.description !== undefined) values.description = patch.description
    if (patch.autoRefresh !== undefined) values.autoRefresh = patch.autoRefresh
    if (patch.kind !== undefined) values.kind = kind
    let refresh = false
    if (kind === 'static') {
      await checkConditions(tx, kind, patch.conditions)
      if (current.conditions !== null) values.conditions = null
    } else {
      const conditions =
        patch.conditions !== undefined ? patch.conditions : (current.conditions as ConditionNode | null)
      await checkConditions(tx, kind, conditions)
      values.conditions = conditions
      refresh =
        current.kind !== 'dynamic' ||
        JSON.stringify(conditions) !== JSON.stringify(current.conditions) ||
        (patch.autoRefresh === true && !current.autoRefresh)
    }
    await segmentsRepo.update(tx, id, values).catch(nameTaken(String(values.name ?? current.name)))
    if (refresh) change = await refreshSegment(tx, id, 'full')
    return getSegment(tx, id)
  })
  if (change) await analyzeAfter(ctx, change)
  return view
}

/**
 * Deletes a segment to the recycle bin. A static segment's members go with it (restored with
 * it); a dynamic one's are recomputed from its conditions after a restore, so they are not kept.
 */
export async function deleteSegment(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const seg = await lockSegment(tx, id)
    if (seg.kind === 'dynamic')
      await tx.db
        .delete(segmentMembers)
        .where(and(eq(segmentMembers.tenantId, tx.actor.tenantId), eq(segmentMembers.segmentId, id)))
    await segmentsRepo.remove(tx, [id])
  })
}

import { and, eq, type SQL, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { notFound } from '../../../platform/http/errors.js'
import { sqlArray } from '../../quality/bulk.js'
import { matchingPersonIdsSql } from '../conditions/compile.js'
import type { ConditionNode } from '../conditions/types.js'
import { segmentSizes, segments } from '../schema.js'

export type SizeTrigger = 'full' | 'incremental' | 'manual'

export interface RefreshResult {
  size: number
  added: number
  removed: number
}

type SegmentRow = typeof segments.$inferSelect

/** Persons per statement when a refresh is restricted to changed persons. */
const PERSON_CHUNK = 10_000

/** Segment conditions are evaluated over the whole workspace (system actor), whoever asks. */
export const evaluationCtx = (ctx: Ctx): Ctx =>
  ctx.actor.type === 'system'
    ? ctx
    : { ...ctx, actor: systemActor(ctx.actor.tenantId, ctx.actor.permissions) }

/** The segment row, locked for the rest of the transaction (refreshes and edits of one segment queue up); 404 if none. */
export async function lockSegment(ctx: Ctx, segmentId: string): Promise<SegmentRow> {
  if (!isUuid(segmentId)) throw notFound()
  const [row] = await ctx.db
    .select()
    .from(segments)
    .where(and(eq(segments.tenantId, ctx.actor.tenantId), eq(segments.id, segmentId)))
    .for('update')
  if (!row) throw notFound()
  return row as SegmentRow
}

const num = (v: unknown) => Number(v ?? 0)

/**
 * Writes only the difference between the stored members and the persons matching the conditions,
 * in one statement: the matching set is computed once (a materialised CTE), members no longer in
 * it are deleted and matching persons not yet members are inserted (one full join gives both
 * sides of the difference). With `personIds`, both sides are restricted to those persons
 * (incremental refresh).
 */
async function diffDynamic(
  ctx: Ctx,
  seg: SegmentRow,
  personIds?: string[],
): Promise<{ matched: number; added: number; removed: number }> {
  const t = ctx.actor.tenantId
  const s = seg.id
  const target: SQL = await matchingPersonIdsSql(
    evaluationCtx(ctx),
    seg.conditions as ConditionNode,
    personIds ? { personIds } : {},
  )
  const only = personIds ? sql`and m.person_id = any(${sqlArray(personIds, 'uuid')})` : sql``
  // One hash full join of the matching set with the stored members gives both differences. (A
  // NOT EXISTS probe of segment_members per target row also walks the rows this very statement
  // inserts, invisible to it but in the heap: quadratic on a first fill, 50,000 members in 79 s;
  // two EXCEPTs hash both sides twice, 4× slower than the join on an unchanged 700,000.)
  const res = await ctx.db.execute(sql`with target (id) as materialized (${target}),
    diff as materialized (
      select target.id as add_id, m.person_id as drop_id
      from target full join (
        select m.person_id from segment_members m
        where m.tenant_id = ${t} and m.segment_id = ${s} ${only}) m on m.person_id = target.id
      where target.id is null or m.person_id is null),
    removed as (
      delete from segment_members m using diff
      where m.tenant_id = ${t} and m.segment_id = ${s} and m.person_id = diff.drop_id
      returning 1),
    added as (
      insert into segment_members (tenant_id, segment_id, person_id)
      select ${t}::uuid, ${s}::uuid, diff.add_id from diff where diff.add_id is not null
      on conflict do nothing
      returning 1)
    select (select count(*) from target) as matched, (select count(*) from added) as added,
      (select count(*) from removed) as removed`)
  const row = res.rows[0] as Record<string, unknown>
  return { matched: num(row.matched), added: num(row.added), removed: num(row.removed) }
}

/**
 * A static segment keeps the survivors of merges: members merged into another person are replaced
 * by that person (a few rounds for chains of merges). Returns the changes and the new size.
 */
async function followMerges(ctx: Ctx, seg: SegmentRow): Promise<RefreshResult> {
  const t = ctx.actor.tenantId
  const s = seg.id
  let added = 0
  let removed = 0
  for (let round = 0; round < 5; round++) {
    const res = await ctx.db.execute(sql`with moved as (
        select m.person_id as old_id, p.merged_into_id as new_id
        from segment_members m join persons p on p.tenant_id = m.tenant_id and p.id = m.person_id
        where m.tenant_id = ${t} and m.segment_id = ${s} and p.merged_into_id is not null),
      removed as (
        delete from segment_members m using moved
        where m.tenant_id = ${t} and m.segment_id = ${s} and m.person_id = moved.old_id
        returning 1),
      added as (
        insert into segment_members (tenant_id, segment_id, person_id)
        select distinct ${t}::uuid, ${s}::uuid, moved.new_id from moved
          join persons p on p.tenant_id = ${t} and p.id = moved.new_id
        on conflict do nothing
        returning 1)
      select (select count(*) from removed) as removed, (select count(*) from added) as added`)
    const row = res.rows[0] as Record<string, unknown>
    added += num(row.added)
    removed += num(row.removed)
    if (num(row.removed) === 0) break
  }
  return { size: await countMembers(ctx, s), added, removed }
}

/** Stored members of a segment (all of them: a size, not what a caller sees). */
export async function countMembers(ctx: Ctx, segmentId: string): Promise<number> {
  const res = await ctx.db.execute(
    sql`select count(*) as n from segment_members where tenant_id = ${ctx.actor.tenantId} and segment_id = ${segmentId}`,
  )
  return num((res.rows[0] as Record<string, unknown>).n)
}

/** Appends a size-history row. */
export async function recordSize(
  ctx: Ctx,
  segmentId: string,
  r: RefreshResult,
  trigger: SizeTrigger,
): Promise<void> {
  await ctx.db.insert(segmentSizes).values({
    tenantId: ctx.actor.tenantId,
    segmentId,
    size: r.size,
    added: r.added,
    removed: r.removed,
    trigger,
  })
}

/** Whether the segment's size history has a row in the last `hours`. */
async function recentSize(ctx: Ctx, segmentId: string, hours: number): Promise<boolean> {
  const res = await ctx.db.execute(sql`select 1 from segment_sizes
    where tenant_id = ${ctx.actor.tenantId} and segment_id = ${segmentId}
      and at > now() - make_interval(hours => ${hours}) limit 1`)
  return res.rows.length > 0
}

export interface RefreshOptions {
  /** Audit the refresh (a person asked for it). */
  audit?: boolean
  /**
   * Scheduled refreshes: no size-history row when nothing changed, unless the last one is a day
   * old (the chart keeps one point a day without an hourly row of the same size).
   */
  skipUnchanged?: boolean
}

/**
 * Full refresh of one segment: a dynamic one is recomputed from its conditions over the whole
 * workspace and only the difference is written; a static one follows merges. Updates member_count
 * and refreshed_at and appends a size-history row, all in one transaction.
 */
export async function refreshSegment(
  ctx: Ctx,
  segmentId: string,
  trigger: SizeTrigger = 'full',
  opts: RefreshOptions = {},
): Promise<RefreshResult> {
  const result = await inTransaction(ctx, async (tx) => {
    const seg = await lockSegment(tx, segmentId)
    let result: RefreshResult
    if (seg.kind === 'dynamic' && seg.conditions) {
      const d = await diffDynamic(tx, seg)
      result = { size: d.matched, added: d.added, removed: d.removed }
    } else result = await followMerges(tx, seg)
    await tx.db
      .update(segments)
      .set({ memberCount: result.size, refreshedAt: new Date() })
      .where(and(eq(segments.tenantId, tx.actor.tenantId), eq(segments.id, seg.id)))
    const changed = result.added + result.removed > 0 || result.size !== seg.memberCount
    if (!opts.skipUnchanged || changed || !(await recentSize(tx, seg.id, 23)))
      await recordSize(tx, seg.id, result, trigger)
    if (opts.audit)
      await writeAudit(tx, [
        { action: 'refresh', objectType: 'segment', objectId: seg.id, summary: seg.name, after: result },
      ])
    return result
  })
  if (!ctx.inTx) await analyzeAfter(ctx, result)
  return result
}

/** Changed rows past which a refresh refreshes the planner's statistics of segment_members. */
const ANALYZE_AFTER = 10_000

/**
 * After a large change of membership (a new segment's first fill), the planner's statistics still
 * describe the old table: a segment it believes tiny gets nested-loop plans (a 700,000-member
 * distribution: 22 s instead of 2 s). Autovacuum would catch up within minutes (never on the
 * embedded database); this does it at once. Outside any transaction; best effort.
 */
export async function analyzeAfter(ctx: Ctx, change: { added: number; removed: number }): Promise<void> {
  if (ctx.inTx || change.added + change.removed < ANALYZE_AFTER) return
  await ctx.db.execute(sql`analyze segment_members`).catch(() => {})
}

export interface IncrementalResult extends RefreshResult {
  segmentId: string
}

/**
 * Incremental refresh for changed persons: every dynamic, auto-refreshing segment re-evaluates
 * just those persons (adds the ones that now match, removes the ones that no longer do). A size
 * row 'incremental' is written only for segments whose membership changed. Set-based: one
 * statement per segment and chunk of 10,000 persons.
 */
export async function refreshSegmentsFor(ctx: Ctx, personIds: string[]): Promise<IncrementalResult[]> {
  const ids = [...new Set(personIds.filter(isUuid))]
  if (ids.length === 0) return []
  const list = await ctx.db
    .select({ id: segments.id })
    .from(segments)
    .where(
      and(
        eq(segments.tenantId, ctx.actor.tenantId),
        eq(segments.kind, 'dynamic'),
        eq(segments.autoRefresh, true),
        sql`${segments.conditions} is not null`,
      ),
    )
    .orderBy(segments.id)
  const out: IncrementalResult[] = []
  for (const { id } of list) {
    const r = await inTransaction(ctx, async (tx) => {
      const seg = await lockSegment(tx, id)
      if (seg.kind !== 'dynamic' || !seg.autoRefresh || !seg.conditions) return null
      let added = 0
      let removed = 0
      for (let i = 0; i < ids.length; i += PERSON_CHUNK) {
        const d = await diffDynamic(tx, seg, ids.slice(i, i + PERSON_CHUNK))
        added += d.added
        removed += d.removed
      }
      if (added + removed === 0) return { segmentId: id, size: seg.memberCount, added, removed }
      const [updated] = await tx.db
        .update(segments)
        .set({ memberCount: sql`${segments.memberCount} + ${added - removed}` })
        .where(and(eq(segments.tenantId, tx.actor.tenantId), eq(segments.id, id)))
        .returning({ memberCount: segments.memberCount })
      const result = { size: updated!.memberCount, added, removed }
      await recordSize(tx, id, result, 'incremental')
      return { segmentId: id, ...result }
    })
    if (r) out.push(r)
  }
  return out
}

/**
 * The scheduled refresh of a workspace: every dynamic auto-refreshing segment (relative date
 * windows move with time), and static segments holding merged-away persons. A segment whose
 * conditions fail (a field that no longer exists) is reported and the others still run.
 */
export async function refreshAllSegments(
  ctx: Ctx,
  progress?: (done: number, total: number) => Promise<void>,
): Promise<{ segments: number; failed: { segmentId: string; error: string }[] }> {
  const t = ctx.actor.tenantId
  const res = await ctx.db.execute(sql`select s.id from segments s
    where s.tenant_id = ${t} and (
      (s.kind = 'dynamic' and s.auto_refresh and s.conditions is not null)
      or (s.kind = 'static' and exists (select 1 from segment_members m
        join persons p on p.tenant_id = m.tenant_id and p.id = m.person_id
        where m.tenant_id = ${t} and m.segment_id = s.id and p.merged_into_id is not null)))
    order by s.id`)
  const ids = res.rows.map((r) => String((r as Record<string, unknown>).id))
  const failed: { segmentId: string; error: string }[] = []
  for (const [i, id] of ids.entries()) {
    try {
      await refreshSegment(ctx, id, 'full', { skipUnchanged: true })
    } catch (err) {
      failed.push({ segmentId: id, error: err instanceof Error ? err.message.slice(0, 500) : String(err) })
    }
    await progress?.(i + 1, ids.length)
  }
  return { segments: ids.length, failed }
}

import { sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import type { Db, Tx } from '../../../platform/db/index.js'
import { sqlArray } from '../../quality/bulk.js'
import { refreshSegmentsFor } from '../segments/refresh.service.js'
import { runAllTagRules } from './autotag.service.js'

const BATCH = 5000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Persons whose data changed (a lead, an order, a tag, a behaviour event…): their automatic tags
 * and dynamic segment memberships are re-evaluated by the `profiles.changes` job within a minute.
 * Cheap to call in any transaction (one upsert per 5,000 persons); repeated marks just move the time.
 */
export async function markChanged(
  db: Ctx | Tx,
  tenantId: string,
  personIds: readonly string[],
): Promise<void> {
  const handle = ('actor' in db ? db.db : db) as Tx
  const ids = [...new Set(personIds.filter((id): id is string => typeof id === 'string' && UUID.test(id)))]
  for (let i = 0; i < ids.length; i += BATCH)
    await handle.execute(sql`insert into profile_changes (tenant_id, person_id, changed_at)
      select ${tenantId}::uuid, p, now() from unnest(${sqlArray(ids.slice(i, i + BATCH), 'uuid')}) p
      on conflict (tenant_id, person_id) do update set changed_at = excluded.changed_at`)
}

// ---------------------------------------------------------------- draining

/** Persons claimed per transaction by the changes job. */
export const CHANGES_BATCH = 2000

export interface DrainResult {
  persons: number
  batches: number
  added: number
  removed: number
  segments: number
  errors: string[]
}

/**
 * Claims changed persons of the workspace (oldest first, SKIP LOCKED so two runs share the work),
 * re-evaluates their automatic tags and dynamic segments, and forgets them — all in one transaction
 * per batch, so a crash leaves the batch to the next run. Stops when the table is empty or after
 * `budgetMs`.
 */
export async function drainChanges(
  db: Db,
  tenantId: string,
  opts: { batch?: number; budgetMs?: number } = {},
): Promise<DrainResult> {
  const batch = opts.batch ?? CHANGES_BATCH
  const until = Date.now() + (opts.budgetMs ?? 50_000)
  const out: DrainResult = { persons: 0, batches: 0, added: 0, removed: 0, segments: 0, errors: [] }
  while (Date.now() < until) {
    const n = await db.transaction(async (tx) => {
      const ctx: Ctx = { db: tx, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN', inTx: true }
      const claimed = await tx.execute<{ person_id: string }>(sql`delete from profile_changes c
        where c.tenant_id = ${tenantId} and c.person_id in (select person_id from profile_changes
          where tenant_id = ${tenantId} order by changed_at limit ${batch} for update skip locked)
        returning c.person_id`)
      const ids = claimed.rows.map((r) => r.person_id)
      if (!ids.length) return 0
      const tagsResult = await runAllTagRules(ctx, ids)
      out.added += tagsResult.added
      out.removed += tagsResult.removed
      out.errors.push(...tagsResult.errors.map((e) => `tag ${e.tagId}: ${e.error}`))
      try {
        // In a savepoint: a failing segment must not put the batch back forever.
        const segs = await tx.transaction((sp) => refreshSegmentsFor({ ...ctx, db: sp }, ids))
        out.segments += segs.length
      } catch (err) {
        out.errors.push(`segments: ${err instanceof Error ? err.message : String(err)}`)
      }
      return ids.length
    })
    if (!n) break
    out.persons += n
    out.batches++
    if (n < batch) break
  }
  return out
}

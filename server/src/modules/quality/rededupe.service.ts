import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { enqueue, type Job } from '../../platform/jobs/queue.js'
import { jobs } from '../../platform/jobs/schema.js'

const TYPE = 'quality.rededupe'

/** A re-dedupe run as the rules page shows it: progress while it runs, its counts when done. */
export interface RededupeRun {
  jobId: string
  status: Job['status']
  progress: number
  progressMessage: string | null
  /** `{done, merged, review, closed}` once finished (or cancelled part-way). */
  result: unknown
  lastError: string | null
  createdAt: Date
  finishedAt: Date | null
}

const runOf = (j: Job): RededupeRun => ({
  jobId: j.id,
  status: j.status,
  progress: j.progress,
  progressMessage: j.progressMessage,
  result: j.result ?? null,
  lastError: j.lastError,
  createdAt: j.createdAt,
  finishedAt: j.finishedAt,
})

/** The workspace's latest re-dedupe (jobs is a platform table: tenant-filtered here, ADR 0002). */
export async function latestRededupe(ctx: Ctx): Promise<RededupeRun | null> {
  const [job] = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, ctx.actor.tenantId), eq(jobs.type, TYPE)))
    .orderBy(desc(jobs.id))
    .limit(1)
  return job ? runOf(job) : null
}

/**
 * Starts a re-dedupe unless one is already queued or running: two runs over the same pool would
 * race to merge the same leads. The check and the insert are serialised per workspace.
 */
export async function startRededupe(ctx: Ctx): Promise<{ run: RededupeRun; started: boolean }> {
  return inTransaction(ctx, async (tx) => {
    await tx.db.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`${TYPE}:${ctx.actor.tenantId}`}, 0))`,
    )
    const [active] = await tx.db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.tenantId, ctx.actor.tenantId),
          eq(jobs.type, TYPE),
          inArray(jobs.status, ['queued', 'running']),
        ),
      )
      .limit(1)
    if (active) return { run: runOf(active), started: false }
    const [job] = await enqueue(tx, { type: TYPE, tenantId: ctx.actor.tenantId, maxAttempts: 3 })
    // Who started a run that may merge many leads (each merge keeps its own before-image).
    await writeAudit(tx, [
      {
        action: 'create',
        objectType: 'job',
        objectId: job!.id,
        summary: TYPE,
        after: { status: job!.status },
      },
    ])
    return { run: runOf(job!), started: true }
  })
}

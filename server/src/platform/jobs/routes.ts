import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { decodeCursor, encodeCursor, isUuid } from '../access/data-access.js'
import { writeAudit } from '../audit/service.js'
import { inTransaction } from '../db/tx.js'
import { ctxOf } from '../http/context.js'
import { AppError, notFound, validationFailed } from '../http/errors.js'
import type { HainaModule } from '../http/module.js'
import { listSchedules } from './cron.js'
import './maintenance.js'
import './messages.js'
import { cancelJob, type Job, retryJob } from './queue.js'
import { JOB_STATUSES, jobs } from './schema.js'

const tags = ['jobs']
const idParams = z.object({ id: z.string() })
const date = z.date().or(z.string()).nullable()
const jobOut = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  progressMessage: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  result: z.unknown(),
  cancelRequested: z.boolean(),
  runAt: date,
  createdAt: date,
  finishedAt: date,
})
const out = (j: Job) => ({
  id: j.id,
  type: j.type,
  status: j.status,
  progress: j.progress,
  progressMessage: j.progressMessage,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  lastError: j.lastError,
  result: j.result ?? null,
  cancelRequested: j.cancelRequested > 0,
  runAt: j.runAt,
  createdAt: j.createdAt,
  finishedAt: j.finishedAt,
})
const filterSchema = z.object({
  status: z.union([z.enum(JOB_STATUSES), z.object({ in: z.array(z.enum(JOB_STATUSES)) })]).optional(),
  type: z.string().max(200).optional(),
})

/** Jobs of the caller's workspace (tenant-filtered here: jobs is a platform table, see ADR 0002). */
export const jobsModule: HainaModule = {
  name: 'jobs',
  routes(app, deps) {
    const mineOf = (tenantId: string, id: string) => and(eq(jobs.tenantId, tenantId), eq(jobs.id, id))

    app.get(
      '/api/v1/jobs',
      {
        config: { permission: 'jobs.view' },
        schema: {
          tags,
          summary: 'Background jobs of the workspace, newest first (filter {"status": …, "type": …})',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(20),
            cursor: z.string().max(500).optional(),
            filter: z.string().max(2000).optional(),
          }),
          response: { 200: z.object({ items: z.array(jobOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        let filter: z.infer<typeof filterSchema> = {}
        if (req.query.filter) {
          let raw: unknown
          try {
            raw = JSON.parse(req.query.filter)
          } catch {
            throw validationFailed([{ field: 'filter', code: 'invalid_value' }])
          }
          const parsed = filterSchema.safeParse(raw)
          if (!parsed.success)
            throw validationFailed(
              parsed.error.issues.map((i) => ({
                field: ['filter', ...i.path].join('.'),
                code: 'invalid_value',
              })),
            )
          filter = parsed.data
        }
        const conds: (SQL | undefined)[] = [eq(jobs.tenantId, ctx.actor.tenantId)]
        if (typeof filter.status === 'string') conds.push(eq(jobs.status, filter.status))
        else if (filter.status)
          conds.push(inArray(jobs.status, filter.status.in.length ? filter.status.in : ['queued']))
        if (filter.type) conds.push(eq(jobs.type, filter.type))
        // Ids are UUIDv7 (time-ordered): newest first by id, and the id is the cursor (exact, unlike
        // a millisecond Date round-trip of a microsecond timestamptz).
        if (req.query.cursor) {
          const cur = decodeCursor(req.query.cursor)
          if (cur?.[0] !== 'id' || typeof cur[1] !== 'string' || !isUuid(cur[1]))
            throw validationFailed([{ field: 'cursor', code: 'invalid_value' }])
          conds.push(lt(jobs.id, cur[1]))
        }
        const limit = req.query.limit
        const rows = await ctx.db
          .select()
          .from(jobs)
          .where(and(...conds))
          .orderBy(desc(jobs.id))
          .limit(limit + 1)
        const page = rows.slice(0, limit)
        const last = page.at(-1)
        return {
          items: page.map(out),
          nextCursor: rows.length > limit && last ? encodeCursor(['id', last.id]) : null,
        }
      },
    )

    app.get(
      '/api/v1/jobs/:id',
      {
        config: { permission: 'jobs.view' },
        schema: { tags, summary: 'One job', params: idParams, response: { 200: jobOut } },
      },
      async (req) => {
        const ctx = ctxOf(req)
        if (!isUuid(req.params.id)) throw notFound()
        const [job] = await ctx.db.select().from(jobs).where(mineOf(ctx.actor.tenantId, req.params.id))
        if (!job) throw notFound()
        return out(job)
      },
    )

    for (const action of ['cancel', 'retry'] as const) {
      app.post(
        `/api/v1/jobs/:id/${action}`,
        {
          config: { permission: 'jobs.edit' },
          schema: {
            tags,
            summary:
              action === 'cancel'
                ? 'Cancel a job (queued: at once; running: asks its handler to stop)'
                : 'Queue a failed or cancelled job again',
            params: idParams,
            response: { 200: jobOut },
          },
        },
        async (req) => {
          const ctx = ctxOf(req)
          if (!isUuid(req.params.id)) throw notFound()
          return inTransaction(ctx, async (tx) => {
            const [before] = await tx.db
              .select()
              .from(jobs)
              .where(mineOf(ctx.actor.tenantId, req.params.id))
              .for('update')
            if (!before) throw notFound()
            const after =
              action === 'cancel' ? await cancelJob(tx.db, before.id) : await retryJob(tx.db, before.id)
            if (!after)
              throw new AppError(409, action === 'cancel' ? 'job_not_cancellable' : 'job_not_retryable')
            await writeAudit(tx, [
              {
                action,
                objectType: 'job',
                objectId: before.id,
                summary: before.type,
                before: { status: before.status },
                after: { status: after.status, cancelRequested: after.cancelRequested > 0 },
              },
            ])
            return out(after)
          })
        },
      )
    }

    app.get(
      '/api/v1/schedules',
      {
        config: { permission: 'jobs.view' },
        schema: {
          tags,
          summary: 'Cron schedules, in the workspace’s time zone for per-workspace ones',
          response: {
            200: z.array(
              z.object({
                name: z.string(),
                pattern: z.string(),
                timezone: z.string(),
                nextRunAt: date,
                lastRunAt: date,
              }),
            ),
          },
        },
      },
      async (req) => listSchedules(ctxOf(req).db as never, deps.database.kind, ctxOf(req).actor.tenantId),
    )
  },
}

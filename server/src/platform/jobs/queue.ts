import { hostname } from 'node:os'
import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import type { Db, Tx } from '../db/index.js'
import { jobs } from './schema.js'

export type Job = typeof jobs.$inferSelect

export interface JobSpec {
  type: string
  tenantId: string | null
  payload?: Record<string, unknown>
  runAt?: Date
  maxAttempts?: number
  createdBy?: string | null
}

export interface JobTools {
  /** The worker's database handle (not a transaction): handlers need not capture one. */
  db: Db
  /** Saves progress (0–100), a message and optionally a resume point; a restarted run gets it back in job.checkpoint. */
  progress(percent: number, message?: string | null, checkpoint?: unknown): Promise<void>
  /** True once someone asked to cancel: stop at a safe point and return. */
  isCancelled(): Promise<boolean>
}

export interface JobHandler {
  type: string
  /** Its return value is stored as the job's result. Never runs inside a transaction. */
  run(job: Job, tools: JobTools): Promise<unknown>
}

const handlers = new Map<string, JobHandler>()
export function registerJob(handler: JobHandler): void {
  handlers.set(handler.type, handler)
}
export const registeredJobTypes = () => [...handlers.keys()]

/** Enqueues in the caller's transaction when given a Ctx (the job exists only if the change commits). */
export async function enqueue(dbOrCtx: Tx | Ctx, specs: JobSpec | JobSpec[]): Promise<Job[]> {
  const list = Array.isArray(specs) ? specs : [specs]
  if (list.length === 0) return []
  const db = 'actor' in dbOrCtx ? dbOrCtx.db : dbOrCtx
  return db
    .insert(jobs)
    .values(
      list.map((s) => ({
        type: s.type,
        tenantId: s.tenantId,
        payload: s.payload ?? {},
        runAt: s.runAt ?? new Date(),
        maxAttempts: s.maxAttempts ?? 5,
        createdBy: s.createdBy ?? ('actor' in dbOrCtx ? dbOrCtx.actor.id : null),
      })),
    )
    .returning()
}

export interface WorkerOptions {
  workerId?: string
  /** Jobs run at once in this process. */
  concurrency?: number
  leaseMs?: number
  pollMs?: number
  /** First retry delay; doubles per attempt, capped at an hour. */
  backoffMs?: number
  onError?(err: unknown): void
  /** Only these jobs (drainJobs): the CLI runs the import it queued, not whatever else is waiting. */
  jobIds?: string[]
}

export const defaultWorkerId = () => `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`

/** Claims up to n ready jobs of the types this process handles (of `ids` when given); one statement, no open transaction. */
export async function claimJobs(
  db: Db,
  workerId: string,
  n: number,
  leaseMs: number,
  ids?: string[],
): Promise<Job[]> {
  const types = registeredJobTypes()
  if (types.length === 0 || n <= 0 || ids?.length === 0) return []
  const ready = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.status, 'queued'),
        lte(jobs.runAt, sql`now()`),
        inArray(jobs.type, types),
        ids ? inArray(jobs.id, ids) : undefined,
      ),
    )
    .orderBy(jobs.runAt)
    .limit(n)
    .for('update', { skipLocked: true })
  return db
    .update(jobs)
    .set({
      status: 'running',
      lockedBy: workerId,
      lockedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, ready))
    .returning()
}

/**
 * Jobs whose lease ran out (their process died) go back to the queue, or end: cancelled when a
 * cancel was asked for, failed when out of attempts.
 */
export async function recoverExpiredJobs(db: Db): Promise<number> {
  const end = sql`case when ${jobs.cancelRequested} > 0 then 'cancelled'
    when ${jobs.attempts} >= ${jobs.maxAttempts} then 'failed' else 'queued' end`
  const rows = await db
    .update(jobs)
    .set({
      status: sql`${end}`,
      lockedBy: null,
      lockedUntil: null,
      lastError: 'lease expired (worker stopped)',
      finishedAt: sql`case when ${end} = 'queued' then null else now() end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.status, 'running'), sql`${jobs.lockedUntil} < now()`))
    .returning({ id: jobs.id })
  return rows.length
}

const mine = (job: Job, workerId: string) =>
  and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), eq(jobs.status, 'running'))

/** Runs one claimed job to its end state. Holds no transaction while the handler runs. */
export async function runJob(db: Db, job: Job, workerId: string, opts: WorkerOptions = {}): Promise<void> {
  const leaseMs = opts.leaseMs ?? 30_000
  const handler = handlers.get(job.type)
  const renew = setInterval(
    () => {
      db.update(jobs)
        .set({ lockedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
        .where(mine(job, workerId))
        .catch((err) => opts.onError?.(err))
    },
    Math.max(50, leaseMs / 3),
  )
  const tools: JobTools = {
    db,
    async progress(percent, message, checkpoint) {
      await db
        .update(jobs)
        .set({
          progress: Math.max(0, Math.min(100, Math.round(percent))),
          progressMessage: message ?? null,
          updatedAt: new Date(),
          // Progress proves the worker alive: it also extends the lease.
          lockedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
          ...(checkpoint !== undefined ? { checkpoint } : {}),
        })
        .where(mine(job, workerId))
    },
    async isCancelled() {
      const [row] = await db.select({ c: jobs.cancelRequested }).from(jobs).where(eq(jobs.id, job.id))
      return !row || row.c > 0
    },
  }
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`)
    const result = await handler.run(job, tools)
    await db
      .update(jobs)
      .set({
        status: sql`case when ${jobs.cancelRequested} > 0 then 'cancelled' else 'succeeded' end`,
        progress: sql`case when ${jobs.cancelRequested} > 0 then ${jobs.progress} else 100 end`,
        result: (result ?? null) as unknown,
        lockedBy: null,
        lockedUntil: null,
        finishedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(mine(job, workerId))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const base = opts.backoffMs ?? 1000
    const delayMs = Math.min(3_600_000, base * 2 ** Math.max(0, job.attempts - 1))
    const out = job.attempts >= job.maxAttempts
    await db
      .update(jobs)
      .set({
        status: sql.raw(
          `case when cancel_requested > 0 then 'cancelled' else '${out ? 'failed' : 'queued'}' end`,
        ),
        lastError: message.slice(0, 4000),
        runAt: out ? job.runAt : sql`now() + make_interval(secs => ${delayMs / 1000})`,
        lockedBy: null,
        lockedUntil: null,
        finishedAt: out ? new Date() : null,
        updatedAt: new Date(),
      })
      .where(mine(job, workerId))
  } finally {
    clearInterval(renew)
  }
}

/** Claims and runs jobs until none is ready (tests, CLI). Returns how many ran. */
export async function drainJobs(db: Db, opts: WorkerOptions = {}): Promise<number> {
  const workerId = opts.workerId ?? defaultWorkerId()
  let n = 0
  for (;;) {
    await recoverExpiredJobs(db)
    const batch = await claimJobs(db, workerId, opts.concurrency ?? 1, opts.leaseMs ?? 30_000, opts.jobIds)
    if (batch.length === 0) return n
    await Promise.all(batch.map((j) => runJob(db, j, workerId, opts)))
    n += batch.length
  }
}

export interface JobWorker {
  workerId: string
  stop(): Promise<void>
}

/** The worker loop: keeps up to `concurrency` jobs running, polls when idle, waits for in-flight jobs on stop. */
export function startJobWorker(db: Db, opts: WorkerOptions = {}): JobWorker {
  const workerId = opts.workerId ?? defaultWorkerId()
  const concurrency = opts.concurrency ?? 2
  const pollMs = opts.pollMs ?? 500
  const leaseMs = opts.leaseMs ?? 30_000
  const inFlight = new Set<Promise<void>>()
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let looping: Promise<void> = Promise.resolve()
  let lastRecover = 0

  const loop = async () => {
    try {
      if (Date.now() - lastRecover > Math.min(leaseMs, 5000)) {
        lastRecover = Date.now()
        await recoverExpiredJobs(db)
      }
      const free = concurrency - inFlight.size
      const batch = stopped ? [] : await claimJobs(db, workerId, free, leaseMs)
      for (const job of batch) {
        const p = runJob(db, job, workerId, opts)
          .catch((err) => opts.onError?.(err))
          .finally(() => {
            inFlight.delete(p)
            if (!stopped) schedule(0)
          })
        inFlight.add(p)
      }
      // A full batch means more may be waiting: look again as soon as a slot frees up.
      if (!stopped && batch.length === 0) schedule(pollMs)
    } catch (err) {
      opts.onError?.(err)
      if (!stopped) schedule(pollMs)
    }
  }
  const schedule = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      looping = looping.then(loop)
    }, ms)
  }
  schedule(0)
  return {
    workerId,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await looping
      await Promise.all(inFlight)
    },
  }
}

/** Cancels: a queued job at once; a running one is asked to stop (its handler sees isCancelled()). */
export async function cancelJob(db: Tx, id: string): Promise<Job | undefined> {
  const [queued] = await db
    .update(jobs)
    .set({ status: 'cancelled', cancelRequested: 1, finishedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
    .returning()
  if (queued) return queued
  const [running] = await db
    .update(jobs)
    .set({ cancelRequested: 1, updatedAt: new Date() })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')))
    .returning()
  return running
}

/** A failed or cancelled job goes back to the queue with fresh attempts; its checkpoint is kept. */
export async function retryJob(db: Tx, id: string): Promise<Job | undefined> {
  const [row] = await db
    .update(jobs)
    .set({
      status: 'queued',
      attempts: 0,
      cancelRequested: 0,
      runAt: new Date(),
      finishedAt: null,
      lastError: null,
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ['failed', 'cancelled'])))
    .returning()
  return row
}

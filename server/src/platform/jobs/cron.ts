import { Cron } from 'croner'
import { desc, eq, isNull, max, sql } from 'drizzle-orm'
import type { Db } from '../db/index.js'
import { tenants } from '../tenancy/schema.js'
import { enqueue } from './queue.js'
import { cronTicks } from './schema.js'

export const DEFAULT_TIMEZONE = 'Asia/Shanghai'

export interface Schedule {
  name: string
  /** croner pattern; six fields allow seconds. */
  pattern: string
  /** One job per workspace in the workspace's time zone, or one global job. */
  perTenant: boolean
  jobType: string
  payload?: Record<string, unknown>
  /** Global schedules only (default Asia/Shanghai). */
  timezone?: string
  /** Skip this schedule unless the predicate holds for the database (e.g. embedded only). */
  when?: (db: { kind: 'embedded' | 'postgres' }) => boolean
}

const schedules = new Map<string, Schedule>()
export function registerSchedule(schedule: Schedule): void {
  new Cron(schedule.pattern, { paused: true }) // throws on a bad pattern at registration
  schedules.set(schedule.name, schedule)
}
export const registeredSchedules = () => [...schedules.values()]

/**
 * Fires one tick: whoever inserts the (schedule, tenant, tick) row first enqueues the job, in the
 * same transaction, so across processes each tick runs exactly once.
 */
export async function fireTick(
  db: Db,
  schedule: Schedule,
  tenantId: string | null,
  tickAt: Date,
  firedBy: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [won] = await tx
      .insert(cronTicks)
      .values({ schedule: schedule.name, tenantId, tickAt, firedBy })
      .onConflictDoNothing()
      .returning({ id: cronTicks.id })
    if (!won) return false
    const [job] = await enqueue(tx, {
      type: schedule.jobType,
      tenantId,
      payload: { ...schedule.payload, schedule: schedule.name, tickAt: tickAt.toISOString() },
      maxAttempts: 3,
    })
    await tx.update(cronTicks).set({ jobId: job!.id }).where(eq(cronTicks.id, won.id))
    return true
  })
}

export interface CronScheduler {
  stop(): Promise<void>
  /** Reloads workspaces and their time zones now (also done every refreshMs). */
  refresh(): Promise<void>
}

/** Runs a croner timer per global schedule and per (per-tenant schedule, workspace). */
export function startScheduler(
  database: { db: Db; kind: 'embedded' | 'postgres' },
  opts: { firedBy: string; refreshMs?: number; onError?(err: unknown): void },
): CronScheduler {
  const { db } = database
  const timers = new Map<string, Cron>()
  const pending = new Set<Promise<unknown>>()
  let stopped = false

  const start = (key: string, schedule: Schedule, tenantId: string | null, timezone: string) => {
    const cron = new Cron(schedule.pattern, { timezone, paused: true })
    // The tick's identity is its scheduled instant (not when this process's timer woke up), so
    // every process computes the same key.
    let due = cron.nextRun()
    const run = new Cron(schedule.pattern, { timezone }, () => {
      const tickAt = due ?? new Date(Math.floor(Date.now() / 1000) * 1000)
      due = cron.nextRun(new Date(Math.max(Date.now(), tickAt.getTime())))
      if (stopped) return
      const p = fireTick(db, schedule, tenantId, tickAt, opts.firedBy)
        .catch((err) => opts.onError?.(err))
        .finally(() => pending.delete(p))
      pending.add(p)
    })
    timers.set(key, run)
  }

  const refresh = async () => {
    const active = registeredSchedules().filter((s) => !s.when || s.when(database))
    const want = new Map<string, { schedule: Schedule; tenantId: string | null; timezone: string }>()
    const perTenant = active.filter((s) => s.perTenant)
    const rows = perTenant.length
      ? await db
          .select({ id: tenants.id, timezone: tenants.timezone })
          .from(tenants)
          .where(isNull(tenants.deletedAt))
      : []
    for (const s of active) {
      if (!s.perTenant)
        want.set(`${s.name}|${s.pattern}|-|${s.timezone ?? DEFAULT_TIMEZONE}`, {
          schedule: s,
          tenantId: null,
          timezone: s.timezone ?? DEFAULT_TIMEZONE,
        })
      else
        for (const t of rows)
          want.set(`${s.name}|${s.pattern}|${t.id}|${t.timezone}`, {
            schedule: s,
            tenantId: t.id,
            timezone: t.timezone || DEFAULT_TIMEZONE,
          })
    }
    if (stopped) return
    for (const [key, cron] of timers) {
      if (want.has(key)) continue
      cron.stop()
      timers.delete(key)
    }
    for (const [key, w] of want) {
      if (timers.has(key)) continue
      try {
        start(key, w.schedule, w.tenantId, w.timezone)
      } catch (err) {
        // A workspace with an unknown time zone must not stop the other schedules.
        opts.onError?.(err)
      }
    }
  }

  const refreshMs = opts.refreshMs ?? 60_000
  let refreshing = refresh().catch((err) => opts.onError?.(err))
  const interval = setInterval(() => {
    refreshing = refreshing.then(refresh).catch((err) => opts.onError?.(err))
  }, refreshMs)

  return {
    refresh: () => (refreshing = refreshing.then(refresh)),
    async stop() {
      stopped = true
      clearInterval(interval)
      await refreshing
      for (const cron of timers.values()) cron.stop()
      timers.clear()
      await Promise.all(pending)
    },
  }
}

export interface ScheduleInfo {
  name: string
  pattern: string
  timezone: string
  nextRunAt: Date | null
  lastRunAt: Date | null
}

/** The schedules as one workspace sees them: its per-tenant schedules in its time zone, plus global ones. */
export async function listSchedules(
  db: Db,
  kind: 'embedded' | 'postgres',
  tenantId: string,
): Promise<ScheduleInfo[]> {
  const [tenant] = await db
    .select({ timezone: tenants.timezone })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
  const last = await db
    .select({ schedule: cronTicks.schedule, tenantId: cronTicks.tenantId, at: max(cronTicks.tickAt) })
    .from(cronTicks)
    .where(sql`${cronTicks.tenantId} = ${tenantId} or ${cronTicks.tenantId} is null`)
    .groupBy(cronTicks.schedule, cronTicks.tenantId)
    .orderBy(desc(cronTicks.schedule))
  return registeredSchedules()
    .filter((s) => !s.when || s.when({ kind }))
    .map((s) => {
      const timezone = s.perTenant ? (tenant?.timezone ?? DEFAULT_TIMEZONE) : (s.timezone ?? DEFAULT_TIMEZONE)
      const lastRow = last.find(
        (r) => r.schedule === s.name && (s.perTenant ? r.tenantId === tenantId : r.tenantId === null),
      )
      return {
        name: s.name,
        pattern: s.pattern,
        timezone,
        nextRunAt: new Cron(s.pattern, { timezone, paused: true }).nextRun(),
        lastRunAt: lastRow?.at ? new Date(lastRow.at as unknown as string) : null,
      }
    })
}

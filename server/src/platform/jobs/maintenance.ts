import { sql } from 'drizzle-orm'
import { analyzeStale } from '../db/autoanalyze.js'
import { purgeOutbox } from '../events/outbox.js'
import { purgeIdempotencyKeys } from '../http/idempotency.js'
import { registerSchedule } from './cron.js'
import { registerJob } from './queue.js'
import { cronTicks, jobs } from './schema.js'

/** Platform housekeeping: jobs and their schedules, known to every process that imports this. */
registerJob({
  type: 'maintenance.purge_idempotency_keys',
  run: async (_job, { db }) => {
    await purgeIdempotencyKeys(db, 24)
    return { ok: true }
  },
})
registerJob({
  type: 'maintenance.purge_events',
  run: async (_job, { db }) => {
    await purgeOutbox(db, 7)
    // Finished jobs and old ticks are kept 30 days for the jobs page.
    await db.delete(jobs).where(sql`${jobs.finishedAt} < now() - interval '30 days'`)
    await db.delete(cronTicks).where(sql`${cronTicks.tickAt} < now() - interval '30 days'`)
    return { ok: true }
  },
})
registerJob({
  type: 'maintenance.vacuum',
  run: async (_job, { db }) => {
    // PGlite runs no autovacuum; on PostgreSQL this schedule is not active (autovacuum does it).
    await db.execute(sql`VACUUM ANALYZE`)
    return { ok: true }
  },
})
registerJob({
  type: 'maintenance.analyze',
  run: async (job, { db }) => {
    // Where autovacuum runs it keeps the statistics; PGlite has none (though its setting says on),
    // and a PostgreSQL server may run without.
    if (!(job.payload as { embedded?: boolean } | null)?.embedded) {
      const [setting] = (
        await db.execute<{ on: boolean }>(sql`select current_setting('autovacuum') = 'on' as on`)
      ).rows
      if (setting?.on) return { analyzed: [] }
    }
    return { analyzed: await analyzeStale(db) }
  },
})

registerSchedule({
  name: 'purge-idempotency-keys',
  pattern: '0 7 * * * *',
  perTenant: false,
  jobType: 'maintenance.purge_idempotency_keys',
})
registerSchedule({
  name: 'purge-events',
  pattern: '0 17 3 * * *',
  perTenant: false,
  jobType: 'maintenance.purge_events',
})
registerSchedule({
  name: 'vacuum-embedded',
  pattern: '0 30 3 * * *',
  perTenant: false,
  jobType: 'maintenance.vacuum',
  when: (d) => d.kind === 'embedded',
})
registerSchedule({
  name: 'analyze-stale-tables',
  pattern: '0 */10 * * * *',
  perTenant: false,
  jobType: 'maintenance.analyze',
  payload: { embedded: true },
  when: (d) => d.kind === 'embedded',
})
registerSchedule({
  name: 'analyze-stale-tables-postgres',
  pattern: '0 */10 * * * *',
  perTenant: false,
  jobType: 'maintenance.analyze',
  when: (d) => d.kind === 'postgres',
})

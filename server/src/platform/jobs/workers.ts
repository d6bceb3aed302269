import type { Config } from '../config.js'
import type { Database } from '../db/index.js'
import { startDispatcher } from '../events/outbox.js'
import { startScheduler } from './cron.js'
import './maintenance.js'
import { defaultWorkerId, startJobWorker } from './queue.js'

export interface Workers {
  stop(): Promise<void>
}

export interface WorkerTuning {
  concurrency?: number
  pollMs?: number
  leaseMs?: number
  onError?(err: unknown): void
}

/** Starts the outbox dispatcher, the job worker and the cron scheduler of this process. */
export function startWorkers(
  deps: { config: Config; database: Database },
  tuning: WorkerTuning = {},
): Workers {
  const { database } = deps
  const workerId = defaultWorkerId()
  const onError = tuning.onError
  const dispatcher = startDispatcher(database.db, { pollMs: tuning.pollMs, onError })
  const worker = startJobWorker(database.db, {
    workerId,
    // The embedded database is one connection: one job at a time keeps HTTP responsive.
    concurrency: tuning.concurrency ?? (database.kind === 'embedded' ? 1 : 2),
    pollMs: tuning.pollMs,
    leaseMs: tuning.leaseMs,
    onError,
  })
  const scheduler = startScheduler(database, { firedBy: workerId, onError })
  return {
    async stop() {
      await scheduler.stop()
      await dispatcher.stop()
      await worker.stop()
    },
  }
}

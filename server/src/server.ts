import { modules } from './modules.js'
import type { Config } from './platform/config.js'
import { type Database, openDatabase, runMigrations } from './platform/db/index.js'
import { createApp, type RouteInfo } from './platform/http/app.js'
import type { App } from './platform/http/module.js'
import { startWorkers, type Workers } from './platform/jobs/workers.js'

export interface Haina {
  app: App
  /** Every registered route with its declared permission (route-walk tests, permission snapshot). */
  routes: RouteInfo[]
  database: Database
  close(): Promise<void>
}

/** Opens the database, applies migrations and builds the HTTP app (not yet listening). */
export async function buildHaina(config: Config, database?: Database): Promise<Haina> {
  const db = database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }))
  await runMigrations(db.db)
  const { app, routes } = await createApp({ config, database: db }, modules)
  // Tests pass workers: false and drive the outbox, queue and cron explicitly.
  const workers: Workers | null = config.workers
    ? startWorkers(
        { config, database: db },
        { onError: (err) => app.log.error({ err }, 'background worker error') },
      )
    : null
  return {
    app,
    routes,
    database: db,
    async close() {
      // Stop taking work first and wait for in-flight handlers, then close HTTP and the database.
      await workers?.stop()
      await app.close()
      if (!database) await db.close()
    },
  }
}

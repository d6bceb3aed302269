import { fileURLToPath } from 'node:url'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { type EmbeddedDatabase, startEmbedded } from './embedded.js'
import * as schema from './schema.js'
import { SessionPool } from './session-pool.js'

export type Schema = typeof schema
export type Db = NodePgDatabase<Schema>
/** A database handle or an open transaction; services accept either. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database {
  db: Db
  pool: pg.Pool
  kind: 'embedded' | 'postgres'
  url: string
  close(): Promise<void>
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url))

// timestamptz/json come back as JS values; bigint counts as numbers (they stay far below 2^53).
pg.types.setTypeParser(20, (v) => Number(v))

/** Pools of the embedded database: its queries run on one worker thread of this process. */
const inProcessPools = new WeakSet<object>()

/**
 * Whether `db`'s queries run inside this process (the embedded database's one worker thread) rather
 * than in a PostgreSQL server's backends. Work the database could do for Node (writing a list's JSON)
 * is then better left to Node: the worker is the busier thread (a JSON page costs it 190 µs against
 * 90 for plain columns, measured at 1M leads), while PostgreSQL spends it on other cores.
 */
export function runsInProcess(db: unknown): boolean {
  const client = (db as { $client?: unknown }).$client
  return typeof client === 'object' && client !== null && inProcessPools.has(client)
}

export interface OpenOptions {
  databaseUrl?: string
  dataDir?: string
  /** Embedded only: start from a dumped tarball (tests). */
  loadFrom?: string
  dumpTo?: string
  poolSize?: number
}

/**
 * Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database in a worker
 * thread. Both are then used through the same `pg` pool and Drizzle instance.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database & { embedded?: EmbeddedDatabase }> {
  let embedded: EmbeddedDatabase | undefined
  let url = opts.databaseUrl
  if (!url) {
    embedded = await startEmbedded({ dataDir: opts.dataDir, loadFrom: opts.loadFrom, dumpTo: opts.dumpTo })
    url = embedded.url
  }
  const common = {
    connectionString: url,
    // A request that waits this long for a connection fails loudly instead of hanging.
    connectionTimeoutMillis: 30_000,
  }
  const pool = embedded
    ? // PGlite is a single session: one pipelined connection, which a transaction holds while it runs.
      // The session outlives a connection: when one is replaced (after an error), the new one would
      // not know the session's prepared statements and its first re-prepare would fail with "already
      // exists". Each new connection starts with a clean session.
      new SessionPool({ ...common, setupStatements: ['deallocate all'] })
    : new pg.Pool({
        ...common,
        max: opts.poolSize ?? 10,
        idleTimeoutMillis: 30_000,
        // PostgreSQL's JIT compiles a plan once its estimated cost passes 100,000: half a second of
        // LLVM for a 30 ms lead lookup once the tables hold a few hundred thousand rows (the import's
        // candidate query at 200,000 leads: 700 ms, 500 of them compiling). A CRM's statements are
        // short; an `options` parameter in DATABASE_URL (e.g. ?options=-c%20jit%3Don) takes precedence.
        options: '-c jit=off',
      })
  pool.on('error', () => {})
  if (embedded) inProcessPools.add(pool)
  const db = drizzle(pool, { schema })
  return {
    db,
    pool,
    embedded,
    kind: embedded ? 'embedded' : 'postgres',
    url,
    async close() {
      await pool.end()
      await embedded?.stop()
    },
  }
}

/** Any fixed number: the key of the advisory lock that lets one process at a time migrate. */
const MIGRATION_LOCK = 4_826_610_301

/**
 * Applies the pending migrations. On PostgreSQL two processes starting at once (two instances, or
 * `haina migrate` beside a running server) would both apply the same migration and one would fail
 * on a duplicate object: the migration runs on one connection holding an advisory lock, so the
 * second waits and then finds nothing left to do. The embedded database has one process (its lock file).
 */
export async function runMigrations(db: Db): Promise<void> {
  if (runsInProcess(db)) {
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR })
    return
  }
  const client = await (db as unknown as { $client: pg.Pool }).$client.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK])
    await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_DIR })
  } finally {
    // A connection that cannot unlock is dropped: closing the session releases its lock.
    const unlocked = await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).then(
      () => true,
      () => false,
    )
    client.release(!unlocked)
  }
}

import { sql } from 'drizzle-orm'
import type { Db } from './index.js'

/** Rows a long writer adds before the planner's statistics are worth refreshing at all. */
const MIN_GROWTH = 10_000

/**
 * Keeps the planner's statistics of tables a long job fills in step with their size. A table the
 * planner believes small gets plans that read all of it (a hash of every lead of the workspace to
 * update 300 of them): fine at 20,000 rows, minutes at 1,000,000. Autovacuum catches up only every
 * 10 % of growth and only on PostgreSQL (PGlite has none; this machine's server runs with it off),
 * so the job analyses its tables itself whenever it has added more rows than they held at the last
 * analysis — about log2(final / start) times in all. Outside any transaction; best effort.
 */
export function statisticsKeeper(db: Db, tables: readonly string[], minGrowth = MIN_GROWTH) {
  let believed: number | null = null
  let added = 0
  const readBelieved = async () => {
    const res = await db.execute<{ n: string | number | null }>(
      sql`select coalesce(max(greatest(reltuples, 0)), 0) as n from pg_class
          where oid = any(array[${sql.join(
            tables.map((t) => sql`to_regclass(${t})`),
            sql`, `,
          )}])`,
    )
    return Number(res.rows[0]?.n ?? 0)
  }
  return {
    /** Counts `rows` more written; analyses the tables when they outgrew what the planner knows. */
    async grew(rows: number): Promise<boolean> {
      believed ??= await readBelieved()
      added += rows
      if (added < Math.max(minGrowth, believed)) return false
      try {
        await db.execute(sql.raw(`analyze ${tables.join(', ')}`))
      } catch {
        return false // e.g. not the tables' owner: the plans stay as they were
      }
      believed = await readBelieved()
      added = 0
      return true
    },
  }
}

import { sql } from 'drizzle-orm'
import type { Db } from './index.js'

/**
 * Tables whose planner statistics are missing or stale: never analysed though they hold data, or
 * grown by a fifth (and at least 8 pages) since their last analysis. Read from the catalogue
 * (pages on disk against the pages the last ANALYZE saw), so it works on PGlite too, where the
 * activity counters autovacuum uses stay at zero.
 */
export async function staleTables(db: Db): Promise<string[]> {
  const res = await db.execute<{ name: string }>(sql`
    select format('%I.%I', n.nspname, c.relname) as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg_toast%'
      and pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(c.relpages, 0) * 1.2 + 8
    order by pg_relation_size(c.oid) desc`)
  return res.rows.map((r) => r.name)
}

/**
 * Analyses the stale tables, one statement each. Without statistics the planner takes a table for a
 * few rows and nests loops over it: a lead-pool report on a fresh 3,000-lead demo ran for minutes
 * and held the embedded database's one session all that time.
 */
export async function analyzeStale(db: Db): Promise<string[]> {
  const tables = await staleTables(db)
  for (const t of tables) await db.execute(sql.raw(`analyze ${t}`))
  return tables
}

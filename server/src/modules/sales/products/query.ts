import { and, or, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'

/** `%v%` for ilike, with the pattern characters of `v` escaped. */
export const likePattern = (v: unknown) => `%${String(v).replace(/[\\%_]/g, '\\$&')}%`

/** Case-insensitive substring search over `columns` (undefined for an empty query). */
export function searchColumns(q: unknown, columns: AnyPgColumn[]): SQL | undefined {
  if (typeof q !== 'string' || q.trim() === '') return undefined
  const p = likePattern(q.trim())
  return or(...columns.map((c) => sql`${c} ilike ${p}`))
}

/** A list's where clause plus the top-level `?q=` (lists also take q inside ?filter, like leads). */
export const withSearch = <T extends { where: SQL | undefined }>(built: T, search: SQL | undefined): T => ({
  ...built,
  where: and(built.where, search),
})

import { and, eq, sql } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import type { Repository } from '../../../platform/access/data-access.js'
import { diff, writeAudit } from '../../../platform/audit/service.js'
import { AppError, conflict, type FieldError } from '../../../platform/http/errors.js'

type Row = Record<string, unknown>

/** A stale `version` on a state change is a 409 carrying the current row, as on edits. */
export function checkVersion<T extends PgTable>(
  ctx: Ctx,
  repo: Repository<T>,
  row: Row,
  expected: number | undefined,
) {
  if (expected !== undefined && row.version !== expected) throw conflict(repo.present(ctx, row))
}

/** An error whose params also travel in the problem body (`params`), for clients to act on. */
export const salesError = (
  status: number,
  code: string,
  params: Record<string, unknown> = {},
  fields: FieldError[] = [],
) => new AppError(status, code, params, fields, { params })

/** 409 for a state change the current state does not allow: `<code>` with params from/to. */
export const badTransition = (code: string, from: unknown, to: string, more: Record<string, unknown> = {}) =>
  salesError(409, code, { from: String(from), to, ...more })

/**
 * A named state change (submit, approve, status, payment…) of a row already read and locked:
 * updated through the repository's tenant + scope condition, version bumped, and audited under
 * its own action with what changed, in the caller's transaction.
 */
export async function changeRecord<T extends PgTable>(
  ctx: Ctx,
  repo: Repository<T>,
  before: Row,
  patch: Row,
  action: string,
  summary?: string,
): Promise<Row> {
  const table = repo.table as unknown as Record<string, AnyPgColumn>
  const [after] = (await (ctx.db as any)
    .update(repo.table)
    .set({ ...patch, version: sql`${table.version} + 1`, updatedAt: new Date() })
    .where(and(repo.visible(ctx), eq(table.id!, before.id)))
    .returning()) as Row[]
  const changes = diff(before, after!)
  await writeAudit(ctx, [
    {
      action,
      objectType: repo.objectType,
      objectId: String(before.id),
      summary: summary ?? String(after!.number ?? after!.id),
      ...(changes ?? {}),
    },
  ])
  return after!
}

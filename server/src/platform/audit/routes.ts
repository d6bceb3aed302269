import { and, desc, eq, getTableColumns, gte, ilike, lte, or, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import { decodeCursor, encodeCursor, repositoryFor } from '../access/data-access.js'
import { inTransaction } from '../db/tx.js'
import { ctxOf } from '../http/context.js'
import { notFound, validationFailed } from '../http/errors.js'
import { parseFilter } from '../http/list-query.js'
import type { HainaModule } from '../http/module.js'
import { auditLog, recycleBin } from './schema.js'
import { writeAudit } from './service.js'

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  filter: z.string().max(2000).optional(),
})
const auditOut = z.object({
  id: z.string(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  summary: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
})
const binOut = z.object({
  id: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  label: z.string().nullable(),
  deletedBy: z.string().nullable(),
  deletedAt: z.string(),
})
const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v))

/**
 * A timestamp to the microsecond, as cursors carry it. A JS Date keeps milliseconds only, and the
 * entries of one transaction (a bulk action) share one `now()` to the microsecond: a millisecond
 * cursor skipped the rest of them on the next page.
 */
const exactTime = (col: AnyPgColumn) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`

const EXACT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,6}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Keyset paging on (time desc, id desc), as a row comparison: the index on (tenant, time desc, id
 * desc) then starts at the cursor instead of filtering every newer entry.
 */
function keyset(col: AnyPgColumn, idCol: AnyPgColumn, cursor?: string) {
  const c = cursor ? decodeCursor(cursor) : null
  if (!c) return undefined
  const [at, id] = [String(c[0]), String(c[1])]
  if (!EXACT_TIME.test(at) || !UUID.test(id))
    throw validationFailed([{ field: 'cursor', code: 'invalid_cursor' }])
  return sql`(${col}, ${idCol}) < (${at}::timestamptz, ${id}::uuid)`
}

export const auditModule: HainaModule = {
  name: 'audit',
  routes(app) {
    app.get(
      '/api/v1/audit-log',
      {
        config: { permission: 'audit.view' },
        schema: {
          tags: ['audit'],
          summary: 'Search the audit log (filter: actorId, action, objectType, objectId, from, to, q)',
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(auditOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const f = Object.fromEntries(
          Object.entries(parseFilter(req.query.filter)).map(([k, v]) => [
            k,
            (v as Record<string, unknown>).eq ?? v,
          ]),
        )
        const conds = [
          eq(auditLog.tenantId, ctx.actor.tenantId),
          str(f.actorId) && eq(auditLog.actorId, str(f.actorId)!),
          str(f.action) && eq(auditLog.action, str(f.action)!),
          str(f.objectType) && eq(auditLog.objectType, str(f.objectType)!),
          str(f.objectId) && eq(auditLog.objectId, str(f.objectId)!),
          str(f.from) && gte(auditLog.at, new Date(str(f.from)!)),
          str(f.to) && lte(auditLog.at, new Date(str(f.to)!)),
          str(f.q) &&
            or(ilike(auditLog.summary, `%${str(f.q)}%`), ilike(auditLog.actorName, `%${str(f.q)}%`)),
          keyset(auditLog.at, auditLog.id, req.query.cursor),
        ].filter(Boolean) as ReturnType<typeof eq>[]
        const rows = await ctx.db
          .select({ ...getTableColumns(auditLog), cursorAt: exactTime(auditLog.at) })
          .from(auditLog)
          .where(and(...conds))
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(req.query.limit + 1)
        const more = rows.length > req.query.limit
        const items = rows.slice(0, req.query.limit)
        const last = items[items.length - 1]
        return {
          items: items.map(({ cursorAt: _, ...r }) => ({ ...r, at: r.at.toISOString() })),
          nextCursor: more && last ? encodeCursor([last.cursorAt, last.id]) : null,
        }
      },
    )

    const binTags = ['recycle bin']
    app.get(
      '/api/v1/recycle-bin',
      {
        config: { permission: 'recycle_bin.view' },
        schema: {
          tags: binTags,
          summary: 'Deleted records (filter: objectType, q)',
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(binOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const f = Object.fromEntries(
          Object.entries(parseFilter(req.query.filter)).map(([k, v]) => [
            k,
            (v as Record<string, unknown>).eq ?? v,
          ]),
        )
        const conds = [
          eq(recycleBin.tenantId, ctx.actor.tenantId),
          str(f.objectType) && eq(recycleBin.objectType, str(f.objectType)!),
          str(f.q) && ilike(recycleBin.label, `%${str(f.q)}%`),
          keyset(recycleBin.deletedAt, recycleBin.id, req.query.cursor),
        ].filter(Boolean) as ReturnType<typeof eq>[]
        const rows = await ctx.db
          .select({
            id: recycleBin.id,
            objectType: recycleBin.objectType,
            objectId: recycleBin.objectId,
            label: recycleBin.label,
            deletedBy: recycleBin.deletedBy,
            deletedAt: recycleBin.deletedAt,
            cursorAt: exactTime(recycleBin.deletedAt),
          })
          .from(recycleBin)
          .where(and(...conds))
          .orderBy(desc(recycleBin.deletedAt), desc(recycleBin.id))
          .limit(req.query.limit + 1)
        const more = rows.length > req.query.limit
        const items = rows.slice(0, req.query.limit)
        const last = items[items.length - 1]
        return {
          items: items.map(({ cursorAt: _, ...r }) => ({ ...r, deletedAt: r.deletedAt.toISOString() })),
          nextCursor: more && last ? encodeCursor([last.cursorAt, last.id]) : null,
        }
      },
    )
    app.post(
      '/api/v1/recycle-bin/:id/restore',
      {
        config: { permission: 'recycle_bin.edit' },
        schema: { tags: binTags, summary: 'Put a deleted record back', params: z.object({ id: z.string() }) },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        await inTransaction(ctx, async (tx) => {
          const entry = await binEntry(tx, req.params.id)
          const repo = repositoryFor(entry.objectType)
          if (!repo) throw notFound()
          const row = await repo.restoreRow(tx, entry.data)
          await tx.db
            .delete(recycleBin)
            .where(and(eq(recycleBin.tenantId, tx.actor.tenantId), eq(recycleBin.id, entry.id)))
          await writeAudit(tx, [
            {
              action: 'restore',
              objectType: entry.objectType,
              objectId: entry.objectId,
              summary: entry.label ?? undefined,
              after: row,
            },
          ])
        })
        return reply.status(204).send()
      },
    )
    app.delete(
      '/api/v1/recycle-bin/:id',
      {
        config: { permission: 'recycle_bin.delete' },
        schema: {
          tags: binTags,
          summary: 'Purge a deleted record for good',
          params: z.object({ id: z.string() }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        await inTransaction(ctx, async (tx) => {
          const entry = await binEntry(tx, req.params.id)
          await tx.db
            .delete(recycleBin)
            .where(and(eq(recycleBin.tenantId, tx.actor.tenantId), eq(recycleBin.id, entry.id)))
          await writeAudit(tx, [
            {
              action: 'purge',
              objectType: entry.objectType,
              objectId: entry.objectId,
              summary: entry.label ?? undefined,
              before: entry.data,
            },
          ])
        })
        return reply.status(204).send()
      },
    )
  },
}

async function binEntry(ctx: ReturnType<typeof ctxOf>, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound()
  const [entry] = await ctx.db
    .select()
    .from(recycleBin)
    .where(and(eq(recycleBin.tenantId, ctx.actor.tenantId), eq(recycleBin.id, id)))
    .for('update')
  if (!entry) throw notFound()
  return entry
}

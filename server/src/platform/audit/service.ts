import type { SQL } from 'drizzle-orm'
import type { Ctx } from '../access/actor.js'
import { invalidateAuthCache } from '../auth/authenticate.js'
import { auditLog } from './schema.js'

/** Objects whose changes alter who may do what: they clear the authentication cache. */
const ACCESS_OBJECTS = new Set(['user', 'role', 'api_key', 'org_unit', 'workspace', 'session'])

export interface AuditEntry {
  action: string
  objectType: string
  objectId?: string | null
  summary?: string
  before?: unknown
  after?: unknown
}

/** Writes audit records in the caller's transaction: the change and its record commit together. */
export async function writeAudit(ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await ctx.db.execute(auditInsert(ctx, entries))
}

/**
 * The insert `writeAudit` runs, not yet executed, for a caller that folds it into one larger
 * statement (the data factory writes a whole run in one). Clears the authentication cache as
 * `writeAudit` does. `entries` must not be empty.
 */
export function auditInsert(ctx: Ctx, entries: AuditEntry[]): SQL {
  // Every mutation is audited, so this is the one place that sees each change to who-may-do-what.
  if (
    entries.some(
      (e) => ACCESS_OBJECTS.has(e.objectType) && e.action !== 'login' && e.action !== 'login_failed',
    )
  )
    invalidateAuthCache()
  return ctx.db
    .insert(auditLog)
    .values(
      entries.map((e) => ({
        tenantId: ctx.actor.tenantId,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        actorName: ctx.actor.name,
        action: e.action,
        objectType: e.objectType,
        objectId: e.objectId ?? null,
        summary: e.summary ?? null,
        before: redact(e.before),
        after: redact(e.after),
        requestId: ctx.requestId ?? null,
        ip: ctx.ip ?? null,
      })),
    )
    .getSQL()
}

const SECRET_KEYS = new Set(['passwordHash', 'secretHash', 'tokenHash', 'csrfToken', 'password'])

/** Secrets never reach the audit log, even as hashes. */
function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEYS.has(k) ? '[redacted]' : v,
    ]),
  )
}

/** The fields that differ between two versions of a record, for compact update entries. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'updatedAt' || key === 'version') continue
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null
}

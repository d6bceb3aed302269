import type { Tx } from '../db/index.js'
import type { Locale } from '../i18n/messages.js'
import type { DataScope } from '../org/schema.js'

/** Who is acting: a signed-in user, an API key bound to a role, or the system (jobs, CLI). */
export interface Actor {
  type: 'user' | 'api_key' | 'system'
  id: string | null
  name: string
  tenantId: string
  /** The caller's unit and its org-boundary unit, with their materialised paths. */
  unitId: string | null
  unitPath: string | null
  orgId: string | null
  orgPath: string | null
  permissions: ReadonlySet<string>
  dataScope: DataScope
}

/** Everything a service needs about the current call. Services never read the request itself. */
export interface Ctx {
  db: Tx
  actor: Actor
  locale: Locale
  requestId?: string
  ip?: string
  /** Set by inTransaction(): `db` is an open transaction. */
  inTx?: boolean
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has(permission)
}

/** The system actor: all permissions, all data, within one tenant. For jobs and the CLI only. */
export function systemActor(tenantId: string, permissions: Iterable<string>): Actor {
  return {
    type: 'system',
    id: null,
    name: 'system',
    tenantId,
    unitId: null,
    unitPath: null,
    orgId: null,
    orgPath: null,
    permissions: new Set(permissions),
    dataScope: 'all',
  }
}

/**
 * Shared test kit: a fresh app with two workspaces (A and B), each with a signed-in admin.
 * `as(session)` sends requests with that session's cookie and CSRF token.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { type Ctx, systemActor } from '../src/platform/access/actor.js'
import { ALL_PERMISSIONS } from '../src/platform/access/permissions.js'
import { createSession } from '../src/platform/auth/sessions.js'
import { SESSION_COOKIE, sessionCookieValue } from '../src/platform/auth/tokens.js'
import { createWorkspace } from '../src/platform/tenancy/service.js'
import type { Haina } from '../src/server.js'
import { createTestApp } from './harness.js'

export interface TestSession {
  tenantId: string
  userId: string
  cookie: string
  csrfToken: string
}

export interface Workspace {
  tenantId: string
  rootUnitId: string
  adminId: string
  admin: TestSession
  /** A system context for arranging data directly through services. */
  sys: Ctx
}

export interface Kit {
  haina: Haina
  a: Workspace
  b: Workspace
  /** Request as the given session (cookie + CSRF header), or anonymously. */
  req(session: TestSession | null, opts: InjectOptions): Promise<LightMyRequestResponse>
  /** A session for an existing user. */
  login(tenantId: string, userId: string): Promise<TestSession>
  close(): Promise<void>
}

let seq = 0
export async function makeWorkspace(haina: Haina, name: string): Promise<Workspace> {
  const db = haina.database.db
  const slug = `${name.toLowerCase().replace(/\W+/g, '-')}-${process.pid}-${seq++}`
  const ws = await createWorkspace(db, {
    name,
    slug,
    admin: { name: `${name} 管理员`, email: `admin@${slug}.test`, password: 'Passw0rd!2026' },
  })
  const sys: Ctx = { db, actor: systemActor(ws.tenant.id, ALL_PERMISSIONS), locale: 'zh-CN' }
  return {
    tenantId: ws.tenant.id,
    rootUnitId: ws.rootUnit.id,
    adminId: ws.admin.id,
    admin: await loginAs(haina, ws.tenant.id, ws.admin.id),
    sys,
  }
}

async function loginAs(haina: Haina, tenantId: string, userId: string): Promise<TestSession> {
  const s = await createSession(haina.database.db, { tenantId, userId })
  return {
    tenantId,
    userId,
    cookie: `${SESSION_COOKIE}=${sessionCookieValue(tenantId, s.secret)}`,
    csrfToken: s.csrfToken,
  }
}

export async function createKit(): Promise<Kit> {
  const haina = await createTestApp()
  const a = await makeWorkspace(haina, 'Alpha')
  const b = await makeWorkspace(haina, 'Beta')
  return {
    haina,
    a,
    b,
    req(session, opts) {
      const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) }
      if (session) {
        headers.cookie = session.cookie
        headers['x-csrf-token'] = session.csrfToken
      }
      return haina.app.inject({ ...opts, headers })
    },
    login: (tenantId, userId) => loginAs(haina, tenantId, userId),
    close: () => haina.close(),
  }
}

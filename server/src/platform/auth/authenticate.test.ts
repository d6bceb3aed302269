/** The authentication cache: one lookup per caller at a time, cleared by changes, bounded by expiry. */
import type { FastifyRequest } from 'fastify'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '../db/index.js'
import { authenticate, invalidateAuthCache } from './authenticate.js'
import { SESSION_COOKIE, sessionCookieValue } from './tokens.js'

const tenantId = '0190c0de-0000-7000-8000-000000000001'
const row = (expiresAt: Date) => ({
  session_id: 's1',
  csrf_token: 'csrf',
  session_created_at: new Date(),
  session_expires_at: expiresAt,
  user_id: 'u1',
  name: 'U',
  status: 'active',
  unit_id: null,
  unit_path: null,
  org_id: null,
  org_path: null,
  grants: [{ p: ['leads.view'], s: 'self' }],
  sessions_valid_after: null,
})

/** A database whose actor query is answered by hand; `calls` counts the lookups. */
function fakeDb() {
  const pending: ((r: unknown) => void)[] = []
  const db = {
    calls: 0,
    execute: () => {
      db.calls++
      return new Promise((resolve) => pending.push(resolve))
    },
    answer: (r: unknown) => {
      for (const resolve of pending.splice(0)) resolve({ rows: r ? [r] : [] })
    },
  }
  return db
}
let n = 0
const request = () =>
  ({
    headers: {},
    cookies: { [SESSION_COOKIE]: sessionCookieValue(tenantId, `secret-${n}-abcdefghijklmnopqrstuvwxyz`) },
  }) as unknown as FastifyRequest

beforeEach(() => {
  n++
  invalidateAuthCache()
})
afterEach(() => vi.useRealTimers())

describe('authenticate', () => {
  it('resolves concurrent requests of one caller with one lookup, then from the cache', async () => {
    const db = fakeDb()
    const calls = Array.from({ length: 20 }, () => authenticate(request(), db as unknown as Db))
    await Promise.resolve()
    db.answer(row(new Date(Date.now() + 3_600_000)))
    const results = await Promise.all(calls)
    expect(db.calls).toBe(1)
    expect(results.every((r) => r?.actor.id === 'u1' && r.csrfToken === 'csrf')).toBe(true)
    expect((await authenticate(request(), db as unknown as Db))?.actor.id).toBe('u1')
    expect(db.calls).toBe(1)
  })

  it('does not keep what a lookup read before the cache was cleared', async () => {
    const db = fakeDb()
    const first = authenticate(request(), db as unknown as Db)
    await Promise.resolve()
    invalidateAuthCache()
    db.answer(row(new Date(Date.now() + 3_600_000)))
    await first
    const second = authenticate(request(), db as unknown as Db)
    await Promise.resolve()
    db.answer(null)
    expect(await second).toBeNull()
    expect(db.calls).toBe(2)
  })

  it('never serves a session from the cache past its expiry', async () => {
    vi.useFakeTimers({ now: Date.now() })
    const db = fakeDb()
    const first = authenticate(request(), db as unknown as Db)
    await Promise.resolve()
    db.answer(row(new Date(Date.now() + 500)))
    expect(await first).not.toBeNull()
    vi.advanceTimersByTime(600)
    const again = authenticate(request(), db as unknown as Db)
    await Promise.resolve()
    db.answer(null)
    expect(await again).toBeNull()
    expect(db.calls).toBe(2)
  })
})

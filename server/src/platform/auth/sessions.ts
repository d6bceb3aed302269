// OWNED BY: accounts helper. Signature fixed (test/kit.ts calls it).
import type { Db } from '../db/index.js'

/** Creates a session row and returns the cookie secret (never stored) and the CSRF token. */
export async function createSession(
  db: Db,
  input: { tenantId: string; userId: string; ip?: string; userAgent?: string },
): Promise<{ id: string; secret: string; csrfToken: string; expiresAt: Date }> {
  throw new Error(`not implemented yet ${String(db)} ${input.userId}`)
}

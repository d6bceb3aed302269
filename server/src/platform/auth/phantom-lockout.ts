/**
 * Failed sign-ins of accounts that do not exist, counted like real ones: without this an unknown
 * email answered 401 forever while a real one locked after a few tries, which told an attacker
 * which emails have accounts. Kept in memory (bounded); nothing about a non-account is worth a row.
 */
const MAX_ENTRIES = 10_000
const entries = new Map<string, { failed: number; lockedUntil: number }>()

export function phantomKey(workspace: string | undefined, email: string): string {
  return `${workspace?.trim().toLowerCase() ?? ''}\u0000${email.trim().toLowerCase()}`
}

export function phantomLocked(key: string, now = Date.now()): boolean {
  const e = entries.get(key)
  return !!e && e.lockedUntil > now
}

/** Counts one failure; true when it locks, as the same failure would lock a real account. */
export function phantomFailure(key: string, threshold: number, minutes: number, now = Date.now()): boolean {
  const e = entries.get(key) ?? { failed: 0, lockedUntil: 0 }
  entries.delete(key) // re-inserted last: the map's order is the eviction order
  e.failed += 1
  const lock = e.failed >= threshold
  if (lock) {
    e.failed = 0
    e.lockedUntil = now + minutes * 60_000
  }
  entries.set(key, e)
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
  return lock
}

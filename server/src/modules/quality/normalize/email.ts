import { createRequire } from 'node:module'
import { cleanText } from './text.js'

const require = createRequire(import.meta.url)
/** ~120,000 throwaway-mailbox domains (the disposable-email-domains list), as a Set once. */
const DISPOSABLE: Set<string> = new Set(require('disposable-email-domains') as string[])

// Practical syntax (what real mail systems accept), not the full RFC 5322 grammar.
const EMAIL = /^[a-z0-9._%+'-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/

export const normalizeEmail = (raw: string) => cleanText(raw).toLowerCase().replace(/\s/g, '')

export function checkEmail(email: string): 'ok' | 'invalid_email' | 'disposable_email' {
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..')) return 'invalid_email'
  return DISPOSABLE.has(email.slice(email.indexOf('@') + 1)) ? 'disposable_email' : 'ok'
}

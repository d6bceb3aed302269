import { hash, verify } from '@node-rs/argon2'
import { validationFailed } from '../http/errors.js'
import type { TenantSettings } from '../tenancy/schema.js'

// argon2id (the library default algorithm) with OWASP's minimum memory/time cost.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const hashPassword = (password: string) => hash(password, OPTIONS)
export const verifyPassword = (stored: string, password: string) =>
  verify(stored, password).catch(() => false)

/** A hash to verify against when the user does not exist, so both paths take the same time. */
let dummy: Promise<string> | undefined
export const dummyHash = () => (dummy ??= hashPassword('haina-dummy-password-1'))

/** Password policy: minimum length (workspace setting, default 8), letters and digits, not the email. */
export function checkPasswordPolicy(
  password: string,
  settings: TenantSettings,
  email?: string,
  field = 'password',
): void {
  const min = settings.passwordMinLength ?? 8
  const ok =
    password.length >= min &&
    password.length <= 200 &&
    /\p{L}/u.test(password) &&
    /\d/.test(password) &&
    password.toLowerCase() !== email?.toLowerCase()
  if (!ok) throw validationFailed([{ field, code: 'weak_password', params: { min } }])
}

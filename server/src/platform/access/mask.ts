/** 13800138000 / +8613800138000 → 138****8000; keeps the first 3 and last 4 digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/^\+86/, '')
  if (digits.length < 7) return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

/** zhangwei@example.com → z***@example.com */
export function maskEmail(value: string): string {
  const at = value.indexOf('@')
  if (at < 1) return '***'
  return `${value[0]}***${value.slice(at)}`
}

export type PiiKind = 'phone' | 'email'

export function maskValue(kind: PiiKind, value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value
  return kind === 'phone' ? maskPhone(value) : maskEmail(value)
}

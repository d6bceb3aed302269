import type { TFunction } from 'i18next'
import { i18n } from '../i18n/index.js'

/** What a code without a label shows: 'login_failed' → 'Login failed', 'quality.rededupe' → 'Quality rededupe'. */
export function readableCode(code: string): string {
  const words = code.replace(/[._-]+/g, ' ').trim()
  return words ? words[0]!.toUpperCase() + words.slice(1) : code
}

/**
 * The label of a server code under a catalogue section (`audit.actions`, `notifications.kinds`…),
 * or the code made readable when the catalogue has none. Codes with dots are not catalogue paths.
 */
export function codeLabel(t: TFunction, section: string, code: string | null | undefined): string {
  if (!code) return ''
  const fallback = readableCode(code)
  if (code.includes('.')) return fallback
  const label = t(`${section}.${code}`, { defaultValue: fallback })
  return typeof label === 'string' ? label : fallback
}

/** Date and time in the app's language (not the browser's): 2026/12/2 10:46:55, 12/2/2026, 10:46:55 AM. */
export function formatDateTime(
  value: string | number | Date | null | undefined,
  lang = i18n.language,
): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  try {
    return d.toLocaleString(lang)
  } catch {
    return d.toLocaleString()
  }
}

/** A date alone in the app's language. */
export function formatDate(value: string | number | Date | null | undefined, lang = i18n.language): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  try {
    return d.toLocaleDateString(lang)
  } catch {
    return d.toLocaleDateString()
  }
}

/** The server's English words for why a member could not take a lead (assignment.service REASON_TEXT). */
const REASONS: Record<string, string> = {
  disabled: 'disabled',
  'on leave': 'on_leave',
  'off duty': 'off_duty',
  'at capacity': 'at_capacity',
}

/**
 * A lead's routing note in the reader's language. The server stores `code: English detail`
 * (`no_distribution_rule: no distribution rule matched this lead`, `no_eligible_assignee: rule "X":
 * …`); known codes and details are translated, anything else shows as stored.
 */
export function routingNoteText(t: TFunction, note: string | null | undefined): string {
  if (!note) return ''
  const m = /^([a-z_]+):\s*(.*)$/s.exec(note)
  if (!m) return note
  const [, code, detail = ''] = m
  if (code === 'no_distribution_rule') return t('routingNote.no_distribution_rule')
  if (code !== 'no_eligible_assignee') return note
  const rule = /^rule "(.*)"(?=(?: has|:))/s.exec(detail)?.[1]
  if (rule === undefined) return `${t('routingNote.no_eligible_assignee')}${detail ? ` (${detail})` : ''}`
  const rest = detail.slice(`rule "${rule}"`.length)
  if (rest === ' has no members') return t('routingNote.noMembers', { rule })
  if (rest.startsWith(': no member belongs')) return t('routingNote.noMemberInOrg', { rule })
  const counts = /\(([^()]*)\)\s*$/.exec(rest)?.[1]
  if (rest.startsWith(': all members') && counts !== undefined) {
    const sep = t('routingNote.separator')
    const reasons = counts
      .split(',')
      .map((p) => /^\s*(\d+)\s+(.+?)\s*$/.exec(p))
      .filter((p): p is RegExpExecArray => p !== null)
      .map(([, n, why]) =>
        REASONS[why!] ? t(`routingNote.reason.${REASONS[why!]}`, { count: Number(n) }) : `${n} ${why}`,
      )
      .join(sep)
    return t('routingNote.allUnavailable', { rule, reasons })
  }
  return `${t('routingNote.no_eligible_assignee')} (${detail})`
}

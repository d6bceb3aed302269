import { hasMessage, type Locale, translate } from '../../../platform/i18n/messages.js'
import type { Row } from './file/index.js'

/** Why a row did not go in, as stored in import_errors.reasons (`column`/`params` when known). */
export interface Reason {
  /** A target field (`mobile`, `custom.level`) or `row` for the row as a whole. */
  field: string
  code: string
  /** 0-based column of the file the problem is in. */
  column?: number
  params?: Record<string, unknown>
}

/** A reason or issue code in the caller's language: the import's own wording first (`import_<code>`). */
export function reasonMessage(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const key = hasMessage(`import_${code}`) ? `import_${code}` : code
  return hasMessage(key) ? translate(key, locale, params) : code
}

/**
 * The reasons a row is refused before the factory sees it: a ragged row as a whole, and each cell
 * issue (formula error, cell of a merge across columns) in a column the mapping uses. Issues in
 * columns the import ignores do not matter.
 */
export function fileReasons(row: Row, mapping: Record<string, string>): Reason[] {
  const reasons: Reason[] = row.problem ? [{ field: 'row', code: row.problem }] : []
  for (const issue of row.issues ?? []) {
    const target = mapping[String(issue.column)]
    if (target) reasons.push({ field: target, code: issue.code, column: issue.column, params: issue.params })
  }
  return reasons
}

/**
 * One line of the error file's reason column: each reason as `<column header>: <message>` in the
 * caller's language (`手机号：手机号码无效`), the row as a whole as `整行：…`.
 */
export function reasonText(
  reasons: Reason[],
  headers: string[],
  mapping: Record<string, string>,
  locale: Locale,
): string {
  const columnOf = new Map(Object.entries(mapping).map(([col, t]) => [t, Number(col)]))
  const sep = locale === 'en' ? ': ' : '：'
  return reasons
    .map((r) => {
      const col = r.column ?? columnOf.get(r.field)
      const label =
        r.field === 'row'
          ? translate('import_whole_row', locale)
          : col !== undefined && headers[col]
            ? headers[col]
            : r.field
      return `${label}${sep}${reasonMessage(r.code, locale, r.params ?? {})}`
    })
    .join(locale === 'en' ? '; ' : '；')
}

/**
 * Original cells laid out under the header: a short row padded, a long row cut to the header's
 * width with what was cut kept in `extra` (joined with ` | `), so Row and Reason stay aligned.
 */
export function alignCells(cells: string[], width: number): { cells: string[]; extra: string } {
  const out = cells.slice(0, width)
  while (out.length < width) out.push('')
  return { cells: out, extra: cells.slice(width).join(' | ') }
}

import { stringify } from 'csv-stringify/sync'

/**
 * OWASP CSV-injection guidance: a cell starting with = + - @ (or tab / CR) is prefixed with ' so a
 * spreadsheet shows it as text instead of running it. Applied to every exported text cell.
 */
export function neutralizeFormula(value: unknown): string {
  const s = value == null ? '' : String(value)
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}

/** CSV text with a UTF-8 BOM (so Excel opens Chinese correctly), every cell neutralised. */
export function writeCsv(rows: unknown[][]): string {
  return `\ufeff${stringify(
    rows.map((r) => r.map(neutralizeFormula)),
    { record_delimiter: '\r\n' },
  )}`
}

import ExcelJS from 'exceljs'
import { type CellIssue, FileError, type Row } from './errors.js'

/** A cell as the text a user sees: formulas give their result, dates ISO, numbers never in exponent form. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return ''
  if (value instanceof Date) {
    const iso = value.toISOString()
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z')
  }
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'string') return value
  if ('richText' in value) return value.richText.map((r) => r.text).join('')
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null)
  if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? value.hyperlink)
  if ('error' in value) return String((value as { error: unknown }).error)
  return String(value)
}

/** A formula cell that holds no usable result: an error value (#DIV/0!, #REF!…) or none cached. */
export function formulaIssue(value: ExcelJS.CellValue, column: number): CellIssue | null {
  if (value == null || typeof value !== 'object' || value instanceof Date) return null
  if ('error' in value) return { column, code: 'formula_error', params: { value: String(value.error) } }
  if (!('formula' in value || 'sharedFormula' in value)) return null
  const result = (value as { result?: ExcelJS.CellValue }).result
  if (result && typeof result === 'object' && 'error' in result)
    return { column, code: 'formula_error', params: { value: String(result.error) } }
  // The streaming reader drops error results too (they read as no result), hence one code for both there.
  if (result === undefined || (typeof result === 'number' && Number.isNaN(result)))
    return { column, code: 'formula_no_result' }
  return null
}

/**
 * What the streaming reader cannot see, found by reading the workbook whole (open.ts): per row,
 * values to fill in (a vertically merged data cell takes its range's value) and cell issues.
 */
export type CellFixes = Map<number, { fill?: Map<number, string>; issues?: CellIssue[] }>

function reader(path: string) {
  return new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  })
}

type SheetReader = AsyncIterable<ExcelJS.Row> & { name?: string; id?: number }

/**
 * Streams one sheet's rows (the first non-empty one, or `headerRow`, is the header) from an XLSX without loading the workbook: the sheet
 * named `sheet`, or else the first sheet that has any row. Also reports every sheet's name.
 */
export async function* xlsxRows(
  path: string,
  opts: {
    sheet?: string
    startAfterRow?: number
    /** The header's row (1 unless title rows are above it): the width rows are checked against. */
    headerRow?: number
    onSheets?: (used: string, all: string[]) => void
    fixes?: CellFixes
  },
): AsyncGenerator<Row> {
  const names: string[] = []
  let used: string | null = null
  try {
    for await (const ws of reader(path) as AsyncIterable<SheetReader>) {
      const name = ws.name ?? `Sheet${ws.id ?? names.length + 1}`
      names.push(name)
      if (used !== null || (opts.sheet && opts.sheet !== name)) {
        for await (const _ of ws) {
          // drain: the reader only moves on once a sheet is consumed
        }
        continue
      }
      let width = -1
      let last = 0
      for await (const row of ws) {
        // Array.from, not map: row.values has holes where cells are empty, and map keeps holes.
        const raw = (row.values as ExcelJS.CellValue[]).slice(1)
        const values = Array.from(raw, cellText)
        const fix = opts.fixes?.get(row.number)
        for (const [col, v] of fix?.fill ?? []) {
          while (values.length <= col) values.push('')
          values[col] = v
        }
        while (values.length && values[values.length - 1] === '') values.pop()
        if (!values.length) continue
        if (used === null) used = name
        if (width < 0 && row.number >= (opts.headerRow ?? 0)) width = values.length
        last = row.number
        if (row.number <= (opts.startAfterRow ?? 0)) continue
        const out: Row =
          width >= 0 && values.length > width
            ? { rowNumber: row.number, cells: values, problem: 'ragged_row' }
            : { rowNumber: row.number, cells: values }
        const issues = fix?.issues ? [...fix.issues] : []
        Array.from(raw).forEach((v, col) => {
          const issue = formulaIssue(v, col)
          if (issue && !issues.some((i) => i.column === col)) issues.push(issue)
        })
        if (issues.length) out.issues = issues
        yield out
      }
      void last
    }
  } catch (err) {
    if (err instanceof FileError) throw err
    throw new FileError('not_xlsx', {
      reason: err instanceof Error ? err.message.slice(0, 100) : String(err),
    })
  }
  if (opts.sheet && !names.includes(opts.sheet))
    throw new FileError('sheet_not_found', { sheet: opts.sheet, sheets: names.join(', ') })
  if (used === null) throw new FileError('empty_file')
  opts.onSheets?.(used, names)
}

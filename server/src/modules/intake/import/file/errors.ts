export type FileErrorCode =
  | 'file_too_large'
  | 'unknown_encoding'
  | 'malformed_csv'
  | 'not_xlsx'
  | 'empty_file'
  | 'no_header'
  | 'sheet_not_found'
  | 'merged_header'
  | 'duplicate_header'
  | 'empty_header'

/** A problem with an uploaded file as a whole (the API answers it as `import_<code>` with its params). */
export class FileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    readonly params: Record<string, unknown> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`)
  }
}

/** A row as a user sees it in Excel: the header is row 1. */
export interface Row {
  rowNumber: number
  cells: string[]
  /** The row cannot be imported as a whole (more or fewer cells than the header). */
  problem?: 'ragged_row'
  /**
   * Cells whose value the file does not really hold (XLSX): a formula with an error result or no
   * cached result, a cell inside a merged range across columns. An importer refuses the row when
   * such a cell is in a column it uses, naming that column.
   */
  issues?: CellIssue[]
}

export interface CellIssue {
  /** 0-based column index. */
  column: number
  code: 'formula_error' | 'formula_no_result' | 'merged_cell'
  params?: Record<string, string>
}

/** Column letter as in Excel: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

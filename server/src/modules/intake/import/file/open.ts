import { open, stat } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { csvRows, detectDelimiter } from './csv.js'
import { detectEncoding } from './encoding.js'
import { type CellIssue, columnLetter, FileError, type Row } from './errors.js'
import { type CellFixes, cellText, formulaIssue, xlsxRows } from './xlsx.js'

export interface Table {
  format: 'csv' | 'xlsx'
  encoding?: string
  /** The sheet read (XLSX), and all sheets when the workbook was small enough to list them. */
  sheet?: string
  sheets?: string[]
  headers: string[]
  /** The header's row number: 1, or below the title rows skipped above it (`客户名单 2026-11`). */
  headerRow: number
  /** The data rows (header excluded), after `startAfterRow` when resuming. */
  rows(startAfterRow?: number): AsyncIterable<Row>
}

/** Workbooks up to this size are opened whole once, to list sheets and see merged header cells. */
const INSPECT_LIMIT = 30 * 1024 * 1024

async function isZip(path: string): Promise<boolean> {
  const fh = await open(path, 'r')
  const buf = Buffer.alloc(4)
  await fh.read(buf, 0, 4, 0).finally(() => fh.close())
  return buf.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
}

function checkHeaders(raw: string[]): string[] {
  const headers = raw.map((h) => h.normalize('NFKC').replace(/\s+/g, ' ').trim())
  while (headers.length && headers[headers.length - 1] === '') headers.pop()
  if (!headers.length) throw new FileError('no_header')
  const seen = new Map<string, number>()
  headers.forEach((h, i) => {
    if (!h) throw new FileError('empty_header', { column: columnLetter(i) })
    if (seen.has(h)) throw new FileError('duplicate_header', { header: h, column: columnLetter(i) })
    seen.set(h, i)
  })
  return headers
}

/** `C2:D5` → 0-based columns and 1-based rows. */
function decodeRange(range: string) {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(range)
  if (!m) return null
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
  return { c1: col(m[1]!), r1: Number(m[2]), c2: col(m[3] ?? m[1]!), r2: Number(m[4] ?? m[2]) }
}

/**
 * What the streaming reader misses in a sheet read whole. Merged data cells: the streaming reader
 * sees only the range's first cell (merges are listed after the rows); a range within one column
 * (one company over several rows) gives its value to every cell, a range across columns hides which
 * column a value is for and is an issue on each covered cell. Formulas: their error value
 * (#DIV/0!, #REF!), which the streaming reader drops.
 */
function cellFixes(ws: ExcelJS.Worksheet, merges: string[], headerRow: number): CellFixes {
  const fixes: CellFixes = new Map()
  const at = (row: number) => {
    let f = fixes.get(row)
    if (!f) {
      f = {}
      fixes.set(row, f)
    }
    return f
  }
  const fill = (row: number, col: number, value: string) => {
    const f = at(row)
    f.fill ??= new Map()
    f.fill.set(col, value)
  }
  const issue = (row: number, i: CellIssue) => {
    const f = at(row)
    f.issues ??= []
    f.issues.push(i)
  }
  for (const range of merges) {
    const r = decodeRange(range)
    if (!r || r.r1 <= headerRow) continue
    if (r.c1 === r.c2) {
      const value = cellText(ws.getCell(r.r1, r.c1 + 1).value)
      for (let row = r.r1 + 1; row <= r.r2; row++) fill(row, r.c1, value)
      continue
    }
    for (let row = r.r1; row <= r.r2; row++)
      for (let col = r.c1; col <= r.c2; col++)
        if (row !== r.r1 || col !== r.c1) issue(row, { column: col, code: 'merged_cell', params: { range } })
  }
  ws.eachRow((row, rowNumber) => {
    if (rowNumber <= headerRow) return
    row.eachCell((cell, colNumber) => {
      if (cell.type !== ExcelJS.ValueType.Formula && cell.type !== ExcelJS.ValueType.Error) return
      const found = formulaIssue(cell.value, colNumber - 1)
      if (!found) return
      issue(rowNumber, found)
      // The error value (#DIV/0!) shows in the preview and the error file, not an empty cell.
      if (found.params?.value) fill(rowNumber, colNumber - 1, found.params.value)
    })
  })
  return fixes
}

async function inspectWorkbook(
  path: string,
  sheet: string | undefined,
  headerRow: number,
): Promise<{ sheets: string[]; used: string; fixes: CellFixes }> {
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.readFile(path)
  } catch (err) {
    throw new FileError('not_xlsx', {
      reason: err instanceof Error ? err.message.slice(0, 100) : String(err),
    })
  }
  const sheets = wb.worksheets.map((w) => w.name)
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets.find((w) => w.actualRowCount > 0)
  if (sheet && !ws) throw new FileError('sheet_not_found', { sheet, sheets: sheets.join(', ') })
  if (!ws) throw new FileError('empty_file')
  // A merged header cell hides which column is which (a merged title row above it does not matter).
  const all = (ws.model as { merges?: string[] }).merges ?? []
  const merges = all.filter((range) => {
    const r = decodeRange(range)
    return r && r.r1 <= headerRow && r.r2 >= headerRow
  })
  if (merges.length) throw new FileError('merged_header', { range: merges.join(', ') })
  return { sheets, used: ws.name, fixes: cellFixes(ws, all, headerRow) }
}

/** Rows looked at for the header: title rows above it are found among these. */
const HEADER_SCAN = 10

/**
 * Which of a table's first rows is the header: the first with two or more non-empty cells. Rows
 * above it (a title such as `客户名单 2026-11` or `xxx导出`, often merged across the columns, an
 * empty row) have at most one. A table whose rows all have one cell has its header first.
 */
export function findHeader(rows: Row[]): number {
  const k = rows.findIndex((r) => r.cells.filter((c) => c.trim() !== '').length >= 2)
  return Math.max(k, 0)
}

/**
 * Opens an uploaded table: XLSX by its zip signature (not its name), otherwise CSV with its
 * encoding (unless `encoding` names it) and delimiter detected. Finds the header below any title
 * rows; rows are streamed on demand.
 */
export async function openTable(
  path: string,
  opts: { fileName: string; sheet?: string; maxBytes: number; encoding?: string },
): Promise<Table> {
  const { size } = await stat(path)
  if (size > opts.maxBytes)
    throw new FileError('file_too_large', { maxMb: Math.round(opts.maxBytes / 1048576) })
  if (size === 0) throw new FileError('empty_file')
  if (await isZip(path)) {
    let sheet: string | undefined
    const head: Row[] = []
    for await (const row of xlsxRows(path, { sheet: opts.sheet, onSheets: (used) => (sheet = used) })) {
      head.push(row)
      if (head.length >= HEADER_SCAN) break
    }
    if (!head.length) throw new FileError('empty_file')
    const header = head[findHeader(head)]!
    const headerRow = header.rowNumber
    const inspected = size <= INSPECT_LIMIT ? await inspectWorkbook(path, opts.sheet, headerRow) : null
    const rows = (after = 0) =>
      xlsxRows(path, {
        sheet: opts.sheet ?? sheet,
        startAfterRow: after,
        headerRow,
        onSheets: (used) => (sheet = used),
        fixes: inspected?.fixes,
      })
    sheet ??= inspected?.used
    return {
      format: 'xlsx',
      sheet: sheet ?? opts.sheet,
      sheets: inspected?.sheets,
      headers: checkHeaders(header.cells),
      headerRow,
      rows: (after = 0) => skipHeader(rows(Math.max(after, headerRow)), headerRow),
    }
  }
  if (/\.xls$/i.test(opts.fileName)) throw new FileError('not_xlsx', { reason: 'xls' })
  const encoding = opts.encoding ?? (await detectEncoding(path)).encoding
  const delimiter = await detectDelimiter(path, encoding)
  const head: Row[] = []
  for await (const row of csvRows(path, encoding, delimiter)) {
    head.push(row)
    if (head.length >= HEADER_SCAN) break
  }
  if (!head.length) throw new FileError('empty_file')
  const header = head[findHeader(head)]!
  const headerRow = header.rowNumber
  return {
    format: 'csv',
    encoding,
    headers: checkHeaders(header.cells),
    headerRow,
    rows: (after = 0) =>
      skipHeader(csvRows(path, encoding, delimiter, Math.max(after, headerRow), headerRow), headerRow),
  }
}

async function* skipHeader(rows: AsyncIterable<Row>, headerRow: number): AsyncGenerator<Row> {
  for await (const row of rows) if (row.rowNumber > headerRow) yield row
}

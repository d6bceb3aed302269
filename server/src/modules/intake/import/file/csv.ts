import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { CsvError, parse } from 'csv-parse'
import iconv from 'iconv-lite'
import { FileError, type Row } from './errors.js'

const DELIMITERS = [',', '\t', ';', '|'] as const

/**
 * The delimiter of a CSV: comma, tab, semicolon or pipe, whichever is used most (outside quotes) in
 * the first line that has any of them — the header, not a title line above it (`客户名单 2026-11`).
 */
export async function detectDelimiter(path: string, encoding: string): Promise<string> {
  const fh = await open(path, 'r')
  const buf = Buffer.alloc(16 * 1024)
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0).finally(() => fh.close())
  const text = iconv.decode(buf.subarray(0, bytesRead), encoding)
  const lines = text
    .replace(/^\ufeff/, '')
    .split(/\r\n|\n|\r/)
    .slice(0, 10)
  let best: string = ','
  let most = 0
  for (const line of lines) {
    const unquoted = line.replace(/"[^"]*"/g, '')
    for (const d of DELIMITERS) {
      const n = unquoted.split(d).length - 1
      if (n > most) {
        most = n
        best = d
      }
    }
    if (most) break
  }
  return best
}

/**
 * Streams a CSV's records without loading the file: decoded on the fly, any line ending, BOM
 * stripped, blank lines (and rows of empty cells) skipped. Row `headerRow` (1 unless a title row is above it) is the header.
 * A later record with more or fewer cells than the header comes with `problem: 'ragged_row'`; broken quoting stops with `malformed_csv` and its row.
 * A NUL character is never text: the file is binary or in an encoding not detected
 * (`unknown_encoding`), whichever row it appears in.
 */
export async function* csvRows(
  path: string,
  encoding: string,
  delimiter: string,
  startAfterRow = 0,
  headerRow = 1,
): AsyncGenerator<Row> {
  const parser = createReadStream(path)
    .pipe(iconv.decodeStream(encoding))
    .pipe(
      parse({
        delimiter,
        bom: true,
        relax_column_count: true,
        // A quote inside an unquoted cell (=HYPERLINK("x"), 5"屏) is text; only unclosed quotes are errors.
        relax_quotes: true,
        skip_empty_lines: true,
        trim: false,
        record_delimiter: ['\r\n', '\n', '\r'],
      }),
    )
  let rowNumber = 0
  let width = -1
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++
      if (rowNumber === headerRow) width = record.length
      for (const c of record)
        if (c.includes('\0')) throw new FileError('unknown_encoding', { row: rowNumber })
      if (rowNumber <= startAfterRow) continue
      // A row of separators only (`,,,,,`: a spreadsheet's empty row saved as CSV) is a blank line, as
      // an empty XLSX row is: not a record. Its number still counts, so later rows keep theirs.
      if (rowNumber > headerRow && record.every((c) => c.trim() === '')) continue
      // Trailing empty cells (a common export artefact) do not make a row ragged.
      let cells = record
      while (cells.length > width && cells[cells.length - 1] === '') cells = cells.slice(0, -1)
      yield cells.length === width || rowNumber <= headerRow
        ? { rowNumber, cells }
        : { rowNumber, cells, problem: 'ragged_row' }
    }
  } catch (err) {
    // The parser's own record count, not ours: records parsed but not yet consumed when it failed
    // are dropped, so ours depends on how far the reader had got.
    if (err instanceof CsvError) {
      const parsed = typeof err.records === 'number' ? err.records : rowNumber
      throw new FileError('malformed_csv', { row: parsed + 1, reason: err.code })
    }
    throw err
  }
}

import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { CsvError, parse } from 'csv-parse'
import iconv from 'iconv-lite'
import { FileError, type Row } from './errors.js'

const DELIMITERS = [',', '\t', ';', '|'] as const

/** The delimiter used most in the first line (outside quotes): comma, tab, semicolon or pipe. */
export async function detectDelimiter(path: string, encoding: string): Promise<string> {
  const fh = await open(path, 'r')
  const buf = Buffer.alloc(16 * 1024)
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0).finally(() => fh.close())
  const text = iconv.decode(buf.subarray(0, bytesRead), encoding)
  const first = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/)[0] ?? ''
  const unquoted = first.replace(/"[^"]*"/g, '')
  let best: string = ','
  let most = 0
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1
    if (n > most) {
      most = n
      best = d
    }
  }
  return best
}

/**
 * Streams a CSV's records without loading the file: decoded on the fly, any line ending, BOM
 * stripped, blank lines skipped. Row 1 is the header. A record with more or fewer cells than the
 * header comes with `problem: 'ragged_row'`; broken quoting stops with `malformed_csv` and its row.
 * A NUL character is never text: the file is binary or in an encoding not detected
 * (`unknown_encoding`), whichever row it appears in.
 */
export async function* csvRows(
  path: string,
  encoding: string,
  delimiter: string,
  startAfterRow = 0,
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
      if (width < 0) width = record.length
      for (const c of record)
        if (c.includes('\0')) throw new FileError('unknown_encoding', { row: rowNumber })
      if (rowNumber <= startAfterRow) continue
      // Trailing empty cells (a common export artefact) do not make a row ragged.
      let cells = record
      while (cells.length > width && cells[cells.length - 1] === '') cells = cells.slice(0, -1)
      yield cells.length === width || rowNumber === 1
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

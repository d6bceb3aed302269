import { open } from 'node:fs/promises'
import chardet from 'chardet'
import iconv from 'iconv-lite'
import { FileError } from './errors.js'

const SAMPLE = 64 * 1024

function isUtf8(buf: Buffer): boolean {
  // A cut in the middle of a multi-byte character at the end of the sample is not an error.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, cutPoint(buf)))
    return true
  } catch {
    return false
  }
}
function cutPoint(buf: Buffer): number {
  const end = buf.length
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i]!
    if ((b & 0xc0) === 0xc0) return end - i
    if ((b & 0x80) === 0) break
  }
  return end
}

/**
 * The encoding of a text file from its first 64 KB: a BOM, else valid UTF-8, else what chardet
 * guesses — GB2312/GBK are read as GB18030 (their superset), Big5 as Big5.
 */
export async function detectEncoding(path: string): Promise<{ encoding: string; bom: boolean }> {
  const fh = await open(path, 'r')
  const buf = Buffer.alloc(SAMPLE)
  const { bytesRead } = await fh.read(buf, 0, SAMPLE, 0).finally(() => fh.close())
  const head = buf.subarray(0, bytesRead)
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true }
  // Excel's "Unicode text" and some exporters write UTF-16 without a BOM: valid UTF-8 and GB18030
  // byte-wise (NUL is ASCII), so it is told apart by its NUL bytes before those checks.
  const utf16 = utf16Order(head)
  if (utf16) return { encoding: utf16, bom: false }
  // Text never holds NUL bytes: whatever decodes with them is not a table (binary, or unknown).
  if (head.includes(0)) throw new FileError('unknown_encoding')
  if (isUtf8(head)) return { encoding: 'utf-8', bom: false }
  const guess = (chardet.detect(head) ?? '').toLowerCase()
  if (/gb|euc-cn|hz/.test(guess) || guess === 'iso-8859-1' || guess === 'windows-1252') {
    // Latin-1 guesses on Chinese files are chardet's usual mistake for short GBK samples.
    if (isGb18030(head)) return { encoding: 'gb18030', bom: false }
  }
  if (guess === 'big5') return { encoding: 'big5', bom: false }
  if (guess && iconv.encodingExists(guess) && !/8859|1252/.test(guess)) return { encoding: guess, bom: false }
  if (isGb18030(head)) return { encoding: 'gb18030', bom: false }
  throw new FileError('unknown_encoding')
}

/**
 * UTF-16 without a BOM from its NUL bytes: ASCII and most of Latin text in UTF-16 has a zero high
 * byte, so in little-endian the odd bytes are mostly NUL and the even ones almost never (the
 * reverse in big-endian). CJK-only text has no zero bytes; its header line and delimiters do.
 */
function utf16Order(buf: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = buf.length - (buf.length % 2)
  if (n < 4) return null
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++
    if (buf[i + 1] === 0) oddZero++
  }
  const pairs = n / 2
  if (oddZero >= pairs * 0.2 && evenZero <= pairs * 0.05) return 'utf-16le'
  if (evenZero >= pairs * 0.2 && oddZero <= pairs * 0.05) return 'utf-16be'
  return null
}

/** True when the bytes decode as GB18030 without replacement characters. */
function isGb18030(buf: Buffer): boolean {
  return !iconv.decode(buf.subarray(0, buf.length - 1), 'gb18030').includes('\ufffd')
}

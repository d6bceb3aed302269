import { open } from 'node:fs/promises'
import chardet from 'chardet'
import iconv from 'iconv-lite'
import { FileError } from './errors.js'

/** The encodings a client may name instead of detection (`encoding` on upload). */
export const ENCODINGS = ['utf-8', 'gb18030', 'big5', 'utf-16le', 'utf-16be'] as const
export type EncodingName = (typeof ENCODINGS)[number]

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
 * The encoding of a text file from its first 64 KB: a BOM, else UTF-16 by its NUL bytes, else
 * valid UTF-8, else GB18030 (GB2312/GBK's superset) or Big5 — whichever decodes cleanly into
 * Chinese text (chardet's guess decides between them and names other encodings).
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
  // Decoded up to the last line break: a character cut by the 64 KB sample is not an error.
  const sample = head.subarray(0, head.lastIndexOf(0x0a) + 1 || head.length)
  const gb = cleanDecode(sample, 'gb18030')
  const big5 = cleanDecode(sample, 'big5')
  if (guess === 'big5' && big5 !== null) return { encoding: 'big5', bom: false }
  // chardet's statistics take large GBK files for EUC-KR (or Shift_JIS, Latin-1…). Bytes that
  // decode cleanly as GB18030 into Chinese text are read as GB18030 unless, decoded the guessed way,
  // they are plainly Korean (Hangul) or Japanese (kana). Big5 bytes decode as GB18030 too, but into
  // rare characters, kana and symbols: not Chinese-looking, so they fall through to Big5.
  if (gb !== null && share(gb, isChinese) >= 0.9) {
    const native = guessedNative(sample, guess)
    if (native) return { encoding: guess, bom: false }
    return { encoding: 'gb18030', bom: false }
  }
  if (big5 !== null && share(big5, isChinese) >= 0.9) return { encoding: 'big5', bom: false }
  if (guess && iconv.encodingExists(guess) && !/8859|1252/.test(guess)) return { encoding: guess, bom: false }
  if (gb !== null) return { encoding: 'gb18030', bom: false }
  throw new FileError('unknown_encoding')
}

/** The text, or null when the bytes are not valid in that encoding (replacement characters). */
function cleanDecode(buf: Buffer, encoding: string): string | null {
  const text = iconv.decode(buf, encoding)
  return text.includes('\ufffd') ? null : text
}

/** CJK ideographs and the punctuation Chinese text uses (、。「」，（）…). */
const isChinese = (c: number) =>
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x3000 && c <= 0x303f) ||
  (c >= 0xff00 && c <= 0xffef)
const isHangul = (c: number) => c >= 0xac00 && c <= 0xd7af
const isHiragana = (c: number) => c >= 0x3040 && c <= 0x309f

/** The share of non-ASCII characters of a text that pass `test` (0 without any). */
function share(text: string, test: (c: number) => boolean): number {
  let all = 0
  let hits = 0
  for (const ch of text) {
    const c = ch.codePointAt(0)!
    if (c < 0x80) continue
    all++
    if (test(c)) hits++
  }
  return all ? hits / all : 0
}

/**
 * True when chardet's Korean or Japanese guess is plainly right: decoded that way the text is
 * Hangul (GBK read as EUC-KR is about half Hangul, half Hanja) or has kana (Japanese writes them
 * in almost every phrase; GBK rarely decodes into hiragana).
 */
function guessedNative(sample: Buffer, guess: string): boolean {
  const korean = /euc-kr|ks_c|iso-2022-kr/.test(guess)
  const japanese = /shift_jis|euc-jp|iso-2022-jp/.test(guess)
  if (!(korean || japanese) || !iconv.encodingExists(guess)) return false
  const text = cleanDecode(sample, guess)
  if (text === null) return false
  return korean ? share(text, isHangul) >= 0.9 : share(text, isHiragana) >= 0.2
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

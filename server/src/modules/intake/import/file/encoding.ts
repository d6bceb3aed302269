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

/** True when the bytes decode as GB18030 without replacement characters. */
function isGb18030(buf: Buffer): boolean {
  return !iconv.decode(buf.subarray(0, buf.length - 1), 'gb18030').includes('\ufffd')
}

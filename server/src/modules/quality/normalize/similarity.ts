import { distance } from 'fastest-levenshtein'
import { pinyinKeys } from './text.js'

const ratio = (a: string, b: string) => {
  const longest = Math.max(a.length, b.length)
  return longest === 0 ? 1 : 1 - distance(a, b) / longest
}

/**
 * How alike two name keys are (0..1): the better of edit distance over the characters and over their
 * pinyin, so 张伟/張偉 (same key) = 1 and 张伟/张玮 (same sound) scores high while 张伟/李伟 does not.
 */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1
  const chars = ratio(a, b)
  if (!/[\u4e00-\u9fff]/.test(a + b)) return chars
  const sound = ratio(pinyinKeys(a).full, pinyinKeys(b).full)
  // Same sound, different characters: likely a typo or a homophone, a little less than identical.
  return Math.max(chars, sound * 0.95)
}

function trigrams(s: string): Set<string> {
  const out = new Set<string>()
  for (const word of s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)) {
    const padded = `  ${word} `
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3))
  }
  return out
}

/**
 * pg_trgm's similarity(): shared trigrams over all distinct trigrams, words padded with two spaces
 * in front and one behind. Same as PostgreSQL for latin text; PostgreSQL's trigrams of CJK text
 * depend on the database's locale, so the database, not this, is the reference there.
 */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a)
  const y = trigrams(b)
  if (!x.size && !y.size) return 0
  let shared = 0
  for (const t of x) if (y.has(t)) shared++
  return shared / (x.size + y.size - shared)
}

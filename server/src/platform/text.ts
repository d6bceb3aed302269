/**
 * Names, companies and phones repeat a lot in real data (张伟, 海纳科技有限公司, one visitor's many
 * events), and opencc, pinyin and libphonenumber are the costly steps: remember recent answers of
 * these pure functions. Bounded, so a huge import cannot grow it without end.
 */
export function memo<T>(fn: (s: string) => T, size = 50_000): (s: string) => T {
  const cache = new Map<string, T>()
  return (s) => {
    const hit = cache.get(s)
    if (hit !== undefined) return hit
    const value = fn(s)
    if (cache.size >= size) cache.clear()
    cache.set(s, value)
    return value
  }
}

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g
const SPACES = /\s+/g

/** NFKC (full-width → half-width, compatibility forms), no zero-width characters, single spaces, trimmed. */
export function cleanText(value: string): string {
  return value.normalize('NFKC').replace(ZERO_WIDTH, '').replace(SPACES, ' ').trim()
}

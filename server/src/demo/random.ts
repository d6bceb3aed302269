/** mulberry32: a tiny seeded PRNG, so demo and benchmark data are the same on every run. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  /** Picks by weight: [[value, weight], …]. */
  const weighted = <T>(list: readonly (readonly [T, number])[]): T => {
    const total = list.reduce((s, [, w]) => s + w, 0)
    let r = next() * total
    for (const [v, w] of list) {
      r -= w
      if (r < 0) return v
    }
    return list[list.length - 1]![0]
  }
  return { next, int, pick, weighted }
}
export type Rng = ReturnType<typeof rng>

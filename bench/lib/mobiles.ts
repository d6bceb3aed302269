/** Mobile prefixes bench data spreads its persons over (the intake bench adds 177 and 199). */
export const BENCH_MOBILE_PREFIXES: readonly string[] = [
  '138',
  '139',
  '137',
  '136',
  '135',
  '150',
  '151',
  '152',
  '158',
  '159',
  '186',
  '187',
  '188',
]

/**
 * The mobile (11 digits) of person number `n`, unique by construction: a prefix by n, then n spread
 * over that prefix's 10^8 numbers.
 */
export const benchMobile = (n: number, prefixes: readonly string[] = BENCH_MOBILE_PREFIXES) =>
  prefixes[n % prefixes.length]! + String((n * 7_919 + 12_345) % 100_000_000).padStart(8, '0')

/** The same number in SQL, in E.164 (+86…), of an integer expression `n` (e.g. a generate_series column). */
export const benchMobileSql = (n: string, prefixes: readonly string[] = BENCH_MOBILE_PREFIXES) =>
  `'+86' || (array[${prefixes.map((p) => `'${p}'`).join(',')}]::text[])[1 + ${n} % ${prefixes.length}]
    || lpad(((${n}::bigint * 7919 + 12345) % 100000000)::text, 8, '0')`

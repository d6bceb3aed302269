// The parts of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  interface Result {
    requests: { average: number; total: number }
    latency: { p50: number; p99: number }
    errors: number
    non2xx: number
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
  }
  function autocannon(opts: Options, cb: (err: Error | null, res: Result) => void): unknown
  namespace autocannon {
    export type { Result }
  }
  export default autocannon
}

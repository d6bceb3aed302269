import pg from 'pg'

// biome-ignore lint/suspicious/noExplicitAny: pg's query overloads
type QueryArgs = [config: any, values?: any]

export interface PipelinedPoolConfig extends pg.PoolConfig {
  /** Pipelined connections shared by single statements. */
  lanes: number
  /**
   * The server is one session (embedded PGlite): the single lane is that session, so a transaction
   * takes the lane itself, after the statements already sent, and holds it until released.
   */
  singleSession?: boolean
  /** Statements run first on every new lane (e.g. `deallocate all` for a session that outlives it). */
  onLane?: string[]
}

/**
 * A pg pool whose single statements share a few pipelined connections. `pool.query` outside a
 * transaction goes out at once on the least busy lane, without waiting for that lane's earlier
 * statements (extended protocol with one Sync each, so an error fails only its own statement).
 * Transactions (`connect()`, as Drizzle's `transaction` uses) get a connection of their own, or on
 * a single-session server the lane itself, exclusively.
 *
 * Why: a read's cost is mostly the round trip. On PostgreSQL, waking an idle backend for every
 * statement took a quarter of the main thread under load (the `writev` to the backend); a backend
 * with statements queued needs no wake-up. On the embedded database the worker thread no longer
 * waits for the main thread between statements.
 */
export class PipelinedPool extends pg.Pool {
  private readonly lanes: (Lane | undefined)[]
  private readonly laneConfig: pg.ClientConfig
  private readonly singleSession: boolean
  private readonly onLane: string[]
  private readonly waitMs: number
  /** Single session: the transaction holding the lane, statements admitted and not yet done, the queue. */
  private holder: object | null = null
  private inflight = 0
  private readonly idle: (() => void)[] = []
  private readonly waiting: Waiter[] = []
  private closed = false

  constructor(config: PipelinedPoolConfig) {
    const { lanes, singleSession, onLane, ...poolConfig } = config
    super(poolConfig)
    this.singleSession = singleSession ?? false
    this.lanes = new Array(this.singleSession ? 1 : Math.max(1, lanes)).fill(undefined)
    this.onLane = onLane ?? []
    this.waitMs = poolConfig.connectionTimeoutMillis ?? 30_000
    this.laneConfig = {
      connectionString: poolConfig.connectionString,
      options: poolConfig.options,
      connectionTimeoutMillis: poolConfig.connectionTimeoutMillis,
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query overloads
  override query(config: any, values?: any, callback?: any): any {
    const done = typeof values === 'function' ? values : callback
    const result = this.run([config, typeof values === 'function' ? undefined : values])
    if (typeof done !== 'function') return result
    result.then(
      (res) => done(null, res),
      (err) => done(err),
    )
    return undefined
  }

  private async run(args: QueryArgs): Promise<pg.QueryResult> {
    if (!this.singleSession) {
      const lane = await this.lane()
      // Every lane is behind a slow statement (a report, an export page): take a connection of
      // the pool rather than wait behind it.
      if (lane.stalled()) return super.query(...args)
      return lane.run(args)
    }
    // Behind a transaction (or one waiting for the session) a statement waits its turn.
    if (this.holder || this.waiting.length) await this.turn(null)
    else this.inflight++
    try {
      return await (await this.lane()).run(args)
    } finally {
      if (--this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve()
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg.Pool's connect overloads
  override connect(callback?: any): any {
    if (!this.singleSession) return super.connect(callback)
    const connected = this.exclusive()
    if (!callback) return connected
    connected.then(
      (client) => callback(undefined, client, client.release),
      (err) => callback(err),
    )
    return undefined
  }

  /** Single session: lends the lane, once the statements sent before have finished, until release(). */
  private async exclusive(): Promise<pg.PoolClient> {
    const token = {}
    if (this.holder || this.waiting.length) await this.turn(token)
    else this.holder = token
    const release = (err?: Error | boolean) => {
      if (this.holder !== token) return
      if (err) this.lanes[0]?.discard()
      this.holder = null
      this.next()
    }
    try {
      if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
      return (await this.lane()).lend(release)
    } catch (err) {
      release()
      throw err
    }
  }

  /** Waits in the queue; next() admits it (a statement counted in flight, a transaction as holder). */
  private turn(token: object | null): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter)
        if (at >= 0) this.waiting.splice(at, 1)
        reject(new Error(`timeout: waited ${this.waitMs} ms for the embedded database's session`))
      }, this.waitMs)
      const waiter: Waiter = {
        token,
        admit: () => {
          clearTimeout(timer)
          resolve()
        },
        fail: (err) => {
          clearTimeout(timer)
          reject(err)
        },
      }
      this.waiting.push(waiter)
    })
  }

  /** Admits the statements queued up to the next transaction, or that transaction. */
  private next(): void {
    while (this.waiting.length && !this.holder) {
      const waiter = this.waiting.shift()!
      if (waiter.token) this.holder = waiter.token
      else this.inflight++
      waiter.admit()
    }
  }

  /** The lane to use: an unopened or broken one, else the least busy of those not stalled. */
  private async lane(): Promise<Lane> {
    if (this.closed) throw new Error('the database pool is closed')
    let best = -1
    for (let i = 0; i < this.lanes.length; i++) {
      const lane = this.lanes[i]
      if (!lane || lane.broken) {
        best = i
        break
      }
      const current = this.lanes[best]
      if (
        best < 0 ||
        (current!.stalled() && !lane.stalled()) ||
        (current!.stalled() === lane.stalled() && lane.pending < current!.pending)
      )
        best = i
    }
    let lane = this.lanes[best]
    if (!lane || lane.broken) {
      lane = new Lane(new pg.Client({ ...this.laneConfig, pipeline: true } as pg.ClientConfig), this.onLane)
      lane.client.on('error', (err) => this.emit('error', err, lane!.client))
      this.lanes[best] = lane
    }
    await lane.ready
    return lane
  }

  override async end(): Promise<void> {
    this.closed = true
    const lanes = [...this.lanes]
    for (const waiter of this.waiting.splice(0)) waiter.fail(new Error('the pool is closing'))
    await Promise.all(lanes.map((lane) => lane?.close()))
    await super.end()
  }
}

interface Waiter {
  token: object | null
  admit(): void
  fail(err: Error): void
}

/** A lane whose oldest statement has run this long is stuck behind a slow one. */
const STALLED_MS = 20

class Lane {
  pending = 0
  /** When each statement in flight was sent, oldest first (a lane answers in order). */
  private readonly sent: number[] = []
  broken = false
  readonly ready: Promise<void>

  constructor(
    readonly client: pg.Client,
    onLane: string[],
  ) {
    client.on('error', () => {
      this.broken = true
    })
    client.on('end', () => {
      this.broken = true
    })
    this.ready = (async () => {
      await client.connect()
      for (const statement of onLane) await client.query(statement)
    })().catch((err) => {
      this.broken = true
      throw err
    })
  }

  async run([config, values]: QueryArgs): Promise<pg.QueryResult> {
    this.pending++
    this.sent.push(performance.now())
    try {
      return await this.client.query(config, values)
    } finally {
      this.pending--
      this.sent.shift()
    }
  }

  /** How long the statement at the head of this lane has been running (ms; 0 when idle). */
  ahead(): number {
    return this.sent.length ? performance.now() - this.sent[0]! : 0
  }

  stalled(): boolean {
    return this.ahead() > STALLED_MS
  }

  /** The lane as a pool client for one transaction; release() hands it back. */
  lend(release: (err?: Error | boolean) => void): pg.PoolClient {
    const client = this.client as pg.PoolClient
    return new Proxy(client, {
      get: (target, prop, receiver) => {
        if (prop === 'release') return release
        if (prop === 'query')
          // biome-ignore lint/suspicious/noExplicitAny: pg's query overloads
          return (config: any, values?: any, callback?: any) => {
            if (typeof values === 'function' || typeof callback === 'function')
              return target.query(config, values, callback)
            return this.run([config, values])
          }
        const value = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }

  /** A transaction released with an error: the session may be unusable; the next use reconnects. */
  discard(): void {
    this.broken = true
    void this.client.end().catch(() => {})
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {})
    await this.client.end().catch(() => {})
  }
}

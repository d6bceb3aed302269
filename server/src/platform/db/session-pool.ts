import pg from 'pg'

// biome-ignore lint/suspicious/noExplicitAny: pg's query overloads
type QueryArgs = [config: any, values?: any]

export interface SessionPoolConfig extends pg.PoolConfig {
  /** Statements run first on every new connection (e.g. `deallocate all`). */
  setupStatements?: string[]
}

/**
 * A pg pool over a server that is one session (the embedded database): one pipelined connection.
 * Single statements go out at once, without waiting for the ones ahead of them (extended protocol,
 * one Sync each, so an error fails only its own statement). A transaction (`connect()`, as Drizzle's
 * `transaction` uses) waits for the statements already sent, then has the session to itself until
 * release(); statements sent meanwhile wait their turn, at most `connectionTimeoutMillis`.
 *
 * Why: with a plain one-connection pool the worker thread running PGlite sat idle from each answer
 * until the main thread sent the next statement; pipelined, the next one is already waiting
 * (+55 % lead-list requests/s at 1M leads, docs/BENCHMARKS.md).
 */
export class SessionPool extends pg.Pool {
  private readonly clientConfig: pg.ClientConfig
  private readonly setupStatements: string[]
  private readonly waitMs: number
  private session: Session | undefined
  /** The transaction holding the session, statements admitted and not yet answered, the queue. */
  private holder: object | null = null
  private inflight = 0
  private readonly idle: (() => void)[] = []
  private readonly waiting: Waiter[] = []
  private closed = false

  constructor(config: SessionPoolConfig) {
    const { setupStatements, ...poolConfig } = config
    super({ ...poolConfig, max: 1 })
    this.setupStatements = setupStatements ?? []
    this.waitMs = poolConfig.connectionTimeoutMillis ?? 30_000
    this.clientConfig = {
      connectionString: poolConfig.connectionString,
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
    if (this.holder || this.waiting.length) await this.turn(null)
    else this.inflight++
    try {
      return await (await this.connected()).run(args)
    } finally {
      if (--this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve()
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg.Pool's connect overloads
  override connect(callback?: any): any {
    const lent = this.exclusive()
    if (!callback) return lent
    lent.then(
      (client) => callback(undefined, client, client.release),
      (err) => callback(err),
    )
    return undefined
  }

  private async exclusive(): Promise<pg.PoolClient> {
    const token = {}
    if (this.holder || this.waiting.length) await this.turn(token)
    else this.holder = token
    const release = (err?: Error | boolean) => {
      if (this.holder !== token) return
      // Released with an error, the session may be unusable: the next use reconnects.
      if (err) this.session?.discard()
      this.holder = null
      this.next()
    }
    try {
      if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
      return (await this.connected()).lend(release)
    } catch (err) {
      release()
      throw err
    }
  }

  /** Waits in the queue until next() admits it: a statement as in flight, a transaction as holder. */
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

  private async connected(): Promise<Session> {
    if (this.closed) throw new Error('the database pool is closed')
    if (!this.session || this.session.broken) {
      const client = new pg.Client({ ...this.clientConfig, pipeline: true } as pg.ClientConfig)
      client.on('error', (err) => this.emit('error', err, client))
      this.session = new Session(client, this.setupStatements)
    }
    await this.session.ready
    return this.session
  }

  override async end(): Promise<void> {
    this.closed = true
    for (const waiter of this.waiting.splice(0)) waiter.fail(new Error('the database pool is closed'))
    await this.session?.close()
    await super.end()
  }
}

interface Waiter {
  token: object | null
  admit(): void
  fail(err: Error): void
}

/** The one pipelined connection. */
class Session {
  broken = false
  readonly ready: Promise<void>

  constructor(
    private readonly client: pg.Client,
    setupStatements: string[],
  ) {
    const lost = () => {
      this.broken = true
    }
    client.on('error', lost)
    client.on('end', lost)
    this.ready = (async () => {
      await client.connect()
      for (const statement of setupStatements) await client.query(statement)
    })().catch((err) => {
      this.broken = true
      throw err
    })
  }

  run([config, values]: QueryArgs): Promise<pg.QueryResult> {
    return this.client.query(config, values)
  }

  /** The connection as a pool client for one transaction; release() hands it back. */
  lend(release: (err?: Error | boolean) => void): pg.PoolClient {
    return new Proxy(this.client as pg.PoolClient, {
      get: (target, prop, receiver) => {
        if (prop === 'release') return release
        const value = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }

  discard(): void {
    this.broken = true
    void this.client.end().catch(() => {})
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {})
    await this.client.end().catch(() => {})
  }
}

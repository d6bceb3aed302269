import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

export interface EmbeddedDatabase {
  /** postgres:// URL of the socket the worker listens on. */
  url: string
  dump(): Promise<void>
  stop(): Promise<void>
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: string,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Haina process (pid ${pid}). ` +
        'Stop that process first, or set HAINA_DATA_DIR to another directory. ' +
        'Two processes on one embedded database would corrupt it.',
    )
  }
}

/** The embedded database did not start (a damaged data directory, or a backup that is not one). */
export class EmbeddedStartError extends Error {
  constructor(
    readonly dataDir: string | undefined,
    readonly reason: string,
  ) {
    super(`The embedded database${dataDir ? ` in ${dataDir}` : ''} could not be opened: ${reason}`)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * One process per data directory: a lock file holding our pid; a stale lock (dead pid) is taken over.
 * Returns the release function. Also used alone by a restore, which builds the database elsewhere.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const lockPath = join(dataDir, 'haina.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockPath, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = readFileSync(lockPath, 'utf8').trim()
      if (isAlive(Number(holder)) && Number(holder) !== process.pid)
        throw new DataDirLockedError(dataDir, holder)
      rmSync(lockPath, { force: true })
    }
  }
  throw new DataDirLockedError(dataDir, 'unknown')
}

export interface EmbeddedOptions {
  /** Persistent directory; undefined keeps the database in memory (tests). */
  dataDir?: string
  /** Start from a tarball written by dump(). */
  loadFrom?: string
  /** Where dump() writes its tarball. */
  dumpTo?: string
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const pgDir = opts.dataDir ? join(opts.dataDir, 'pg') : undefined
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {}
  const fresh = pgDir ? !existsSync(pgDir) : true
  const worker = new Worker(new URL('./embedded-worker.mjs', import.meta.url), {
    workerData: { dataDir: pgDir, loadFrom: fresh ? opts.loadFrom : undefined, dumpTo: opts.dumpTo },
  })
  const waitFor = (type: string) =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const onMessage = (msg: Record<string, string>) => {
        if (msg.type !== type) return
        worker.off('message', onMessage)
        worker.off('error', reject)
        resolve(msg)
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
    })
  let ready: Record<string, string>
  try {
    ready = await waitFor('ready')
  } catch (err) {
    release()
    throw new EmbeddedStartError(opts.dataDir, err instanceof Error ? err.message : String(err))
  }
  const url = `postgres://postgres@${ready.address}/postgres?sslmode=disable`
  let stopped = false
  return {
    url,
    async dump() {
      const done = waitFor('dumped')
      worker.postMessage({ type: 'dump' })
      const { error } = await done
      if (error) throw new Error(error)
    },
    async stop() {
      if (stopped) return
      stopped = true
      const done = waitFor('stopped')
      worker.postMessage({ type: 'stop' })
      await done
      await worker.terminate()
      release()
    },
  }
}

// Runs PGlite in a worker thread behind a Postgres wire-protocol socket, so a heavy query
// never blocks the HTTP event loop and the app talks to it with the same `pg` driver as PostgreSQL.
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { citext } from '@electric-sql/pglite/contrib/citext'
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { PGLiteSocketHandler, PGLiteSocketServer } from '@electric-sql/pglite-socket'

/**
 * pglite-socket hands PGlite one wire message per call: an extended-protocol query from `pg`
 * (Bind, Describe, Execute, Sync in one packet) costs four queue turns, four locks, four PGlite
 * calls and four socket writes. PGlite's loop reads every message of a buffer in one call (as a
 * server reads a packet), so hand it all the complete messages received at once: one queue turn
 * and one PGlite call per query. Startup, SSL and cancel requests are handled as before; an incomplete message
 * waits for the rest of its bytes.
 */
const STARTUP = 196608
PGLiteSocketHandler.prototype.handleData = async function handleData(data) {
  if (!this.socket || !this.active) return 0
  this.messageBuffer = this.messageBuffer.length ? Buffer.concat([this.messageBuffer, data]) : data
  const pending = []
  while (this.messageBuffer.length > 0) {
    if (this.handleSslRequest() || this.handleCancelRequest()) continue
    const buf = this.messageBuffer
    let end = 0
    if (!this.hainaStarted && buf.length >= 8 && buf.readInt32BE(4) === STARTUP) {
      const length = buf.readInt32BE(0)
      if (buf.length >= length) {
        end = length
        this.hainaStarted = true
      }
    } else
      while (end + 5 <= buf.length) {
        const length = 1 + buf.readInt32BE(end + 1)
        if (end + length > buf.length) break
        end += length
      }
    if (end === 0) break
    const batch = new Uint8Array(buf.subarray(0, end))
    this.messageBuffer = buf.subarray(end)
    // Enqueued in arrival order before any await, so a later packet's messages cannot overtake.
    pending.push(
      this.queryQueue.enqueue(this.id, batch, (out) => {
        if (out.length > 0 && this.socket?.writable && this.active) this.socket.write(Buffer.from(out))
      }),
    )
  }
  const sizes = await Promise.all(pending)
  return sizes.reduce((a, b) => a + b, 0)
}

// Plain JS on purpose: worker threads do not go through the TypeScript loader in every runner.
// workerData: { dataDir?: string, loadFrom?: tarball of dumpDataDir() (fast fresh test databases), dumpTo?: string }
const input = workerData
const { readFile, writeFile } = await import('node:fs/promises')
const loadDataDir = input.loadFrom ? new Blob([await readFile(input.loadFrom)]) : undefined
const db = await PGlite.create({
  dataDir: input.dataDir,
  loadDataDir,
  extensions: { pg_trgm, citext, pgcrypto, unaccent, btree_gin, fuzzystrmatch },
})
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' })
await server.start()
const address = server.getServerConn()
parentPort.postMessage({ type: 'ready', address })

parentPort.on('message', async (msg) => {
  if (msg.type === 'dump' && input.dumpTo) {
    // A failed write (disk full, no such directory) is answered, not thrown: the worker stays up to be stopped.
    try {
      const blob = await db.dumpDataDir('none')
      await writeFile(input.dumpTo, Buffer.from(await blob.arrayBuffer()))
      parentPort.postMessage({ type: 'dumped' })
    } catch (err) {
      parentPort.postMessage({ type: 'dumped', error: err instanceof Error ? err.message : String(err) })
    }
  }
  if (msg.type === 'stop') {
    await server.stop()
    await db.close()
    parentPort.postMessage({ type: 'stopped' })
  }
})

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
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

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
    const blob = await db.dumpDataDir('none')
    await writeFile(input.dumpTo, Buffer.from(await blob.arrayBuffer()))
    parentPort.postMessage({ type: 'dumped' })
  }
  if (msg.type === 'stop') {
    await server.stop()
    await db.close()
    parentPort.postMessage({ type: 'stopped' })
  }
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/platform/config.js'
import { buildHaina, type Haina } from '../src/server.js'
import { freshDatabase } from './template.js'

/** A Haina app on a fresh database of the engine under test (PGlite, or PostgreSQL with DATABASE_URL). */
export async function createTestApp(): Promise<Haina> {
  const database = await freshDatabase()
  // Files the app writes (uploads, attachments) go to a directory of this app's own.
  const dataDir = mkdtempSync(join(tmpdir(), 'haina-test-'))
  const config = { ...loadConfig({ NODE_ENV: 'test' }), dataDir, workers: false, webDist: '/nonexistent' }
  const haina = await buildHaina(config, database)
  const close = haina.close
  haina.close = async () => {
    await close()
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return haina
}

import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { and, asc, eq } from 'drizzle-orm'
import type { Tx } from '../../../platform/db/index.js'
import { importFiles } from '../schema.js'

/** 4 MB per row: large files never sit in memory whole, and any server instance can resume them. */
const CHUNK = 4 * 1024 * 1024

/** Copies an uploaded file into import_files in chunks (in the caller's transaction). */
export async function storeFile(db: Tx, tenantId: string, importId: string, path: string): Promise<void> {
  let seq = 0
  let pending: Buffer[] = []
  let size = 0
  const flush = async () => {
    if (!size) return
    const data = Buffer.concat(pending)
    await db.insert(importFiles).values({ tenantId, importId, seq: seq++, data })
    pending = []
    size = 0
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    pending.push(chunk as Buffer)
    size += (chunk as Buffer).length
    if (size >= CHUNK) await flush()
  }
  await flush()
}

/** Writes a stored import file back to a temporary path; `cleanup` removes it. */
export async function materialiseFile(
  db: Tx,
  tenantId: string,
  importId: string,
  fileName: string,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'haina-import-'))
  const path = join(dir, fileName.replace(/[^\w.\-\u4e00-\u9fff]/g, '_') || 'import')
  const ids = await db
    .select({ seq: importFiles.seq })
    .from(importFiles)
    .where(and(eq(importFiles.tenantId, tenantId), eq(importFiles.importId, importId)))
    .orderBy(asc(importFiles.seq))
  async function* chunks() {
    for (const { seq } of ids) {
      const [row] = await db
        .select({ data: importFiles.data })
        .from(importFiles)
        .where(
          and(
            eq(importFiles.tenantId, tenantId),
            eq(importFiles.importId, importId),
            eq(importFiles.seq, seq),
          ),
        )
      yield row!.data
    }
  }
  await pipeline(chunks(), createWriteStream(path))
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

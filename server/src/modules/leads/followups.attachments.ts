import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { uuidv7 } from 'uuidv7'
import type { Ctx } from '../../platform/access/actor.js'
import { isUuid } from '../../platform/access/data-access.js'
import { writeAudit } from '../../platform/audit/service.js'
import { AppError } from '../../platform/http/errors.js'

/**
 * Follow-up attachments (photos of a visit, a signed quote, a tender file) live in files under
 * the data directory, one folder per workspace: <dataDir>/attachments/<tenantId>/<id> with a
 * <id>.json beside it (name, size, content type, uploader). Ids are never paths a caller can
 * shape: a uuid, inside the caller's own workspace folder.
 */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
export const ATTACHMENT_URL_PREFIX = '/api/v1/follow-ups/attachments/'

let root = resolve('data', 'attachments')
/** Called once with the configured data directory when the routes are registered. */
export function setAttachmentsDir(dataDir: string): void {
  root = join(dataDir, 'attachments')
}
export const tenantAttachmentsDir = (tenantId: string) => join(root, tenantId)

export interface AttachmentMeta {
  id: string
  name: string
  size: number
  contentType: string
  uploadedBy: string | null
  uploadedAt: string
}

export interface AttachmentRef {
  name: string
  url: string
  size: number
  contentType: string
}

export const attachmentUrl = (id: string) => `${ATTACHMENT_URL_PREFIX}${id}`
export function attachmentIdOf(url: string): string | null {
  if (!url.startsWith(ATTACHMENT_URL_PREFIX)) return null
  const id = url.slice(ATTACHMENT_URL_PREFIX.length)
  return isUuid(id) ? id : null
}

const MIME = /^[\w.+-]+\/[\w.+-]+$/
/** Control characters and path separators out: the name is shown, and sent in headers. */
const cleanName = (name: string) =>
  [...name]
    .map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .trim()
    .slice(0, 200) || 'attachment'

/**
 * Streams an upload to its file (never whole in memory). `file.truncated` is set by the multipart
 * parser when the size limit cut it short: the partial file is removed and the caller gets 413.
 */
export async function saveAttachment(
  ctx: Ctx,
  file: Readable & { truncated?: boolean },
  info: { name: string; contentType: string; maxBytes?: number },
): Promise<AttachmentRef> {
  const id = uuidv7()
  const dir = tenantAttachmentsDir(ctx.actor.tenantId)
  await mkdir(dir, { recursive: true })
  const partial = join(dir, `${id}.part`)
  try {
    await pipeline(file, createWriteStream(partial))
    if (file.truncated)
      throw new AppError(413, 'attachment_too_large', {
        maxMb: Math.round((info.maxBytes ?? ATTACHMENT_MAX_BYTES) / 1048576),
      })
    const meta: AttachmentMeta = {
      id,
      name: cleanName(info.name),
      size: (await stat(partial)).size,
      contentType: MIME.test(info.contentType) ? info.contentType.toLowerCase() : 'application/octet-stream',
      uploadedBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
      uploadedAt: new Date().toISOString(),
    }
    await writeFile(join(dir, `${id}.json`), JSON.stringify(meta))
    await rename(partial, join(dir, id))
    await writeAudit(ctx, [
      { action: 'create', objectType: 'attachment', objectId: id, summary: meta.name, after: meta },
    ])
    return { name: meta.name, url: attachmentUrl(id), size: meta.size, contentType: meta.contentType }
  } finally {
    await rm(partial, { force: true })
  }
}

/** The attachment's description in the workspace, or null when there is none with that id. */
export async function attachmentMeta(tenantId: string, id: string): Promise<AttachmentMeta | null> {
  if (!isUuid(id)) return null
  try {
    return JSON.parse(await readFile(join(tenantAttachmentsDir(tenantId), `${id}.json`), 'utf8'))
  } catch {
    return null
  }
}

export const openAttachment = (tenantId: string, id: string) =>
  createReadStream(join(tenantAttachmentsDir(tenantId), id))

/** Types a browser may show in place; anything else (HTML, SVG, scripts…) is only downloaded. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'])

export function contentDisposition(meta: AttachmentMeta): string {
  const ascii = meta.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const kind = INLINE.has(meta.contentType) ? 'inline' : 'attachment'
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(meta.name)}`
}

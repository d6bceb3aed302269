import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import { and, asc, eq } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import { ctxOf } from '../../../platform/http/context.js'
import { AppError, validationFailed } from '../../../platform/http/errors.js'
import { listQuerySchema } from '../../../platform/http/list-query.js'
import type { App, AppDeps } from '../../../platform/http/module.js'
import { hasMessage, type Locale, translate } from '../../../platform/i18n/messages.js'
import { importErrors, importMappings, imports } from '../schema.js'
import { buildTemplate, ENCODINGS, type EncodingName, neutralizeFormula, writeCsv } from './file/index.js'
import './import.job.js'
import {
  createImport,
  type ImportRow,
  importsRepo,
  leadImport,
  previewImport,
  startImport,
  undoImport,
} from './import.service.js'
import { alignCells, type Reason, reasonText } from './reasons.js'

const tags = ['import']
const idParams = z.object({ id: z.string() })
const counts = z.object({
  rows: z.number(),
  created: z.number(),
  merged: z.number(),
  duplicate: z.number(),
  review: z.number(),
  invalid: z.number(),
  /** Totals rows (合计 / 总计 / 小计 / Total) under the data, left out: neither created nor invalid. */
  skipped: z.number().optional(),
})
export const importOut = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  sheet: z.string().nullable(),
  sizeBytes: z.number(),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  channelId: z.string().nullable(),
  campaignId: z.string().nullable(),
  status: z.string(),
  totalRows: z.number().nullable(),
  checkpointRow: z.number(),
  counts,
  jobId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.date().or(z.string()),
  finishedAt: z.date().or(z.string()).nullable(),
  version: z.number(),
})
type ImportOut = z.infer<typeof importOut>

/**
 * A failed import's error in the reader's language: a file problem is stored as its code and
 * params (`import_malformed_csv {"row":2502,…}`; older rows without the prefix), other errors as
 * they were.
 */
export function importErrorText(error: string | null, locale: Locale): string | null {
  const m = error ? /^(?:import_)?(\w+) (\{.*\})$/s.exec(error) : null
  if (!m || !hasMessage(`import_${m[1]}`)) return error
  try {
    return translate(`import_${m[1]}`, locale, JSON.parse(m[2]!) as Record<string, unknown>)
  } catch {
    return error
  }
}

/** An import as the API shows it (its error translated). */
export function presentImport(row: unknown, locale: Locale): ImportOut {
  const r = row as ImportOut
  return { ...r, error: importErrorText(r.error, locale) }
}
export const sampleRow = z.object({ rowNumber: z.number(), cells: z.array(z.string()) })
export const mappingBody = z.record(z.string(), z.string())
export const suggestionOut = z.object({
  header: z.string(),
  column: z.number(),
  target: z.string().nullable(),
  confidence: z.number(),
})
export const previewIn = z.object({ mapping: mappingBody, rows: z.array(sampleRow).max(200) })
export const previewOut = z.object({
  rows: z.array(
    z.object({
      rowNumber: z.number(),
      values: z.record(z.string(), z.unknown()),
      issues: z.array(
        z.object({
          field: z.string(),
          code: z.string(),
          column: z.number().nullable(),
          /** The problem in the caller's language (lead imports; optional as order previews share this shape). */
          message: z.string().optional(),
        }),
      ),
    }),
  ),
})
/** Upload options in the query string: the CSV's encoding when detection gets it wrong. */
export const uploadQuery = z.object({
  encoding: z
    .enum(ENCODINGS)
    .optional()
    .describe('The CSV file’s encoding, instead of detecting it (ignored for XLSX)'),
})

/** The `encoding` form field (the query parameter's twin): one of ENCODINGS, else a 400 naming it. */
function encodingField(value: string | undefined): EncodingName | undefined {
  if (value === undefined) return undefined
  const v = value.trim().toLowerCase()
  if (!(ENCODINGS as readonly string[]).includes(v))
    throw validationFailed([{ field: 'encoding', code: 'invalid_option' }])
  return v as EncodingName
}

export const templateQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
})

/** Sends an import template as a download named `<name>.<format>`. */
export function sendTemplate(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, file: Buffer) {
  reply
    .type(
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
  return reply.send(file)
}

/**
 * Saves a multipart upload (one file) to a temporary path for `use`, and removes it afterwards;
 * 400 without a file, 413 past `maxBytes`. `field` reads the other form fields. (Lead and order imports.)
 */
export async function withUpload<T>(
  req: FastifyRequest,
  maxBytes: number,
  use: (
    file: { path: string; fileName: string; size: number },
    field: (name: string) => string | undefined,
  ) => Promise<T>,
): Promise<T> {
  const part = await req.file()
  if (!part) throw new AppError(400, 'import_no_file')
  const dir = await mkdtemp(join(tmpdir(), 'haina-upload-'))
  try {
    const path = join(dir, 'upload')
    await pipeline(part.file, createWriteStream(path))
    if (part.file.truncated)
      throw new AppError(413, 'import_file_too_large', { maxMb: Math.round(maxBytes / 1048576) })
    const field = (name: string) => {
      const f = part.fields[name] as { value?: unknown } | undefined
      return typeof f?.value === 'string' && f.value ? f.value : undefined
    }
    const { size } = await stat(path)
    return await use({ path, fileName: part.filename || 'import', size }, field)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The error file of an import: the rows that did not go in, with their original cells, the row
 * number and a reason column, every cell formula-safe (CSV, UTF-8 with BOM). (Lead and order imports.)
 * Cells are laid out under the header whatever the row's width, so 行号/Row and 原因/Reason line up:
 * a short row is padded, a long row's cells past the header go to an extra column (多余单元格 Extra,
 * only when some row has any) rather than being dropped, so the user still sees them. Reasons are
 * in the caller's language and name the column by its header (`手机号：手机号码无效`).
 */
export async function sendImportErrors(
  ctx: Ctx,
  reply: FastifyReply,
  imp: Pick<ImportRow, 'id' | 'headers' | 'fileName'> & { mapping?: ImportRow['mapping'] | null },
) {
  const rows = await ctx.db
    .select()
    .from(importErrors)
    .where(and(eq(importErrors.tenantId, ctx.actor.tenantId), eq(importErrors.importId, imp.id)))
    .orderBy(asc(importErrors.rowNumber))
  const width = imp.headers.length
  const aligned = rows.map((r) => alignCells(r.cells, width))
  const hasExtra = aligned.some((a) => a.extra !== '')
  const header = [...imp.headers, ...(hasExtra ? ['多余单元格 Extra'] : []), '行号 Row', '原因 Reason']
  const body = rows.map((r, i) => [
    ...aligned[i]!.cells,
    ...(hasExtra ? [aligned[i]!.extra] : []),
    String(r.rowNumber),
    reasonText(r.reasons as Reason[], imp.headers, imp.mapping ?? {}, ctx.locale),
  ])
  reply.type('text/csv; charset=utf-8').header('content-disposition', errorFileDisposition(imp.fileName))
  return reply.send(writeCsv([header, ...body].map((r) => r.map((c) => neutralizeFormula(c)))))
}

/**
 * `Content-Disposition` of the error file, `<file name without extension>-errors.csv`
 * (`客户名单.xlsx` → `客户名单-errors.csv`): RFC 5987 `filename*` for any name, and a plain
 * ASCII `filename` for clients that do not read it.
 */
export function errorFileDisposition(fileName: string): string {
  const base = fileName.replace(/\.(csv|tsv|txt|xlsx|xlsm|xls)$/i, '') || 'import'
  const name = `${base}-errors.csv`
  const ascii = /^[\x20-\x7e]+$/.test(name) ? name.replace(/["\\]/g, '_') : 'import-errors.csv'
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** The import wizard's API: upload → suggestions and sample → preview → start → report → undo. */
export async function registerImportRoutes(app: App, deps: AppDeps): Promise<void> {
  await app.register(multipart, { limits: { fileSize: deps.config.importMaxBytes, files: 1 } })

  app.post(
    '/api/v1/imports',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary:
          'Upload a CSV (UTF-8, GBK/GB18030…) or XLSX file; answers headers, a sample and a suggested mapping',
        consumes: ['multipart/form-data'],
        querystring: uploadQuery,
        response: {
          201: z.object({
            import: importOut,
            sample: z.array(sampleRow),
            sheets: z.array(z.string()),
            suggestions: z.array(suggestionOut),
            /** The header's row number in the file: 1, or below the title rows skipped above it. */
            headerRow: z.number(),
          }),
        },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const made = await withUpload(req, deps.config.importMaxBytes, (file, field) =>
        createImport(ctx, file, {
          unitId: field('unitId'),
          sheet: field('sheet'),
          encoding: req.query.encoding ?? encodingField(field('encoding')),
          maxBytes: deps.config.importMaxBytes,
        }),
      )
      return reply.status(201).send({ ...made, import: presentImport(made.import, ctx.locale) })
    },
  )
  app.get(
    '/api/v1/imports',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Imports in the caller’s scope, newest first',
        querystring: listQuerySchema,
        response: { 200: z.object({ items: z.array(importOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const page = await importsRepo.list(ctx, {
        where: eq(imports.target, 'lead'),
        limit: req.query.limit,
        cursor: req.query.cursor,
      })
      return { items: page.items.map((r) => presentImport(r, ctx.locale)), nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/api/v1/imports/:id',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'One import: status, progress and result counts',
        params: idParams,
        response: { 200: importOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      return presentImport(await leadImport(ctx, req.params.id), ctx.locale)
    },
  )
  app.post(
    '/api/v1/imports/:id/preview',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Preview rows with a mapping: normalised values and per-cell problems',
        params: idParams,
        body: previewIn,
        response: { 200: previewOut },
      },
    },
    async (req) => ({
      rows: await previewImport(ctxOf(req), req.params.id, req.body.mapping, req.body.rows),
    }),
  )
  app.post(
    '/api/v1/imports/:id/start',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Run the import as a resumable job',
        params: idParams,
        body: z.object({
          mapping: mappingBody,
          channelId: z.string().uuid().nullable().optional(),
          campaignId: z.string().uuid().nullable().optional(),
          saveMappingAs: z.string().trim().min(1).max(100).nullable().optional(),
        }),
        response: { 200: importOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      return presentImport(await startImport(ctx, req.params.id, req.body), ctx.locale)
    },
  )
  app.post(
    '/api/v1/imports/:id/undo',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Undo an import: remove the leads it created, put back what it merged',
        params: idParams,
        response: { 200: importOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      return presentImport(await undoImport(ctx, req.params.id), ctx.locale)
    },
  )
  app.get(
    '/api/v1/imports/:id/errors.csv',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'The rows that did not go in: original cells plus a reason column',
        params: idParams,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      return sendImportErrors(ctx, reply, await leadImport(ctx, req.params.id))
    },
  )
  app.get(
    '/api/v1/imports/template',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Download an import template (with the workspace’s custom fields)',
        querystring: templateQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const defs = await loadDefinitions(ctx, 'lead')
      const locale = req.query.locale ?? ctx.locale
      const file = await buildTemplate(req.query.format, locale, defs)
      return sendTemplate(reply, req.query.format, 'haina-leads-template', file)
    },
  )
  app.get(
    '/api/v1/import-mappings',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Saved column mappings (header text → field)',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), mapping: mappingBody })),
          }),
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const items = await ctx.db
        .select({ id: importMappings.id, name: importMappings.name, mapping: importMappings.mapping })
        .from(importMappings)
        .where(eq(importMappings.tenantId, ctx.actor.tenantId))
        .orderBy(asc(importMappings.name))
      return { items }
    },
  )
}

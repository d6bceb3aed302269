import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import { and, asc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import { ctxOf } from '../../../platform/http/context.js'
import { AppError } from '../../../platform/http/errors.js'
import { listQuerySchema } from '../../../platform/http/list-query.js'
import type { App, AppDeps } from '../../../platform/http/module.js'
import { importErrors, importMappings } from '../schema.js'
import { buildTemplate, neutralizeFormula, writeCsv } from './file/index.js'
import './import.job.js'
import { createImport, importsRepo, previewImport, startImport, undoImport } from './import.service.js'

const tags = ['import']
const idParams = z.object({ id: z.string() })
const counts = z.object({
  rows: z.number(),
  created: z.number(),
  merged: z.number(),
  duplicate: z.number(),
  review: z.number(),
  invalid: z.number(),
})
const importOut = z.object({
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
const sampleRow = z.object({ rowNumber: z.number(), cells: z.array(z.string()) })
const mappingBody = z.record(z.string(), z.string())

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
        response: {
          201: z.object({
            import: importOut,
            sample: z.array(sampleRow),
            sheets: z.array(z.string()),
            suggestions: z.array(
              z.object({
                header: z.string(),
                column: z.number(),
                target: z.string().nullable(),
                confidence: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const part = await req.file()
      if (!part) throw new AppError(400, 'import_no_file')
      const dir = await mkdtemp(join(tmpdir(), 'haina-upload-'))
      try {
        const path = join(dir, 'upload')
        await pipeline(part.file, createWriteStream(path))
        if (part.file.truncated)
          throw new AppError(413, 'import_file_too_large', {
            maxMb: Math.round(deps.config.importMaxBytes / 1048576),
          })
        const field = (name: string) => {
          const f = part.fields[name] as { value?: unknown } | undefined
          return typeof f?.value === 'string' && f.value ? f.value : undefined
        }
        const { size } = await import('node:fs/promises').then((fs) => fs.stat(path))
        const made = await createImport(
          ctx,
          { path, fileName: part.filename || 'import', size },
          { unitId: field('unitId'), sheet: field('sheet'), maxBytes: deps.config.importMaxBytes },
        )
        return reply.status(201).send({ ...made, import: made.import as unknown as ImportOut })
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
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
      const page = await importsRepo.list(ctxOf(req), { limit: req.query.limit, cursor: req.query.cursor })
      return { items: page.items as unknown as ImportOut[], nextCursor: page.nextCursor }
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
    async (req) => (await importsRepo.get(ctxOf(req), req.params.id)) as unknown as ImportOut,
  )
  app.post(
    '/api/v1/imports/:id/preview',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Preview rows with a mapping: normalised values and per-cell problems',
        params: idParams,
        body: z.object({ mapping: mappingBody, rows: z.array(sampleRow).max(200) }),
        response: {
          200: z.object({
            rows: z.array(
              z.object({
                rowNumber: z.number(),
                values: z.record(z.string(), z.unknown()),
                issues: z.array(
                  z.object({ field: z.string(), code: z.string(), column: z.number().nullable() }),
                ),
              }),
            ),
          }),
        },
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
    async (req) => (await startImport(ctxOf(req), req.params.id, req.body)) as unknown as ImportOut,
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
    async (req) => (await undoImport(ctxOf(req), req.params.id)) as unknown as ImportOut,
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
      const imp = await importsRepo.get(ctx, req.params.id, { raw: true })
      const rows = await ctx.db
        .select()
        .from(importErrors)
        .where(and(eq(importErrors.tenantId, ctx.actor.tenantId), eq(importErrors.importId, req.params.id)))
        .orderBy(asc(importErrors.rowNumber))
      const header = [...(imp.headers as string[]), '行号 Row', '原因 Reason']
      const body = rows.map((r) => [
        ...r.cells,
        String(r.rowNumber),
        r.reasons.map((x) => `${x.field}: ${x.code}`).join('; '),
      ])
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`errors-${imp.fileName}.csv`)}`,
        )
      return reply.send(writeCsv([header, ...body].map((r) => r.map((c) => neutralizeFormula(c)))))
    },
  )
  app.get(
    '/api/v1/imports/template',
    {
      config: { permission: 'leads.import' },
      schema: {
        tags,
        summary: 'Download an import template (with the workspace’s custom fields)',
        querystring: z.object({
          format: z.enum(['csv', 'xlsx']).default('xlsx'),
          locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
        }),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const defs = await loadDefinitions(ctx, 'lead')
      const locale = req.query.locale ?? ctx.locale
      const file = await buildTemplate(req.query.format, locale, defs)
      reply
        .type(
          req.query.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="haina-leads-template.${req.query.format}"`)
      return reply.send(file)
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

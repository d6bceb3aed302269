import multipart from '@fastify/multipart'
import { z } from 'zod'
import { ctxOf } from '../../../../platform/http/context.js'
import { listQuerySchema } from '../../../../platform/http/list-query.js'
import type { App, AppDeps } from '../../../../platform/http/module.js'
import { buildTableTemplate } from '../../../intake/import/file/index.js'
import {
  importOut,
  mappingBody,
  previewIn,
  previewOut,
  sampleRow,
  sendImportErrors,
  sendTemplate,
  suggestionOut,
  templateQuery,
  withUpload,
} from '../../../intake/import/import.routes.js'
import { ORDER_SOURCES } from '../schema.js'
import { ORDER_COLUMNS } from './columns.js'
import './import.job.js'
import {
  createOrderImport,
  getOrderImport,
  listOrderImports,
  previewOrderImport,
  startOrderImport,
} from './import.service.js'

const tags = ['orders']
const idParams = z.object({ id: z.string() })
const orderImportOut = importOut.extend({ target: z.string() })
type ImportOut = z.infer<typeof orderImportOut>
const COUNTS_NOTE =
  'counts: rows read, created = orders created, duplicate = orders already imported (same order number and source) plus rows repeated cell for cell, invalid = rows refused (a refused row refuses its whole order)'

/** The order import (e-commerce history): upload → mapping → preview → start → progress → error file. */
export async function registerOrderImportRoutes(app: App, deps: AppDeps): Promise<void> {
  // The lead import registers multipart uploads for the whole app; only if it is not mounted.
  if (!app.hasContentTypeParser('multipart/form-data'))
    await app.register(multipart, { limits: { fileSize: deps.config.importMaxBytes, files: 1 } })
  app.post(
    '/api/v1/orders/imports',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary:
          'Upload an order file (CSV in UTF-8/BOM/GBK/GB18030, or XLSX; one row per order line): headers, a sample and suggested column mapping',
        consumes: ['multipart/form-data'],
        response: {
          201: z.object({
            id: z.string(),
            headers: z.array(z.string()),
            import: orderImportOut,
            sample: z.array(sampleRow),
            sheets: z.array(z.string()),
            suggestions: z.array(suggestionOut),
          }),
        },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const max = deps.config.importMaxBytes
      const made = await withUpload(req, max, (file, field) =>
        createOrderImport(ctx, file, { unitId: field('unitId'), sheet: field('sheet'), maxBytes: max }),
      )
      const imp = made.import as unknown as ImportOut
      // XLSX rows come with holes where a cell is empty: the sample shows them as ''.
      const sample = made.sample.map((r) => ({ ...r, cells: Array.from(r.cells, (c) => c ?? '') }))
      return reply.status(201).send({ ...made, sample, id: imp.id, headers: imp.headers, import: imp })
    },
  )
  app.get(
    '/api/v1/orders/imports',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary: 'Order imports in the caller’s scope, newest first',
        querystring: listQuerySchema,
        response: { 200: z.object({ items: z.array(orderImportOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const page = await listOrderImports(ctxOf(req), req.query)
      return { items: page.items as unknown as ImportOut[], nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/api/v1/orders/imports/template',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary: 'Download the order import template (two lines of one example order, and a notes sheet)',
        querystring: templateQuery,
      },
    },
    async (req, reply) => {
      const locale = req.query.locale ?? ctxOf(req).locale
      const file = await buildTableTemplate(
        req.query.format,
        locale,
        ORDER_COLUMNS.map((c) => ({ label: c.label[locale], examples: c.example, note: c.note[locale] })),
        locale === 'en' ? 'Orders' : '订单',
      )
      return sendTemplate(reply, req.query.format, 'haina-orders-template', file)
    },
  )
  app.get(
    '/api/v1/orders/imports/:id',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary: `One order import: status, progress (checkpointRow of totalRows) and counts. ${COUNTS_NOTE}`,
        params: idParams,
        response: { 200: orderImportOut },
      },
    },
    async (req) => (await getOrderImport(ctxOf(req), req.params.id)) as unknown as ImportOut,
  )
  app.post(
    '/api/v1/orders/imports/:id/preview',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary: 'Read sample rows with a mapping: the values as they would go in and each field’s problem',
        params: idParams,
        body: previewIn,
        response: { 200: previewOut },
      },
    },
    async (req) => ({
      rows: await previewOrderImport(ctxOf(req), req.params.id, req.body.mapping, req.body.rows),
    }),
  )
  app.post(
    '/api/v1/orders/imports/:id/start',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary:
          'Run the order import as a resumable job (a failed or cancelled one resumes after its checkpoint). createCustomers: create unmatched customers; source: unique scope of the order numbers',
        params: idParams,
        body: z.object({
          mapping: mappingBody,
          createCustomers: z.boolean().optional(),
          source: z.enum(ORDER_SOURCES).optional(),
        }),
        response: { 200: orderImportOut },
      },
    },
    async (req) => (await startOrderImport(ctxOf(req), req.params.id, req.body)) as unknown as ImportOut,
  )
  app.get(
    '/api/v1/orders/imports/:id/errors',
    {
      config: { permission: 'orders.import' },
      schema: {
        tags,
        summary:
          'The rows that did not go in (refused or duplicate): original cells, row number and reason (CSV)',
        params: idParams,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      return sendImportErrors(ctx, reply, await getOrderImport(ctx, req.params.id))
    },
  )
}

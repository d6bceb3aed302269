import multipart from '@fastify/multipart'
import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import { listQuerySchema } from '../../../platform/http/list-query.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { withUpload } from '../../intake/import/import.routes.js'
import { searchColumns } from '../../sales/products/query.js'
import { conditionNodeSchema } from '../conditions/types.js'
import { SEGMENT_KINDS, segments } from '../schema.js'
import { segmentDistribution, segmentOverlap, segmentSizeHistory } from './analytics.service.js'
import { countDraft } from './count.service.js'
import { exportSegment } from './export.service.js'
import './jobs.js'
import { addStaticMembers, importStaticMembers, listMembers, removeStaticMembers } from './members.service.js'
import { refreshSegment } from './refresh.service.js'
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  type SegmentView,
  updateSegment,
} from './service.js'

const tags = ['segments']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())

const segmentBody = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullable().optional(),
  kind: z
    .enum(SEGMENT_KINDS)
    .describe('dynamic: members from conditions; static: a list or an uploaded file'),
  conditions: conditionNodeSchema
    .nullable()
    .optional()
    .describe(
      'Dynamic segments only: {match: all|any, conditions: [...]} (see GET /profile-conditions/fields)',
    ),
  autoRefresh: z.boolean().optional().describe('Dynamic segments: refreshed hourly and for changed persons'),
})

export const segmentOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(SEGMENT_KINDS),
  conditions: z.unknown().nullable(),
  autoRefresh: z.boolean(),
  memberCount: z.number(),
  refreshedAt: time.nullable(),
  createdBy: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
const out = (s: SegmentView) => s as z.infer<typeof segmentOut>

const sizeChange = z.object({ size: z.number(), added: z.number(), removed: z.number() })
const memberOut = z.object({
  personId: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  mobile: z.string().nullable().describe('Masked (138****8000) unless the caller holds pii.view'),
  tags: z.array(z.object({ id: z.string(), name: z.string(), color: z.string().nullable() })),
  addedAt: time,
})
const idList = z.array(z.string().max(100)).min(1).max(1000)

/** Segments (人群): builder with live count, membership, size history, export and analytics. */
export const segmentsModule: HainaModule = {
  name: 'segments',
  async routes(app, deps) {
    // One multipart parser per server: the lead import registers it; here only if it did not.
    if (!app.hasContentTypeParser('multipart/form-data'))
      await app.register(multipart, { limits: { fileSize: deps.config.importMaxBytes, files: 1 } })

    app.get(
      '/api/v1/segments',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary: 'Segments (人群), newest first; sort createdAt, updatedAt, name or memberCount; q = name',
          querystring: listQuerySchema.omit({ filter: true }).extend({ q: z.string().max(100).optional() }),
          response: { 200: z.object({ items: z.array(segmentOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const sort = req.query.sort
        return listSegments(ctxOf(req), {
          where: searchColumns(req.query.q, [segments.name]),
          sort: sort
            ? { column: sort.replace(/^-/, ''), dir: sort.startsWith('-') ? 'desc' : 'asc' }
            : undefined,
          limit: req.query.limit,
          cursor: req.query.cursor,
        }) as never
      },
    )
    app.post(
      '/api/v1/segments',
      {
        config: { permission: 'segments.create', idempotent: true },
        schema: {
          tags,
          summary:
            'Create a segment. A dynamic one is validated (400 naming the condition) and its membership computed at once; a static one takes no conditions. A taken name is 409 naming name.',
          body: segmentBody,
          response: { 201: segmentOut },
        },
      },
      async (req, reply) => reply.status(201).send(out(await createSegment(ctxOf(req), req.body))),
    )
    app.post(
      '/api/v1/segments/count',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary:
            'Live count of a draft: persons (the caller sees) matching the conditions, out of total; 400 naming the condition when invalid',
          body: z.object({ conditions: conditionNodeSchema }),
          response: { 200: z.object({ count: z.number(), total: z.number(), tookMs: z.number() }) },
        },
      },
      async (req) => countDraft(ctxOf(req), req.body.conditions),
    )
    app.get(
      '/api/v1/segments/overlap',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary:
            'Overlap of two segments: sizes, members of both and of one only (persons the caller sees)',
          querystring: z.object({ a: z.string().max(100), b: z.string().max(100) }),
          response: {
            200: z.object({
              a: z.object({ id: z.string(), name: z.string(), size: z.number() }),
              b: z.object({ id: z.string(), name: z.string(), size: z.number() }),
              both: z.number(),
              onlyA: z.number(),
              onlyB: z.number(),
            }),
          },
        },
      },
      async (req) => segmentOverlap(ctxOf(req), req.query.a, req.query.b),
    )
    app.get(
      '/api/v1/segments/:id',
      {
        config: { permission: 'segments.view' },
        schema: { tags, summary: 'One segment', params: idParams, response: { 200: segmentOut } },
      },
      async (req) => out(await getSegment(ctxOf(req), req.params.id)),
    )
    app.patch(
      '/api/v1/segments/:id',
      {
        config: { permission: 'segments.edit' },
        schema: {
          tags,
          summary:
            'Change a segment (send version; stale → 409 with the current one). Changed conditions are validated and the membership refreshed; dynamic → static keeps the members as a list.',
          params: idParams,
          body: segmentBody.partial().extend({ version: z.number().int().optional() }),
          response: { 200: segmentOut },
        },
      },
      async (req) => out(await updateSegment(ctxOf(req), req.params.id, req.body)),
    )
    app.delete(
      '/api/v1/segments/:id',
      {
        config: { permission: 'segments.delete' },
        schema: { tags, summary: 'Delete a segment (to the recycle bin)', params: idParams },
      },
      async (req, reply) => {
        await deleteSegment(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
    app.post(
      '/api/v1/segments/:id/refresh',
      {
        config: { permission: 'segments.edit' },
        schema: {
          tags,
          summary:
            'Refresh now: a dynamic segment is recomputed over the whole workspace (only the difference is written); a static one follows merged persons',
          params: idParams,
          response: { 200: sizeChange },
        },
      },
      async (req) => refreshSegment(ctxOf(req), req.params.id, 'full', { audit: true }),
    )
    app.get(
      '/api/v1/segments/:id/members',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary:
            'Members the caller sees (through a lead or customer in the data scope), in person-id order',
          params: idParams,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(20),
            cursor: z.string().max(1000).optional(),
          }),
          response: { 200: z.object({ items: z.array(memberOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const page = await listMembers(ctxOf(req), req.params.id, req.query)
        return { items: page.items.map(({ email: _, ...m }) => m), nextCursor: page.nextCursor }
      },
    )
    app.post(
      '/api/v1/segments/:id/members',
      {
        config: { permission: 'segments.edit' },
        schema: {
          tags,
          summary:
            'Add members to a static segment: persons, or the persons of leads or customers (only records the caller sees; others come back in skipped). 409 segment_not_static for a dynamic one.',
          params: idParams,
          body: z.object({ subjectType: z.enum(['person', 'lead', 'customer']), ids: idList }),
          response: {
            200: sizeChange.extend({
              skipped: z.array(z.object({ id: z.string(), reason: z.enum(['not_found', 'no_person']) })),
            }),
          },
        },
      },
      async (req) => addStaticMembers(ctxOf(req), req.params.id, req.body) as never,
    )
    app.delete(
      '/api/v1/segments/:id/members',
      {
        config: { permission: 'segments.edit' },
        schema: {
          tags,
          summary: 'Remove persons (the caller sees) from a static segment',
          params: idParams,
          body: z.object({ personIds: idList }),
          response: { 200: sizeChange },
        },
      },
      async (req) => removeStaticMembers(ctxOf(req), req.params.id, req.body.personIds),
    )
    app.post(
      '/api/v1/segments/:id/members/import',
      {
        config: { permission: 'segments.edit' },
        schema: {
          tags,
          summary:
            'Add the persons of an uploaded file (CSV in UTF-8/BOM/GBK, or XLSX; field "file") to a static segment. The column named like 手机号/邮箱/人员ID (or the only column) is matched against person identities (phones as E.164); rows naming no person the caller sees come back in notFound (first 1,000).',
          consumes: ['multipart/form-data'],
          params: idParams,
          response: {
            200: sizeChange.extend({
              rows: z.number(),
              notFound: z.array(z.object({ row: z.number(), value: z.string() })),
              notFoundCount: z.number(),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const max = deps.config.importMaxBytes
        return withUpload(req, max, (file) => importStaticMembers(ctx, req.params.id, file, max))
      },
    )
    app.get(
      '/api/v1/segments/:id/sizes',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary: 'Size history (oldest first): one row per refresh that changed the size, or per day',
          params: idParams,
          querystring: z.object({ days: z.coerce.number().int().min(1).max(730).default(90) }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  at: time,
                  size: z.number(),
                  added: z.number(),
                  removed: z.number(),
                  trigger: z.enum(['full', 'incremental', 'manual']),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ items: await segmentSizeHistory(ctxOf(req), req.params.id, req.query.days) }),
    )
    app.get(
      '/api/v1/segments/:id/export',
      {
        config: { permission: 'segments.export' },
        schema: {
          tags,
          summary:
            'Download the members the caller sees (CSV UTF-8 with BOM, or XLSX): 姓名, 公司, 地区, 手机, 邮箱, 标签, 加入时间 in the caller’s language; PII masked unless pii.view; formula-safe; audited',
          params: idParams,
          querystring: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }),
        },
      },
      async (req, reply) => {
        const file = await exportSegment(ctxOf(req), req.params.id, req.query.format)
        reply.type(file.contentType).header('content-disposition', file.disposition)
        return reply.send(file.stream)
      },
    )
    app.get(
      '/api/v1/segments/:id/distribution',
      {
        config: { permission: 'segments.view' },
        schema: {
          tags,
          summary:
            'Members (the caller sees) by province (region) or by channel of their leads and intents, largest first',
          params: idParams,
          querystring: z.object({ by: z.enum(['region', 'channel']) }),
          response: {
            200: z.object({
              items: z.array(z.object({ key: z.string().nullable(), label: z.string(), count: z.number() })),
            }),
          },
        },
      },
      async (req) => ({ items: await segmentDistribution(ctxOf(req), req.params.id, req.query.by) }),
    )
  },
}

import multipart from '@fastify/multipart'
import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import { AppError, notFound } from '../../platform/http/errors.js'
import type { HainaModule } from '../../platform/http/module.js'
import {
  ATTACHMENT_MAX_BYTES,
  type AttachmentRef,
  attachmentMeta,
  attachmentUrl,
  contentDisposition,
  openAttachment,
  saveAttachment,
  setAttachmentsDir,
} from './followups.attachments.js'
import './followups.messages.js'
import { FOLLOW_UP_SUBJECTS, FOLLOW_UP_TYPES } from './followups.schema.js'
import {
  canReadAttachment,
  createFollowUp,
  deleteFollowUp,
  followUpTimeline,
  updateFollowUp,
} from './followups.service.js'
import './reminders.job.js'
import {
  createSalesScript,
  deleteSalesScript,
  listSalesScripts,
  suggestSalesScripts,
  updateSalesScript,
} from './scripts.service.js'
import { LEAD_STATUSES } from './service.js'

const tags = ['follow-ups']
const idParams = z.object({ id: z.string() })
const when = z.iso.datetime({ offset: true })

const attachmentOut = z.object({
  name: z.string(),
  url: z.string(),
  size: z.number(),
  contentType: z.string(),
})
const location = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: z.string().trim().max(500).nullable().optional(),
})
const followUpFields = {
  type: z.enum(FOLLOW_UP_TYPES),
  content: z.string().trim().min(1).max(10_000),
  outcome: z.string().trim().max(2000).nullable().optional(),
  occurredAt: when.optional().describe('When it happened (default: now)'),
  nextAt: when.nullable().optional().describe('When the next step is due: reminders and overdue alerts'),
  nextStep: z.string().trim().max(500).nullable().optional(),
  attachments: z
    .array(
      z.object({
        name: z.string().trim().max(200).optional(),
        url: z.string().max(500),
        size: z.number().optional(),
        contentType: z.string().max(200).optional(),
      }),
    )
    .max(20)
    .optional()
    .describe('Files uploaded with POST /follow-ups/attachments'),
  location: location.nullable().optional().describe('Check-in (签到) location'),
  participants: z.array(z.string()).max(50).optional().describe('User ids of colleagues who took part'),
}
const followUpOut = z.object({
  id: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  type: z.string(),
  content: z.string(),
  outcome: z.string().nullable(),
  occurredAt: z.date(),
  nextAt: z.date().nullable(),
  nextStep: z.string().nullable(),
  attachments: z.array(attachmentOut),
  location: z
    .object({ lat: z.number(), lng: z.number(), address: z.string().nullable().optional() })
    .nullable(),
  participants: z.array(z.string()),
  participantUsers: z.array(z.object({ id: z.string(), name: z.string() })),
  ownerId: z.string().nullable(),
  authorName: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number(),
  editable: z.boolean(),
})
type FollowUpOut = z.infer<typeof followUpOut>

const scriptFields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
  statuses: z.array(z.enum(LEAD_STATUSES)).max(LEAD_STATUSES.length).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
}
const scriptOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  statuses: z.array(z.string()),
  tags: z.array(z.string()),
  sort: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number(),
})

/** Follow-ups (跟进记录) with attachments, the follow-up reminders job, and sales scripts (话术). */
export const followUpsModule: HainaModule = {
  name: 'follow-ups',
  async routes(app, deps) {
    setAttachmentsDir(deps.config.dataDir)
    // One multipart parser per server: the import routes register it; here only if they did not.
    if (!app.hasContentTypeParser('multipart/form-data'))
      await app.register(multipart, { limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1 } })

    app.get(
      '/api/v1/follow-ups',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Timeline of a subject (a lead): its follow-ups, newest first, with author names',
          querystring: z.object({
            subjectType: z.enum(FOLLOW_UP_SUBJECTS).default('lead'),
            subjectId: z.string().max(100),
            limit: z.coerce.number().int().min(1).max(200).default(20),
            cursor: z.string().max(1000).optional(),
          }),
          response: { 200: z.object({ items: z.array(followUpOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const { subjectType, subjectId, ...page } = req.query
        const res = await followUpTimeline(ctxOf(req), subjectType, subjectId, page)
        return { items: res.items as unknown as FollowUpOut[], nextCursor: res.nextCursor }
      },
    )
    app.post(
      '/api/v1/follow-ups',
      {
        config: { permission: 'leads.edit', idempotent: true },
        schema: {
          tags,
          summary:
            'Record a follow-up (call, visit, WeChat…) on a lead the caller sees; updates the lead’s follow-up times and status',
          body: z.object({
            subjectType: z.enum(FOLLOW_UP_SUBJECTS),
            subjectId: z.string().max(100),
            ...followUpFields,
          }),
          response: { 201: followUpOut },
        },
      },
      async (req, reply) => {
        const { attachments, ...rest } = req.body
        const row = await createFollowUp(ctxOf(req), {
          ...rest,
          attachments: attachments as AttachmentRef[] | undefined,
        })
        return reply.status(201).send(row as unknown as FollowUpOut)
      },
    )
    app.patch(
      '/api/v1/follow-ups/:id',
      {
        config: { permission: 'leads.edit' },
        schema: {
          tags,
          summary: 'Edit a follow-up (the author’s own, or within a wider data scope); send version',
          params: idParams,
          body: z.object({ ...followUpFields, version: z.number().int().optional() }).partial(),
          response: { 200: followUpOut },
        },
      },
      async (req) => {
        const { attachments, ...rest } = req.body
        return (await updateFollowUp(ctxOf(req), req.params.id, {
          ...rest,
          attachments: attachments as AttachmentRef[] | undefined,
        })) as unknown as FollowUpOut
      },
    )
    app.delete(
      '/api/v1/follow-ups/:id',
      {
        config: { permission: 'leads.edit' },
        schema: {
          tags,
          summary: 'Delete a follow-up (recycle bin): the author’s own, or within a wider data scope',
          params: idParams,
        },
      },
      async (req, reply) => {
        await deleteFollowUp(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )

    app.post(
      '/api/v1/follow-ups/attachments',
      {
        config: { permission: 'leads.edit' },
        schema: {
          tags,
          summary: `Upload one attachment (multipart, field "file", at most ${ATTACHMENT_MAX_BYTES / 1048576} MB); send its url with the follow-up`,
          consumes: ['multipart/form-data'],
          response: { 201: attachmentOut },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const part = await req.file({ limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1 } })
        if (!part) throw new AppError(400, 'attachment_no_file')
        const saved = await saveAttachment(ctx, part.file, {
          name: part.filename || 'attachment',
          contentType: part.mimetype,
        })
        return reply.status(201).send(saved)
      },
    )
    app.get(
      '/api/v1/follow-ups/attachments/:id',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Download an attachment (its uploader, or whoever sees a follow-up carrying it)',
          params: idParams,
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const meta = await attachmentMeta(ctx.actor.tenantId, req.params.id)
        if (!meta || !(await canReadAttachment(ctx, attachmentUrl(meta.id), meta.uploadedBy)))
          throw notFound()
        return reply
          .type(meta.contentType)
          .header('content-length', meta.size)
          .header('content-disposition', contentDisposition(meta))
          .header('cache-control', 'private, max-age=3600')
          .send(openAttachment(ctx.actor.tenantId, meta.id))
      },
    )

    app.get(
      '/api/v1/sales-scripts',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags: ['sales-scripts'],
          summary: 'The sales scripts library (话术), in its order; filter by status, tag or text',
          querystring: z.object({
            status: z.enum(LEAD_STATUSES).optional(),
            tag: z.string().max(50).optional(),
            q: z.string().trim().max(100).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(100),
            cursor: z.string().max(1000).optional(),
          }),
          response: { 200: z.object({ items: z.array(scriptOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => listSalesScripts(ctxOf(req), req.query),
    )
    app.get(
      '/api/v1/sales-scripts/suggest',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags: ['sales-scripts'],
          summary:
            'Scripts for a lead the caller sees: those for its status and those for every status, in order',
          querystring: z.object({ leadId: z.string().max(100) }),
          response: { 200: z.object({ items: z.array(scriptOut) }) },
        },
      },
      async (req) => ({ items: await suggestSalesScripts(ctxOf(req), req.query.leadId) }),
    )
    app.post(
      '/api/v1/sales-scripts',
      {
        config: { permission: 'leads.configure' },
        schema: {
          tags: ['sales-scripts'],
          summary: 'Add a sales script; statuses and tags say which leads it fits (none: every lead)',
          body: z.object(scriptFields),
          response: { 201: scriptOut },
        },
      },
      async (req, reply) => reply.status(201).send(await createSalesScript(ctxOf(req), req.body)),
    )
    app.patch(
      '/api/v1/sales-scripts/:id',
      {
        config: { permission: 'leads.configure' },
        schema: {
          tags: ['sales-scripts'],
          summary: 'Change a sales script; send version',
          params: idParams,
          body: z.object({ ...scriptFields, version: z.number().int().optional() }).partial(),
          response: { 200: scriptOut },
        },
      },
      async (req) => updateSalesScript(ctxOf(req), req.params.id, req.body),
    )
    app.delete(
      '/api/v1/sales-scripts/:id',
      {
        config: { permission: 'leads.configure' },
        schema: { tags: ['sales-scripts'], summary: 'Delete a sales script (recycle bin)', params: idParams },
      },
      async (req, reply) => {
        await deleteSalesScript(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
  },
}

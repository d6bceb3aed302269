import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import { buildListQuery, listQuerySchema } from '../../platform/http/list-query.js'
import type { HainaModule } from '../../platform/http/module.js'
import './messages.js'
import {
  channelOfCaller,
  channelsRepo,
  createChannel,
  deleteChannel,
  rotateChannelKey,
  updateChannel,
} from './channels.service.js'
import { ingestEvents } from './events.service.js'
import { registerFormRoutes } from './form.routes.js'
import { registerImportRoutes } from './import/import.routes.js'
import { ingestOne } from './ingest.batcher.js'
import { ingestLeads } from './ingest.service.js'
import { CHANNEL_KINDS, channels } from './schema.js'
import { qualityStats } from './stats.service.js'
import { leadTimeline } from './timeline.service.js'

const tags = ['intake']
const idParams = z.object({ id: z.string() })
const mappingSchema = z.record(
  z.string(),
  z.object({ path: z.string().max(200).optional(), value: z.string().max(500).optional() }),
)
const channelBody = z.object({
  kind: z.enum(CHANNEL_KINDS),
  name: z.string().trim().min(1).max(100),
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{2,64}$/),
  unitId: z.string().uuid(),
  enabled: z.boolean().optional(),
  mapping: mappingSchema.optional(),
  form: z.record(z.string(), z.unknown()).optional(),
})
const channelOut = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  code: z.string(),
  enabled: z.boolean(),
  unitId: z.string(),
  orgId: z.string(),
  mapping: mappingSchema,
  form: z.record(z.string(), z.unknown()),
  formToken: z.string().nullable(),
  createdAt: z.date().or(z.string()),
  version: z.number(),
})
type ChannelRow = typeof channels.$inferSelect
const present = (c: Record<string, unknown>) => {
  const row = c as ChannelRow
  const { apiKeyId, formKey, tenantId, updatedAt, ...rest } = row
  return { ...rest, formToken: formKey ? `${tenantId}.${formKey}` : null }
}

const issue = z.object({ field: z.string(), code: z.string() })
const leadRecord = z.record(z.string(), z.unknown())
const leadBatch = z.object({
  records: z.array(leadRecord).min(1).max(1000),
  utm_campaign: z.string().max(64).optional(),
})
/**
 * One record, or `{ records: [...] }`. A body with a `records` key is a batch and is checked only as
 * one (else a failing batch would pass as a single record carrying a `records` field): its issues
 * name `records`, `records.3`… The preprocess is invisible in the OpenAPI document (it shows the union).
 */
const ingestBody = z.preprocess(
  (body, ctx) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || !('records' in body)) return body
    const batch = leadBatch.safeParse(body, { reportInput: true })
    if (batch.success) return batch.data
    for (const issue of batch.error.issues) ctx.addIssue(issue as never)
    return body
  },
  z.union([leadBatch, leadRecord]),
)
const ingestOut = z.object({
  results: z.array(
    z.object({
      index: z.number(),
      outcome: z.enum(['created', 'merged', 'overwritten', 'duplicate', 'review', 'invalid']),
      leadId: z.string().nullable(),
      personId: z.string().nullable(),
      candidateLeadId: z.string().nullable(),
      rule: z.string().nullable(),
      issues: z.array(issue),
      intentId: z.string().nullable(),
    }),
  ),
  counts: z.record(z.string(), z.number()),
})
const eventBody = z.object({
  type: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  eventKey: z.string().trim().min(1).max(200).optional(),
  identity: z.object({
    mobile: z.string().max(40).optional(),
    email: z.string().max(200).optional(),
    openid: z.string().max(64).optional(),
    unionid: z.string().max(64).optional(),
    wechatAppId: z.string().max(64).optional(),
    deviceId: z.string().max(200).optional(),
    externalId: z.string().max(200).optional(),
  }),
  properties: z.record(z.string(), z.unknown()).optional(),
})

/** Channels, the ingest and events APIs, public web forms and the lead timeline (issue #3). */
export const intakeModule: HainaModule = {
  name: 'intake',
  async routes(app, deps) {
    app.get(
      '/api/v1/channels',
      {
        config: { permission: 'intake.view' },
        schema: {
          tags,
          summary: 'Channels (touchpoints) in the caller’s scope',
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(channelOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const q = await buildListQuery(req.query, {
          columns: {
            kind: channels.kind,
            name: channels.name,
            enabled: channels.enabled,
            unitId: channels.unitId,
          },
          sortable: ['createdAt', 'name'],
          ctx,
        })
        const page = await channelsRepo.list(ctx, {
          where: q.where,
          sort: q.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
        })
        return { items: page.items.map(present), nextCursor: page.nextCursor }
      },
    )
    app.get(
      '/api/v1/channels/:id',
      {
        config: { permission: 'intake.view' },
        schema: { tags, summary: 'One channel', params: idParams, response: { 200: channelOut } },
      },
      async (req) => present(await channelsRepo.get(ctxOf(req), req.params.id)),
    )
    app.post(
      '/api/v1/channels',
      {
        config: { permission: 'intake.configure', idempotent: true },
        schema: {
          tags,
          summary: 'Create a channel; the answer holds its API key once',
          body: channelBody,
          response: { 201: channelOut.extend({ key: z.string() }) },
        },
      },
      async (req, reply) => {
        const { channel, key } = await createChannel(ctxOf(req), req.body)
        return reply.status(201).send({ ...present(channel), key })
      },
    )
    app.patch(
      '/api/v1/channels/:id',
      {
        config: { permission: 'intake.configure' },
        schema: {
          tags,
          summary: 'Change a channel (enable/disable, mapping, unit); send version',
          params: idParams,
          body: channelBody.omit({ kind: true }).partial().extend({ version: z.number().int().optional() }),
          response: { 200: channelOut },
        },
      },
      async (req) => present(await updateChannel(ctxOf(req), req.params.id, req.body)),
    )
    app.post(
      '/api/v1/channels/:id/rotate-key',
      {
        config: { permission: 'intake.configure' },
        schema: {
          tags,
          summary: 'Issue a new API key; the old one stops working',
          params: idParams,
          response: { 200: z.object({ key: z.string() }) },
        },
      },
      async (req) => rotateChannelKey(ctxOf(req), req.params.id),
    )
    app.delete(
      '/api/v1/channels/:id',
      {
        config: { permission: 'intake.configure' },
        schema: { tags, summary: 'Delete a channel (recycle bin) and revoke its key', params: idParams },
      },
      async (req, reply) => {
        await deleteChannel(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )

    app.post(
      '/api/v1/intake/leads',
      {
        config: { permission: 'intake.create', idempotent: true },
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags,
          summary:
            'Push leads with a channel key: one record, or { records: [...] } (≤ 1,000). Each goes through the data factory.',
          body: ingestBody,
          response: { 200: ingestOut },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const channel = await channelOfCaller(ctx)
        // The schema let a body with `records` through only as a valid batch.
        if (!('records' in req.body)) return ingestOne(ctx, channel, req.body)
        const batch = req.body as z.infer<typeof leadBatch>
        return ingestLeads(ctx, channel, batch.records, { campaignCode: batch.utm_campaign ?? null })
      },
    )
    app.post(
      '/api/v1/intake/events',
      {
        config: { permission: 'intake.create', idempotent: true },
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Push behaviour events (≤ 5,000 per call) with identity keys; append-only',
          body: z.object({ events: z.array(eventBody).min(1).max(5000) }),
          response: {
            200: z.object({
              results: z.array(
                z.object({
                  index: z.number(),
                  status: z.enum(['stored', 'duplicate', 'invalid']),
                  personId: z.string().nullable(),
                  issues: z.array(issue),
                }),
              ),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const channel = await channelOfCaller(ctx)
        return { results: await ingestEvents(ctx, channel.id, req.body.events) }
      },
    )
    app.get(
      '/api/v1/leads/:id/timeline',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'A lead’s timeline: intents, merges and the person’s behaviour events, newest first',
          params: idParams,
          querystring: z.object({
            before: z.iso.datetime({ offset: true }).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: {
            200: z.object({
              personId: z.string().nullable(),
              items: z.array(
                z.object({
                  kind: z.enum(['intent', 'merge', 'event']),
                  id: z.string(),
                  at: z.string(),
                  type: z.string(),
                  channelId: z.string().nullable(),
                  data: z.record(z.string(), z.unknown()),
                }),
              ),
              summary: z.object({
                firstSeenAt: z.string().nullable(),
                lastSeenAt: z.string().nullable(),
                eventCounts: z.record(z.string(), z.number()),
                intentCount: z.number(),
              }),
            }),
          },
        },
      },
      async (req) => leadTimeline(ctxOf(req), req.params.id, req.query),
    )
    app.get(
      '/api/v1/intake/stats',
      {
        config: { permission: 'intake.view' },
        schema: {
          tags,
          summary:
            'Data quality: intents per day, channel and outcome (source mix, invalid and duplicate rates)',
          querystring: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  day: z.string(),
                  channelId: z.string().nullable(),
                  channelName: z.string().nullable(),
                  channelKind: z.string().nullable(),
                  outcome: z.string(),
                  n: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ items: await qualityStats(ctxOf(req), req.query.days) }),
    )
    registerFormRoutes(app, deps)
    await registerImportRoutes(app, deps)
  },
}

import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { ctxOf } from '../../../platform/http/context.js'
import type { App } from '../../../platform/http/module.js'

const idParams = z.object({ id: z.string() })

/** What the four record routes of a sales document (quotes, orders) need. */
export interface RecordRoutes<C extends z.ZodType, P extends z.ZodType> {
  /** '/api/v1/quotes': POST here, GET|PATCH|DELETE `<path>/:id`. */
  path: string
  /** Permission module: `<module>.create|view|edit|delete`. */
  module: string
  tags: string[]
  createBody: C
  patchBody: P
  detail: z.ZodType
  summary: { create: string; get: string; patch: string; delete: string }
  create(ctx: Ctx, body: z.infer<C>): Promise<unknown>
  get(ctx: Ctx, id: string): Promise<unknown>
  update(ctx: Ctx, id: string, body: z.infer<P>): Promise<unknown>
  remove(ctx: Ctx, id: string): Promise<unknown>
}

/**
 * POST (201, Idempotency-Key), GET, PATCH and DELETE (204) of one kind of sales document, each
 * declaring its permission and schemas like every route.
 */
export function registerRecordRoutes<C extends z.ZodType, P extends z.ZodType>(
  app: App,
  r: RecordRoutes<C, P>,
) {
  const one = `${r.path}/:id`
  const { tags } = r
  app.post(
    r.path,
    {
      config: { permission: `${r.module}.create`, idempotent: true },
      schema: { tags, summary: r.summary.create, body: r.createBody, response: { 201: r.detail } },
    },
    async (req, reply) => reply.status(201).send(await r.create(ctxOf(req), req.body as z.infer<C>)),
  )
  app.get(
    one,
    {
      config: { permission: `${r.module}.view` },
      schema: { tags, summary: r.summary.get, params: idParams, response: { 200: r.detail } },
    },
    async (req) => r.get(ctxOf(req), req.params.id),
  )
  app.patch(
    one,
    {
      config: { permission: `${r.module}.edit` },
      schema: {
        tags,
        summary: r.summary.patch,
        params: idParams,
        body: r.patchBody,
        response: { 200: r.detail },
      },
    },
    async (req) => r.update(ctxOf(req), req.params.id, req.body as z.infer<P>),
  )
  app.delete(
    one,
    {
      config: { permission: `${r.module}.delete` },
      schema: { tags, summary: r.summary.delete, params: idParams },
    },
    async (req, reply) => {
      await r.remove(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
}

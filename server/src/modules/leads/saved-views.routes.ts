import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { App } from '../../platform/http/module.js'
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './saved-views.service.js'

const tags = ['saved views']
const idParams = z.object({ id: z.string() })
const viewBody = z.object({
  name: z.string().trim().min(1).max(100),
  object: z.enum(['lead']).optional().describe('Default lead'),
  query: z.record(z.string(), z.unknown()).optional().describe('The list query: filter, q, poolId, sort'),
  columns: z.array(z.string().max(100)).max(100).optional(),
  layout: z.enum(['list', 'board']).optional(),
  shared: z.boolean().optional().describe('Visible to everyone in the workspace (only you may change it)'),
})
const viewOut = z.object({
  id: z.string(),
  userId: z.string(),
  object: z.string(),
  name: z.string(),
  query: z.record(z.string(), z.unknown()),
  columns: z.array(z.string()),
  layout: z.enum(['list', 'board']),
  shared: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number(),
})

/** Saved list views: the caller's own and the shared ones. */
export function registerSavedViewRoutes(app: App) {
  app.get(
    '/api/v1/saved-views',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Your saved views and the shared ones (yours first)',
        querystring: z.object({ object: z.string().max(40).optional() }),
        response: { 200: z.object({ items: z.array(viewOut) }) },
      },
    },
    async (req) => ({ items: await listSavedViews(ctxOf(req), req.query.object) }),
  )
  app.post(
    '/api/v1/saved-views',
    {
      config: { permission: 'authenticated' },
      schema: { tags, summary: 'Save a view', body: viewBody, response: { 201: viewOut } },
    },
    async (req, reply) => reply.status(201).send(await createSavedView(ctxOf(req), req.body)),
  )
  app.patch(
    '/api/v1/saved-views/:id',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Change one of your views (send version)',
        params: idParams,
        body: viewBody.partial().extend({ version: z.number().int().optional() }),
        response: { 200: viewOut },
      },
    },
    async (req) => updateSavedView(ctxOf(req), req.params.id, req.body),
  )
  app.delete(
    '/api/v1/saved-views/:id',
    {
      config: { permission: 'authenticated' },
      schema: { tags, summary: 'Delete one of your views', params: idParams },
    },
    async (req, reply) => {
      await deleteSavedView(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
}

import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import type { App } from '../../../platform/http/module.js'
import {
  createPipeline,
  deletePipeline,
  getPipeline,
  listPipelines,
  type PipelineWithStages,
  updatePipeline,
} from './pipelines.service.js'
import { STAGE_KINDS } from './schema.js'

const tags = ['opportunities']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())

export const stageOut = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  probability: z.number(),
  kind: z.enum(STAGE_KINDS),
  requiredFields: z.array(z.string()),
})
export const pipelineOut = z.object({
  id: z.string(),
  name: z.string(),
  businessLine: z.string().nullable(),
  isDefault: z.boolean(),
  active: z.boolean(),
  sort: z.number(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
const pipelineDetail = pipelineOut.extend({ stages: z.array(stageOut) })
type PipelineDetail = z.infer<typeof pipelineDetail>

const stageBody = z.object({
  id: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(40),
  probability: z.number().int().min(0).max(100),
  kind: z.enum(STAGE_KINDS),
  requiredFields: z.array(z.string().max(80)).max(30).optional(),
})
const pipelineBody = z.object({
  name: z.string().trim().min(1).max(60),
  businessLine: z.string().trim().max(60).nullable().optional(),
  isDefault: z.boolean().optional(),
  active: z.boolean().optional(),
  sort: z.number().int().min(-1000).max(1000).optional(),
  stages: z.array(stageBody).min(3).max(30),
})

const present = (p: PipelineWithStages) => p as unknown as PipelineDetail

/**
 * Sales pipelines (销售流程) with their stages inline, in order. Stage rules: probability 0–100,
 * at least one open stage and exactly one won and one lost; requiredFields (the stage gate) name
 * amount, expectedCloseDate, contactId, products, competitors, meddic.<letter> or custom.<key>.
 */
export function pipelineRoutes(app: App) {
  app.get(
    '/api/v1/pipelines',
    {
      config: { permission: 'opportunities.view' },
      schema: {
        tags,
        summary: 'Pipelines with their stages, the default first (created on first use)',
        response: { 200: z.object({ items: z.array(pipelineDetail), nextCursor: z.null() }) },
      },
    },
    async (req) => ({ items: (await listPipelines(ctxOf(req))).map(present), nextCursor: null }),
  )
  app.get(
    '/api/v1/pipelines/:id',
    {
      config: { permission: 'opportunities.view' },
      schema: {
        tags,
        summary: 'One pipeline with its stages',
        params: idParams,
        response: { 200: pipelineDetail },
      },
    },
    async (req) => present(await getPipeline(ctxOf(req), req.params.id)),
  )
  app.post(
    '/api/v1/pipelines',
    {
      config: { permission: 'opportunities.configure' },
      schema: {
        tags,
        summary:
          'Create a pipeline with its stages (400 naming the stage and field for an unknown gate field)',
        body: pipelineBody,
        response: { 201: pipelineDetail },
      },
    },
    async (req, reply) => reply.status(201).send(present(await createPipeline(ctxOf(req), req.body))),
  )
  app.patch(
    '/api/v1/pipelines/:id',
    {
      config: { permission: 'opportunities.configure' },
      schema: {
        tags,
        summary:
          'Change a pipeline (send version; stale → 409). stages, when sent, is the whole new list: with id kept, without id added, missing deleted; deleting or re-kinding a stage opportunities sit in → 409 stage_in_use',
        params: idParams,
        body: pipelineBody.partial().extend({ version: z.number().int().optional() }),
        response: { 200: pipelineDetail },
      },
    },
    async (req) => present(await updatePipeline(ctxOf(req), req.params.id, req.body)),
  )
  app.delete(
    '/api/v1/pipelines/:id',
    {
      config: { permission: 'opportunities.configure' },
      schema: {
        tags,
        summary:
          'Delete a pipeline and its stages; 409 pipeline_in_use while opportunities use it, 409 pipeline_is_default for the default',
        params: idParams,
      },
    },
    async (req, reply) => {
      await deletePipeline(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
}

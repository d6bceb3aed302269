import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { App, HainaModule } from '../../platform/http/module.js'
import { registerLifecycleRoutes } from './lifecycle.routes.js'
import './pools.messages.js'
import {
  createPool,
  deletePool,
  leadCounts,
  poolMembers,
  setPoolMembers,
  updatePool,
  type VisiblePool,
  visiblePool,
  visiblePools,
} from './pools.service.js'
import { registerPublicPoolRoutes } from './public-pool.routes.js'
import './reclaim.job.js'
import { registerSavedViewRoutes } from './saved-views.routes.js'
import { getLeadSettings, putLeadSettings } from './settings.service.js'

const tags = ['lead pools']
const idParams = z.object({ id: z.string() })
const days = z.number().int().min(1).max(3650)

const condition = z.object({
  field: z
    .string()
    .max(100)
    .describe('Lead field (regionCode, category, grade, source, score…) or custom.<key>'),
  op: z.string().max(20).describe('eq ne in not_in prefix contains gt gte lt lte empty not_empty'),
  value: z.unknown().optional(),
})
const reclaim = z.object({
  enabled: z.boolean(),
  noFollowUpDays: days
    .nullable()
    .optional()
    .describe('No follow-up within N days of claim/assignment or the last follow-up'),
  notConvertedDays: days.nullable().optional().describe('Not converted within M days of claim/assignment'),
  noFollowUpDaysByGrade: z
    .record(z.string().max(10), days)
    .optional()
    .describe('Per grade: { "A": 30, "D": 3 }'),
  skipWithOpenOpportunities: z.boolean().optional(),
  remindDaysBefore: z.number().int().min(0).max(365).nullable().optional(),
})
const settingsShape = {
  dailyClaimLimit: z.number().int().min(0).max(100_000).nullable().optional(),
  userHoldingCap: z.number().int().min(0).max(1_000_000).nullable().optional(),
  unitHoldingCap: z.number().int().min(0).max(10_000_000).nullable().optional(),
  reclaimLockDays: z.number().int().min(0).max(3650).optional(),
  protectionHours: z.number().int().min(0).max(8760).optional(),
  hiddenFields: z.array(z.string().max(100)).max(50).optional(),
  reclaim: reclaim.optional(),
}
const poolSettingsIn = z.strictObject(settingsShape)
const poolBody = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['sub', 'public']),
  parentId: z.string().uuid().nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
  unitId: z.string().uuid().optional(),
  criteria: z.array(condition).max(50).optional(),
  settings: poolSettingsIn.optional(),
  memberUnitIds: z.array(z.string().uuid()).max(500).optional(),
  reclaimPoolId: z.string().uuid().nullable().optional(),
  sort: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  enabled: z.boolean().optional(),
})
const poolOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  parentId: z.string().nullable(),
  description: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  criteria: z.array(condition),
  settings: z.object(settingsShape),
  memberUnitIds: z.array(z.string()),
  reclaimPoolId: z.string().nullable(),
  sort: z.number(),
  enabled: z.boolean(),
  leadCount: z.number().describe('Leads in the pool; for a public pool the unclaimed ones'),
  myRole: z
    .enum(['admin', 'member', 'viewer'])
    .describe('admin: may change it; member: works in it (claims from a public pool); viewer: sees it'),
  version: z.number(),
})
const memberOut = z.object({ userId: z.string(), name: z.string(), role: z.enum(['admin', 'member']) })
const closeReason = z.object({
  key: z.string().trim().min(1).max(64),
  label: z.string().trim().min(1).max(100),
  status: z.enum(['closed', 'invalid']),
})
const settingsOut = z.object({
  closeReasons: z.array(closeReason),
  releaseReasons: z.array(z.string()),
  firstContactSlaHours: z.number(),
  defaultPublicPoolId: z.string().nullable(),
  autoAssign: z.boolean(),
  autoDistribute: z.boolean(),
  version: z.number(),
})

async function withCounts(req: Parameters<typeof ctxOf>[0], pools: VisiblePool[]) {
  const counts = await leadCounts(ctxOf(req), pools)
  return pools.map((p) => ({ ...p, leadCount: counts.get(p.id) ?? 0 }))
}

function registerPoolRoutes(app: App) {
  app.get(
    '/api/v1/lead-pools',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary:
          'Pools the caller sees (master pool, sub-pools, public pools), sorted; the master pool is created on first use',
        response: { 200: z.object({ items: z.array(poolOut) }) },
      },
    },
    async (req) => ({ items: await withCounts(req, await visiblePools(ctxOf(req))) }),
  )
  app.get(
    '/api/v1/lead-pools/:id',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary: 'One pool with its admins and members',
        params: idParams,
        response: { 200: poolOut.extend({ members: z.array(memberOut) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const pool = await visiblePool(ctx, req.params.id)
      const [counted] = await withCounts(req, [pool])
      return { ...counted!, members: await poolMembers(ctx, pool.id) }
    },
  )
  app.post(
    '/api/v1/lead-pools',
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Create a sub-pool (below the master pool unless parentId says otherwise) or a public pool',
        body: poolBody,
        response: { 201: poolOut },
      },
    },
    async (req, reply) => {
      const pool = await createPool(ctxOf(req), req.body)
      return reply.status(201).send({ ...pool, leadCount: 0 })
    },
  )
  app.patch(
    '/api/v1/lead-pools/:id',
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Change a pool (send version; a stale version gets 409)',
        params: idParams,
        body: poolBody.partial().extend({ version: z.number().int().optional() }),
        response: { 200: poolOut },
      },
    },
    async (req) => (await withCounts(req, [await updatePool(ctxOf(req), req.params.id, req.body)]))[0]!,
  )
  app.delete(
    '/api/v1/lead-pools/:id',
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Delete an empty pool (recycle bin); 409 pool_in_use while it holds leads or sub-pools',
        params: idParams,
      },
    },
    async (req, reply) => {
      await deletePool(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
  app.put(
    '/api/v1/lead-pools/:id/members',
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Replace the pool’s admins and members',
        params: idParams,
        body: z.object({
          members: z
            .array(z.object({ userId: z.string().uuid(), role: z.enum(['admin', 'member']) }))
            .max(1000),
        }),
        response: { 200: z.object({ members: z.array(memberOut) }) },
      },
    },
    async (req) => ({ members: await setPoolMembers(ctxOf(req), req.params.id, req.body.members) }),
  )
}

function registerSettingsRoutes(app: App) {
  app.get(
    '/api/v1/lead-settings',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary: 'Lead lifecycle settings: close and release reasons, first-contact SLA, default public pool',
        response: { 200: settingsOut },
      },
    },
    async (req) => getLeadSettings(ctxOf(req)),
  )
  app.put(
    '/api/v1/lead-settings',
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Save the lead settings (send version; a stale version gets 409)',
        body: z.object({
          closeReasons: z.array(closeReason).min(1).max(100).optional(),
          releaseReasons: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
          firstContactSlaHours: z
            .number()
            .int()
            .min(1)
            .max(24 * 365)
            .optional(),
          defaultPublicPoolId: z.string().uuid().nullable().optional(),
          autoAssign: z.boolean().optional(),
          autoDistribute: z.boolean().optional(),
          version: z.number().int().optional(),
        }),
        response: { 200: settingsOut },
      },
    },
    async (req) => putLeadSettings(ctxOf(req), req.body),
  )
}

/** Lead pools (PL-1…PL-3): the pyramid, the public pool (公海), the lifecycle, settings and saved views. */
export const poolsModule: HainaModule = {
  name: 'pools',
  routes(app) {
    registerPoolRoutes(app)
    registerSettingsRoutes(app)
    registerPublicPoolRoutes(app)
    registerLifecycleRoutes(app)
    registerSavedViewRoutes(app)
  },
}

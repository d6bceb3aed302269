import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { App } from '../../platform/http/module.js'
import { changeStatus, leadHistory, moveToPool, setCollaborators } from './lifecycle.service.js'
import { LEAD_MOVE_KINDS } from './pools.schema.js'
import { leadOut, presentLeads } from './routes.js'
import { LEAD_STATUSES } from './service.js'

const tags = ['leads']
const idParams = z.object({ id: z.string() })

const moveOut = z.object({
  id: z.string(),
  kind: z.enum(LEAD_MOVE_KINDS),
  at: z.date(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable().describe('null: the system (rules, jobs) or an API key'),
  fromPoolId: z.string().nullable(),
  toPoolId: z.string().nullable(),
  fromOrgId: z.string().nullable(),
  toOrgId: z.string().nullable(),
  fromOwnerId: z.string().nullable(),
  toOwnerId: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  reason: z.string().nullable(),
})

/** The lead lifecycle: status with close reasons, pool moves, collaborators and the history. */
export function registerLifecycleRoutes(app: App) {
  app.post(
    '/api/v1/leads/:id/status',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary:
          'Change a lead’s status (new → assigned → following → qualified → converted, or closed/invalid with a closeReason key from the lead settings)',
        params: idParams,
        body: z.object({
          status: z.enum(LEAD_STATUSES),
          closeReason: z.string().max(64).nullable().optional(),
        }),
        response: { 200: leadOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const lead = await changeStatus(ctx, req.params.id, req.body.status, req.body.closeReason)
      return (await presentLeads(ctx, [lead]))[0]!
    },
  )
  app.post(
    '/api/v1/leads/bulk/move',
    {
      config: { permission: 'leads.assign' },
      schema: {
        tags,
        summary:
          'Move leads of your scope to another pool of the same org (into a public pool they lose their owner); across orgs use distribution',
        body: z.object({ ids: z.array(z.string().uuid()).min(1).max(5000), poolId: z.string().uuid() }),
        response: { 200: z.object({ moved: z.number() }) },
      },
    },
    async (req) => ({ moved: await moveToPool(ctxOf(req), req.body.ids, req.body.poolId) }),
  )
  app.put(
    '/api/v1/leads/:id/collaborators',
    {
      config: { permission: 'leads.edit' },
      schema: {
        tags,
        summary: 'Replace the lead’s collaborators (协作人)',
        params: idParams,
        body: z.object({ userIds: z.array(z.string().uuid()).max(100) }),
        response: { 200: z.object({ userIds: z.array(z.string()) }) },
      },
    },
    async (req) => ({ userIds: await setCollaborators(ctxOf(req), req.params.id, req.body.userIds) }),
  )
  app.get(
    '/api/v1/leads/:id/moves',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary: 'The lead’s history of pool, org, owner and status changes, newest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(moveOut) }) },
      },
    },
    async (req) => ({ items: await leadHistory(ctxOf(req), req.params.id) }),
  )
}

import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Ctx } from '../../platform/access/actor.js'
import { inTransaction } from '../../platform/db/tx.js'
import { ctxOf } from '../../platform/http/context.js'
import type { App, HainaModule } from '../../platform/http/module.js'
import { assignAfterDistribution, assignManually, autoRoute } from './assignment.service.js'
import { distributeManually, idsSql } from './distribution.service.js'
import { executeHandover, listHandovers, previewHandover } from './handover.service.js'
import './routing.consumer.js'
import './routing.messages.js'
import { ASSIGNMENT_STRATEGIES } from './routing.schema.js'
import {
  createAssignmentRule,
  createDistributionRule,
  deleteAssignmentRule,
  deleteDistributionRule,
  listAssignmentRules,
  listDistributionRules,
  reorderAssignmentRules,
  reorderDistributionRules,
  updateAssignmentRule,
  updateDistributionRule,
} from './routing-rules.service.js'
import { createLeave, deleteLeave, getSchedule, listLeaves, putSchedule } from './schedules.service.js'
import { leads } from './schema.js'

const tags = ['lead-routing']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const uuid = z.string().uuid()
const ids = z.array(uuid).min(1).max(5000)

const condition = z.object({
  field: z
    .string()
    .min(1)
    .max(100)
    .describe('regionCode, category, channelId, grade, source, status, score, … or custom.<key>'),
  op: z
    .string()
    .min(1)
    .max(20)
    .describe('eq, ne, in, not_in, prefix, contains, gt, gte, lt, lte, empty, not_empty'),
  value: z.unknown().optional(),
})
const conditions = z.array(condition).max(50)

const distributionBody = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().optional(),
  sourcePoolId: uuid
    .nullable()
    .optional()
    .describe('Leads in this pool are considered; null = the master pool'),
  conditions: conditions.optional(),
  targetPoolId: uuid.nullable().optional(),
  targetUnitId: uuid.nullable().optional().describe('The org unit (dealer, branch…) that receives the lead'),
  sort: z.number().int().min(0).max(100_000).optional(),
})
const distributionOut = z.object({
  id: z.string(),
  name: z.string(),
  sort: z.number(),
  enabled: z.boolean(),
  sourcePoolId: z.string().nullable(),
  conditions: z.array(condition),
  targetPoolId: z.string().nullable(),
  targetUnitId: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})

const member = z.object({
  userId: uuid,
  weight: z.number().int().min(1).max(100).optional(),
  capacity: z.number().int().min(0).max(1_000_000).nullable().optional(),
})
const assignmentBody = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().optional(),
  poolId: uuid
    .nullable()
    .optional()
    .describe('The pool whose leads this rule assigns; null = any non-public pool'),
  strategy: z.enum(ASSIGNMENT_STRATEGIES).optional(),
  conditions: conditions.optional(),
  members: z.array(member).max(500).optional(),
  respectSchedule: z.boolean().optional(),
  sort: z.number().int().min(0).max(100_000).optional(),
})
const assignmentOut = z.object({
  id: z.string(),
  name: z.string(),
  poolId: z.string().nullable(),
  sort: z.number(),
  enabled: z.boolean(),
  strategy: z.string(),
  conditions: z.array(condition),
  members: z.array(
    z.object({
      userId: z.string(),
      weight: z.number().optional(),
      capacity: z.number().nullable().optional(),
    }),
  ),
  respectSchedule: z.boolean(),
  cursor: z.number(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})

const movedOut = z.object({
  moved: z.number(),
  leads: z.array(
    z.object({
      id: z.string(),
      poolId: z.string().nullable(),
      orgId: z.string(),
      unitId: z.string(),
      ownerId: z.string().nullable(),
      status: z.string(),
      routingNote: z.string().nullable(),
    }),
  ),
})

/** Where the leads are now (read after the move; a move may take them beyond the caller's scope). */
async function placements(ctx: Ctx, leadIds: string[]) {
  if (leadIds.length === 0) return []
  return ctx.db
    .select({
      id: leads.id,
      poolId: leads.poolId,
      orgId: leads.orgId,
      unitId: leads.unitId,
      ownerId: leads.ownerId,
      status: leads.status,
      routingNote: leads.routingNote,
    })
    .from(leads)
    .where(and(eq(leads.tenantId, ctx.actor.tenantId), idsSql(leadIds)))
}

const scheduleBody = z.object({
  weekdays: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .describe('ISO weekdays, 1 = Monday … 7 = Sunday'),
  startMinute: z.number().int().min(0).max(1439).describe('Minutes after midnight, workspace time zone'),
  endMinute: z.number().int().min(1).max(1440),
})
const scheduleOut = scheduleBody.extend({ userId: z.string(), configured: z.boolean() })
const leaveOut = z.object({
  id: z.string(),
  userId: z.string(),
  startsAt: time,
  endsAt: time,
  reason: z.string().nullable(),
  createdAt: time,
})
const handoverPeople = z.object({ fromUserId: uuid, toUserId: uuid })
const handoverOut = z.object({
  id: z.string(),
  fromUserId: z.string(),
  fromUserName: z.string().nullable(),
  toUserId: z.string(),
  toUserName: z.string().nullable(),
  reason: z.string(),
  counts: z.record(z.string(), z.number()),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: time,
})

interface RuleRoutes {
  path: string
  noun: string
  listSummary: string
  createSummary: string
  updateSummary: string
  body: z.ZodObject
  out: z.ZodType
  list(ctx: Ctx): Promise<unknown[]>
  // biome-ignore lint/suspicious/noExplicitAny: each rule kind's service takes its own body, checked by `body`
  create(ctx: Ctx, input: any): Promise<unknown>
  // biome-ignore lint/suspicious/noExplicitAny: as above, the partial body
  update(ctx: Ctx, id: string, patch: any): Promise<unknown>
  remove(ctx: Ctx, id: string): Promise<void>
  reorder(ctx: Ctx, ids: string[]): Promise<unknown[]>
}

/** The five routes of an ordered rule list (distribution and assignment rules alike). */
function ruleRoutes(app: App, r: RuleRoutes) {
  app.get(
    r.path,
    {
      config: { permission: 'leads.view' },
      schema: { tags, summary: r.listSummary, response: { 200: z.array(r.out) } },
    },
    async (req) => r.list(ctxOf(req)),
  )
  app.post(
    r.path,
    {
      config: { permission: 'leads.configure' },
      schema: { tags, summary: r.createSummary, body: r.body, response: { 201: r.out } },
    },
    async (req, reply) => reply.status(201).send(await r.create(ctxOf(req), req.body)),
  )
  app.patch(
    `${r.path}/:id`,
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: r.updateSummary,
        params: idParams,
        body: r.body.partial().extend({ version: z.number().int().optional() }),
        response: { 200: r.out },
      },
    },
    async (req) => r.update(ctxOf(req), req.params.id, req.body),
  )
  app.delete(
    `${r.path}/:id`,
    {
      config: { permission: 'leads.configure' },
      schema: { tags, summary: `Delete ${r.noun} (recycle bin)`, params: idParams },
    },
    async (req, reply) => {
      await r.remove(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
  app.post(
    `${r.path}/reorder`,
    {
      config: { permission: 'leads.configure' },
      schema: {
        tags,
        summary: 'Put rules in this order (rules not named keep their order after them)',
        body: z.object({ ids: z.array(uuid).min(1).max(500) }),
        response: { 200: z.array(r.out) },
      },
    },
    async (req) => r.reorder(ctxOf(req), req.body.ids),
  )
}

/** Distribution (分发), assignment (分配), schedules and leave, handover (工作移交). */
export const routingModule: HainaModule = {
  name: 'lead-routing',
  routes(app) {
    // ---------------------------------------------------------------- rules
    ruleRoutes(app, {
      path: '/api/v1/distribution-rules',
      noun: 'a distribution rule',
      listSummary: 'Distribution rules in order (first match wins)',
      createSummary:
        'Create a distribution rule (source pool → target pool and/or org unit, with conditions)',
      updateSummary: 'Change a distribution rule; send version',
      body: distributionBody,
      out: distributionOut,
      list: listDistributionRules,
      create: createDistributionRule,
      update: updateDistributionRule,
      remove: deleteDistributionRule,
      reorder: reorderDistributionRules,
    })
    ruleRoutes(app, {
      path: '/api/v1/assignment-rules',
      noun: 'an assignment rule',
      listSummary: 'Assignment rules in order (a lead a rule cannot place falls through to the next)',
      createSummary:
        'Create an assignment rule: round_robin, weighted or least_loaded over members with capacities',
      updateSummary: 'Change an assignment rule (a new member list restarts the rotation); send version',
      body: assignmentBody,
      out: assignmentOut,
      list: listAssignmentRules,
      create: createAssignmentRule,
      update: updateAssignmentRule,
      remove: deleteAssignmentRule,
      reorder: reorderAssignmentRules,
    })

    // ---------------------------------------------------------------- moving leads
    app.post(
      '/api/v1/leads/distribute',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary:
            'Manual (re)distribution to a pool and/or org unit in your scope; leads entering another org lose their owner there, then that pool’s assignment rules apply (autoAssign)',
          body: z.object({
            ids,
            poolId: uuid.nullable().optional(),
            unitId: uuid.nullable().optional(),
            reason: z.string().trim().max(500).nullable().optional(),
          }),
          response: { 200: movedOut },
        },
      },
      async (req) =>
        inTransaction(ctxOf(req), async (tx) => {
          const moved = await distributeManually(tx, req.body)
          const unowned = moved.filter((l) => !l.ownerId).map((l) => l.id as string)
          await assignAfterDistribution(tx, unowned)
          return { moved: moved.length, leads: await placements(tx, [...new Set(req.body.ids)]) }
        }),
    )
    app.post(
      '/api/v1/leads/assign',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary:
            'Manual and bulk (re)assignment to a person in your scope; they are notified once with the count',
          body: z.object({ ids, ownerId: uuid, reason: z.string().trim().max(500).nullable().optional() }),
          response: { 200: movedOut },
        },
      },
      async (req) =>
        inTransaction(ctxOf(req), async (tx) => {
          const moved = await assignManually(tx, req.body)
          return { moved: moved.length, leads: await placements(tx, [...new Set(req.body.ids)]) }
        }),
    )
    app.post(
      '/api/v1/leads/auto-route',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary: 'Run distribution then assignment rules now; note says why a lead stays where it is',
          body: z.object({ ids }),
          response: {
            200: z.object({
              results: z.array(
                z.object({
                  id: z.string(),
                  poolId: z.string().nullable(),
                  orgId: z.string(),
                  ownerId: z.string().nullable(),
                  note: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ results: await autoRoute(ctxOf(req), req.body.ids) }),
    )

    // ---------------------------------------------------------------- schedules and leave
    app.get(
      '/api/v1/work-schedules/:userId',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Working hours of a person (configured: false = always on duty; the defaults are shown)',
          params: z.object({ userId: z.string() }),
          response: { 200: scheduleOut },
        },
      },
      async (req) => getSchedule(ctxOf(req), req.params.userId),
    )
    app.put(
      '/api/v1/work-schedules/:userId',
      {
        config: { permission: 'leads.configure' },
        schema: {
          tags,
          summary: 'Set working hours (assignment skips people off duty when a rule respects schedules)',
          params: z.object({ userId: z.string() }),
          body: scheduleBody,
          response: { 200: scheduleOut },
        },
      },
      async (req) => putSchedule(ctxOf(req), req.params.userId, req.body),
    )
    app.get(
      '/api/v1/leaves',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Leave periods of people in your scope, latest first',
          querystring: z.object({ userId: uuid.optional() }),
          response: { 200: z.array(leaveOut) },
        },
      },
      async (req) => listLeaves(ctxOf(req), req.query.userId),
    )
    app.post(
      '/api/v1/leaves',
      {
        config: { permission: 'leads.configure' },
        schema: {
          tags,
          summary: 'Record a leave period (assignment skips the person while it is current)',
          body: z.object({
            userId: uuid,
            startsAt: z.string().datetime({ offset: true }),
            endsAt: z.string().datetime({ offset: true }),
            reason: z.string().trim().max(500).nullable().optional(),
          }),
          response: { 201: leaveOut },
        },
      },
      async (req, reply) => reply.status(201).send(await createLeave(ctxOf(req), req.body)),
    )
    app.delete(
      '/api/v1/leaves/:id',
      {
        config: { permission: 'leads.configure' },
        schema: { tags, summary: 'Cancel a leave period', params: idParams },
      },
      async (req, reply) => {
        await deleteLeave(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )

    // ---------------------------------------------------------------- handover
    app.post(
      '/api/v1/handovers/preview',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary:
            'What a handover would move: leads (open and closed), pending follow-up reminders, pool and rule memberships',
          body: handoverPeople,
          response: { 200: z.object({ counts: z.record(z.string(), z.number()) }) },
        },
      },
      async (req) => previewHandover(ctxOf(req), req.body),
    )
    app.post(
      '/api/v1/handovers',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary: 'Hand over everything a person owns to another person, with a reason',
          body: handoverPeople.extend({ reason: z.string().trim().min(1).max(500) }),
          response: { 201: handoverOut },
        },
      },
      async (req, reply) => reply.status(201).send(await executeHandover(ctxOf(req), req.body)),
    )
    app.get(
      '/api/v1/handovers',
      {
        config: { permission: 'leads.assign' },
        schema: {
          tags,
          summary: 'Handovers involving people in your scope, newest first',
          querystring: z.object({
            userId: uuid.optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
          }),
          response: { 200: z.array(handoverOut) },
        },
      },
      async (req) => listHandovers(ctxOf(req), req.query),
    )
  },
}

import {
  createAssignmentRule,
  createDistributionRule,
} from '../../src/modules/leads/routing-rules.service.js'
import { createLeave } from '../../src/modules/leads/schedules.service.js'
import { createLeads } from '../../src/modules/leads/service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
const distributionRule = async (ws: Workspace) =>
  (await createDistributionRule(ws.sys, { name: `分发${n++}`, targetUnitId: await make.unit(ws) })).id
const assignmentRule = async (ws: Workspace, members: string[] = []) =>
  (await createAssignmentRule(ws.sys, { name: `分配${n++}`, members: members.map((userId) => ({ userId })) }))
    .id
/** An unowned lead waiting at HQ. */
const hqLead = async (ws: Workspace) =>
  String((await createLeads(ws.sys, [{ name: `待分配${n++}`, ownerId: null, unitId: ws.rootUnitId }]))[0]!.id)

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/distribution-rules',
    audits: 'distribution_rule',
    prepare: async (_k, ws) => ({
      body: {
        name: '华东',
        conditions: [{ field: 'regionCode', op: 'prefix', value: '31' }],
        targetUnitId: await make.unit(ws),
      },
    }),
  },
  {
    route: 'PATCH /api/v1/distribution-rules/:id',
    audits: 'distribution_rule',
    prepare: async (_k, ws) => ({ params: { id: await distributionRule(ws) }, body: { name: '改名' } }),
  },
  {
    route: 'DELETE /api/v1/distribution-rules/:id',
    audits: 'distribution_rule',
    prepare: async (_k, ws) => ({ params: { id: await distributionRule(ws) } }),
  },
  {
    route: 'POST /api/v1/distribution-rules/reorder',
    audits: 'distribution_rule',
    prepare: async (_k, ws) => {
      const a = await distributionRule(ws)
      const b = await distributionRule(ws)
      return { body: { ids: [b, a] } }
    },
  },
  {
    route: 'POST /api/v1/assignment-rules',
    audits: 'assignment_rule',
    prepare: async (_k, ws) => ({
      body: { name: '轮询', strategy: 'round_robin', members: [{ userId: ws.adminId, capacity: 100 }] },
    }),
  },
  {
    route: 'PATCH /api/v1/assignment-rules/:id',
    audits: 'assignment_rule',
    prepare: async (_k, ws) => ({
      params: { id: await assignmentRule(ws) },
      body: { strategy: 'least_loaded' },
    }),
  },
  {
    route: 'DELETE /api/v1/assignment-rules/:id',
    audits: 'assignment_rule',
    prepare: async (_k, ws) => ({ params: { id: await assignmentRule(ws) } }),
  },
  {
    route: 'POST /api/v1/assignment-rules/reorder',
    audits: 'assignment_rule',
    prepare: async (_k, ws) => {
      const a = await assignmentRule(ws)
      const b = await assignmentRule(ws)
      return { body: { ids: [b, a] } }
    },
  },
  {
    route: 'POST /api/v1/leads/distribute',
    audits: 'lead',
    prepare: async (_k, ws) => ({
      body: { ids: [await make.lead(ws)], unitId: await make.unit(ws), reason: '例外处理' },
    }),
  },
  {
    route: 'POST /api/v1/leads/assign',
    audits: 'lead',
    prepare: async (_k, ws) => ({ body: { ids: [await hqLead(ws)], ownerId: await make.user(ws) } }),
  },
  {
    route: 'POST /api/v1/leads/auto-route',
    audits: 'lead',
    prepare: async (_k, ws) => {
      await assignmentRule(ws, [ws.adminId])
      return { body: { ids: [await hqLead(ws)] } }
    },
  },
  {
    route: 'GET /api/v1/work-schedules/:userId',
    audits: null,
    prepare: async (_k, ws) => ({ params: { userId: await make.user(ws) } }),
  },
  {
    route: 'PUT /api/v1/work-schedules/:userId',
    audits: 'work_schedule',
    prepare: async (_k, ws) => ({
      params: { userId: await make.user(ws) },
      body: { weekdays: [1, 2, 3, 4, 5], startMinute: 510, endMinute: 1050 },
    }),
  },
  {
    route: 'POST /api/v1/leaves',
    audits: 'leave',
    prepare: async (_k, ws) => ({
      body: {
        userId: await make.user(ws),
        startsAt: '2026-02-01T00:00:00+08:00',
        endsAt: '2026-02-08T00:00:00+08:00',
        reason: '年假',
      },
    }),
  },
  {
    route: 'DELETE /api/v1/leaves/:id',
    audits: 'leave',
    prepare: async (_k, ws) => {
      const leave = await createLeave(ws.sys, {
        userId: await make.user(ws),
        startsAt: '2026-03-01T00:00:00Z',
        endsAt: '2026-03-02T00:00:00Z',
      })
      return { params: { id: leave.id } }
    },
  },
  {
    route: 'POST /api/v1/handovers/preview',
    audits: null,
    prepare: async (_k, ws) => ({ body: { fromUserId: await make.user(ws), toUserId: await make.user(ws) } }),
  },
  {
    route: 'POST /api/v1/handovers',
    audits: 'handover',
    prepare: async (_k, ws) => ({
      body: { fromUserId: await make.user(ws), toUserId: await make.user(ws), reason: '离职' },
    }),
  },
]

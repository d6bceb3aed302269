import { sql } from 'drizzle-orm'
import { z } from 'zod'
import { isUuid } from '../../../platform/access/data-access.js'
import { ctxOf } from '../../../platform/http/context.js'
import { validationFailed } from '../../../platform/http/errors.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { calendar, MAX_CALENDAR_DAYS } from './calendar.service.js'
import './handover.js'
import './reminders.job.js'
import { TASK_KINDS, TASK_PRIORITIES, TASK_SUBJECTS, taskParticipants, tasks } from './schema.js'
import {
  createTask,
  deleteTask,
  getTask,
  listTasks,
  respondToTask,
  setTaskStatus,
  type TaskView,
  updateTask,
} from './service.js'

const tags = ['tasks']
const idParams = z.object({ id: z.string() })
const when = z.iso.datetime({ offset: true })
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const time = z.date().or(z.string())

const taskFields = {
  kind: z.enum(TASK_KINDS).optional().describe('task (default), meeting, call or visit'),
  title: z.string().trim().min(1).max(200),
  description: text(5000),
  startAt: when.nullable().optional(),
  endAt: when.nullable().optional().describe('Not before startAt (400 naming endAt)'),
  dueAt: when.nullable().optional(),
  allDay: z.boolean().optional(),
  location: text(500),
  priority: z.enum(TASK_PRIORITIES).optional(),
  subjectType: z.enum(TASK_SUBJECTS).nullable().optional(),
  subjectId: z.string().max(100).nullable().optional().describe('A record the caller sees (404 otherwise)'),
  participantIds: z.array(z.string().max(100)).max(100).optional().describe('User ids invited (notified)'),
  contactIds: z
    .array(z.string().max(100))
    .max(50)
    .optional()
    .describe('Contacts of the subject’s customer taking part'),
  remindMinutesBefore: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .nullable()
    .optional(),
  ownerId: z.string().uuid().nullable().optional(),
  unitId: z.string().uuid().optional(),
}
const taskBody = z.object(taskFields)
const versionOnly = z.object({ version: z.number().int().optional() }).nullish()

export const taskOut = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  priority: z.string(),
  startAt: time.nullable(),
  endAt: time.nullable(),
  dueAt: time.nullable(),
  allDay: z.boolean(),
  location: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  subjectName: z.string().nullable(),
  contactIds: z.array(z.string()),
  contacts: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  remindMinutesBefore: z.number().nullable(),
  remindedAt: time.nullable(),
  completedAt: time.nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  createdBy: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
  participants: z.array(z.object({ userId: z.string(), name: z.string(), response: z.string() })),
  myResponse: z.string().nullable().describe('The caller’s answer when invited'),
  editable: z.boolean().describe('The caller may change it (participants outside the scope may not)'),
})
const out = (t: TaskView) => t as z.infer<typeof taskOut>

const calendarEvent = z.object({
  id: z.string(),
  kind: z.enum([...TASK_KINDS, 'follow_up']),
  title: z.string(),
  start: time,
  end: time.nullable(),
  allDay: z.boolean(),
  status: z.string(),
  location: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  subjectName: z.string().nullable(),
  ownerId: z.string().nullable(),
})

/** ?filter userId: tasks the person owns or is invited to. */
const ownedOrInvited = (value: unknown, field: string) => {
  if (typeof value !== 'string' || !isUuid(value))
    throw validationFailed([{ field, code: 'invalid_filter_value' }])
  return sql`(${tasks.ownerId} = ${value}::uuid or exists (select 1 from ${taskParticipants}
    where ${taskParticipants.tenantId} = ${tasks.tenantId} and ${taskParticipants.taskId} = ${tasks.id}
    and ${taskParticipants.userId} = ${value}::uuid))`
}

/** Sales: tasks and meetings (日程), the calendar, task reminders and the task handover step (issue #5). */
export const tasksModule: HainaModule = {
  name: 'tasks',
  routes(app) {
    app.get(
      '/api/v1/tasks',
      {
        config: { permission: 'tasks.view' },
        schema: {
          tags,
          summary:
            'Tasks and meetings the caller sees: in the data scope or invited; sort createdAt, updatedAt, title, dueAt or startAt (tasks without that time last) (filter on kind, status, priority, ownerId, unitId, subjectType, subjectId, startAt, endAt, dueAt, completedAt, createdAt; q = title; userId = owned by or invited)',
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(taskOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const q = await buildListQuery(req.query, {
          columns: {
            kind: tasks.kind,
            status: tasks.status,
            priority: tasks.priority,
            title: tasks.title,
            ownerId: tasks.ownerId,
            unitId: tasks.unitId,
            subjectType: tasks.subjectType,
            subjectId: tasks.subjectId,
            startAt: tasks.startAt,
            endAt: tasks.endAt,
            dueAt: tasks.dueAt,
            completedAt: tasks.completedAt,
            createdAt: tasks.createdAt,
            updatedAt: tasks.updatedAt,
          },
          sortable: ['createdAt', 'updatedAt', 'title', 'dueAt', 'startAt'],
          extra: {
            q: (v) => sql`${tasks.title} ilike ${`%${String(v).replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
            userId: ownedOrInvited,
          },
        })
        const page = await listTasks(ctx, {
          where: q.where,
          sort: q.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
        })
        return { items: page.items.map(out), nextCursor: page.nextCursor }
      },
    )
    app.get(
      '/api/v1/tasks/:id',
      {
        config: { permission: 'tasks.view' },
        schema: {
          tags,
          summary: 'One task (in the scope or invited), with participants and their answers',
          params: idParams,
          response: { 200: taskOut },
        },
      },
      async (req) => out(await getTask(ctxOf(req), req.params.id)),
    )
    app.post(
      '/api/v1/tasks',
      {
        config: { permission: 'tasks.create', idempotent: true },
        schema: {
          tags,
          summary: 'Create a task or meeting; participants are notified. Send Idempotency-Key when retrying.',
          body: taskBody,
          response: { 201: taskOut },
        },
      },
      async (req, reply) => reply.status(201).send(out(await createTask(ctxOf(req), req.body))),
    )
    app.patch(
      '/api/v1/tasks/:id',
      {
        config: { permission: 'tasks.edit' },
        schema: {
          tags,
          summary:
            'Change a task (send version; a stale one gets 409 with the current task). participantIds replaces the participants; new ones are notified',
          params: idParams,
          body: taskBody.partial().extend({ version: z.number().int() }),
          response: { 200: taskOut },
        },
      },
      async (req) => out(await updateTask(ctxOf(req), req.params.id, req.body)),
    )
    app.delete(
      '/api/v1/tasks/:id',
      {
        config: { permission: 'tasks.delete' },
        schema: { tags, summary: 'Delete a task (to the recycle bin)', params: idParams },
      },
      async (req, reply) => {
        await deleteTask(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
    for (const [action, status] of [
      ['complete', 'done'],
      ['reopen', 'open'],
    ] as const)
      app.post(
        `/api/v1/tasks/:id/${action}`,
        {
          config: { permission: 'tasks.edit' },
          schema: {
            tags,
            summary:
              action === 'complete'
                ? 'Mark a task done (optional version: a stale one gets 409)'
                : 'Reopen a done task (optional version: a stale one gets 409)',
            params: idParams,
            body: versionOnly,
            response: { 200: taskOut },
          },
        },
        async (req) => out(await setTaskStatus(ctxOf(req), req.params.id, status, req.body?.version)),
      )
    app.post(
      '/api/v1/tasks/:id/respond',
      {
        // Answering an invitation is open to whoever may see tasks at all.
        config: { permission: 'tasks.view' },
        schema: {
          tags,
          summary: 'Answer an invitation (participants only; 403 task_not_participant otherwise)',
          params: idParams,
          body: z.object({ response: z.enum(['accepted', 'declined', 'pending']) }),
          response: { 200: taskOut },
        },
      },
      async (req) => out(await respondToTask(ctxOf(req), req.params.id, req.body.response)),
    )
    app.get(
      '/api/v1/calendar',
      {
        config: { permission: 'tasks.view' },
        schema: {
          tags,
          summary: `Calendar: tasks and meetings the people own or take part in, and their follow-ups' next steps ('follow_up'), in [from, to) — at most ${MAX_CALENDAR_DAYS} days`,
          querystring: z.object({
            from: when,
            to: when,
            userIds: z
              .string()
              .max(4000)
              .optional()
              .describe('Comma-separated user ids (default: the caller)'),
          }),
          response: { 200: z.array(calendarEvent) },
        },
      },
      async (req) =>
        calendar(ctxOf(req), {
          from: req.query.from,
          to: req.query.to,
          userIds: req.query.userIds
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }),
    )
  },
}

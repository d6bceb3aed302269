import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { followUps } from '../../leads/followups.schema.js'
import { followUpsRepo } from '../../leads/followups.service.js'
import './messages.js'
import { taskParticipants, tasks } from './schema.js'
import { visibleTasks } from './service.js'
import { subjectNames } from './subjects.js'

/** Longest window one calendar request covers (a quarter). */
export const MAX_CALENDAR_DAYS = 92
/** Events per source at most (a full quarter of a busy team stays far below). */
const MAX_EVENTS = 2000

export interface CalendarQuery {
  from: string
  to: string
  /** Whose calendar (default: the caller's own). */
  userIds?: string[]
}

export interface CalendarEvent {
  id: string
  kind: 'task' | 'meeting' | 'call' | 'visit' | 'follow_up'
  title: string
  start: Date
  end: Date | null
  allDay: boolean
  status: string
  location: string | null
  subjectType: string | null
  subjectId: string | null
  subjectName: string | null
  ownerId: string | null
}

function checkWindow(q: CalendarQuery) {
  const from = new Date(q.from)
  const to = new Date(q.to)
  const errors: FieldError[] = []
  if (to <= from) errors.push({ field: 'to', code: 'ends_before_start' })
  else if (to.getTime() - from.getTime() > MAX_CALENDAR_DAYS * 86_400_000)
    errors.push({ field: 'to', code: 'range_too_long', params: { max: MAX_CALENDAR_DAYS } })
  const userIds = q.userIds ?? []
  userIds.forEach((id, i) => {
    if (!isUuid(id)) errors.push({ field: `userIds[${i}]`, code: 'invalid_user' })
  })
  if (errors.length) throw validationFailed(errors)
  return { from, to, userIds }
}

/**
 * The calendar of some people over a window: tasks and meetings they own or take part in (as far
 * as the caller sees them), and the next steps of their follow-ups (follow_ups.nextAt) as
 * 'follow_up' events, each with its subject's name, ordered by start.
 */
export async function calendar(ctx: Ctx, q: CalendarQuery): Promise<CalendarEvent[]> {
  const { from, to, userIds: asked } = checkWindow(q)
  const people = [...new Set(asked.length ? asked : ctx.actor.id ? [ctx.actor.id] : [])]
  if (!people.length) return []
  // Timed tasks overlapping the window, and tasks with only a due time falling in it.
  const inWindow = sql`((${tasks.startAt} < ${to} and coalesce(${tasks.endAt}, ${tasks.startAt}) >= ${from})
    or (${tasks.startAt} is null and ${tasks.dueAt} >= ${from} and ${tasks.dueAt} < ${to}))`
  const taskColumns = {
    id: tasks.id,
    kind: tasks.kind,
    title: tasks.title,
    startAt: tasks.startAt,
    endAt: tasks.endAt,
    dueAt: tasks.dueAt,
    allDay: tasks.allDay,
    status: tasks.status,
    location: tasks.location,
    subjectType: tasks.subjectType,
    subjectId: tasks.subjectId,
    ownerId: tasks.ownerId,
  }
  const owned = (where: SQL) =>
    ctx.db
      .select(taskColumns)
      .from(tasks)
      .where(and(visibleTasks(ctx), inWindow, where))
      .orderBy(asc(tasks.id))
      .limit(MAX_EVENTS)
  // Owned and invited are read apart, each along its own index (owner + time, participant).
  const [mine, invited, steps] = await Promise.all([
    owned(inArray(tasks.ownerId, people)),
    ctx.db
      .select(taskColumns)
      .from(taskParticipants)
      .innerJoin(
        tasks,
        and(eq(tasks.tenantId, taskParticipants.tenantId), eq(tasks.id, taskParticipants.taskId)),
      )
      .where(
        and(
          eq(taskParticipants.tenantId, ctx.actor.tenantId),
          inArray(taskParticipants.userId, people),
          visibleTasks(ctx),
          inWindow,
        ),
      )
      .limit(MAX_EVENTS),
    ctx.db
      .select({
        id: followUps.id,
        subjectType: followUps.subjectType,
        subjectId: followUps.subjectId,
        nextAt: followUps.nextAt,
        nextStep: followUps.nextStep,
        content: followUps.content,
        ownerId: followUps.ownerId,
        // Done once a later follow-up on the same subject restated the plan.
        // (Spelled out: drizzle leaves columns of the select list unqualified.)
        done: sql<boolean>`exists (select 1 from follow_ups g where g.tenant_id = follow_ups.tenant_id
          and g.subject_type = follow_ups.subject_type and g.subject_id = follow_ups.subject_id
          and (g.occurred_at, g.id) > (follow_ups.occurred_at, follow_ups.id))`,
      })
      .from(followUps)
      .where(
        and(
          followUpsRepo.visible(ctx),
          inArray(followUps.ownerId, people),
          sql`${followUps.nextAt} >= ${from} and ${followUps.nextAt} < ${to}`,
        ),
      )
      .limit(MAX_EVENTS),
  ])
  const taskRows = [...new Map([...mine, ...invited].map((t) => [t.id, t])).values()]
  const names = await subjectNames(ctx, [...taskRows, ...steps])
  const nameOf = (type: string | null, id: string | null) =>
    type && id ? (names.get(`${type}:${id}`) ?? null) : null
  const events: CalendarEvent[] = [
    ...taskRows.map((t) => ({
      id: t.id,
      kind: t.kind,
      title: t.title,
      start: (t.startAt ?? t.dueAt)!,
      end: t.startAt ? t.endAt : null,
      allDay: t.allDay,
      status: t.status,
      location: t.location,
      subjectType: t.subjectType,
      subjectId: t.subjectId,
      subjectName: nameOf(t.subjectType, t.subjectId),
      ownerId: t.ownerId,
    })),
    ...steps.map((f) => ({
      id: f.id,
      kind: 'follow_up' as const,
      title: f.nextStep || f.content.slice(0, 60),
      start: f.nextAt!,
      end: null,
      allDay: false,
      status: f.done ? 'done' : 'open',
      location: null,
      subjectType: f.subjectType,
      subjectId: f.subjectId,
      subjectName: nameOf(f.subjectType, f.subjectId),
      ownerId: f.ownerId,
    })),
  ]
  return events.sort((a, b) => new Date(a.start).getTime() - new Date(b.start).getTime())
}

import { and, asc, desc, eq, getTableColumns, inArray, notInArray, or, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import {
  createRepository,
  decodeCursor,
  encodeCursor,
  isUuid,
  scopeCondition,
} from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, type FieldError, notFound, validationFailed } from '../../../platform/http/errors.js'
import { placeRecord } from '../../../platform/org/placement.js'
import { users } from '../../../platform/org/schema.js'
import { contacts } from '../customers/schema.js'
import './messages.js'
import { sendAll, taskNotifier } from './notify.js'
import { type TASK_KINDS, type TASK_PRIORITIES, taskParticipants, tasks } from './schema.js'
import {
  inScope,
  loadSubject,
  SALES_SCOPES,
  type SubjectRef,
  subjectNames,
  type TaskSubjectType,
} from './subjects.js'

/**
 * Tasks and meetings (日程). A task is scoped like any owned record (owner, unit, org boundary);
 * besides, every participant sees it — through the list and get condition below, the one place
 * that decides who sees a task. Participants only read it and answer the invitation; changes
 * need the task in the caller's scope.
 */
export const TASK_SCOPE = { owner: tasks.ownerId, unit: tasks.unitId, org: tasks.orgId }
export const tasksRepo = createRepository({
  table: tasks,
  objectType: 'task',
  scope: TASK_SCOPE,
  sortable: ['createdAt', 'updatedAt', 'title'],
  label: (r) => String(r.title),
})

export type TaskRow = typeof tasks.$inferSelect
export type TaskResponse = 'pending' | 'accepted' | 'declined'

/** The caller was invited to the task (tasks is the outer table). */
const invited = (userId: string) =>
  sql`exists (select 1 from ${taskParticipants} where ${taskParticipants.tenantId} = ${tasks.tenantId}
    and ${taskParticipants.taskId} = ${tasks.id} and ${taskParticipants.userId} = ${userId})`

/** Who sees a task besides the tenant filter: its scope, or being a participant; undefined = all. */
export function taskVisibility(ctx: Ctx): SQL | undefined {
  const scope = scopeCondition(ctx, TASK_SCOPE)
  if (!scope || !ctx.actor.id || ctx.actor.type !== 'user') return scope
  return or(scope, invited(ctx.actor.id))
}
export const visibleTasks = (ctx: Ctx): SQL =>
  and(eq(tasks.tenantId, ctx.actor.tenantId), taskVisibility(ctx))!

export interface TaskInput {
  kind?: (typeof TASK_KINDS)[number]
  title?: string
  description?: string | null
  startAt?: string | Date | null
  endAt?: string | Date | null
  dueAt?: string | Date | null
  allDay?: boolean
  location?: string | null
  priority?: (typeof TASK_PRIORITIES)[number]
  subjectType?: TaskSubjectType | null
  subjectId?: string | null
  participantIds?: string[]
  contactIds?: string[]
  remindMinutesBefore?: number | null
  ownerId?: string | null
  unitId?: string
}

const TIME_FIELDS = ['startAt', 'endAt', 'dueAt'] as const
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null)

/** Active people of the workspace among `ids`. */
async function activeUsers(ctx: Ctx, ids: string[]): Promise<Set<string>> {
  const valid = ids.filter(isUuid)
  if (!valid.length) return new Set()
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, valid), eq(users.status, 'active')))
  return new Set(rows.map((r) => r.id))
}

/**
 * Checks and normalises what was sent (`current` when editing): every bad field is named, a
 * subject the caller cannot see is 404. Answers the columns to write and the participants, if sent.
 */
async function prepare(ctx: Ctx, input: TaskInput, current?: TaskRow) {
  const errors: FieldError[] = []
  const out: Partial<TaskRow> = {}
  const given = (k: keyof TaskInput) => input[k] !== undefined
  if (given('kind')) out.kind = input.kind!
  if (given('priority')) out.priority = input.priority!
  if (given('allDay')) out.allDay = input.allDay!
  if (given('title')) out.title = input.title!.trim()
  if (given('description')) out.description = input.description?.trim() || null
  if (given('location')) out.location = input.location?.trim() || null

  const time: Record<(typeof TIME_FIELDS)[number], Date | null> = { startAt: null, endAt: null, dueAt: null }
  for (const k of TIME_FIELDS) {
    time[k] = given(k) ? (input[k] ? new Date(input[k]!) : null) : (current?.[k] ?? null)
    if (given(k)) out[k] = time[k]
  }
  if (time.endAt && !time.startAt) errors.push({ field: 'startAt', code: 'required' })
  else if (time.endAt && time.startAt && time.endAt < time.startAt)
    errors.push({ field: 'endAt', code: 'ends_before_start' })
  const remind = given('remindMinutesBefore')
    ? (input.remindMinutesBefore ?? null)
    : (current?.remindMinutesBefore ?? null)
  if (given('remindMinutesBefore')) out.remindMinutesBefore = remind
  if (remind !== null && !time.startAt && !time.dueAt)
    errors.push({ field: 'remindMinutesBefore', code: 'task_reminder_needs_time' })
  // A new time or reminder is reminded of again (the notification's key carries the time).
  if (
    current &&
    (!sameTime(time.startAt, current.startAt) ||
      !sameTime(time.dueAt, current.dueAt) ||
      remind !== current.remindMinutesBefore)
  )
    out.remindedAt = null

  const subjectChanged = given('subjectType') || given('subjectId')
  const subjectType = given('subjectType') ? (input.subjectType ?? null) : (current?.subjectType ?? null)
  const subjectId = given('subjectId') ? (input.subjectId ?? null) : (current?.subjectId ?? null)
  let subject: SubjectRef | null = null
  if (subjectChanged) {
    if (subjectType && !subjectId) errors.push({ field: 'subjectId', code: 'required' })
    if (!subjectType && subjectId) errors.push({ field: 'subjectType', code: 'required' })
    // The subject must be one the caller sees: 404 otherwise, as for any record out of reach.
    if (subjectType && subjectId) subject = await loadSubject(ctx, subjectType, subjectId)
    out.subjectType = subjectType
    out.subjectId = subjectType ? subjectId : null
  }

  // Contacts taking part: people of the subject's customer.
  const contactList = given('contactIds') ? input.contactIds! : (current?.contactIds ?? [])
  if ((given('contactIds') || subjectChanged) && contactList.length) {
    if (!subject && subjectType && subjectId) subject = await loadSubject(ctx, subjectType, subjectId)
    const valid = contactList.filter(isUuid)
    const ok =
      subject?.customerId && valid.length
        ? await ctx.db
            .select({ id: contacts.id })
            .from(contacts)
            .where(
              and(
                eq(contacts.tenantId, ctx.actor.tenantId),
                eq(contacts.customerId, subject.customerId),
                inArray(contacts.id, valid),
              ),
            )
        : []
    const known = new Set(ok.map((c) => c.id))
    contactList.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `contactIds[${i}]`, code: 'task_contact_not_of_subject' })
    })
  }
  if (given('contactIds')) out.contactIds = [...new Set(contactList)]

  let participants: string[] | undefined
  if (given('participantIds')) {
    const known = await activeUsers(ctx, input.participantIds!)
    input.participantIds!.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `participantIds[${i}]`, code: 'invalid_user' })
    })
    participants = [...new Set(input.participantIds)]
  }

  if (!current || given('ownerId') || given('unitId')) {
    const ownerId = given('ownerId')
      ? (input.ownerId ?? null)
      : current
        ? current.ownerId
        : ctx.actor.type === 'user'
          ? ctx.actor.id
          : null
    const place = await placeRecord(ctx, ownerId, input.unitId, errors, '')
    if (place) Object.assign(out, { ownerId, ...place })
  }
  if (errors.length) throw validationFailed(errors)
  return { values: out, participants }
}

/** Makes the participants exactly `ids` (answers kept for those staying); returns who was added. */
async function setParticipants(ctx: Ctx, taskId: string, ids: string[]): Promise<string[]> {
  const t = ctx.actor.tenantId
  const mine = and(eq(taskParticipants.tenantId, t), eq(taskParticipants.taskId, taskId))
  await ctx.db
    .delete(taskParticipants)
    .where(and(mine, ids.length ? notInArray(taskParticipants.userId, ids) : undefined))
  if (!ids.length) return []
  const added = await ctx.db
    .insert(taskParticipants)
    .values(ids.map((userId) => ({ tenantId: t, taskId, userId })))
    .onConflictDoNothing()
    .returning({ userId: taskParticipants.userId })
  return added.map((a) => a.userId)
}

const participantIdsOf = async (ctx: Ctx, taskId: string) =>
  (
    await ctx.db
      .select({ userId: taskParticipants.userId })
      .from(taskParticipants)
      .where(and(eq(taskParticipants.tenantId, ctx.actor.tenantId), eq(taskParticipants.taskId, taskId)))
      .orderBy(asc(taskParticipants.userId))
  ).map((r) => r.userId)

/** Tells newly invited people (not the one inviting); once per person and task. */
async function notifyInvited(ctx: Ctx, task: TaskRow, userIds: string[]) {
  const to = userIds.filter((u) => u !== ctx.actor.id)
  if (!to.length) return
  const n = await taskNotifier(ctx, to)
  const note = { id: task.id, title: task.title, at: task.startAt ?? task.dueAt }
  await sendAll(
    ctx,
    to.map((u) => n.item(u, 'task_invite', note, `task_invite:${task.id}`, { owner: ctx.actor.name })),
  )
}

/** A task the caller sees (scope or participant), or 404. */
async function visibleTask(ctx: Ctx, id: string): Promise<TaskRow> {
  if (!isUuid(id)) throw notFound()
  const [row] = await ctx.db
    .select()
    .from(tasks)
    .where(and(visibleTasks(ctx), eq(tasks.id, id)))
  if (!row) throw notFound()
  return row
}

/** A task the caller may change (locked); a participant outside the scope gets 403 task_read_only. */
async function editableTask(ctx: Ctx, id: string): Promise<TaskRow> {
  try {
    return (await tasksRepo.get(ctx, id, { raw: true, forUpdate: true })) as TaskRow
  } catch (err) {
    if (err instanceof AppError && err.status === 404 && (await visibleTask(ctx, id).catch(() => null)))
      throw new AppError(403, 'task_read_only')
    throw err
  }
}

export async function createTask(ctx: Ctx, input: TaskInput & { title: string }) {
  return inTransaction(ctx, async (tx) => {
    const { values, participants = [] } = await prepare(tx, input)
    const [row] = (await tasksRepo.insert(tx, [{ ...values, createdBy: tx.actor.id }], {
      audit: false,
    })) as TaskRow[]
    const added = await setParticipants(tx, row!.id, participants)
    await writeAudit(tx, [
      {
        action: 'create',
        objectType: 'task',
        objectId: row!.id,
        summary: row!.title,
        after: { ...row, participantIds: participants },
      },
    ])
    await notifyInvited(tx, row!, added)
    return (await presentTasks(tx, [row!]))[0]!
  })
}

export async function updateTask(ctx: Ctx, id: string, patch: TaskInput & { version?: number }) {
  return inTransaction(ctx, async (tx) => {
    const { version, ...input } = patch
    const current = await editableTask(tx, id)
    const { values, participants } = await prepare(tx, input, current)
    const row = (await tasksRepo.update(tx, id, values, version)) as TaskRow
    if (participants) {
      const before = await participantIdsOf(tx, id)
      const added = await setParticipants(tx, id, participants)
      const after = await participantIdsOf(tx, id)
      if (before.join() !== after.join())
        await writeAudit(tx, [
          {
            action: 'update',
            objectType: 'task',
            objectId: id,
            summary: row.title,
            before: { participantIds: before },
            after: { participantIds: after },
          },
        ])
      await notifyInvited(tx, row, added)
    }
    return (await presentTasks(tx, [row]))[0]!
  })
}

/** Completes (done) or reopens (open) a task; already there is a no-op. */
export async function setTaskStatus(ctx: Ctx, id: string, status: 'done' | 'open', version?: number) {
  return inTransaction(ctx, async (tx) => {
    const current = await editableTask(tx, id)
    const row =
      current.status === status
        ? current
        : ((await tasksRepo.update(
            tx,
            id,
            { status, completedAt: status === 'done' ? new Date() : null },
            version,
          )) as TaskRow)
    return (await presentTasks(tx, [row]))[0]!
  })
}

export async function deleteTask(ctx: Ctx, id: string) {
  return inTransaction(ctx, async (tx) => {
    await editableTask(tx, id)
    return tasksRepo.remove(tx, [id])
  })
}

/** A participant answers the invitation; the owner is told. */
export async function respondToTask(ctx: Ctx, id: string, response: TaskResponse) {
  return inTransaction(ctx, async (tx) => {
    const task = await visibleTask(tx, id)
    const me = ctx.actor.id
    if (!me) throw new AppError(403, 'task_not_participant')
    const mine = and(
      eq(taskParticipants.tenantId, ctx.actor.tenantId),
      eq(taskParticipants.taskId, id),
      eq(taskParticipants.userId, me),
    )
    const [current] = await tx.db.select().from(taskParticipants).where(mine).for('update')
    if (!current) throw new AppError(403, 'task_not_participant')
    if (current.response !== response) {
      await tx.db.update(taskParticipants).set({ response }).where(mine)
      await writeAudit(tx, [
        {
          action: 'respond',
          objectType: 'task',
          objectId: id,
          summary: `${task.title}: ${response}`,
          before: { userId: me, response: current.response },
          after: { userId: me, response },
        },
      ])
      if (task.ownerId && task.ownerId !== me) {
        const n = await taskNotifier(tx, [task.ownerId])
        await sendAll(tx, [
          n.item(
            task.ownerId,
            'task_response',
            { id, title: task.title, at: task.startAt ?? task.dueAt },
            `task_response:${id}:${me}:${response}`,
            { name: ctx.actor.name, response: `@task_response_${response}` },
          ),
        ])
      }
    }
    return (await presentTasks(tx, [task]))[0]!
  })
}

export async function getTask(ctx: Ctx, id: string) {
  return (await presentTasks(ctx, [await visibleTask(ctx, id)]))[0]!
}

export interface TaskListQuery {
  where?: SQL
  sort?: { column: string; dir: 'asc' | 'desc' }
  limit?: number
  cursor?: string | null
}

/** Time sorts: a task without the time comes last (keyset on the time with the gaps filled in). */
const TIME_SORTS = { dueAt: tasks.dueAt, startAt: tasks.startAt } as const
const TIME_KEY = /^(-?infinity|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?)$/

export async function listTasks(ctx: Ctx, q: TaskListQuery) {
  const timeCol = q.sort ? TIME_SORTS[q.sort.column as keyof typeof TIME_SORTS] : undefined
  if (!timeCol) {
    // The repository's own scope would hide tasks the caller is invited to: the tenant filter stays,
    // and the visibility condition (scope or participant) replaces the scope.
    const page = await tasksRepo.list(ctx, {
      ...q,
      where: and(taskVisibility(ctx), q.where),
      bypassScope: true,
    })
    return { items: await presentTasks(ctx, page.items as TaskRow[]), nextCursor: page.nextCursor }
  }
  const asc_ = q.sort!.dir === 'asc'
  const key = sql`coalesce(${timeCol}, ${asc_ ? 'infinity' : '-infinity'}::timestamptz)`
  const limit = Math.min(Math.max(q.limit ?? 20, 1), 200)
  const cur = q.cursor ? decodeCursor(q.cursor) : null
  const after =
    cur && typeof cur[0] === 'string' && TIME_KEY.test(cur[0]) && typeof cur[1] === 'string' && isUuid(cur[1])
      ? sql`(${key}, ${tasks.id}) ${sql.raw(asc_ ? '>' : '<')} (${cur[0]}::timestamptz, ${cur[1]}::uuid)`
      : undefined
  const rows = await ctx.db
    .select({ ...getTableColumns(tasks), sortKey: sql<string>`${key}::text` })
    .from(tasks)
    .where(and(visibleTasks(ctx), q.where, after))
    .orderBy(...(asc_ ? [asc(key), asc(tasks.id)] : [desc(key), desc(tasks.id)]))
    .limit(limit + 1)
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  const last = items[items.length - 1]
  return {
    items: await presentTasks(
      ctx,
      items.map(({ sortKey: _s, ...r }) => r),
    ),
    nextCursor: more && last ? encodeCursor([last.sortKey, last.id]) : null,
  }
}

/** Tasks as the API shows them: participants with their answers, subject and contact names, owner. */
export async function presentTasks(ctx: Ctx, rows: TaskRow[]) {
  if (!rows.length) return []
  const t = ctx.actor.tenantId
  const ids = rows.map((r) => r.id)
  const contactIds = [...new Set(rows.flatMap((r) => r.contactIds ?? []))]
  const ownerIds = [...new Set(rows.map((r) => r.ownerId).filter((x): x is string => !!x))]
  const scope = scopeCondition(ctx, TASK_SCOPE)
  const [people, names, contactRows, owners, editable] = await Promise.all([
    ctx.db
      .select({
        taskId: taskParticipants.taskId,
        userId: taskParticipants.userId,
        response: taskParticipants.response,
        name: users.name,
      })
      .from(taskParticipants)
      .innerJoin(
        users,
        and(eq(users.tenantId, taskParticipants.tenantId), eq(users.id, taskParticipants.userId)),
      )
      .where(and(eq(taskParticipants.tenantId, t), inArray(taskParticipants.taskId, ids)))
      .orderBy(asc(users.name)),
    subjectNames(ctx, rows),
    contactIds.length
      ? ctx.db
          .select({ id: contacts.id, name: contacts.name })
          .from(contacts)
          .where(and(inScope(ctx, contacts.tenantId, SALES_SCOPES.contact), inArray(contacts.id, contactIds)))
      : [],
    ownerIds.length
      ? ctx.db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(and(eq(users.tenantId, t), inArray(users.id, ownerIds)))
      : [],
    scope
      ? ctx.db
          .select({ id: tasks.id })
          .from(tasks)
          .where(and(eq(tasks.tenantId, t), inArray(tasks.id, ids), scope))
      : rows.map((r) => ({ id: r.id })),
  ])
  const contactName = new Map(contactRows.map((c) => [c.id, c.name]))
  const ownerName = new Map(owners.map((o) => [o.id, o.name]))
  const canEdit = new Set(editable.map((e) => e.id))
  return rows.map(({ tenantId: _t, ...r }) => {
    const participants = people
      .filter((p) => p.taskId === r.id)
      .map((p) => ({ userId: p.userId, name: p.name, response: p.response }))
    return {
      ...r,
      contactIds: r.contactIds ?? [],
      subjectName:
        r.subjectType && r.subjectId ? (names.get(`${r.subjectType}:${r.subjectId}`) ?? null) : null,
      contacts: (r.contactIds ?? []).map((id) => ({ id, name: contactName.get(id) ?? null })),
      ownerName: r.ownerId ? (ownerName.get(r.ownerId) ?? null) : null,
      participants,
      myResponse: participants.find((p) => p.userId === ctx.actor.id)?.response ?? null,
      editable: canEdit.has(r.id),
    }
  })
}
export type TaskView = Awaited<ReturnType<typeof presentTasks>>[number]

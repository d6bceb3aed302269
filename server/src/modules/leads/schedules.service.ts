import { and, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { validationFailed } from '../../platform/http/errors.js'
import { users } from '../../platform/org/schema.js'
import { usersRepo } from '../../platform/org/users.service.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { sqlArray } from '../quality/bulk.js'
import { OPEN_STATUSES } from './moves.service.js'
import './routing.messages.js'
import { leaves, workSchedules } from './routing.schema.js'
import { leads } from './schema.js'

/**
 * Working hours and leave (请假) of the people leads are assigned to. A person without a schedule
 * row is always on duty: schedules are opt-in, so a workspace that never sets one still assigns.
 */
export const leavesRepo = createRepository({
  table: leaves,
  objectType: 'leave',
  sortable: ['startsAt', 'createdAt'],
  label: (r) => `${r.userId} ${new Date(r.startsAt as string).toISOString()}`,
})

export interface ScheduleInput {
  weekdays: number[]
  startMinute: number
  endMinute: number
}

const NO_USER = '00000000-0000-0000-0000-000000000000'

export const DEFAULT_SCHEDULE: ScheduleInput = {
  weekdays: [1, 2, 3, 4, 5],
  startMinute: 540,
  endMinute: 1080,
}

/** The user, or 404 when it is another workspace's or outside the caller's scope. */
async function visibleUser(ctx: Ctx, userId: string) {
  // Everyone may read their own; users are otherwise scoped by unit (a salesperson sees nobody).
  const own = userId === ctx.actor.id ? { ...ctx, actor: { ...ctx.actor, dataScope: 'all' as const } } : ctx
  return usersRepo.get(own, userId, { raw: true })
}

export async function getSchedule(ctx: Ctx, userId: string) {
  await visibleUser(ctx, userId)
  const [row] = await ctx.db
    .select()
    .from(workSchedules)
    .where(and(eq(workSchedules.tenantId, ctx.actor.tenantId), eq(workSchedules.userId, userId)))
  return row
    ? {
        userId,
        weekdays: row.weekdays,
        startMinute: row.startMinute,
        endMinute: row.endMinute,
        configured: true,
      }
    : { userId, ...DEFAULT_SCHEDULE, configured: false }
}

export async function putSchedule(ctx: Ctx, userId: string, input: ScheduleInput) {
  if (input.endMinute <= input.startMinute)
    throw validationFailed([{ field: 'endMinute', code: 'schedule_end_before_start' }])
  return inTransaction(ctx, async (tx) => {
    await visibleUser(tx, userId)
    const weekdays = [...new Set(input.weekdays)].sort()
    const values = {
      weekdays,
      startMinute: input.startMinute,
      endMinute: input.endMinute,
      updatedAt: new Date(),
    }
    const [before] = await tx.db
      .select()
      .from(workSchedules)
      .where(and(eq(workSchedules.tenantId, tx.actor.tenantId), eq(workSchedules.userId, userId)))
    await tx.db
      .insert(workSchedules)
      .values({ tenantId: tx.actor.tenantId, userId, ...values })
      .onConflictDoUpdate({ target: [workSchedules.tenantId, workSchedules.userId], set: values })
    await writeAudit(tx, [
      {
        action: before ? 'update' : 'create',
        objectType: 'work_schedule',
        objectId: userId,
        summary: `${weekdays.join(',')} ${input.startMinute}-${input.endMinute}`,
        before: before
          ? { weekdays: before.weekdays, startMinute: before.startMinute, endMinute: before.endMinute }
          : null,
        after: { weekdays, startMinute: input.startMinute, endMinute: input.endMinute },
      },
    ])
    return getSchedule(tx, userId)
  })
}

export async function listLeaves(ctx: Ctx, userId?: string) {
  if (userId) await visibleUser(ctx, userId)
  // Leaves of people the caller may see.
  const visibleUsers = ctx.db.select({ id: users.id }).from(users).where(usersRepo.visible(ctx))
  return ctx.db
    .select()
    .from(leaves)
    .where(
      and(
        leavesRepo.visible(ctx),
        userId
          ? eq(leaves.userId, userId)
          : or(inArray(leaves.userId, visibleUsers), eq(leaves.userId, ctx.actor.id ?? NO_USER)),
      ),
    )
    .orderBy(desc(leaves.startsAt))
    .limit(500)
}

export interface LeaveInput {
  userId: string
  startsAt: string
  endsAt: string
  reason?: string | null
}

export async function createLeave(ctx: Ctx, input: LeaveInput) {
  const startsAt = new Date(input.startsAt)
  const endsAt = new Date(input.endsAt)
  if (!(endsAt > startsAt)) throw validationFailed([{ field: 'endsAt', code: 'leave_end_before_start' }])
  return inTransaction(ctx, async (tx) => {
    await usersRepo.get(tx, input.userId).catch(() => {
      throw validationFailed([{ field: 'userId', code: 'invalid_user' }])
    })
    const [row] = await leavesRepo.insert(tx, [
      { userId: input.userId, startsAt, endsAt, reason: input.reason?.trim() || null },
    ])
    return row as typeof leaves.$inferSelect
  })
}

export async function deleteLeave(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const row = await leavesRepo.get(tx, id)
    // A leave of someone outside the caller's scope is not theirs to cancel.
    await visibleUser(tx, String(row.userId))
    await leavesRepo.remove(tx, [id])
  })
}

/** Weekday (1 = Monday … 7 = Sunday) and minute of the day of `at` in the workspace's time zone. */
export function localClock(at: Date, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1
  return { weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) }
}

export type Unavailable = 'disabled' | 'on_leave' | 'off_duty'

/**
 * Why each of `userIds` cannot take leads at `at` (absent from the map: available). Disabled and
 * unknown people never can; leave and working hours count when `respectSchedule` is on.
 */
export async function unavailability(
  ctx: Ctx,
  userIds: string[],
  at: Date,
  respectSchedule: boolean,
): Promise<Map<string, Unavailable>> {
  const out = new Map<string, Unavailable>()
  if (userIds.length === 0) return out
  const t = ctx.actor.tenantId
  const people = await ctx.db
    .select({ id: users.id, status: users.status, onLeave: users.onLeave })
    .from(users)
    .where(and(eq(users.tenantId, t), inArray(users.id, userIds)))
  const byId = new Map(people.map((p) => [p.id, p]))
  for (const id of userIds) {
    const p = byId.get(id)
    if (p?.status !== 'active') out.set(id, 'disabled')
    else if (respectSchedule && p.onLeave) out.set(id, 'on_leave')
  }
  if (!respectSchedule) return out
  const onLeave = await ctx.db
    .select({ userId: leaves.userId })
    .from(leaves)
    .where(
      and(
        eq(leaves.tenantId, t),
        inArray(leaves.userId, userIds),
        lte(leaves.startsAt, at),
        gt(leaves.endsAt, at),
      ),
    )
  for (const l of onLeave) if (!out.has(l.userId)) out.set(l.userId, 'on_leave')
  const schedules = await ctx.db
    .select()
    .from(workSchedules)
    .where(and(eq(workSchedules.tenantId, t), inArray(workSchedules.userId, userIds)))
  if (schedules.length === 0) return out
  const [tenant] = await ctx.db.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, t))
  const clock = localClock(at, tenant?.timezone ?? 'Asia/Shanghai')
  for (const s of schedules) {
    const onDuty =
      s.weekdays.includes(clock.weekday) && clock.minute >= s.startMinute && clock.minute < s.endMinute
    if (!onDuty && !out.has(s.userId)) out.set(s.userId, 'off_duty')
  }
  return out
}

/** Open leads held per person (capacity limits and least-loaded assignment). */
export async function openLeadCounts(ctx: Ctx, userIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>(userIds.map((id) => [id, 0]))
  if (userIds.length === 0) return out
  const rows = await ctx.db
    .select({ ownerId: leads.ownerId, n: sql<number>`count(*)::int` })
    .from(leads)
    .where(
      and(
        eq(leads.tenantId, ctx.actor.tenantId),
        sql`${leads.ownerId} = any(${sqlArray(userIds, 'uuid')})`,
        sql`${leads.status} = any(${sqlArray([...OPEN_STATUSES], 'text')})`,
      ),
    )
    .groupBy(leads.ownerId)
  for (const r of rows) out.set(r.ownerId!, Number(r.n))
  return out
}

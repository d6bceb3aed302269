import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import { translate } from '../../platform/i18n/messages.js'
import { notify } from '../../platform/notifications/service.js'
import { users } from '../../platform/org/schema.js'
import { usersRepo } from '../../platform/org/users.service.js'
import { localesOf } from './assignment.service.js'
import { followUps } from './followups.schema.js'
import { moveLeads } from './moves.service.js'
import { leadPoolMembers } from './pools.schema.js'
import './routing.messages.js'
import { type AssignmentMember, assignmentRules, handovers } from './routing.schema.js'
import { assignmentRulesRepo } from './routing-rules.service.js'
import { leads } from './schema.js'

/**
 * Work handover (工作移交): everything a person owns moves to another person, with a preview of
 * the counts, a reason and an audit trail. Each kind of thing is one step; customers,
 * opportunities and tasks add their own step when those modules exist.
 */
export const handoversRepo = createRepository({
  table: handovers,
  objectType: 'handover',
  sortable: ['createdAt'],
  label: (r) => `${r.fromUserId} → ${r.toUserId}`,
})

export interface HandoverRun {
  from: string
  to: string
  reason: string
  at: Date
}

export interface HandoverStep {
  /** Key in the counts: lead, followUpReminder, poolMembership, assignmentRule… */
  key: string
  count(ctx: Ctx, from: string, at: Date): Promise<number>
  /** Moves the things; returns how many moved. Runs inside the handover's transaction. */
  run(ctx: Ctx, run: HandoverRun): Promise<number>
}

const CHUNK = 5000

const ownedLeads = (ctx: Ctx, from: string) =>
  and(eq(leads.tenantId, ctx.actor.tenantId), eq(leads.ownerId, from))

const pendingReminders = (ctx: Ctx, from: string, at: Date) =>
  and(eq(followUps.tenantId, ctx.actor.tenantId), eq(followUps.ownerId, from), gt(followUps.nextAt, at))

const rulesWith = (ctx: Ctx, userId: string) =>
  and(
    eq(assignmentRules.tenantId, ctx.actor.tenantId),
    sql`${assignmentRules.members} @> ${JSON.stringify([{ userId }])}::jsonb`,
  )

const countOf = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0)

/** The steps, in order. Other modules append theirs with `registerHandoverStep`. */
export const HANDOVER_STEPS: HandoverStep[] = [
  {
    // Every lead the person owns, open and closed, through moveLeads (history + audit).
    key: 'lead',
    count: (ctx, from) =>
      countOf(ctx.db.select({ n: sql<number>`count(*)::int` }).from(leads).where(ownedLeads(ctx, from))),
    async run(ctx, r) {
      const ids = (await ctx.db.select({ id: leads.id }).from(leads).where(ownedLeads(ctx, r.from))).map(
        (l) => l.id,
      )
      let n = 0
      for (let i = 0; i < ids.length; i += CHUNK)
        n += (
          await moveLeads(
            ctx,
            ids.slice(i, i + CHUNK),
            { ownerId: r.to },
            { kind: 'handover', reason: r.reason },
          )
        ).length
      return n
    },
  },
  {
    // Follow-ups whose next step is still ahead: the reminder goes to the new person.
    key: 'followUpReminder',
    count: (ctx, from, at) =>
      countOf(
        ctx.db
          .select({ n: sql<number>`count(*)::int` })
          .from(followUps)
          .where(pendingReminders(ctx, from, at)),
      ),
    async run(ctx, r) {
      const rows = await ctx.db
        .update(followUps)
        .set({ ownerId: r.to, updatedAt: r.at, version: sql`${followUps.version} + 1` })
        .where(pendingReminders(ctx, r.from, r.at))
        .returning({ id: followUps.id, nextAt: followUps.nextAt })
      for (let i = 0; i < rows.length; i += CHUNK)
        await writeAudit(
          ctx,
          rows.slice(i, i + CHUNK).map((f) => ({
            action: 'handover',
            objectType: 'follow_up',
            objectId: f.id,
            summary: r.reason,
            before: { ownerId: r.from },
            after: { ownerId: r.to },
          })),
        )
      return rows.length
    },
  },
  {
    // Pool memberships: the new person takes the role (the higher one when already a member).
    key: 'poolMembership',
    count: (ctx, from) =>
      countOf(
        ctx.db
          .select({ n: sql<number>`count(*)::int` })
          .from(leadPoolMembers)
          .where(and(eq(leadPoolMembers.tenantId, ctx.actor.tenantId), eq(leadPoolMembers.userId, from))),
      ),
    async run(ctx, r) {
      const t = ctx.actor.tenantId
      const mine = await ctx.db
        .select()
        .from(leadPoolMembers)
        .where(and(eq(leadPoolMembers.tenantId, t), eq(leadPoolMembers.userId, r.from)))
      if (mine.length === 0) return 0
      await ctx.db
        .insert(leadPoolMembers)
        .values(mine.map((m) => ({ tenantId: t, poolId: m.poolId, userId: r.to, role: m.role })))
        .onConflictDoUpdate({
          target: [leadPoolMembers.tenantId, leadPoolMembers.poolId, leadPoolMembers.userId],
          set: {
            role: sql`case when ${leadPoolMembers.role} = 'admin' or excluded.role = 'admin' then 'admin' else 'member' end`,
          },
        })
      await ctx.db
        .delete(leadPoolMembers)
        .where(and(eq(leadPoolMembers.tenantId, t), eq(leadPoolMembers.userId, r.from)))
      await writeAudit(
        ctx,
        mine.map((m) => ({
          action: 'handover',
          objectType: 'lead_pool',
          objectId: m.poolId,
          summary: r.reason,
          before: { member: r.from, role: m.role },
          after: { member: r.to, role: m.role },
        })),
      )
      return mine.length
    },
  },
  {
    // Assignment rules: the new person takes the place (weight, capacity) in the rotation.
    key: 'assignmentRule',
    count: (ctx, from) =>
      countOf(
        ctx.db.select({ n: sql<number>`count(*)::int` }).from(assignmentRules).where(rulesWith(ctx, from)),
      ),
    async run(ctx, r) {
      const rules = await ctx.db.select().from(assignmentRules).where(rulesWith(ctx, r.from)).for('update')
      for (const rule of rules) {
        const hasTo = rule.members.some((m) => m.userId === r.to)
        const members: AssignmentMember[] = hasTo
          ? rule.members.filter((m) => m.userId !== r.from)
          : rule.members.map((m) => (m.userId === r.from ? { ...m, userId: r.to } : m))
        await assignmentRulesRepo.update(ctx, rule.id, { members })
      }
      return rules.length
    },
  },
]

export function registerHandoverStep(step: HandoverStep): void {
  if (!HANDOVER_STEPS.some((s) => s.key === step.key)) HANDOVER_STEPS.push(step)
}

export interface HandoverInput {
  fromUserId: string
  toUserId: string
  reason?: string
}

/** Both people must be in the caller's scope; the receiver active and someone else. */
async function checkPeople(ctx: Ctx, input: HandoverInput) {
  const errors: FieldError[] = []
  const from = await usersRepo.get(ctx, input.fromUserId, { raw: true }).catch(() => null)
  if (!from) errors.push({ field: 'fromUserId', code: 'invalid_user' })
  const to = await usersRepo.get(ctx, input.toUserId, { raw: true }).catch(() => null)
  if (!to) errors.push({ field: 'toUserId', code: 'invalid_user' })
  else if (to.status !== 'active') errors.push({ field: 'toUserId', code: 'routing_owner_inactive' })
  else if (input.toUserId === input.fromUserId) errors.push({ field: 'toUserId', code: 'routing_same_user' })
  if (errors.length) throw validationFailed(errors)
  return { from: from!, to: to! }
}

export async function previewHandover(ctx: Ctx, input: HandoverInput) {
  await checkPeople(ctx, input)
  const at = new Date()
  const counts: Record<string, number> = {}
  for (const step of HANDOVER_STEPS) counts[step.key] = await step.count(ctx, input.fromUserId, at)
  return { counts }
}

/** Runs every step in one transaction, records the handover with its counts and tells the receiver. */
export async function executeHandover(ctx: Ctx, input: HandoverInput & { reason: string }) {
  return inTransaction(ctx, async (tx) => {
    const { from } = await checkPeople(tx, input)
    const run: HandoverRun = {
      from: input.fromUserId,
      to: input.toUserId,
      reason: input.reason.trim(),
      at: new Date(),
    }
    const counts: Record<string, number> = {}
    for (const step of HANDOVER_STEPS) counts[step.key] = await step.run(tx, run)
    const [row] = await handoversRepo.insert(tx, [
      { fromUserId: run.from, toUserId: run.to, reason: run.reason, counts, createdBy: tx.actor.id },
    ])
    const locale = (await localesOf(tx, [run.to])).get(run.to)!
    await notify(tx, [
      {
        userId: run.to,
        kind: 'handover',
        title: translate('notify_handover_title', locale, {
          from: String(from.name),
          count: counts.lead ?? 0,
        }),
        link: '/leads',
        subjectType: 'handover',
        subjectId: String(row!.id),
        dedupeKey: `handover:${row!.id}`,
      },
    ])
    return presentHandovers(tx, [row as typeof handovers.$inferSelect]).then((r) => r[0]!)
  })
}

async function presentHandovers(ctx: Ctx, rows: (typeof handovers.$inferSelect)[]) {
  const ids = [
    ...new Set(rows.flatMap((r) => [r.fromUserId, r.toUserId, r.createdBy].filter((x): x is string => !!x))),
  ]
  const names = ids.length
    ? await ctx.db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, ids)))
    : []
  const nameOf = new Map(names.map((n) => [n.id, n.name]))
  return rows.map((r) => ({
    id: r.id,
    fromUserId: r.fromUserId,
    fromUserName: nameOf.get(r.fromUserId) ?? null,
    toUserId: r.toUserId,
    toUserName: nameOf.get(r.toUserId) ?? null,
    reason: r.reason,
    counts: r.counts,
    createdBy: r.createdBy,
    createdByName: r.createdBy ? (nameOf.get(r.createdBy) ?? null) : null,
    createdAt: r.createdAt,
  }))
}

/** Handovers involving people the caller may see, newest first. */
export async function listHandovers(ctx: Ctx, opts: { userId?: string; limit?: number } = {}) {
  const visibleUsers = ctx.db.select({ id: users.id }).from(users).where(usersRepo.visible(ctx))
  const rows = await ctx.db
    .select()
    .from(handovers)
    .where(
      and(
        handoversRepo.visible(ctx),
        sql`(${inArray(handovers.fromUserId, visibleUsers)} or ${inArray(handovers.toUserId, visibleUsers)})`,
        opts.userId
          ? sql`(${handovers.fromUserId} = ${opts.userId} or ${handovers.toUserId} = ${opts.userId})`
          : undefined,
      ),
    )
    .orderBy(desc(handovers.createdAt), desc(handovers.id))
    .limit(Math.min(Math.max(opts.limit ?? 50, 1), 200))
  return presentHandovers(ctx, rows)
}

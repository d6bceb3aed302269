import { and, asc, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { inTransaction } from '../../platform/db/tx.js'
import { notFound, validationFailed } from '../../platform/http/errors.js'
import { LOCALES, type Locale, translate } from '../../platform/i18n/messages.js'
import { notify } from '../../platform/notifications/service.js'
import { orgUnits, users } from '../../platform/org/schema.js'
import { unitInScope } from '../../platform/org/units.service.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { sqlArray } from '../quality/bulk.js'
import { conditionsSql } from './conditions.js'
import { distributeLeads, groupPush, idsSql, poolIndex, setRoutingNotes } from './distribution.service.js'
import { moveLeads, OPEN_STATUSES } from './moves.service.js'
import './routing.messages.js'
import { assignmentRules } from './routing.schema.js'
import { type AssignmentRule, listAssignmentRules } from './routing-rules.service.js'
import { openLeadCounts, type Unavailable, unavailability } from './schedules.service.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'
import { getLeadSettings } from './settings.service.js'

/**
 * Assignment (分配, PL-5): enabled rules in order give unowned open leads to people. A rule takes
 * the leads of its pool (any non-public pool when it names none) that match its conditions and
 * shares them among its members who are in the lead's org, active, on duty (respectSchedule) and
 * under their capacity, by round robin, smooth weighted round robin or least loaded. Leads it
 * cannot place fall through to the next rule; a lead no rule places stays in its pool with a
 * routing note saying why.
 *
 * Set-based for large batches: leads are matched per rule in SQL, picks are computed in memory,
 * and leads move once per (person, rule). The rule row is locked by its cursor update before loads
 * are read, so concurrent assigners take turns and never double-pick a slot.
 */

type Member = { userId: string; weight: number; capacity: number | null; orgId: string | null }
const MAX_WEIGHT_PERIOD = 100_000

/** Smooth weighted round robin (nginx): the member index at each position of one period. */
export function smoothWeightedSequence(weights: number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0)
  const current = weights.map(() => 0)
  const seq: number[] = []
  for (let t = 0; t < total; t++) {
    let best = 0
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!
      if (current[i]! > current[best]!) best = i
    }
    current[best]! -= total
    seq.push(best)
  }
  return seq
}

/** Weighted rotation over one period of the weights (plain rotation if absurdly long). */
const isWeighted = (strategy: string, members: Member[]) =>
  strategy === 'weighted' && members.reduce((s, m) => s + m.weight, 0) <= MAX_WEIGHT_PERIOD
/** Positions before the rotation repeats: the cursor is kept below it. */
const periodOf = (strategy: string, members: Member[]) =>
  Math.max(1, isWeighted(strategy, members) ? members.reduce((s, m) => s + m.weight, 0) : members.length)

interface Slots {
  /** Index into the rule's members, or -1 when nobody can take another lead. */
  pick(): number
  /** How far the rotation moved (the cursor advance). */
  advanced(): number
}

/**
 * The picker of one rule for one batch: `eligible[i]` says whether member i may take leads,
 * `room[i]` how many more (Infinity when unlimited), `load[i]` the open leads held.
 */
function slots(
  strategy: string,
  members: Member[],
  cursor: number,
  eligible: boolean[],
  room: number[],
  load: number[],
): Slots {
  const n = members.length
  let pos = cursor
  const take = (i: number) => {
    room[i]! -= 1
    load[i]! += 1
    return i
  }
  if (strategy === 'least_loaded')
    return {
      pick() {
        let best = -1
        for (let i = 0; i < n; i++)
          if (eligible[i] && room[i]! > 0 && (best < 0 || load[i]! < load[best]!)) best = i
        return best < 0 ? -1 : take(best)
      },
      advanced: () => 0,
    }
  const order = isWeighted(strategy, members)
    ? smoothWeightedSequence(members.map((m) => m.weight))
    : members.map((_, i) => i)
  const period = order.length
  return {
    pick() {
      for (let k = 0; k < period; k++) {
        const i = order[(pos + k) % period]!
        if (eligible[i] && room[i]! > 0) {
          pos += k + 1
          return take(i)
        }
      }
      return -1
    },
    advanced: () => pos - cursor,
  }
}

const REASON_TEXT: Record<Unavailable | 'at_capacity', string> = {
  disabled: 'disabled',
  on_leave: 'on leave',
  off_duty: 'off duty',
  at_capacity: 'at capacity',
}

/** Why a rule could not place a lead: 'no_eligible_assignee: rule "X": 2 on leave, 1 at capacity'. */
function noAssigneeNote(
  rule: AssignmentRule,
  members: Member[],
  orgId: string,
  why: Map<string, Unavailable>,
  room: number[],
) {
  const inOrg = members.map((m, i) => ({ m, i })).filter(({ m }) => m.orgId === orgId)
  if (members.length === 0) return `no_eligible_assignee: rule "${rule.name}" has no members`
  if (inOrg.length === 0)
    return `no_eligible_assignee: rule "${rule.name}": no member belongs to the lead's organisation`
  const counts = new Map<string, number>()
  for (const { m, i } of inOrg) {
    const r = why.get(m.userId) ?? (room[i]! <= 0 ? 'at_capacity' : null)
    if (r) counts.set(REASON_TEXT[r], (counts.get(REASON_TEXT[r]) ?? 0) + 1)
  }
  const parts = [...counts].map(([k, n]) => `${n} ${k}`)
  return `no_eligible_assignee: rule "${rule.name}": all members disabled, on leave, off duty or at capacity (${parts.join(', ')})`
}

export interface AssignmentOutcome {
  /** Lead id → new owner. */
  assigned: Map<string, string>
  /** Lead id → why it stays unassigned (a rule matched but could not place it). */
  notes: Map<string, string>
}

/**
 * Runs the enabled assignment rules over those of `leadIds` that are unowned and open, moving each
 * placed lead to its person (history, audit) and notifying every person once with the count.
 * With no rules nothing happens. Idempotent: leads already owned are left alone.
 */
export async function assignLeads(
  ctx: Ctx,
  leadIds: string[],
  opts: { at?: Date } = {},
): Promise<AssignmentOutcome> {
  const out: AssignmentOutcome = { assigned: new Map(), notes: new Map() }
  if (leadIds.length === 0) return out
  return inTransaction(ctx, async (tx) => {
    const rules = (await listAssignmentRules(tx)).filter((r) => r.enabled)
    if (rules.length === 0) return out
    const t = tx.actor.tenantId
    const at = opts.at ?? new Date()
    const pools = await poolIndex(tx)
    // Locked: a concurrent assigner waits, then finds these leads owned and skips them.
    const candidates = await tx.db
      .select({ id: leads.id, note: leads.routingNote })
      .from(leads)
      .where(
        and(
          eq(leads.tenantId, t),
          idsSql([...new Set(leadIds)]),
          isNull(leads.ownerId),
          sql`${leads.status} = any(${sqlArray([...OPEN_STATUSES], 'text')})`,
        ),
      )
      .orderBy(asc(leads.id))
      .for('update')
    let remaining = candidates.map((c) => c.id)
    /** Leads picked in this batch per person (they count towards capacity and load). */
    const batchLoad = new Map<string, number>()
    const picks = new Map<string, { ruleId: string; ownerId: string; ids: string[] }>()

    for (const rule of rules) {
      if (remaining.length === 0) break
      if (rule.poolId && !pools.byId.has(rule.poolId)) continue
      const poolCond = rule.poolId
        ? eq(leads.poolId, rule.poolId)
        : pools.publicIds.length
          ? or(isNull(leads.poolId), notInArray(leads.poolId, pools.publicIds))
          : undefined
      const matched = await tx.db
        .select({ id: leads.id, orgId: leads.orgId })
        .from(leads)
        .where(and(eq(leads.tenantId, t), idsSql(remaining), poolCond, conditionsSql(rule.conditions)))
        .orderBy(asc(leads.createdAt), asc(leads.id))
      if (matched.length === 0) continue

      // The cursor update locks the rule row first: loads read after it include a concurrent
      // assigner's committed picks.
      const [locked] = await tx.db
        .update(assignmentRules)
        .set({ cursor: sql`${assignmentRules.cursor}` })
        .where(and(eq(assignmentRules.tenantId, t), eq(assignmentRules.id, rule.id)))
        .returning({ cursor: assignmentRules.cursor })
      const members = await membersOf(tx, rule)
      const ids = members.map((m) => m.userId)
      const why = await unavailability(tx, ids, at, rule.respectSchedule)
      const held = await openLeadCounts(tx, ids)
      const load = members.map((m) => (held.get(m.userId) ?? 0) + (batchLoad.get(m.userId) ?? 0))
      const room = members.map((m, i) =>
        m.capacity === null ? Number.POSITIVE_INFINITY : m.capacity - load[i]!,
      )
      const available = members.map((m) => !why.has(m.userId))
      const placed = new Set<string>()
      let cursor = locked?.cursor ?? 0
      // Members only take leads of their own org: assignment never crosses an org boundary.
      const byOrg = new Map<string, string[]>()
      for (const l of matched) groupPush(byOrg, l.orgId, l.id)
      for (const [orgId, orgLeads] of byOrg) {
        const eligible = members.map((m, i) => available[i]! && m.orgId === orgId)
        const picker = slots(rule.strategy, members, cursor, eligible, room, load)
        for (const leadId of orgLeads) {
          const i = picker.pick()
          if (i < 0) {
            const note = noAssigneeNote(rule, members, orgId, why, room)
            for (const rest of orgLeads.filter((id) => !placed.has(id)))
              if (!out.notes.has(rest)) out.notes.set(rest, note)
            break
          }
          const userId = members[i]!.userId
          placed.add(leadId)
          batchLoad.set(userId, (batchLoad.get(userId) ?? 0) + 1)
          const key = `${rule.id}|${userId}`
          const group = picks.get(key) ?? { ruleId: rule.id, ownerId: userId, ids: [] }
          group.ids.push(leadId)
          picks.set(key, group)
        }
        cursor += picker.advanced()
      }
      if (cursor !== (locked?.cursor ?? 0))
        await tx.db
          .update(assignmentRules)
          .set({ cursor: cursor % periodOf(rule.strategy, members) })
          .where(and(eq(assignmentRules.tenantId, t), eq(assignmentRules.id, rule.id)))
      remaining = remaining.filter((id) => !placed.has(id))
    }

    // One move per (rule, person): history and audit per lead, in sets.
    for (const g of picks.values()) {
      await moveLeads(tx, g.ids, { ownerId: g.ownerId }, { kind: 'assign', ruleId: g.ruleId })
      for (const id of g.ids) {
        out.assigned.set(id, g.ownerId)
        out.notes.delete(id)
      }
    }
    // Notes change only where they differ: placed leads that had one lose it.
    const noted = new Set(candidates.filter((c) => c.note !== null).map((c) => c.id))
    await setRoutingNotes(
      tx,
      new Map<string, string | null>([
        ...[...out.assigned.keys()].filter((id) => noted.has(id)).map((id) => [id, null] as const),
        ...out.notes,
      ]),
    )
    await notifyAssigned(tx, out.assigned)
    return out
  })
}

/** The rule's members with their org (people deleted since the rule was saved are dropped). */
async function membersOf(ctx: Ctx, rule: AssignmentRule): Promise<Member[]> {
  const ids = rule.members.map((m) => m.userId)
  if (ids.length === 0) return []
  const rows = await ctx.db
    .select({ id: users.id, orgId: orgUnits.orgId })
    .from(users)
    .innerJoin(orgUnits, and(eq(orgUnits.tenantId, users.tenantId), eq(orgUnits.id, users.unitId)))
    .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, ids)))
  const orgOf = new Map(rows.map((r) => [r.id, r.orgId]))
  return rule.members.map((m) => ({
    userId: m.userId,
    weight: Math.max(1, Math.floor(m.weight ?? 1)),
    capacity: m.capacity ?? null,
    orgId: orgOf.get(m.userId) ?? null,
  }))
}

/** One in-app notification per person per batch, with the count, in the person's language. */
export async function notifyAssigned(ctx: Ctx, assigned: Map<string, string>, exceptUserId?: string | null) {
  const perUser = new Map<string, string[]>()
  for (const [leadId, userId] of assigned) if (userId !== exceptUserId) groupPush(perUser, userId, leadId)
  if (perUser.size === 0) return
  const locales = await localesOf(ctx, [...perUser.keys()])
  const batch = crypto.randomUUID()
  await notify(
    ctx,
    [...perUser].map(([userId, ids]) => {
      const locale = locales.get(userId)!
      return {
        userId,
        kind: 'assigned',
        title: translate('notify_assigned_title', locale, { count: ids.length }),
        body: translate('notify_assigned_body', locale),
        link: ids.length === 1 ? `/leads/${ids[0]}` : '/leads',
        subjectType: 'lead',
        subjectId: ids.length === 1 ? ids[0] : null,
        dedupeKey: `assigned:${batch}`,
      }
    }),
  )
}

/** Each person's language, else the workspace's. */
export async function localesOf(ctx: Ctx, userIds: string[]): Promise<Map<string, Locale>> {
  const [ws] = await ctx.db
    .select({ locale: tenants.locale })
    .from(tenants)
    .where(eq(tenants.id, ctx.actor.tenantId))
  const valid = (l: string | null | undefined): l is Locale =>
    (LOCALES as readonly string[]).includes(l ?? '')
  const fallback: Locale = valid(ws?.locale) ? ws.locale : 'zh-CN'
  const rows = await ctx.db
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, userIds)))
  const out = new Map<string, Locale>(userIds.map((id) => [id, fallback]))
  for (const r of rows) if (valid(r.locale)) out.set(r.id, r.locale)
  return out
}

/**
 * Manual and bulk (re)assignment: every lead must be in the caller's scope (else 404), the new
 * owner an active person whose unit is in the caller's scope (else 400 naming ownerId). Capacity
 * and schedules do not apply: a person decided.
 */
export async function assignManually(
  ctx: Ctx,
  input: { ids: string[]; ownerId: string; reason?: string | null },
) {
  return inTransaction(ctx, async (tx) => {
    const ids = [...new Set(input.ids)]
    const found = await leadsRepo.findMany(tx, ids, { raw: true, forUpdate: true })
    if (found.length !== ids.length) throw notFound()
    const [owner] = await tx.db
      .select({ id: users.id, unitId: users.unitId, status: users.status })
      .from(users)
      .where(and(eq(users.tenantId, tx.actor.tenantId), eq(users.id, input.ownerId)))
    if (!owner || !(await unitInScope(tx, owner.unitId)))
      throw validationFailed([{ field: 'ownerId', code: 'invalid_user' }])
    if (owner.status !== 'active')
      throw validationFailed([{ field: 'ownerId', code: 'routing_owner_inactive' }])
    const moved = await moveLeads(
      tx,
      ids,
      { ownerId: owner.id },
      { kind: 'assign', reason: input.reason ?? null },
    )
    await setRoutingNotes(tx, new Map(ids.map((id) => [id, null])))
    // Leads the new owner already had are no news to them.
    const changed = found
      .filter((l) => l.ownerId !== owner.id)
      .map((l) => [l.id as string, owner.id] as const)
    await notifyAssigned(tx, new Map(changed), tx.actor.id)
    return moved
  })
}

const NO_DISTRIBUTION_RULE = 'no_distribution_rule: no distribution rule matched this lead'

export interface RouteResult {
  id: string
  poolId: string | null
  orgId: string
  ownerId: string | null
  note: string | null
}

/**
 * Distribution then assignment for `leadIds` (arrival, manual "route now"). `distribute` and
 * `assign` follow the workspace settings on arrival; a manual run does both. Writes the routing
 * note of each lead the rules considered: why it stays where it is, or nothing once placed.
 */
export async function routeLeads(
  ctx: Ctx,
  leadIds: string[],
  opts: { distribute: boolean; assign: boolean },
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const d = opts.distribute ? await distributeLeads(tx, leadIds) : undefined
    const a = opts.assign ? await assignLeads(tx, leadIds) : undefined
    if (!d) return
    // assignLeads wrote the notes of the leads it considered; the rest carry distribution's word.
    const decided = (id: string) => a?.assigned.has(id) || a?.notes.has(id)
    const notes = new Map<string, string | null>()
    for (const id of d.unmatched) if (!decided(id)) notes.set(id, NO_DISTRIBUTION_RULE)
    for (const id of [...d.moved.keys(), ...d.pooled.keys()]) if (!decided(id)) notes.set(id, null)
    await setRoutingNotes(tx, notes)
  })
}

/** Routing on arrival ('lead.created'), as the workspace settings say. */
export async function routeArrivals(ctx: Ctx, leadIds: string[]): Promise<void> {
  const settings = await getLeadSettings(ctx)
  if (!settings.autoDistribute && !settings.autoAssign) return
  await routeLeads(ctx, leadIds, { distribute: settings.autoDistribute, assign: settings.autoAssign })
}

/** "Route now" for leads of the caller's scope (else 404): distribution, then assignment. */
export async function autoRoute(ctx: Ctx, ids: string[]): Promise<RouteResult[]> {
  return inTransaction(ctx, async (tx) => {
    const unique = [...new Set(ids)]
    const found = await leadsRepo.findMany(tx, unique, { raw: true })
    if (found.length !== unique.length) throw notFound()
    await routeLeads(tx, unique, { distribute: true, assign: true })
    // Read without scope: a rule may have moved a lead beyond the caller's scope, and they asked.
    const rows = await tx.db
      .select({
        id: leads.id,
        poolId: leads.poolId,
        orgId: leads.orgId,
        ownerId: leads.ownerId,
        note: leads.routingNote,
      })
      .from(leads)
      .where(and(eq(leads.tenantId, tx.actor.tenantId), idsSql(unique)))
    const byId = new Map(rows.map((r) => [r.id, r]))
    return unique.map((id) => byId.get(id)!).filter(Boolean)
  })
}

/** After a manual distribution the leads arrive in their new pool: its assignment rules apply (autoAssign). */
export async function assignAfterDistribution(ctx: Ctx, leadIds: string[]): Promise<void> {
  const settings = await getLeadSettings(ctx)
  if (settings.autoAssign) await routeLeads(ctx, leadIds, { distribute: false, assign: true })
}

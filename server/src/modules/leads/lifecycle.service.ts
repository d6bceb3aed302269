import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../platform/access/actor.js'
import { isUuid } from '../../platform/access/data-access.js'
import { writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { notFound, validationFailed } from '../../platform/http/errors.js'
import { users } from '../../platform/org/schema.js'
import { unitInScope } from '../../platform/org/units.service.js'
import { moveLeads } from './moves.service.js'
import './pools.messages.js'
import { leadCollaborators, leadMoves } from './pools.schema.js'
import { visiblePools } from './pools.service.js'
import { type LEAD_STATUSES, leadsRepo, publishLeadUpdated } from './service.js'
import { checkStatus, isTerminalWithReason } from './status.rules.js'

export type LeadStatus = (typeof LEAD_STATUSES)[number]

/** Changes the status of a lead in the caller's scope, with history (lead_moves) and audit. */
export async function changeStatus(
  ctx: Ctx,
  id: string,
  status: LeadStatus,
  closeReason?: string | null,
): Promise<Record<string, unknown>> {
  return inTransaction(ctx, async (tx) => {
    const lead = await leadsRepo.get(tx, id, { forUpdate: true, raw: true })
    await checkStatus(tx, lead.ownerId, status, closeReason)
    const terminal = isTerminalWithReason(status)
    if (lead.status !== status || (terminal && lead.closeReason !== closeReason))
      await moveLeads(
        tx,
        [id],
        { status, closeReason: terminal ? closeReason : null },
        // The history shows why a lead was closed, as it shows why one was released.
        { kind: 'status', reason: terminal ? closeReason : null },
      )
    await publishLeadUpdated(tx, [id])
    return leadsRepo.get(tx, id)
  })
}

/**
 * Moves leads of the caller's scope into another pool they work in or manage. Pools of another
 * org boundary are refused: moving leads between orgs is distribution, with its own rules.
 * Into a public pool the leads lose their owner and wait to be claimed there.
 */
export async function moveToPool(ctx: Ctx, ids: string[], poolId: string): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const unique = [...new Set(ids)]
    if (!unique.every(isUuid)) throw notFound()
    const found = await leadsRepo.findMany(tx, unique, { raw: true })
    if (found.length !== unique.length) throw notFound()
    // A pool the caller works in or administers, or one of their data scope (a manager's sub-pools).
    const pool = (await visiblePools(tx)).find((p) => p.id === poolId)
    if (!pool || (pool.myRole === 'viewer' && !(await unitInScope(tx, pool.unitId))))
      throw validationFailed([{ field: 'poolId', code: 'invalid_pool' }])
    if (found.some((l) => l.orgId !== pool.orgId))
      throw validationFailed([{ field: 'poolId', code: 'cross_org_move' }])
    const to = pool.kind === 'public' ? { poolId, ownerId: null, unitId: pool.unitId } : { poolId }
    const moved = await moveLeads(tx, unique, to, { kind: 'pool' })
    return moved.length
  })
}

/** Replaces the collaborators (协作人) of a lead in the caller's scope. */
export async function setCollaborators(ctx: Ctx, leadId: string, userIds: string[]): Promise<string[]> {
  return inTransaction(ctx, async (tx) => {
    const lead = await leadsRepo.get(tx, leadId, { forUpdate: true, raw: true })
    const tenant = tx.actor.tenantId
    const ids = [...new Set(userIds)]
    const known = ids.length
      ? new Set(
          (
            await tx.db
              .select({ id: users.id })
              .from(users)
              .where(and(eq(users.tenantId, tenant), inArray(users.id, ids)))
          ).map((u) => u.id),
        )
      : new Set<string>()
    const errors = ids.flatMap((id) =>
      known.has(id) ? [] : [{ field: `userIds[${userIds.indexOf(id)}]`, code: 'invalid_user' }],
    )
    if (errors.length) throw validationFailed(errors)
    const before = await collaboratorsOf(tx, leadId)
    await tx.db
      .delete(leadCollaborators)
      .where(and(eq(leadCollaborators.tenantId, tenant), eq(leadCollaborators.leadId, leadId)))
    if (ids.length)
      await tx.db
        .insert(leadCollaborators)
        .values(ids.map((userId) => ({ tenantId: tenant, leadId, userId })))
    const after = await collaboratorsOf(tx, leadId)
    if (before.join() !== after.join())
      await writeAudit(tx, [
        {
          action: 'collaborators',
          objectType: 'lead',
          objectId: leadId,
          summary: String(lead.name),
          before: { collaborators: before },
          after: { collaborators: after },
        },
      ])
    return after
  })
}

export async function collaboratorsOf(ctx: Ctx, leadId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ userId: leadCollaborators.userId })
    .from(leadCollaborators)
    .where(and(eq(leadCollaborators.tenantId, ctx.actor.tenantId), eq(leadCollaborators.leadId, leadId)))
    .orderBy(asc(leadCollaborators.userId))
  return rows.map((r) => r.userId)
}

/** The history of a lead in the caller's scope, newest first, with the actor's name (null: the system). */
export async function leadHistory(ctx: Ctx, leadId: string) {
  await leadsRepo.get(ctx, leadId)
  const actor = alias(users, 'actor')
  return ctx.db
    .select({
      id: leadMoves.id,
      kind: leadMoves.kind,
      at: leadMoves.at,
      actorId: leadMoves.actorId,
      actorName: actor.name,
      fromPoolId: leadMoves.fromPoolId,
      toPoolId: leadMoves.toPoolId,
      fromOrgId: leadMoves.fromOrgId,
      toOrgId: leadMoves.toOrgId,
      fromOwnerId: leadMoves.fromOwnerId,
      toOwnerId: leadMoves.toOwnerId,
      fromStatus: leadMoves.fromStatus,
      toStatus: leadMoves.toStatus,
      reason: leadMoves.reason,
    })
    .from(leadMoves)
    .leftJoin(actor, and(eq(actor.tenantId, leadMoves.tenantId), eq(actor.id, leadMoves.actorId)))
    .where(and(eq(leadMoves.tenantId, ctx.actor.tenantId), eq(leadMoves.leadId, leadId)))
    .orderBy(desc(leadMoves.at), desc(leadMoves.id))
}

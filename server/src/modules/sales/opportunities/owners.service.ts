import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { type FieldError, notFound, validationFailed } from '../../../platform/http/errors.js'
import { translate } from '../../../platform/i18n/messages.js'
import { notify } from '../../../platform/notifications/service.js'
import { placeRecord } from '../../../platform/org/placement.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { localesOf } from '../../leads/assignment.service.js'
import { registerHandoverStep } from '../../leads/handover.service.js'
import './messages.js'
import { opportunities } from './schema.js'
import { opportunitiesRepo } from './service.js'

const CHUNK = 5000

interface NewOwner {
  id: string
  unitId: string
  orgId: string
}

/**
 * Moves the opportunities `where` selects to a new owner, set-based: the owner's unit and org
 * boundary come along (the new owner's team sees them), the version moves on, and each one gets
 * an audit entry with the owner and unit before and after. Returns the moved ids.
 */
async function moveOwner(ctx: Ctx, where: SQL, to: NewOwner, action: string, summary?: string) {
  const before = await ctx.db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      ownerId: opportunities.ownerId,
      unitId: opportunities.unitId,
    })
    .from(opportunities)
    .where(where)
    .for('update')
  if (before.length === 0) return []
  const ids = before.map((r) => r.id)
  // In chunks: a statement carries at most 65,535 parameters.
  for (let i = 0; i < before.length; i += CHUNK) {
    const chunk = before.slice(i, i + CHUNK)
    await ctx.db
      .update(opportunities)
      .set({
        ownerId: to.id,
        unitId: to.unitId,
        orgId: to.orgId,
        updatedAt: new Date(),
        version: sql`${opportunities.version} + 1`,
      })
      .where(
        and(
          eq(opportunities.tenantId, ctx.actor.tenantId),
          inArray(
            opportunities.id,
            chunk.map((r) => r.id),
          ),
        ),
      )
    await writeAudit(
      ctx,
      chunk.map((r) => ({
        action,
        objectType: 'opportunity',
        objectId: r.id,
        summary: summary ?? r.name,
        before: { ownerId: r.ownerId, unitId: r.unitId },
        after: { ownerId: to.id, unitId: to.unitId },
      })),
    )
  }
  return ids
}

/**
 * `POST /opportunities/assign`: every id must be visible to the caller (404 otherwise); the new
 * owner must be active and placeable in the caller's scope. The owner is told once with the count.
 */
export async function assignOpportunities(ctx: Ctx, input: { ids: string[]; ownerId: string }) {
  return inTransaction(ctx, async (tx) => {
    const ids = [...new Set(input.ids)]
    const found = await opportunitiesRepo.findMany(tx, ids, { raw: true, forUpdate: true })
    if (found.length !== ids.length) throw notFound()
    const errors: FieldError[] = []
    const [owner] = await tx.db
      .select({ status: users.status })
      .from(users)
      .where(and(eq(users.tenantId, tx.actor.tenantId), eq(users.id, input.ownerId)))
    if (owner && owner.status !== 'active') errors.push({ field: 'ownerId', code: 'invalid_user' })
    const place = await placeRecord(tx, input.ownerId, undefined, errors, '')
    if (errors.length || !place) throw validationFailed(errors)
    const moving = found.filter((o) => o.ownerId !== input.ownerId).map((o) => o.id as string)
    if (moving.length) {
      await moveOwner(
        tx,
        and(opportunitiesRepo.visible(tx), inArray(opportunities.id, moving))!,
        { id: input.ownerId, ...place },
        'assign',
      )
      const locale = (await localesOf(tx, [input.ownerId])).get(input.ownerId)!
      await notify(tx, [
        {
          userId: input.ownerId,
          kind: 'opportunity_assigned',
          title: translate('notify_opportunities_assigned', locale, { count: moving.length }),
          link: moving.length === 1 ? `/sales/opportunities/${moving[0]}` : '/sales/opportunities',
          subjectType: 'opportunity',
          subjectId: moving.length === 1 ? moving[0]! : null,
        },
      ])
    }
    return { moved: moving.length }
  })
}

const openOwnedBy = (ctx: Ctx, from: string) =>
  and(
    eq(opportunities.tenantId, ctx.actor.tenantId),
    eq(opportunities.ownerId, from),
    eq(opportunities.status, 'open'),
  )!

/** Work handover (工作移交): the person's open opportunities move to the new owner (won/lost stay, as history). */
registerHandoverStep({
  key: 'opportunity',
  async count(ctx, from) {
    const [r] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(opportunities)
      .where(openOwnedBy(ctx, from))
    return Number(r?.n ?? 0)
  },
  async run(ctx, r) {
    const [to] = await ctx.db
      .select({ unitId: users.unitId, orgId: orgUnits.orgId })
      .from(users)
      .innerJoin(orgUnits, and(eq(orgUnits.tenantId, users.tenantId), eq(orgUnits.id, users.unitId)))
      .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, r.to)))
    if (!to) return 0
    return (await moveOwner(ctx, openOwnedBy(ctx, r.from), { id: r.to, ...to }, 'handover', r.reason)).length
  },
})

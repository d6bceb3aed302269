import { and, eq, sql } from 'drizzle-orm'
import { followUps } from '../../leads/followups.schema.js'
import { registerFollowUpSubject } from '../../leads/followups.subjects.js'
import { opportunities } from './schema.js'
import { opportunitiesRepo } from './service.js'

/**
 * Follow-ups on opportunities (same model as on leads): /api/v1/follow-ups with subjectType
 * 'opportunity' works for whoever sees the opportunity; the opportunity keeps its last and next
 * follow-up times.
 */
registerFollowUpSubject({
  type: 'opportunity',
  async load(ctx, id, opts = {}) {
    const row = await opportunitiesRepo.get(ctx, id, { raw: true, forUpdate: opts.forUpdate })
    return {
      id: row.id as string,
      name: row.name as string,
      unitId: row.unitId as string,
      orgId: row.orgId as string,
      ownerId: row.ownerId as string | null,
      status: row.status as string,
    }
  },
  sharedWith(ctx) {
    return sql`exists (select 1 from ${opportunities} where ${and(
      opportunitiesRepo.visible(ctx),
      eq(opportunities.id, followUps.subjectId),
      eq(opportunities.orgId, followUps.orgId),
    )})`
  },
  async afterChange(ctx, subjectId) {
    const mine = and(
      eq(followUps.tenantId, ctx.actor.tenantId),
      eq(followUps.subjectType, 'opportunity'),
      eq(followUps.subjectId, subjectId),
    )
    // The pending next step is the one the latest follow-up set: each follow-up restates the plan.
    await ctx.db
      .update(opportunities)
      .set({
        lastFollowUpAt: sql`(select max(${followUps.occurredAt}) from ${followUps} where ${mine})`,
        nextFollowUpAt: sql`(select ${followUps.nextAt} from ${followUps} where ${mine}
          order by ${followUps.occurredAt} desc, ${followUps.id} desc limit 1)`,
        updatedAt: new Date(),
      })
      .where(and(eq(opportunities.tenantId, ctx.actor.tenantId), eq(opportunities.id, subjectId)))
  },
})

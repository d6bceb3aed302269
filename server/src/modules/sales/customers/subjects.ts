/**
 * Customers in the lead pools' shared machinery: follow-ups (跟进记录 on a customer, keeping its
 * lastFollowUpAt / nextFollowUpAt) and work handover (a person's customers, with their contacts,
 * go to the receiver). Imported by the customers routes module.
 */
import { and, count, eq, sql } from 'drizzle-orm'
import { followUps } from '../../leads/followups.schema.js'
import { registerFollowUpSubject, type SubjectRecord } from '../../leads/followups.subjects.js'
import { registerHandoverStep } from '../../leads/handover.service.js'
import { moveCustomers } from './moves.js'
import { customersRepo } from './repo.js'
import { customers } from './schema.js'

/** What follow-ups need of a customer (SubjectRecord). */
const SUBJECT_FIELDS = ['id', 'name', 'unitId', 'orgId', 'ownerId', 'status'] as const

registerFollowUpSubject({
  type: 'customer',
  async load(ctx, id, opts = {}) {
    const row = await customersRepo.get(ctx, id, { raw: true, forUpdate: opts.forUpdate })
    return Object.fromEntries(SUBJECT_FIELDS.map((k) => [k, row[k]])) as unknown as SubjectRecord
  },
  sharedWith(ctx) {
    return sql`exists (select 1 from ${customers} where ${and(
      customersRepo.visible(ctx),
      eq(customers.id, followUps.subjectId),
      eq(customers.orgId, followUps.orgId),
    )})`
  },
  async afterChange(ctx, subjectId) {
    const mine = and(
      eq(followUps.tenantId, ctx.actor.tenantId),
      eq(followUps.subjectType, 'customer'),
      eq(followUps.subjectId, subjectId),
    )
    // The pending next step is the one the latest follow-up set: each follow-up restates the plan.
    await ctx.db
      .update(customers)
      .set({
        lastFollowUpAt: sql`(select max(${followUps.occurredAt}) from ${followUps} where ${mine})`,
        nextFollowUpAt: sql`(select ${followUps.nextAt} from ${followUps} where ${mine}
          order by ${followUps.occurredAt} desc, ${followUps.id} desc limit 1)`,
        updatedAt: new Date(),
      })
      .where(and(eq(customers.tenantId, ctx.actor.tenantId), eq(customers.id, subjectId)))
  },
})

const owned = (tenantId: string, userId: string) =>
  and(eq(customers.tenantId, tenantId), eq(customers.ownerId, userId))

registerHandoverStep({
  // Every customer the person owns (active or not), through moveCustomers: audit, contacts follow.
  key: 'customer',
  count: async (ctx, from) =>
    Number(
      (await ctx.db.select({ n: count() }).from(customers).where(owned(ctx.actor.tenantId, from)))[0]?.n ?? 0,
    ),
  async run(ctx, r) {
    const mine = await ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(owned(ctx.actor.tenantId, r.from))
    const moved = await moveCustomers(
      ctx,
      mine.map((c) => c.id),
      { ownerId: r.to },
      { kind: 'handover', reason: r.reason },
    )
    return moved.length
  },
})

/**
 * Customers in the lead pools' shared machinery: follow-ups (跟进记录 on a customer, keeping its
 * lastFollowUpAt / nextFollowUpAt) and work handover (a person's customers, with their contacts,
 * go to the receiver). Imported by the customers routes module.
 */
import { and, count, eq } from 'drizzle-orm'
import { registerFollowUpSubject, scopedFollowUpSubject } from '../../leads/followups.subjects.js'
import { registerHandoverStep } from '../../leads/handover.service.js'
import { moveCustomers } from './moves.js'
import { customersRepo } from './repo.js'
import { customers } from './schema.js'

registerFollowUpSubject(scopedFollowUpSubject({ type: 'customer', repo: customersRepo, table: customers }))

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

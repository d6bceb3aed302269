import { and, eq, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { registerHandoverStep } from '../../leads/handover.service.js'
import { tasks } from './schema.js'

const CHUNK = 5000

const openTasksOf = (ctx: Ctx, userId: string) =>
  and(eq(tasks.tenantId, ctx.actor.tenantId), eq(tasks.ownerId, userId), eq(tasks.status, 'open'))

/**
 * Work handover (工作移交): the person's open tasks and meetings move to the receiver, into the
 * receiver's unit (so they stay visible to the receiver's team). Done and cancelled ones stay
 * with who did them. One UPDATE; an audit record per task.
 */
registerHandoverStep({
  key: 'task',
  async count(ctx, from) {
    const [row] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(tasks)
      .where(openTasksOf(ctx, from))
    return Number(row?.n ?? 0)
  },
  async run(ctx, r) {
    const t = ctx.actor.tenantId
    const unit = sql`(select ${users.unitId} from ${users} where ${users.tenantId} = ${t} and ${users.id} = ${r.to})`
    const rows = await ctx.db
      .update(tasks)
      .set({
        ownerId: r.to,
        unitId: unit,
        orgId: sql`(select ${orgUnits.orgId} from ${orgUnits} where ${orgUnits.tenantId} = ${t} and ${orgUnits.id} = ${unit})`,
        updatedAt: r.at,
        version: sql`${tasks.version} + 1`,
      })
      .where(openTasksOf(ctx, r.from))
      .returning({ id: tasks.id, title: tasks.title, unitId: tasks.unitId })
    for (let i = 0; i < rows.length; i += CHUNK)
      await writeAudit(
        ctx,
        rows.slice(i, i + CHUNK).map((task) => ({
          action: 'handover',
          objectType: 'task',
          objectId: task.id,
          summary: r.reason,
          before: { ownerId: r.from },
          after: { ownerId: r.to, unitId: task.unitId },
        })),
      )
    return rows.length
  },
})

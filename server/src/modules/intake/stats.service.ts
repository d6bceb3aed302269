import { and, eq, gte, isNull, or, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { scopeCondition } from '../../platform/access/data-access.js'
import { leadIntents } from '../quality/schema.js'
import { channels } from './schema.js'

/**
 * The data-quality dashboard's numbers: intents per day, channel and outcome over the last `days`,
 * for the channels the caller may see (intents without a channel — manual, imports — are included).
 */
export async function qualityStats(ctx: Ctx, days: number) {
  const since = new Date(Date.now() - days * 86_400_000)
  const day = sql<string>`to_char(date_trunc('day', ${leadIntents.receivedAt}), 'YYYY-MM-DD')`
  const rows = await ctx.db
    .select({
      day,
      channelId: leadIntents.channelId,
      channelName: channels.name,
      channelKind: channels.kind,
      outcome: leadIntents.outcome,
      n: sql<number>`count(*)::int`,
    })
    .from(leadIntents)
    .leftJoin(
      channels,
      and(eq(channels.tenantId, leadIntents.tenantId), eq(channels.id, leadIntents.channelId)),
    )
    .where(
      and(
        eq(leadIntents.tenantId, ctx.actor.tenantId),
        gte(leadIntents.receivedAt, since),
        or(
          isNull(leadIntents.channelId),
          scopeCondition(ctx, { unit: channels.unitId, org: channels.orgId }) ?? sql`true`,
        ),
      ),
    )
    .groupBy(day, leadIntents.channelId, channels.name, channels.kind, leadIntents.outcome)
    .orderBy(day)
  return rows.map((r) => ({ ...r, n: Number(r.n) }))
}

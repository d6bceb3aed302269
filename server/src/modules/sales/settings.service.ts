import { eq } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { salesSettings } from './settings.schema.js'

export type SalesSettings = Omit<typeof salesSettings.$inferSelect, 'tenantId' | 'updatedAt'>

const DEFAULTS: SalesSettings = {
  quoteApprovalDiscountPct: 15,
  quoteValidDays: 30,
  quoteNumberPrefix: 'Q',
  orderNumberPrefix: 'SO',
  lostReasons: ['价格', '竞争对手', '需求变化', '预算不足', '无响应'],
  wonReasons: ['产品匹配', '价格优势', '服务', '关系'],
  customerGroups: { windowDays: 365, highValue: null, highFrequency: null },
  version: 0,
}

/** The workspace's sales settings, or the defaults until someone saves them (version 0). */
export async function getSalesSettings(ctx: Ctx): Promise<SalesSettings> {
  const [row] = await ctx.db
    .select()
    .from(salesSettings)
    .where(eq(salesSettings.tenantId, ctx.actor.tenantId))
  if (!row) return { ...DEFAULTS }
  const { tenantId: _t, updatedAt: _u, ...rest } = row
  return rest
}

import { and, eq, inArray } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { campaigns } from '../campaigns/schema.js'
import { countOutcomes, type IntakeResult, runFactory } from '../quality/factory.service.js'
import type { Channel } from './channels.service.js'
import { applyMapping } from './mapping.js'

/** Campaign ids by code, for the codes a batch carries (links and forms send utm_campaign). */
export async function campaignIdsByCode(ctx: Ctx, codes: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)]
  if (!unique.length) return new Map()
  const rows = await ctx.db
    .select({ id: campaigns.id, code: campaigns.code })
    .from(campaigns)
    .where(and(eq(campaigns.tenantId, ctx.actor.tenantId), inArray(campaigns.code, unique)))
  return new Map(rows.map((r) => [r.code, r.id]))
}

export interface IngestAnswer {
  results: (IntakeResult & { index: number })[]
  counts: ReturnType<typeof countOutcomes>
}

/** Leads pushed by a channel: its mapping, then the data factory; one answer per record. */
export async function ingestLeads(
  ctx: Ctx,
  channel: Channel,
  payloads: Record<string, unknown>[],
  opts: { campaignCode?: string | null } = {},
): Promise<IngestAnswer> {
  const mapped = payloads.map((p) => applyMapping(p, channel.mapping))
  const codes = mapped.map((m) => m.campaignCode ?? opts.campaignCode).filter((c): c is string => !!c)
  const byCode = await campaignIdsByCode(ctx, codes)
  const results = await runFactory(
    ctx,
    {
      channelId: channel.id,
      campaignId: null,
      importId: null,
      unitId: channel.unitId,
      orgId: channel.orgId,
      source: channel.name,
    },
    mapped.map((m) => {
      const code = m.campaignCode ?? opts.campaignCode ?? null
      return { lead: m.lead, custom: m.custom, campaignId: code ? (byCode.get(code) ?? null) : null }
    }),
  )
  return {
    results: results.map((r, index) => {
      const code = mapped[index]!.campaignCode
      const unknown = code && !byCode.has(code) ? [{ field: 'campaignCode', code: 'unknown_campaign' }] : []
      return { ...r, issues: [...r.issues, ...unknown], index }
    }),
    counts: countOutcomes(results),
  }
}

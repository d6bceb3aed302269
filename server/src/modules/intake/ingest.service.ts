import { and, eq, inArray } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { campaigns } from '../campaigns/schema.js'
import { countOutcomes, type IntakeResult, runFactory } from '../quality/factory.service.js'
import { type FieldIssue, type NormalizedLead, normalizeLead } from '../quality/normalize/index.js'
import type { Channel } from './channels.service.js'
import { applyMapping, type MappedRecord } from './mapping.js'

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

/**
 * The factory's normalisation of a mapped record, with the mapping's wrong-type issues first: the
 * factory rejects a record on any issue it has no workspace policy for, so such a record is answered
 * `invalid` (and logged as an invalid intent) like any other invalid record. Undefined when the
 * mapping found nothing wrong (the factory normalises it itself). Phones are read in `phoneRegion`.
 */
export function normalizedWithTypeIssues(m: MappedRecord, phoneRegion: string): NormalizedLead | undefined {
  if (!m.issues.length) return undefined
  const n = normalizeLead(m.lead, phoneRegion)
  const typeIssues = m.issues.map(
    (i) => ({ field: i.field, code: i.code, value: '' }) as unknown as FieldIssue,
  )
  // A field left out for its type must not also be reported as missing (`name` required).
  const wrong = new Set(m.issues.map((i) => i.field))
  const rest = n.issues.filter((i) => !(i.code === 'required' && wrong.has(i.field)))
  return { ...n, issues: [...typeIssues, ...rest] }
}

/**
 * Leads pushed by a channel: its mapping, then the data factory; one answer per record. The
 * workspace's phone region is read once for the batch unless the caller has it (`phoneRegion`).
 */
export async function ingestLeads(
  ctx: Ctx,
  channel: Channel,
  payloads: Record<string, unknown>[],
  opts: { campaignCode?: string | null; phoneRegion?: string } = {},
): Promise<IngestAnswer> {
  const mapped = payloads.map((p) => applyMapping(p, channel.mapping))
  const codes = mapped.map((m) => m.campaignCode ?? opts.campaignCode).filter((c): c is string => !!c)
  const byCode = await campaignIdsByCode(ctx, codes)
  const phoneRegion = opts.phoneRegion ?? (await workspacePhoneRegion(ctx.db, ctx.actor.tenantId))
  const results = await runFactory(
    ctx,
    {
      channelId: channel.id,
      campaignId: null,
      importId: null,
      unitId: channel.unitId,
      orgId: channel.orgId,
      source: channel.name,
      phoneRegion,
    },
    mapped.map((m) => {
      const code = m.campaignCode ?? opts.campaignCode ?? null
      return {
        lead: m.lead,
        custom: m.custom,
        campaignId: code ? (byCode.get(code) ?? null) : null,
        normalized: normalizedWithTypeIssues(m, phoneRegion),
      }
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

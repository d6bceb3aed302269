import { createCampaign } from '../modules/campaigns/service.js'
import { createChannel } from '../modules/intake/channels.service.js'
import type { ChannelKind } from '../modules/intake/schema.js'
import { moveLeads } from '../modules/leads/moves.service.js'
import { type IntakeRecord, runFactory } from '../modules/quality/factory.service.js'
import type { Ctx } from '../platform/access/actor.js'
import { unitOrg } from '../platform/org/units.service.js'
import { company, person, region, SOURCES, title } from './people.js'
import { type Rng, rng } from './random.js'
import { companyVariant, phoneVariant, toTraditional, typo } from './variants.js'

const DAY = 86_400_000
const BATCH = 500

/** Marketing's campaigns of the last two months (money in 分), with the share of leads each brought. */
const CAMPAIGNS = [
  {
    name: '双十一购车节',
    kind: 'ads',
    code: 'd11-2026',
    budget: 300_000_00,
    actualCost: 265_400_00,
    days: [60, 10],
  },
  {
    name: '公众号·新能源专题',
    kind: 'official_account_post',
    code: 'oa-nev',
    budget: 20_000_00,
    actualCost: 18_500_00,
    days: [45, null],
  },
  {
    name: '秋季车展',
    kind: 'event',
    code: 'expo-autumn',
    budget: 150_000_00,
    actualCost: 142_000_00,
    days: [40, 33],
  },
  {
    name: '抖音直播试驾',
    kind: 'live_stream',
    code: 'douyin-live',
    budget: 80_000_00,
    actualCost: 52_300_00,
    days: [21, null],
  },
] as const

/** The touchpoint each demo source is (referrals and phone enquiries are typed in by staff). */
const CHANNEL_OF: Record<(typeof SOURCES)[number], [code: string, kind: ChannelKind]> = {
  公众号: ['wx-oa', 'official_account'],
  小程序: ['wx-mp', 'mini_program'],
  官网表单: ['site-form', 'web_form'],
  App: ['app', 'app'],
  电商店铺: ['jd-store', 'ecommerce'],
  线下展会: ['expo', 'offline_event'],
  转介绍: ['referral', 'manual'],
  电话咨询: ['hotline', 'manual'],
  第三方平台: ['autohome', 'third_party'],
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

interface Arrival {
  record: IntakeRecord
  source: string
  ownerId: string | null
}

interface Seen {
  name: string
  mobile: string
  company: string | null
}

export interface DemoLeadsResult {
  /** Records the data factory received, what became of them, and the leads they made. */
  received: number
  outcomes: Record<string, number>
  leads: number
}

/**
 * The demo's leads arrive the way real ones do: through the data factory (leads.created by it have a
 * person, identities, an intent, a score and a grade), from the demo's sources, with the mess of a
 * real pool — people coming back through another source with their number or company written
 * differently (merged into their lead as a new intent), namesakes at the same company with another
 * number (queued for review), and numbers that are no numbers (kept, flagged). Most land in
 * marketing; some were collected by a dealer's salesperson, who owns them.
 */
export async function seedDemoLeads(
  ctx: Ctx,
  r: Rng,
  opts: { leads: number; seed: number; marketingUnitId: string; sellerIds: string[] },
): Promise<DemoLeadsResult> {
  // The mess is drawn from a generator of its own: the leads themselves stay what they were.
  const mess = rng(opts.seed + 7)
  const orgId = await unitOrg(ctx, opts.marketingUnitId, 'unitId')
  const now = Date.now()
  const channelIds = new Map<string, string>()
  for (const source of SOURCES) {
    const [code, kind] = CHANNEL_OF[source]
    const { channel } = await createChannel(ctx, { kind, name: source, code, unitId: opts.marketingUnitId })
    channelIds.set(source, String(channel.id))
  }
  const campaignIds: string[] = []
  for (const c of CAMPAIGNS) {
    const [start, end] = c.days
    const created = await createCampaign(ctx, {
      name: c.name,
      kind: c.kind,
      code: c.code,
      budget: c.budget,
      actualCost: c.actualCost,
      startsOn: isoDay(now - start * DAY),
      endsOn: end === null ? null : isoDay(now - end * DAY),
      status: end === null ? 'active' : 'ended',
      unitId: opts.marketingUnitId,
    })
    campaignIds.push(String(created.id))
  }
  // A third of the leads came through a campaign's link or form; a returning person may through another.
  const campaign = () => (mess.next() < 0.35 ? mess.pick(campaignIds) : null)
  const seen: Seen[] = []
  const outcomes: Record<string, number> = {}
  let pending: Arrival[] = []

  const flush = async () => {
    const bySource = new Map<string, Arrival[]>()
    for (const a of pending) bySource.set(a.source, [...(bySource.get(a.source) ?? []), a])
    pending = []
    const owned = new Map<string, string[]>()
    for (const [source, arrivals] of bySource) {
      const results = await runFactory(
        ctx,
        {
          channelId: channelIds.get(source)!,
          campaignId: null,
          importId: null,
          unitId: opts.marketingUnitId,
          orgId,
          source,
        },
        arrivals.map((a) => a.record),
      )
      results.forEach((res, i) => {
        outcomes[res.outcome] = (outcomes[res.outcome] ?? 0) + 1
        const owner = arrivals[i]!.ownerId
        if (owner && res.outcome === 'created' && res.leadId)
          owned.set(owner, [...(owned.get(owner) ?? []), res.leadId])
      })
    }
    for (const [ownerId, ids] of owned)
      await moveLeads(ctx, ids, { ownerId, status: 'assigned' }, { kind: 'assign' })
  }

  for (let i = 0; i < opts.leads; i++) {
    const p = person(r)
    const where = region(r)
    const owner = r.next() < 0.15 ? r.pick(opts.sellerIds) : null
    const lead = {
      name: p.name,
      mobile: p.mobile,
      email: r.next() < 0.6 ? p.email : null,
      company: r.next() < 0.7 ? company(r) : null,
      title: r.next() < 0.5 ? title(r) : null,
      notes: `${where.label}，来自${r.pick(SOURCES)}`,
    }
    const source = r.pick(SOURCES)
    const custom = {
      level: r.weighted([
        ['A', 1],
        ['B', 3],
        ['C', 6],
      ] as const),
      region: { province: where.province, city: where.city, district: where.district },
      budget: r.int(1, 500) * 100_00,
    }
    // First arrivals over the week before; repeats after them, within the week.
    const first = new Date(now - 8 * DAY + Math.floor((i / opts.leads) * 7 * DAY))
    // A repeat comes after the first arrival and before now (the pool's history then moves both back).
    const later = new Date(
      first.getTime() + mess.int(1, Math.max(1, (now - first.getTime()) / 3_600_000 - 1)) * 3_600_000,
    )
    const roll = mess.next()
    const earlier = seen.length > 20 ? seen[mess.int(0, seen.length - 1)]! : null
    const k = mess.int(0, 1000)
    if (earlier && roll < 0.09) {
      // The same person again, through another source, written differently.
      const name =
        k % 3 === 0 ? toTraditional(earlier.name) : k % 7 === 0 ? typo(earlier.name, mess) : earlier.name
      pending.push({
        record: {
          lead: {
            name,
            mobile: phoneVariant(earlier.mobile, k),
            company: earlier.company ? companyVariant(earlier.company, k) : null,
            notes: '再次咨询',
          },
          campaignId: campaign(),
          receivedAt: later,
        },
        source: mess.pick(SOURCES),
        ownerId: null,
      })
      continue
    }
    if (earlier?.company && roll < 0.11) {
      // A namesake at the same company with another number: the same person? A person decides.
      pending.push({
        record: {
          lead: { ...lead, name: earlier.name, company: companyVariant(earlier.company, k) },
          custom,
          receivedAt: later,
        },
        source,
        ownerId: null,
      })
      continue
    }
    if (roll < 0.14) lead.mobile = k % 2 ? p.mobile.slice(0, 7) : `${p.mobile.slice(0, 10)}O`
    else seen.push({ name: p.name, mobile: p.mobile, company: lead.company })
    pending.push({
      record: { lead, custom, campaignId: campaign(), receivedAt: first },
      source,
      ownerId: owner,
    })
    if (pending.length >= BATCH) await flush()
  }
  await flush()
  // A record queued for review or replacing a stale lead is a lead of its own too.
  const leads = (outcomes.created ?? 0) + (outcomes.review ?? 0) + (outcomes.overwritten ?? 0)
  return { received: opts.leads, outcomes, leads }
}

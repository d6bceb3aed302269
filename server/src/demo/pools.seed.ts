import { sql } from 'drizzle-orm'
import { routeLeads } from '../modules/leads/assignment.service.js'
import { followUpsRepo } from '../modules/leads/followups.service.js'
import { moveLeads } from '../modules/leads/moves.service.js'
import { createPool, ensureMasterPool, setPoolMembers } from '../modules/leads/pools.service.js'
import { claimLeads, releaseLeads } from '../modules/leads/public-pool.service.js'
import { reclaimLeads } from '../modules/leads/reclaim.job.js'
import type { AssignmentStrategy } from '../modules/leads/routing.schema.js'
import { createAssignmentRule, createDistributionRule } from '../modules/leads/routing-rules.service.js'
import { createLeave } from '../modules/leads/schedules.service.js'
import {
  DEFAULT_CLOSE_REASONS,
  DEFAULT_RELEASE_REASONS,
  putLeadSettings,
} from '../modules/leads/settings.service.js'
import { convertLead } from '../modules/sales/customers/conversion.service.js'
import type { Ctx } from '../platform/access/actor.js'
import { loadUserActor } from '../platform/access/load-actor.js'
import { regionChildren } from '../platform/custom-fields/regions.js'
import type { Db } from '../platform/db/index.js'
import type { Rng } from './random.js'

/** The demo's org tree as seed.ts built it: sales regions with their dealers and teams. */
export interface DemoOrg {
  hq: string
  marketing: string
  regions: {
    id: string
    name: string
    code: string
    dealers: { id: string; name: string; teams: string[] }[]
  }[]
}
export interface DemoPerson {
  id: string
  unitId: string
  roleIds: string[]
}

/** Contexts acting as the workspace's people (loaded once each): what they do is theirs in the audit log. */
export function actorsOf(db: Db, tenant: string) {
  const actors = new Map<string, Ctx>()
  return async (userId: string) => {
    let c = actors.get(userId)
    if (!c) {
      c = { db, actor: (await loadUserActor(db, tenant, userId))!, locale: 'zh-CN' }
      actors.set(userId, c)
    }
    return c
  }
}

/** Provinces (code prefixes) each sales region takes; leads from the west stay in the master pool. */
const REGION_PROVINCES: Record<string, string[]> = {
  EAST: ['31', '32', '33', '34', '35', '36', '37'],
  SOUTH: ['41', '42', '43', '44', '45', '46'],
  NORTH: ['11', '12', '13', '14', '15', '21', '22', '23'],
}
const CATEGORIES = ['新能源车', 'SUV', '轿车', '商用车'] as const
const STRATEGIES: AssignmentStrategy[] = ['round_robin', 'weighted', 'least_loaded']
const DAY = 86_400_000
const HOUR = 3_600_000
/** How long ago a lead arrived (3 hours to 60 days, fixed per lead): its whole history moves back by it. */
const ageOf = (leadId: string) =>
  sql.raw(`((abs(hashtext(${leadId}::text || 'age')) % (60 * 24)) * interval '1 hour' + interval '3 hours')`)

/**
 * Lead pools for the demo (issue #4), built through the real services: the master pool owned by
 * marketing, a sub-pool per region and per dealer, a public pool (公海) per dealer and one at HQ
 * with claim limits and reclaim rules, distribution rules by province and product, assignment
 * rules per dealer. Then the leads that arrived at HQ are distributed and assigned, and two months
 * of work is played back: follow-ups, qualification, conversion, closing, releases, claims, and a
 * reclaim run over the neglected ones — so every pool, the public pools and the reports have data.
 */
export async function seedPools(
  db: Db,
  ctx: Ctx,
  r: Rng,
  org: DemoOrg,
  people: DemoPerson[],
  roleId: (key: string) => string,
) {
  const tenant = ctx.actor.tenantId
  const withRole = (key: string) => people.filter((p) => p.roleIds.includes(roleId(key)))
  const inUnits = (list: DemoPerson[], units: string[]) => list.filter((p) => units.includes(p.unitId))
  const sellers = withRole('salesperson')
  const managers = withRole('sales_manager')

  // Lead fields the rules work on: region (from the address picked by the generator), product, grade.
  await db.execute(sql`
    update leads set
      region_code = custom->'region'->>'district',
      grade = custom->>'level',
      category = (${`{${CATEGORIES.join(',')}}`}::text[])[1 + abs(hashtext(id::text)) % ${CATEGORIES.length}]
    where tenant_id = ${tenant}`)

  // Pools ----------------------------------------------------------------------------------------
  const master = await ensureMasterPool(ctx)
  await setPoolMembers(ctx, master.id, [
    ...withRole('marketing').map((p) => ({ userId: p.id, role: 'admin' as const })),
    ...withRole('sales_director').map((p) => ({ userId: p.id, role: 'admin' as const })),
  ])
  const reclaim = (days: number) => ({
    enabled: true,
    noFollowUpDays: days,
    noFollowUpDaysByGrade: { A: days * 2, B: days, C: Math.max(3, Math.round(days / 2)) },
    notConvertedDays: 60,
    skipWithOpenOpportunities: true,
    remindDaysBefore: 2,
  })
  const hqPublic = await createPool(ctx, {
    name: '总部公海',
    kind: 'public',
    unitId: org.hq,
    description: '总部销售部可领取；经销商的线索不进入这里',
    settings: {
      dailyClaimLimit: 20,
      userHoldingCap: 300,
      unitHoldingCap: 2000,
      reclaimLockDays: 7,
      protectionHours: 2,
      hiddenFields: ['mobile', 'email', 'phone'],
      reclaim: reclaim(10),
    },
  })
  await putLeadSettings(ctx, { defaultPublicPoolId: hqPublic.id, firstContactSlaHours: 24 })

  const dealerPools: { dealerId: string; pool: string; publicPool: string; sellers: DemoPerson[] }[] = []
  for (const region of org.regions) {
    const regionPool = await createPool(ctx, {
      name: `${region.name}线索池`,
      kind: 'sub',
      parentId: master.id,
      unitId: region.id,
      description: `${region.name}各省的线索，再按产品分给经销商`,
    })
    await setPoolMembers(
      ctx,
      regionPool.id,
      inUnits(managers, [region.id]).map((p) => ({ userId: p.id, role: 'admin' as const })),
    )
    for (const [i, prefix] of REGION_PROVINCES[region.code]!.entries())
      await createDistributionRule(ctx, {
        name: `${region.name}·${regionChildren()!.find((p) => p.code === prefix)?.name ?? prefix}`,
        conditions: [{ field: 'regionCode', op: 'prefix', value: prefix }],
        targetPoolId: regionPool.id,
        targetUnitId: region.id,
        sort: i,
      })
    for (const [i, dealer] of region.dealers.entries()) {
      const staff = inUnits(sellers, dealer.teams)
      // Each dealer keeps its own public pool: dealers never see each other's leads.
      const publicPool = await createPool(ctx, {
        name: `${dealer.name}公海`,
        kind: 'public',
        unitId: dealer.id,
        settings: {
          dailyClaimLimit: 10,
          userHoldingCap: 150,
          reclaimLockDays: 5,
          protectionHours: 1,
          hiddenFields: ['mobile', 'email'],
          reclaim: reclaim(7 + i * 3),
        },
      })
      const pool = await createPool(ctx, {
        name: `${dealer.name}线索池`,
        kind: 'sub',
        parentId: regionPool.id,
        unitId: dealer.id,
        reclaimPoolId: publicPool.id,
        criteria: i === 0 ? [{ field: 'category', op: 'in', value: ['新能源车', 'SUV'] }] : [],
      })
      await setPoolMembers(ctx, pool.id, [
        ...inUnits(managers, [dealer.id]).map((p) => ({ userId: p.id, role: 'admin' as const })),
        ...staff.map((p) => ({ userId: p.id, role: 'member' as const })),
      ])
      // First dealer of a region takes new-energy and SUV leads, the second everything else.
      await createDistributionRule(ctx, {
        name: `${dealer.name}${i === 0 ? '（新能源车、SUV）' : '（其他车型）'}`,
        sourcePoolId: regionPool.id,
        conditions: i === 0 ? [{ field: 'category', op: 'in', value: ['新能源车', 'SUV'] }] : [],
        targetPoolId: pool.id,
        targetUnitId: dealer.id,
        sort: 100 + dealerPools.length,
      })
      const strategy = STRATEGIES[dealerPools.length % STRATEGIES.length]!
      await createAssignmentRule(ctx, {
        name: `${dealer.name}分配（${{ round_robin: '轮流', weighted: '按权重', least_loaded: '最少持有' }[strategy]}）`,
        poolId: pool.id,
        strategy,
        members: staff.map((p, j) => ({
          userId: p.id,
          weight: strategy === 'weighted' ? 1 + (j % 3) : 1,
          // The last dealer's people have a cap, so some leads wait with "at capacity" as the reason.
          capacity: dealerPools.length === 5 ? 50 : null,
        })),
        respectSchedule: true,
      })
      dealerPools.push({ dealerId: dealer.id, pool: pool.id, publicPool: publicPool.id, sellers: staff })
    }
  }
  // One salesperson is on leave this week: assignment passes them by.
  const away = dealerPools[0]!.sellers[0]!
  await createLeave(ctx, {
    userId: away.id,
    startsAt: new Date(Date.now() - 2 * DAY).toISOString(),
    endsAt: new Date(Date.now() + 5 * DAY).toISOString(),
    reason: '年假',
  })

  // Arrival: leads collected by dealers stay with them; HQ's are distributed, then assigned. -------
  const own = await db.execute<{ id: string; pool: string }>(sql`
    select l.id, p.id as pool from leads l
    join org_units t on t.tenant_id = l.tenant_id and t.id = l.unit_id
    join lead_pools p on p.tenant_id = l.tenant_id and p.unit_id = t.parent_id and p.kind = 'sub'
    where l.tenant_id = ${tenant} and l.owner_id is not null`)
  const byPool = new Map<string, string[]>()
  for (const row of own.rows) byPool.set(row.pool, [...(byPool.get(row.pool) ?? []), row.id])
  for (const [pool, ids] of byPool)
    await moveLeads(ctx, ids, { poolId: pool }, { kind: 'pool', reason: '经销商自有线索' })

  const arrived = (
    await db.execute<{ id: string }>(
      sql`select id from leads where tenant_id = ${tenant} and owner_id is null`,
    )
  ).rows.map((row) => row.id)
  // Distribution runs twice (master pool → region pools → dealer pools), then assignment; leads
  // from provinces no rule covers stay in the master pool with the reason as their routing note.
  await routeLeads(ctx, arrived, { distribute: true, assign: false })
  await routeLeads(ctx, arrived, { distribute: true, assign: true })

  // Two months of history: each lead's timeline moves back by its own age. ---------------------------
  await db.execute(sql`
    with span as (
      select id, ${ageOf('id')} as d from leads where tenant_id = ${tenant}
    ), age as (
      -- d: how long ago the lead arrived; j: how much later it was assigned (before now).
      select id, d, least(interval '1 hour' * (abs(hashtext(id::text)) % 20), d - interval '2 hours') as j from span
    ), l as (
      update leads set created_at = created_at - age.d, updated_at = updated_at - age.d,
        last_intent_at = last_intent_at - age.d, pool_entered_at = pool_entered_at - age.d,
        assigned_at = assigned_at - age.d + age.j, status_changed_at = status_changed_at - age.d
      from age where leads.tenant_id = ${tenant} and leads.id = age.id
      returning leads.id
    )
    update lead_moves m set at = m.at - age.d + case when m.kind = 'assign' then age.j else interval '0' end
    from age where m.tenant_id = ${tenant} and m.lead_id = age.id`)
  // The intents behind each lead (the person's timeline) move back with it, and so do its person's
  // first and last sightings.
  await db.execute(sql`
    update lead_intents i set received_at = i.received_at - ${ageOf('l.id')}
    from leads l where l.tenant_id = ${tenant} and i.tenant_id = l.tenant_id and i.lead_id = l.id`)
  await db.execute(sql`
    update persons p set first_seen_at = s.first, last_seen_at = s.last
    from (select person_id, min(received_at) as first, max(received_at) as last from lead_intents
          where tenant_id = ${tenant} and person_id is not null group by person_id) s
    where p.tenant_id = ${tenant} and p.id = s.person_id`)
  // A campaign brings responses only while it runs: a response that moved outside its campaign's
  // period is credited to one running then (or none), and each lead's first and last touch follow.
  await db.execute(sql`
    update lead_intents i set campaign_id = (
      select c.id from campaigns c
      where c.tenant_id = i.tenant_id and c.starts_on <= (i.received_at at time zone 'UTC')::date
        and (c.ends_on is null or c.ends_on >= (i.received_at at time zone 'UTC')::date)
      order by abs(hashtext(i.id::text || c.id::text)) limit 1)
    where i.tenant_id = ${tenant} and i.campaign_id is not null`)
  await db.execute(sql`
    update leads l set first_campaign_id = s.first, last_campaign_id = s.last
    from (select lead_id,
            (array_agg(campaign_id order by received_at, id))[1] as first,
            (array_agg(campaign_id order by received_at desc, id desc) filter (where campaign_id is not null))[1] as last
          from lead_intents where tenant_id = ${tenant} and lead_id is not null group by lead_id) s
    where l.tenant_id = ${tenant} and l.id = s.lead_id`)

  // Follow-ups by the owners; older leads have been worked more. ---------------------------------------
  const held = (
    await db.execute<{ id: string; owner_id: string; assigned_at: Date; created_at: Date }>(sql`
      select id, owner_id, assigned_at, created_at from leads
      where tenant_id = ${tenant} and owner_id is not null
      order by created_at, id`)
  ).rows
  const as = actorsOf(db, tenant)
  const now = Date.now()
  const NOTES = [
    '电话沟通，客户对配置有兴趣',
    '微信发送了报价单',
    '到店看车，试驾体验良好',
    '客户在比较竞品',
    '约了周末到店',
  ]
  const NEXT = ['发送最新优惠', '邀约试驾', '跟进贷款方案', '确认到店时间']
  const closeReasons = DEFAULT_CLOSE_REASONS.filter((c) => c.status === 'closed')
  const released: { id: string; owner: string }[] = []
  // Played back per owner in bulk (one insert, one lead update, one move per outcome), not lead by
  // lead: the demo must start quickly on the embedded database.
  const rows: Record<string, unknown>[] = []
  const outcomes = new Map<
    string,
    { ids: string[]; status?: 'qualified' | 'converted' | 'closed'; reason?: string }
  >()
  const outcome = (
    owner: string,
    key: string,
    id: string,
    extra: { status?: 'qualified' | 'converted' | 'closed'; reason?: string },
  ) => {
    const k = `${owner}|${key}`
    const group = outcomes.get(k) ?? { ids: [], ...extra }
    group.ids.push(id)
    outcomes.set(k, group)
  }
  const units = new Map(
    (
      await db.execute<{ id: string; unit_id: string; org_id: string }>(sql`
        select id, unit_id, org_id from leads where tenant_id = ${tenant} and owner_id is not null`)
    ).rows.map((l) => [l.id, l]),
  )
  for (const lead of held) {
    const since = new Date(lead.assigned_at ?? lead.created_at).getTime()
    // A few leads are never called: the reclaim run finds the older ones.
    if (r.next() < ((now - since) / DAY > 7 ? 0.08 : 0.3)) continue
    const fate = r.weighted([
      ['open', 30],
      ['qualified', 30],
      ['converted', 12],
      ['closed', 10],
      ['released', 6],
    ] as const)
    // Finished leads were followed up for a while; leads still being worked until a few days ago.
    const first = Math.min(since + r.int(1, 40) * HOUR, now - HOUR)
    const still = fate === 'open' || fate === 'qualified'
    const until = Math.min(
      still ? now - r.int(0, 4) * DAY - r.int(1, 12) * HOUR : since + r.int(2, 20) * DAY,
      now - HOUR,
    )
    const n = until > first && fate !== 'closed' && fate !== 'released' ? 2 : 1
    const place = units.get(lead.id)!
    for (let k = 0; k < n; k++) {
      const at = n === 1 ? first : first + ((until - first) * k) / (n - 1)
      rows.push({
        subjectType: 'lead',
        subjectId: lead.id,
        type: r.weighted([
          ['call', 5],
          ['wechat', 3],
          ['visit', 1],
          ['sms', 1],
        ] as const),
        content: r.pick(NOTES),
        outcome: r.next() < 0.5 ? '有意向' : null,
        occurredAt: new Date(at),
        nextAt: new Date(at + r.int(2, 7) * DAY),
        nextStep: r.pick(NEXT),
        ownerId: lead.owner_id,
        unitId: place.unit_id,
        orgId: place.org_id,
      })
    }
    outcome(lead.owner_id, 'following', lead.id, {})
    // Outcomes: qualified, converted, closed with a reason, or given back to the public pool.
    if (fate === 'qualified' || fate === 'converted')
      outcome(lead.owner_id, 'qualified', lead.id, { status: 'qualified' })
    if (fate === 'converted') outcome(lead.owner_id, 'converted', lead.id, { status: 'converted' })
    if (fate === 'closed') {
      const reason = r.pick(closeReasons).key
      outcome(lead.owner_id, `closed:${reason}`, lead.id, { status: 'closed', reason })
    }
    if (fate === 'released') {
      const reason = r.pick(DEFAULT_RELEASE_REASONS)
      outcome(lead.owner_id, `released:${reason}`, lead.id, { reason })
      released.push({ id: lead.id, owner: lead.owner_id })
    }
  }
  for (let i = 0; i < rows.length; i += 2000) await followUpsRepo.insert(ctx, rows.slice(i, i + 2000))
  const followUps = rows.length
  // The lead side of a follow-up (as the follow-up service does it): last and next follow-up, first contact.
  await db.execute(sql`
    with f as (
      select subject_id as id, max(occurred_at) as last_at, min(occurred_at) as first_at,
        (array_agg(next_at order by occurred_at desc, id desc))[1] as next_at
      from follow_ups where tenant_id = ${tenant} and subject_type = 'lead' group by subject_id
    )
    update leads set last_follow_up_at = f.last_at, next_follow_up_at = f.next_at,
      first_contact_at = coalesce(leads.first_contact_at, greatest(f.first_at, leads.assigned_at))
    from f where leads.tenant_id = ${tenant} and leads.id = f.id`)
  // Each owner's outcomes in order: worked, then qualified, converted, closed or released.
  const order = ['following', 'qualified', 'converted', 'closed', 'released']
  const groups = [...outcomes.entries()].sort(
    ([a], [b]) =>
      order.indexOf(a.split('|')[1]!.split(':')[0]!) - order.indexOf(b.split('|')[1]!.split(':')[0]!),
  )
  for (const [key, group] of groups) {
    const [owner, what] = key.split('|') as [string, string]
    const who = await as(owner)
    if (what === 'following') await moveLeads(who, group.ids, { status: 'following' }, { kind: 'status' })
    else if (group.status === 'converted')
      // Through the real conversion: the lead page then links the customer it became.
      for (const id of group.ids)
        await convertLead(who, id, {
          customer: { mode: 'new', allowDuplicate: true },
          contact: {},
          opportunity: null,
        })
    else if (group.status)
      await moveLeads(
        who,
        group.ids,
        { status: group.status, closeReason: group.reason ?? null },
        { kind: 'status' },
      )
    else await releaseLeads(who, group.ids, group.reason!)
  }
  // Those happened a day or two after the last follow-up, not all today.
  await db.execute(sql`
    with last as (
      select subject_id as id, max(occurred_at) as at from follow_ups
      where tenant_id = ${tenant} and subject_type = 'lead' group by subject_id
    ), moved as (
      update lead_moves m set at = least(m.at, last.at + interval '1 hour' * (12 + abs(hashtext(m.lead_id::text)) % 48)
        + case when m.to_status = 'converted' then interval '2 days' else interval '0' end)
      from last where m.tenant_id = ${tenant} and m.lead_id = last.id and m.kind in ('status', 'release')
      returning m.lead_id, m.at
    )
    update leads set status_changed_at = moved.at, pool_entered_at = case when leads.owner_id is null then moved.at else leads.pool_entered_at end
    from moved where leads.tenant_id = ${tenant} and leads.id = moved.lead_id`)

  // A colleague at the same dealer claims some of the released leads back out of the public pool.
  for (const { id, owner } of released.filter(() => r.next() < 0.5)) {
    const dealer = dealerPools.find((d) => d.sellers.some((s) => s.id === owner))
    const other = dealer?.sellers.find((s) => s.id !== owner && s.id !== away.id)
    if (other) await claimLeads(await as(other.id), [id])
  }

  // Today's reclaim run takes back what its owner neglected, into the dealer's public pool.
  await reclaimLeads(db, tenant)

  return {
    pools: 1 + org.regions.length + dealerPools.length * 2 + 1,
    followUps,
  }
}

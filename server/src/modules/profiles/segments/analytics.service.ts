import { and, asc, eq, gt, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { region } from '../../../platform/custom-fields/regions.js'
import { sqlArray } from '../../quality/bulk.js'
import { personScope } from '../persons/scope.js'
import { segmentSizes } from '../schema.js'
import { membersFrom, segmentOf } from './members.service.js'
import { UNKNOWN_LABEL } from './messages.js'

type Row = Record<string, unknown>

export interface DistributionItem {
  /** Province code (2 digits) or channel id; null for members without one. */
  key: string | null
  label: string
  count: number
}

/**
 * How a segment's members (those the caller sees) spread over provinces (from the person's region
 * code) or channels (the channels of the person's leads and intents: a person reached through two
 * channels counts in both; persons with none count under "no channel"). Largest first.
 */
export async function segmentDistribution(
  ctx: Ctx,
  segmentId: string,
  by: 'region' | 'channel',
): Promise<DistributionItem[]> {
  await segmentOf(ctx, segmentId)
  const t = ctx.actor.tenantId
  const unknown = UNKNOWN_LABEL[by][ctx.locale]
  if (by === 'region') {
    const res = await ctx.db.execute(sql`select left(p.region_code, 2) as key, count(*) as n
      ${membersFrom(ctx, segmentId, null)}
      group by 1 order by n desc, key`)
    return (res.rows as Row[]).map((r) => {
      const key = (r.key as string | null) || null
      return { key, label: key ? (region(key)?.name ?? key) : unknown, count: Number(r.n) }
    })
  }
  const res = await ctx.db.execute(sql`with mem as materialized (select m.person_id
        ${membersFrom(ctx, segmentId, null)}),
      pc as materialized (
        select distinct x.person_id, x.channel_id from (
          select l.person_id, l.channel_id from leads l join mem on mem.person_id = l.person_id
          where l.tenant_id = ${t} and l.channel_id is not null
          union all
          select i.person_id, i.channel_id from lead_intents i join mem on mem.person_id = i.person_id
          where i.tenant_id = ${t} and i.channel_id is not null) x)
    select key, count(*) as n from (
      select pc.channel_id as key from pc
      union all
      select null::uuid from mem where not exists (select 1 from pc where pc.person_id = mem.person_id)) z
    group by key order by n desc, key`)
  const rows = res.rows as Row[]
  const ids = rows.flatMap((r) => (r.key ? [String(r.key)] : []))
  const names = new Map<string, string>()
  if (ids.length) {
    const ch = await ctx.db.execute(
      sql`select id, name from channels where tenant_id = ${t} and id = any(${sqlArray(ids, 'uuid')})`,
    )
    for (const r of ch.rows as Row[]) names.set(String(r.id), String(r.name))
  }
  return rows.map((r) => {
    const key = r.key ? String(r.key) : null
    return { key, label: key ? (names.get(key) ?? key) : unknown, count: Number(r.n) }
  })
}

export interface OverlapSide {
  id: string
  name: string
  size: number
}

/** Members (the caller sees) of segment a, of b, of both and of one only. */
export async function segmentOverlap(
  ctx: Ctx,
  a: string,
  b: string,
): Promise<{ a: OverlapSide; b: OverlapSide; both: number; onlyA: number; onlyB: number }> {
  const [segA, segB] = [await segmentOf(ctx, a), await segmentOf(ctx, b)]
  // One pass over both memberships (each person once, flagged by the segments it is in).
  const scope = personScope(ctx, sql`m.person_id`)
  const res =
    await ctx.db.execute(sql`select count(*) filter (where in_a) as a, count(*) filter (where in_b) as b,
      count(*) filter (where in_a and in_b) as both
    from (select m.person_id, bool_or(m.segment_id = ${segA.id}) as in_a, bool_or(m.segment_id = ${segB.id}) as in_b
      from segment_members m
      join persons p on p.tenant_id = m.tenant_id and p.id = m.person_id and p.merged_into_id is null
      where m.tenant_id = ${ctx.actor.tenantId} and m.segment_id in (${segA.id}, ${segB.id})
        ${scope ? sql`and ${scope}` : sql``}
      group by m.person_id) x`)
  const row = res.rows[0] as Row
  const sizeA = Number(row.a)
  const sizeB = Number(row.b)
  const both = Number(row.both)
  return {
    a: { id: segA.id, name: segA.name, size: sizeA },
    b: { id: segB.id, name: segB.name, size: sizeB },
    both,
    onlyA: sizeA - both,
    onlyB: sizeB - both,
  }
}

/** The size history of the last `days` days, oldest first. */
export async function segmentSizeHistory(ctx: Ctx, segmentId: string, days = 90) {
  await segmentOf(ctx, segmentId)
  const since = new Date(Date.now() - days * 86_400_000)
  const rows = await ctx.db
    .select({
      at: segmentSizes.at,
      size: segmentSizes.size,
      added: segmentSizes.added,
      removed: segmentSizes.removed,
      trigger: segmentSizes.trigger,
    })
    .from(segmentSizes)
    .where(
      and(
        eq(segmentSizes.tenantId, ctx.actor.tenantId),
        eq(segmentSizes.segmentId, segmentId),
        gt(segmentSizes.at, since),
      ),
    )
    .orderBy(asc(segmentSizes.at), asc(segmentSizes.id))
    .limit(10_000)
  return rows
}

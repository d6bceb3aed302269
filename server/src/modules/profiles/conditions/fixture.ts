/**
 * Test data for conditions and rules: persons with identities, leads, customers, intents,
 * behaviour events, orders and tags, written straight into their tables (tenant-correct).
 */
import { sql } from 'drizzle-orm'
import type { Workspace } from '../../../../test/kit.js'
import { newId } from '../../../platform/db/columns.js'

let seq = 0
export const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000)

export interface PersonSpec {
  name?: string | null
  company?: string | null
  regionCode?: string | null
  firstSeenDaysAgo?: number
  lastSeenDaysAgo?: number
  mergedInto?: string
}

export function profileData(ws: Workspace) {
  const ctx = ws.sys
  const t = ws.tenantId
  const exec = (q: ReturnType<typeof sql>) => ctx.db.execute(q)
  let orgId: string | null = null
  const org = async () => {
    if (!orgId) {
      const r = await ctx.db.execute<{ org_id: string }>(
        sql`select org_id from org_units where tenant_id = ${t} and id = ${ws.rootUnitId}`,
      )
      orgId = r.rows[0]!.org_id
    }
    return orgId
  }
  return {
    async person(p: PersonSpec = {}) {
      const id = newId()
      await exec(sql`insert into persons (tenant_id, id, name, company, region_code, first_seen_at, last_seen_at, merged_into_id)
        values (${t}, ${id}, ${p.name ?? null}, ${p.company ?? null}, ${p.regionCode ?? null},
          ${daysAgo(p.firstSeenDaysAgo ?? 30)}, ${daysAgo(p.lastSeenDaysAgo ?? 1)}, ${p.mergedInto ?? null})`)
      return id
    },
    async identity(personId: string, kind: string, value = `${kind}-${seq++}`) {
      await exec(sql`insert into person_identities (tenant_id, kind, namespace, value, person_id)
        values (${t}, ${kind}, '', ${value}, ${personId})`)
    },
    async channel(name: string) {
      const id = newId()
      await exec(sql`insert into channels (tenant_id, id, kind, name, code, unit_id, org_id)
        values (${t}, ${id}, 'app', ${name}, ${`c${seq++}-${Date.now()}`}, ${ws.rootUnitId}, ${await org()})`)
      return id
    },
    async lead(personId: string | null, v: Record<string, unknown> = {}) {
      const id = newId()
      await exec(sql`insert into leads (tenant_id, id, name, status, score, category, region_code, channel_id, person_id, custom, unit_id, org_id)
        values (${t}, ${id}, ${(v.name as string) ?? `线索${seq++}`}, ${(v.status as string) ?? 'new'}, ${(v.score as number) ?? 0},
          ${(v.category as string) ?? null}, ${(v.regionCode as string) ?? null}, ${(v.channelId as string) ?? null}, ${personId},
          ${JSON.stringify(v.custom ?? {})}::jsonb, ${ws.rootUnitId}, ${await org()})`)
      return id
    },
    async customer(personId: string | null, v: Record<string, unknown> = {}) {
      const id = newId()
      await exec(sql`insert into customers (tenant_id, id, name, level, customer_group, person_id, custom, owner_id, unit_id, org_id)
        values (${t}, ${id}, ${(v.name as string) ?? `客户${seq++}`}, ${(v.level as string) ?? null}, ${(v.customerGroup as string) ?? 'A'},
          ${personId}, ${JSON.stringify(v.custom ?? {})}::jsonb, ${ws.adminId}, ${ws.rootUnitId}, ${await org()})`)
      return id
    },
    async intent(personId: string, channelId: string | null, days = 0) {
      await exec(sql`insert into lead_intents (tenant_id, id, person_id, channel_id, outcome, payload, received_at)
        values (${t}, ${newId()}, ${personId}, ${channelId}, 'merged', '{}'::jsonb, ${daysAgo(days)})`)
    },
    async event(personId: string, type: string, days = 0, properties: Record<string, unknown> = {}) {
      await exec(sql`insert into behaviour_events (tenant_id, id, person_id, type, occurred_at, properties)
        values (${t}, ${newId()}, ${personId}, ${type}, ${daysAgo(days)}, ${JSON.stringify(properties)}::jsonb)`)
    },
    async order(
      customerId: string,
      personId: string | null,
      v: { status?: string; total?: number; refunded?: number; days?: number } = {},
    ) {
      const id = newId()
      await exec(sql`insert into orders (tenant_id, id, number, customer_id, person_id, status, ordered_at, total, refunded_total, owner_id, unit_id, org_id)
        values (${t}, ${id}, ${`SO-${seq++}-${Date.now()}`}, ${customerId}, ${personId}, ${v.status ?? 'completed'},
          ${daysAgo(v.days ?? 1)}, ${v.total ?? 10000}, ${v.refunded ?? 0}, ${ws.adminId}, ${ws.rootUnitId}, ${await org()})`)
      return id
    },
    async group(name: string, exclusive = false, sortOrder = 0) {
      const id = newId()
      await exec(sql`insert into tag_groups (tenant_id, id, name, exclusive, sort_order)
        values (${t}, ${id}, ${name}, ${exclusive}, ${sortOrder})`)
      return id
    },
    async tag(
      groupId: string,
      name: string,
      v: { rule?: unknown; enabled?: boolean; removal?: 'remove' | 'keep'; sortOrder?: number } = {},
    ) {
      const id = newId()
      await exec(sql`insert into tags (tenant_id, id, group_id, name, rule, rule_enabled, rule_removal, sort_order)
        values (${t}, ${id}, ${groupId}, ${name}, ${v.rule === undefined ? null : JSON.stringify(v.rule)}::jsonb,
          ${v.enabled ?? v.rule !== undefined}, ${v.removal ?? 'remove'}, ${v.sortOrder ?? 0})`)
      return id
    },
    async tagPerson(personId: string, tagId: string, source = 'manual') {
      await exec(
        sql`insert into person_tags (tenant_id, person_id, tag_id, source) values (${t}, ${personId}, ${tagId}, ${source})`,
      )
    },
    /** The person's tags (of one group when given): tag id → source. */
    async tagsOf(personId: string, groupId?: string) {
      const r = await ctx.db.execute<{ tag_id: string; source: string }>(
        sql`select pt.tag_id, pt.source from person_tags pt join tags tg on tg.tenant_id = pt.tenant_id and tg.id = pt.tag_id
          where pt.tenant_id = ${t} and pt.person_id = ${personId}${groupId ? sql` and tg.group_id = ${groupId}` : sql``}
          order by pt.tag_id`,
      )
      return Object.fromEntries(r.rows.map((x) => [x.tag_id, x.source]))
    },
  }
}
export type ProfileData = ReturnType<typeof profileData>

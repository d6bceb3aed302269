import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { channels } from '../../intake/schema.js'
import { leads } from '../../leads/schema.js'
import { leadIntents, personIdentities, persons } from '../../quality/schema.js'
import { customers } from '../../sales/customers/schema.js'
import { personTags, tags } from '../schema.js'
import { aggregateSource, conditionSql, envFor } from './compile.js'
import { BASE_FIELDS } from './fields.js'
import {
  type Condition,
  type ConditionNode,
  type ExplainedCondition,
  type Explanation,
  isGroup,
} from './types.js'

interface PathLeaf {
  path: string
  leaf: Condition
}

function leavesOf(node: ConditionNode, path: string, out: PathLeaf[]): void {
  if (!isGroup(node)) {
    out.push({ path, leaf: node })
    return
  }
  for (const [i, c] of node.conditions.entries())
    leavesOf(c, path ? `${path}.conditions[${i}]` : `conditions[${i}]`, out)
}

function evaluate(node: ConditionNode, path: string, holds: Map<string, boolean>): boolean {
  if (!isGroup(node)) return holds.get(path) ?? false
  const results = node.conditions.map((c, i) =>
    evaluate(c, path ? `${path}.conditions[${i}]` : `conditions[${i}]`, holds),
  )
  return node.match === 'all' ? results.every(Boolean) : results.some(Boolean)
}

const one = async (ctx: Ctx, q: SQL): Promise<unknown> => {
  const res = await ctx.db.execute<{ v: unknown }>(q)
  return res.rows[0]?.v ?? null
}

/** The person's own value for a leaf: the column, the values on their leads, the count… */
async function actualValue(ctx: Ctx, leaf: Condition, personId: string): Promise<unknown> {
  const t = ctx.actor.tenantId
  const env = envFor(ctx, { personIds: [personId] })
  const custom = /^(lead|customer)\.custom\.([a-z][a-z0-9_]{0,39})$/.exec(leaf.field)
  if (custom) {
    const table = custom[1] === 'lead' ? leads : customers
    const key = custom[2]!
    return one(
      ctx,
      sql`select coalesce(jsonb_agg(${table.custom} -> ${key}) filter (where ${table.custom} ? ${key} and ${table.custom} -> ${key} <> 'null'::jsonb), '[]'::jsonb) as v
        from ${table} where ${table.tenantId} = ${t} and ${table.personId} = ${personId}::uuid`,
    )
  }
  const spec = BASE_FIELDS.get(leaf.field)
  if (!spec) return null
  const src = spec.source
  switch (src.type) {
    case 'person':
      return one(
        ctx,
        sql`select ${src.column} as v from ${persons} where ${persons.tenantId} = ${t} and ${persons.id} = ${personId}::uuid`,
      )
    case 'lead':
    case 'customer': {
      const table = src.type === 'lead' ? leads : customers
      return one(
        ctx,
        sql`select coalesce(jsonb_agg(distinct ${src.column}) filter (where ${src.column} is not null), '[]'::jsonb) as v
          from ${table} where ${table.tenantId} = ${t} and ${table.personId} = ${personId}::uuid`,
      )
    }
    case 'tags':
      return one(
        ctx,
        sql`select coalesce(jsonb_agg(jsonb_build_object('id', ${tags.id}, 'name', ${tags.name}) order by ${tags.name}), '[]'::jsonb) as v
          from ${personTags} join ${tags} on ${tags.tenantId} = ${personTags.tenantId} and ${tags.id} = ${personTags.tagId}
          where ${personTags.tenantId} = ${t} and ${personTags.personId} = ${personId}::uuid`,
      )
    case 'identity':
      return one(
        ctx,
        sql`select coalesce(jsonb_agg(distinct ${personIdentities.kind}), '[]'::jsonb) as v from ${personIdentities}
          where ${personIdentities.tenantId} = ${t} and ${personIdentities.personId} = ${personId}::uuid`,
      )
    case 'channel':
      return one(
        ctx,
        sql`select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by c.name), '[]'::jsonb) as v
          from ${channels} c where c.tenant_id = ${t} and c.id in (
            select ${leadIntents.channelId} from ${leadIntents} where ${leadIntents.tenantId} = ${t} and ${leadIntents.personId} = ${personId}::uuid
            union select ${leads.channelId} from ${leads} where ${leads.tenantId} = ${t} and ${leads.personId} = ${personId}::uuid)`,
      )
    case 'aggregate': {
      const s = aggregateSource(env, src.name, leaf.params)
      switch (src.name) {
        case 'intents.count':
        case 'events.count':
        case 'orders.count':
          return Number(await one(ctx, sql`select count(*)::int as v ${s.from}`))
        case 'orders.amount':
          return Number(await one(ctx, sql`select ${s.amount!}::bigint as v ${s.from}`))
        case 'events.first':
          return one(ctx, sql`select min(${s.at}) as v ${s.from}`)
        case 'events.last':
        case 'orders.last':
          return one(ctx, sql`select max(${s.at}) as v ${s.from}`)
      }
    }
  }
}

/**
 * Why a person does or does not satisfy a tree: every leaf with the person's actual value (the
 * region code, the tags held, the number of view events in 7 days…) and whether it holds, and the
 * overall result honouring all/any. Each leaf's verdict is the compiled SQL itself (restricted to
 * this person), so an explanation always agrees with tag rules and segment membership; a
 * merged-away person satisfies nothing.
 */
export async function explainConditions(
  ctx: Ctx,
  node: ConditionNode,
  personId: string,
): Promise<Explanation> {
  const leaves: PathLeaf[] = []
  leavesOf(node, '', leaves)
  const t = ctx.actor.tenantId
  const verdicts = leaves.map(
    (l, i) =>
      sql`coalesce(${conditionSql(ctx, l.leaf, { personIds: [personId] })}, false) as ${sql.identifier(`h${i}`)}`,
  )
  const res = await ctx.db.execute<Record<string, unknown>>(
    sql`select ${persons.mergedIntoId} is not null as merged${verdicts.length ? sql`, ${sql.join(verdicts, sql`, `)}` : sql``}
      from ${persons} where ${persons.tenantId} = ${t} and ${persons.id} = ${personId}::uuid`,
  )
  const r = res.rows[0]
  const holds = new Map<string, boolean>()
  const conditions: ExplainedCondition[] = []
  for (const [i, l] of leaves.entries()) {
    const h = r ? r[`h${i}`] === true : false
    holds.set(l.path, h)
    conditions.push({
      path: l.path,
      field: l.leaf.field,
      op: l.leaf.op,
      ...(l.leaf.value !== undefined ? { value: l.leaf.value } : {}),
      ...(l.leaf.params ? { params: l.leaf.params } : {}),
      actual: await actualValue(ctx, l.leaf, personId),
      holds: h,
    })
  }
  return { holds: r ? r.merged !== true && evaluate(node, '', holds) : false, conditions }
}

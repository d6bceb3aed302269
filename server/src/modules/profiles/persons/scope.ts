import { type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid, scopeCondition } from '../../../platform/access/data-access.js'
import { notFound } from '../../../platform/http/errors.js'
import { leads } from '../../leads/schema.js'
import { persons } from '../../quality/schema.js'
import { customers } from '../../sales/customers/schema.js'

/**
 * Which persons a caller may see. Persons carry no owner of their own: a person is visible through
 * a lead or a customer the caller's data scope reaches (the one data-access layer decides those).
 * Undefined means every person of the workspace (scope 'all' at the root company, the system).
 *
 * `personId` is the SQL of the person id being tested (a column of the caller's query).
 */
export function personScope(ctx: Ctx, personId: SQL = sql`${persons.id}`): SQL | undefined {
  const onLeads = scopeCondition(ctx, { owner: leads.ownerId, unit: leads.unitId, org: leads.orgId })
  const onCustomers = scopeCondition(ctx, {
    owner: customers.ownerId,
    unit: customers.unitId,
    org: customers.orgId,
  })
  if (!onLeads && !onCustomers) return undefined
  const t = ctx.actor.tenantId
  return sql`(exists (select 1 from ${leads} where ${leads.tenantId} = ${t} and ${leads.personId} = ${personId}
      and ${onLeads ?? sql`true`})
    or exists (select 1 from ${customers} where ${customers.tenantId} = ${t} and ${customers.personId} = ${personId}
      and ${onCustomers ?? sql`true`}))`
}

/**
 * 404 unless the person exists in the workspace, is not merged into another (merged-away persons
 * are never shown, tagged or targeted) and the caller may see it.
 */
export async function assertPersonVisible(ctx: Ctx, personId: string): Promise<void> {
  if (!isUuid(personId)) throw notFound()
  const scope = personScope(ctx, sql`${personId}::uuid`)
  const res = await ctx.db.execute(sql`select 1 from ${persons}
    where ${persons.tenantId} = ${ctx.actor.tenantId} and ${persons.id} = ${personId}::uuid
      and ${persons.mergedIntoId} is null and ${scope ?? sql`true`}`)
  if (res.rows.length === 0) throw notFound()
}

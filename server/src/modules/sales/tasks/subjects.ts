import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid, type ScopeColumns, scopeCondition } from '../../../platform/access/data-access.js'
import { notFound } from '../../../platform/http/errors.js'
import { leads } from '../../leads/schema.js'
import { leadsRepo } from '../../leads/service.js'
import { contactsRepo, customersRepo } from '../customers/repo.js'
import { customers } from '../customers/schema.js'
import { opportunities } from '../opportunities/schema.js'
import { opportunitiesRepo } from '../opportunities/service.js'
import { orders } from '../orders/schema.js'
import { ordersRepo } from '../orders/service.js'
import { quotesRepo } from '../quotes/service.js'
import type { TASK_SUBJECTS } from './schema.js'

/**
 * The data scope of each sales table, as its repository declares it (owner / unit / org). Reads
 * that join or aggregate other modules' tables (tasks' subjects, the customer 360, analytics)
 * restrict by these through `scopeCondition`, exactly as those repositories do.
 */
export const SALES_SCOPES = {
  customer: customersRepo.config.scope!,
  contact: contactsRepo.config.scope!,
  opportunity: opportunitiesRepo.config.scope!,
  quote: quotesRepo.config.scope!,
  order: ordersRepo.config.scope!,
} satisfies Record<string, ScopeColumns>

/** Tenant + data scope of a table, as one SQL condition. */
export function inScope(ctx: Ctx, tenantCol: AnyPgColumn, scope: ScopeColumns): SQL {
  return and(eq(tenantCol, ctx.actor.tenantId), scopeCondition(ctx, scope))!
}

export type TaskSubjectType = (typeof TASK_SUBJECTS)[number]

interface SubjectKind {
  table: PgTable
  tenant: AnyPgColumn
  id: AnyPgColumn
  /** What a calendar or a task shows as the subject's name. */
  name: AnyPgColumn
  scope: ScopeColumns
  /** The customer whose contacts may take part in a task on this subject. */
  customerId: SQL
}

/** A lead's customer is the one it was converted into. */
const leadCustomer = sql`(select lc.customer_id from lead_conversions lc
  where lc.tenant_id = leads.tenant_id and lc.lead_id = leads.id)`

const KINDS: Record<TaskSubjectType, SubjectKind> = {
  lead: {
    table: leads,
    tenant: leads.tenantId,
    id: leads.id,
    name: leads.name,
    scope: leadsRepo.config.scope!,
    customerId: leadCustomer,
  },
  customer: {
    table: customers,
    tenant: customers.tenantId,
    id: customers.id,
    name: customers.name,
    scope: SALES_SCOPES.customer,
    customerId: sql`${customers.id}`,
  },
  opportunity: {
    table: opportunities,
    tenant: opportunities.tenantId,
    id: opportunities.id,
    name: opportunities.name,
    scope: SALES_SCOPES.opportunity,
    customerId: sql`${opportunities.customerId}`,
  },
  order: {
    table: orders,
    tenant: orders.tenantId,
    id: orders.id,
    name: orders.number,
    scope: SALES_SCOPES.order,
    customerId: sql`${orders.customerId}`,
  },
}

export interface SubjectRef {
  id: string
  name: string
  customerId: string | null
}

/** The subject as the caller may see it; 404 when it does not exist or lies outside the scope. */
export async function loadSubject(ctx: Ctx, type: TaskSubjectType, id: string): Promise<SubjectRef> {
  const k = KINDS[type]
  if (!isUuid(id)) throw notFound()
  const [row] = (await ctx.db
    .select({ id: k.id, name: k.name, customerId: sql<string | null>`${k.customerId}` })
    .from(k.table)
    .where(and(inScope(ctx, k.tenant, k.scope), eq(k.id, id)))) as SubjectRef[]
  if (!row) throw notFound()
  return row
}

/**
 * Names of subjects the caller may see, keyed `type:id` (one query per type present). A subject
 * outside the caller's scope has no name here: a participant sees the task, not its customer.
 */
export async function subjectNames(
  ctx: Ctx,
  refs: { subjectType: string | null; subjectId: string | null }[],
): Promise<Map<string, string>> {
  const byType = new Map<TaskSubjectType, Set<string>>()
  for (const r of refs)
    if (r.subjectType && r.subjectId && r.subjectType in KINDS) {
      const type = r.subjectType as TaskSubjectType
      if (!byType.has(type)) byType.set(type, new Set())
      byType.get(type)!.add(r.subjectId)
    }
  const out = new Map<string, string>()
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const k = KINDS[type]
      const rows = (await ctx.db
        .select({ id: k.id, name: k.name })
        .from(k.table)
        .where(and(inScope(ctx, k.tenant, k.scope), inArray(k.id, [...ids])))) as {
        id: string
        name: string
      }[]
      for (const r of rows) out.set(`${type}:${r.id}`, r.name)
    }),
  )
  return out
}

import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { salesScripts } from './followups.schema.js'
import { leadsRepo } from './service.js'

/**
 * The sales scripts library (话术): what to say at each stage of a lead. Workspace-wide
 * configuration (no data scope); each script names the lead statuses and tags it fits, and none
 * means it fits every lead.
 */
export const salesScriptsRepo = createRepository({
  table: salesScripts,
  objectType: 'sales_script',
  sortable: ['sort', 'title', 'createdAt'],
  label: (r) => String(r.title),
})

export type SalesScript = Omit<typeof salesScripts.$inferSelect, 'tenantId'>

export interface SalesScriptInput {
  title: string
  body: string
  statuses?: string[]
  tags?: string[]
  sort?: number
}

const unique = (values: string[] | undefined) =>
  values === undefined ? undefined : [...new Set(values.map((v) => v.trim()).filter(Boolean))]

export async function listSalesScripts(
  ctx: Ctx,
  q: { status?: string; tag?: string; q?: string; limit?: number; cursor?: string },
) {
  const where: SQL[] = []
  if (q.status) where.push(sql`${salesScripts.statuses} @> ${JSON.stringify([q.status])}::jsonb`)
  if (q.tag) where.push(sql`${salesScripts.tags} @> ${JSON.stringify([q.tag])}::jsonb`)
  if (q.q)
    where.push(sql`(${salesScripts.title} ilike ${`%${q.q}%`} or ${salesScripts.body} ilike ${`%${q.q}%`})`)
  const page = await salesScriptsRepo.list(ctx, {
    where: where.length ? and(...where) : undefined,
    sort: { column: 'sort', dir: 'asc' },
    limit: q.limit ?? 100,
    cursor: q.cursor,
  })
  return { items: page.items as SalesScript[], nextCursor: page.nextCursor }
}

export async function createSalesScript(ctx: Ctx, input: SalesScriptInput): Promise<SalesScript> {
  return inTransaction(ctx, async (tx) => {
    const [row] = await salesScriptsRepo.insert(tx, [
      { ...input, statuses: unique(input.statuses) ?? [], tags: unique(input.tags) ?? [] },
    ])
    return row as SalesScript
  })
}

export async function updateSalesScript(
  ctx: Ctx,
  id: string,
  patch: Partial<SalesScriptInput> & { version?: number },
): Promise<SalesScript> {
  const { version, ...fields } = patch
  return inTransaction(
    ctx,
    async (tx) =>
      (await salesScriptsRepo.update(
        tx,
        id,
        {
          ...fields,
          ...(fields.statuses ? { statuses: unique(fields.statuses) } : {}),
          ...(fields.tags ? { tags: unique(fields.tags) } : {}),
        },
        version,
      )) as SalesScript,
  )
}

export async function deleteSalesScript(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await salesScriptsRepo.get(tx, id)
    await salesScriptsRepo.remove(tx, [id])
  })
}

/**
 * Scripts to show while following up a lead the caller can see: those made for its status, and
 * those made for every status, in the library's order. (Lead tags join the match when leads have tags.)
 */
export async function suggestSalesScripts(ctx: Ctx, leadId: string): Promise<SalesScript[]> {
  const lead = await leadsRepo.get(ctx, leadId, { raw: true })
  const rows = await ctx.db
    .select()
    .from(salesScripts)
    .where(
      and(
        eq(salesScripts.tenantId, ctx.actor.tenantId),
        sql`(${salesScripts.statuses} @> ${JSON.stringify([lead.status])}::jsonb or ${salesScripts.statuses} = '[]'::jsonb)`,
      ),
    )
    .orderBy(asc(salesScripts.sort), asc(salesScripts.title), asc(salesScripts.id))
    .limit(50)
  return rows.map(({ tenantId: _t, ...r }) => r)
}

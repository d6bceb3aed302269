/**
 * The kanban board (看板): per stage of a pipeline, the count, amount and weighted amount of the
 * open opportunities the caller sees (filtered by owner, unit subtree or text) and the first cards.
 *
 * Three statements, all by index: the totals per stage (an aggregate over the filtered rows), the
 * ids of the biggest cards per stage (amount desc, id desc; one LIMIT scan per stage), then those
 * cards by primary key with their customer's and owner's names. The filter and the first two run
 * on opportunities_board_idx (tenant, pipeline, unit, stage, amount, id, probability, owner;
 * open only). `boardStage` pages one stage further with a keyset cursor on the same order.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { decodeCursor, encodeCursor, isUuid } from '../../../platform/access/data-access.js'
import { validationFailed } from '../../../platform/http/errors.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { customers } from '../customers/schema.js'
import { type PipelineWithStages, resolvePipeline } from './pipelines.service.js'
import { opportunities } from './schema.js'
import { opportunitiesRepo, opportunitySearch, weightedAmount } from './service.js'

export const BOARD_CARDS = 50

export interface BoardFilter {
  pipelineId?: string
  ownerId?: string
  /** A unit: its opportunities and those of the units below it (a team with its sub-teams). */
  unitId?: string
  /** Text in the opportunity's or its customer's name. */
  q?: string
}

export type BoardCard = {
  id: string
  name: string
  stageId: string
  customerId: string
  customerName: string | null
  ownerId: string | null
  ownerName: string | null
  amount: number
  currency: string
  probability: number
  weightedAmount: number
  expectedCloseDate: string | null
  meddicScore: number
  stageEnteredAt: Date | string
  nextFollowUpAt: Date | string | null
  version: number
}

function boardWhere(ctx: Ctx, pipelineId: string, f: BoardFilter): SQL {
  const t = ctx.actor.tenantId
  return and(
    opportunitiesRepo.visible(ctx),
    eq(opportunities.pipelineId, pipelineId),
    eq(opportunities.status, 'open'),
    f.ownerId ? eq(opportunities.ownerId, f.ownerId) : undefined,
    f.unitId
      ? sql`${opportunities.unitId} in (select u.id from ${orgUnits} u where u.tenant_id = ${t}
          and u.path like (select p.path from ${orgUnits} p where p.tenant_id = ${t} and p.id = ${f.unitId}) || '%')`
      : undefined,
    opportunitySearch(f.q, t),
  )!
}

function checkFilter(f: BoardFilter) {
  const errors = (['ownerId', 'unitId'] as const)
    .filter((k) => f[k] !== undefined && !isUuid(f[k]!))
    .map((field) => ({ field, code: 'invalid_value' }))
  if (errors.length) throw validationFailed(errors)
}

/**
 * Card columns of the `opportunities` row in scope, the customer's and owner's names read by
 * primary key (scalar subqueries: one lookup per card, whatever the planner thinks of the row count).
 */
const cardColumns = sql`${opportunities.id} as "id", ${opportunities.name} as "name", ${opportunities.stageId} as "stageId",
  ${opportunities.customerId} as "customerId",
  (select c.name from ${customers} c where c.tenant_id = ${opportunities.tenantId} and c.id = ${opportunities.customerId}) as "customerName",
  ${opportunities.ownerId} as "ownerId",
  (select u.name from ${users} u where u.tenant_id = ${opportunities.tenantId} and u.id = ${opportunities.ownerId}) as "ownerName",
  ${opportunities.amount}::float8 as "amount", ${opportunities.currency} as "currency",
  ${opportunities.probability} as "probability", ${weightedAmount}::float8 as "weightedAmount",
  ${opportunities.expectedCloseDate}::text as "expectedCloseDate", ${opportunities.meddicScore} as "meddicScore",
  ${opportunities.stageEnteredAt} as "stageEnteredAt", ${opportunities.nextFollowUpAt} as "nextFollowUpAt",
  ${opportunities.version} as "version"`

type CardRow = BoardCard

const toCard = (c: CardRow): BoardCard => ({
  ...c,
  amount: Number(c.amount),
  weightedAmount: Number(c.weightedAmount),
})

export async function board(ctx: Ctx, f: BoardFilter) {
  checkFilter(f)
  const pipeline: PipelineWithStages = await resolvePipeline(ctx, f.pipelineId)
  // 1. Per stage: the totals over every filtered row, and the ids of the biggest cards — one
  //    LIMIT scan per stage (lateral), so a team with thousands of open deals never sorts them all.
  //    Both read opportunities_board_idx alone (amount, probability, owner and unit are in it).
  const where = boardWhere(ctx, pipeline.id, f)
  const stageIds = pipeline.stages.map((s) => s.id)
  const { rows: totals } = await ctx.db.execute<{
    stageId: string
    n: number
    total: number
    weightedTotal: number
  }>(sql`
    select ${opportunities.stageId} as "stageId", count(*)::int as "n", sum(${opportunities.amount})::float8 as "total",
      sum(${weightedAmount})::float8 as "weightedTotal"
    from ${opportunities}
    where ${where}
    group by ${opportunities.stageId}`)
  const { rows: ranked } = await ctx.db.execute<{ id: string; stageId: string }>(sql`
    select top.id, s.id as "stageId"
    from unnest(${sql.param(stageIds)}::uuid[]) as s(id)
    cross join lateral (
      select ${opportunities.id} as id from ${opportunities}
      where ${where} and ${opportunities.stageId} = s.id
      order by ${opportunities.amount} desc, ${opportunities.id} desc
      limit ${BOARD_CARDS}
    ) top`)
  const totalOf = new Map(totals.map((t) => [t.stageId, t]))
  // 2. The cards themselves, by primary key (a separate statement: the planner cannot know that
  //    step 1 keeps only 50 rows per stage, and would scan whole tables to join them).
  const ids = ranked.map((r) => r.id)
  const cards = ids.length
    ? (
        await ctx.db.execute<CardRow>(sql`
          select ${cardColumns} from ${opportunities}
          where ${opportunities.tenantId} = ${ctx.actor.tenantId} and ${opportunities.id} = any(${sql.param(ids)}::uuid[])`)
      ).rows
    : []
  const cardOf = new Map(cards.map((c) => [c.id, c]))
  const { stages: _s, ...head } = pipeline
  return {
    pipeline: head,
    stages: pipeline.stages.map((s) => {
      const items = ranked
        .filter((r) => r.stageId === s.id)
        .flatMap((r) => (cardOf.has(r.id) ? [toCard(cardOf.get(r.id)!)] : []))
      const sum = totalOf.get(s.id)
      return {
        id: s.id,
        name: s.name,
        probability: s.probability,
        kind: s.kind,
        requiredFields: s.requiredFields,
        count: sum?.n ?? 0,
        amount: Number(sum?.total ?? 0),
        weightedAmount: Number(sum?.weightedTotal ?? 0),
        items,
        nextCursor:
          items.length === BOARD_CARDS && (sum?.n ?? 0) > BOARD_CARDS
            ? cursorOf(items[BOARD_CARDS - 1]!)
            : null,
      }
    }),
  }
}

const cursorOf = (c: { amount: number; id: string }) => encodeCursor([Number(c.amount), c.id])

/** More cards of one stage, after `cursor` (from the board or the previous page). */
export async function boardStage(
  ctx: Ctx,
  f: BoardFilter & { stageId: string; cursor?: string; limit?: number },
) {
  checkFilter(f)
  const pipeline = await resolvePipeline(ctx, f.pipelineId)
  if (!pipeline.stages.some((s) => s.id === f.stageId))
    throw validationFailed([{ field: 'stageId', code: 'invalid_stage' }])
  const limit = Math.min(Math.max(f.limit ?? BOARD_CARDS, 1), 200)
  const cur = f.cursor ? decodeCursor(f.cursor) : null
  const after =
    cur && typeof cur[0] === 'number' && typeof cur[1] === 'string' && isUuid(cur[1])
      ? sql`(${opportunities.amount}, ${opportunities.id}) < (${cur[0]}::bigint, ${cur[1]}::uuid)`
      : undefined
  const { rows } = await ctx.db.execute<CardRow>(sql`
    select ${cardColumns}
    from ${opportunities}
    where ${and(boardWhere(ctx, pipeline.id, f), eq(opportunities.stageId, f.stageId), after)}
    order by ${opportunities.amount} desc, ${opportunities.id} desc
    limit ${limit + 1}`)
  const items = rows.slice(0, limit).map(toCard)
  return { items, nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]!) : null }
}

import { performance } from 'node:perf_hooks'
import type { Ctx } from '../../../platform/access/actor.js'
import { countMatching, countPersons } from '../conditions/compile.js'
import type { ConditionNode } from '../conditions/types.js'
import { validateConditionTree } from '../conditions/validate.js'

/**
 * The builder's live count: a draft's conditions validated (400 naming the condition), then the
 * persons matching among those the caller sees, out of how many, and how long it took.
 */
export async function countDraft(
  ctx: Ctx,
  conditions: ConditionNode,
): Promise<{ count: number; total: number; tookMs: number }> {
  const started = performance.now()
  await validateConditionTree(ctx, conditions, 'conditions')
  const [count, total] = await Promise.all([
    countMatching(ctx, conditions, { scoped: true }),
    countPersons(ctx, { scoped: true }),
  ])
  return { count, total, tookMs: Math.round(performance.now() - started) }
}

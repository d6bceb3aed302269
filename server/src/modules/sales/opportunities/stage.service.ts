import { and, asc, desc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { publish } from '../../../platform/events/outbox.js'
import { AppError, validationFailed } from '../../../platform/http/errors.js'
import { users } from '../../../platform/org/schema.js'
import { getSalesSettings, OTHER_REASON } from '../settings.service.js'
import { checkGates, gatesToPass } from './gates.js'
import { getPipeline, type Stage } from './pipelines.service.js'
import { type OpportunityStatus, opportunityStageHistory, pipelineStages } from './schema.js'
import {
  assertOpen,
  gateSubjectOf,
  lockOpportunity,
  type Opportunity,
  opportunitiesRepo,
  recordStageChange,
} from './service.js'

/**
 * Moves an opportunity into `target` (stage row of its pipeline): status, probability (the
 * stage's: a person's override lasts until the next stage change), stage clock, history row and
 * audit (through the repository).
 */
async function enterStage(
  ctx: Ctx,
  opp: Opportunity,
  target: Stage,
  extra: Partial<Record<'closedAt' | 'closeReason' | 'closeNote', unknown>> = {},
) {
  const at = new Date()
  const status: OpportunityStatus = target.kind
  const row = await opportunitiesRepo.update(ctx, opp.id, {
    stageId: target.id,
    status,
    probability: target.probability,
    stageEnteredAt: at,
    ...extra,
  })
  await recordStageChange(ctx, opp.id, { stageId: opp.stageId, enteredAt: opp.stageEnteredAt }, target, at)
  return row
}

/**
 * `POST /opportunities/:id/stage`: the target must be an open stage of the opportunity's pipeline.
 * Gates (documented decision, see gates.ts `gatesToPass`): moving forward checks the target's
 * gate and the gates of every stage skipped over; moving back checks the target's gate only.
 * Missing fields → 422 `stage_gate` listing each of them.
 */
export async function moveStage(ctx: Ctx, id: string, stageId: string, version?: number) {
  return inTransaction(ctx, async (tx) => {
    const opp = await lockOpportunity(tx, id, version)
    assertOpen(opp)
    const pipeline = await getPipeline(tx, opp.pipelineId)
    const target = pipeline.stages.find((s) => s.id === stageId)
    if (target?.kind !== 'open') throw validationFailed([{ field: 'stageId', code: 'invalid_stage' }])
    if (target.id === opp.stageId) return opportunitiesRepo.present(tx, opp)
    const from = pipeline.stages.find((s) => s.id === opp.stageId)
    checkGates(
      await gateSubjectOf(tx, opp),
      gatesToPass(pipeline.stages, from?.position ?? null, target),
      target,
    )
    return enterStage(tx, opp, target)
  })
}

export interface CloseInput {
  reason: string
  note?: string | null
  version?: number
}

/**
 * Wins or loses an open opportunity: the reason must be one of the settings' won/lost reasons, or
 * 'other' with a note. Moves it to the pipeline's won/lost stage (that stage's own gate applies),
 * sets closedAt, and publishes `opportunity.won` / `opportunity.lost` in the same transaction.
 */
export async function closeOpportunity(ctx: Ctx, id: string, outcome: 'won' | 'lost', input: CloseInput) {
  return inTransaction(ctx, async (tx) => {
    const opp = await lockOpportunity(tx, id, input.version)
    assertOpen(opp)
    const settings = await getSalesSettings(tx)
    const reasons = outcome === 'won' ? settings.wonReasons : settings.lostReasons
    const reason = input.reason.trim()
    const note = input.note?.trim() || null
    if (reason === OTHER_REASON ? !note : !reasons.includes(reason))
      throw validationFailed([
        { field: reason === OTHER_REASON ? 'note' : 'reason', code: 'invalid_reason', params: { reasons } },
      ])
    const pipeline = await getPipeline(tx, opp.pipelineId)
    const target = pipeline.stages.find((s) => s.kind === outcome)!
    checkGates(await gateSubjectOf(tx, opp), [target], target)
    const closedAt = new Date()
    const row = await enterStage(tx, opp, target, { closedAt, closeReason: reason, closeNote: note })
    await publish(tx, [
      {
        type: `opportunity.${outcome}`,
        aggregateType: 'opportunity',
        aggregateId: opp.id,
        payload: {
          opportunityId: opp.id,
          customerId: opp.customerId,
          pipelineId: opp.pipelineId,
          ownerId: opp.ownerId,
          unitId: opp.unitId,
          amount: opp.amount,
          currency: opp.currency,
          reason,
          note,
          leadId: opp.leadId,
          closedAt: closedAt.toISOString(),
        },
      },
    ])
    return row
  })
}

/**
 * Reopens a won or lost opportunity into the open stage it was closed from (or `stageId`, an
 * open stage of its pipeline; the first open stage when the old one is gone). Only the target's
 * own gate applies: the opportunity passed the earlier ones before. Publishes `opportunity.reopened`.
 */
export async function reopenOpportunity(ctx: Ctx, id: string, input: { version?: number; stageId?: string }) {
  return inTransaction(ctx, async (tx) => {
    const opp = await lockOpportunity(tx, id, input.version)
    if (opp.status === 'open') throw new AppError(409, 'opportunity_not_closed')
    const pipeline = await getPipeline(tx, opp.pipelineId)
    const open = pipeline.stages.filter((s) => s.kind === 'open')
    let target: Stage | undefined
    if (input.stageId) {
      target = open.find((s) => s.id === input.stageId)
      if (!target) throw validationFailed([{ field: 'stageId', code: 'invalid_stage' }])
    } else {
      const [last] = await tx.db
        .select({ fromStageId: opportunityStageHistory.fromStageId })
        .from(opportunityStageHistory)
        .where(
          and(
            eq(opportunityStageHistory.tenantId, tx.actor.tenantId),
            eq(opportunityStageHistory.opportunityId, id),
            eq(opportunityStageHistory.toStageId, opp.stageId),
          ),
        )
        .orderBy(desc(opportunityStageHistory.at))
        .limit(1)
      target = open.find((s) => s.id === last?.fromStageId) ?? open[0]!
    }
    checkGates(await gateSubjectOf(tx, opp), [target], target)
    const row = await enterStage(tx, opp, target, { closedAt: null, closeReason: null, closeNote: null })
    await publish(tx, [
      {
        type: 'opportunity.reopened',
        aggregateType: 'opportunity',
        aggregateId: opp.id,
        payload: { opportunityId: opp.id, customerId: opp.customerId, from: opp.status, stageId: target.id },
      },
    ])
    return row
  })
}

/** The opportunity's stage changes, oldest first, with stage and actor names (404 outside the caller's scope). */
export async function stageHistory(ctx: Ctx, id: string) {
  await opportunitiesRepo.get(ctx, id)
  const h = opportunityStageHistory
  const from = alias(pipelineStages, 'from_stage')
  const to = alias(pipelineStages, 'to_stage')
  return ctx.db
    .select({
      id: h.id,
      fromStageId: h.fromStageId,
      fromStageName: from.name,
      toStageId: h.toStageId,
      toStageName: to.name,
      toStageKind: to.kind,
      secondsInStage: h.secondsInStage,
      actorId: h.actorId,
      actorName: users.name,
      at: h.at,
    })
    .from(h)
    .leftJoin(from, and(eq(from.tenantId, h.tenantId), eq(from.id, h.fromStageId)))
    .leftJoin(to, and(eq(to.tenantId, h.tenantId), eq(to.id, h.toStageId)))
    .leftJoin(users, and(eq(users.tenantId, h.tenantId), eq(users.id, h.actorId)))
    .where(and(eq(h.tenantId, ctx.actor.tenantId), eq(h.opportunityId, id)))
    .orderBy(asc(h.at), asc(h.id))
}

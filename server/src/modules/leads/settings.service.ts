import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { diff, writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { conflict, type FieldError, validationFailed } from '../../platform/http/errors.js'
import './pools.messages.js'
import { type LeadCloseReason, leadPools, leadSettings } from './pools.schema.js'

export type LeadSettings = Omit<typeof leadSettings.$inferSelect, 'tenantId' | 'updatedAt'>

/** What a workspace starts with; stored only once somebody saves the settings. */
export const DEFAULT_CLOSE_REASONS: LeadCloseReason[] = [
  { key: 'no_need', label: '无需求', status: 'closed' },
  { key: 'bought_competitor', label: '已购竞品', status: 'closed' },
  { key: 'unreachable', label: '联系不上', status: 'closed' },
  { key: 'no_budget', label: '预算不足', status: 'closed' },
  { key: 'invalid_number', label: '无效号码', status: 'invalid' },
  { key: 'duplicate', label: '重复线索', status: 'invalid' },
  { key: 'fake_info', label: '虚假信息', status: 'invalid' },
]
export const DEFAULT_RELEASE_REASONS = ['暂无需求', '多次联系不上', '客户要求', '不在负责区域', '其他']

const defaults = (): LeadSettings => ({
  closeReasons: DEFAULT_CLOSE_REASONS,
  releaseReasons: DEFAULT_RELEASE_REASONS,
  firstContactSlaHours: 24,
  defaultPublicPoolId: null,
  autoAssign: true,
  autoDistribute: true,
  version: 1,
})

/** The workspace's lead settings, or the defaults while none are saved. */
export async function getLeadSettings(ctx: Ctx): Promise<LeadSettings> {
  const [row] = await ctx.db.select().from(leadSettings).where(eq(leadSettings.tenantId, ctx.actor.tenantId))
  if (!row) return defaults()
  const { tenantId: _t, updatedAt: _u, ...rest } = row
  return rest
}

export type LeadSettingsInput = Partial<Omit<LeadSettings, 'version'>> & { version?: number }

async function check(ctx: Ctx, input: LeadSettingsInput): Promise<void> {
  const errors: FieldError[] = []
  const seen = new Set<string>()
  input.closeReasons?.forEach((r, i) => {
    if (seen.has(r.key))
      errors.push({ field: `closeReasons[${i}].key`, code: 'duplicate_key', params: { value: r.key } })
    seen.add(r.key)
  })
  if (input.closeReasons && !input.closeReasons.some((r) => r.status === 'closed'))
    errors.push({ field: 'closeReasons', code: 'required', params: { status: 'closed' } })
  if (input.closeReasons && !input.closeReasons.some((r) => r.status === 'invalid'))
    errors.push({ field: 'closeReasons', code: 'required', params: { status: 'invalid' } })
  if (input.defaultPublicPoolId) {
    const [pool] = await ctx.db
      .select({ kind: leadPools.kind })
      .from(leadPools)
      .where(and(eq(leadPools.tenantId, ctx.actor.tenantId), eq(leadPools.id, input.defaultPublicPoolId)))
    if (!pool) errors.push({ field: 'defaultPublicPoolId', code: 'invalid_pool' })
    else if (pool.kind !== 'public') errors.push({ field: 'defaultPublicPoolId', code: 'not_public_pool' })
  }
  if (errors.length) throw validationFailed(errors)
}

/** Saves the settings (a stale `version` gets 409 with the current ones); audited as one object. */
export async function putLeadSettings(ctx: Ctx, input: LeadSettingsInput): Promise<LeadSettings> {
  await check(ctx, input)
  return inTransaction(ctx, async (tx) => {
    const tenantId = tx.actor.tenantId
    const [stored] = await tx.db
      .select()
      .from(leadSettings)
      .where(eq(leadSettings.tenantId, tenantId))
      .for('update')
    const current = stored ?? { ...defaults(), tenantId }
    const { version, ...fields } = input
    if (version !== undefined && version !== current.version)
      throw conflict((await getLeadSettings(tx)) as unknown as Record<string, unknown>)
    const values = { ...fields, updatedAt: new Date() }
    const [row] = stored
      ? await tx.db
          .update(leadSettings)
          .set({ ...values, version: current.version + 1 })
          .where(eq(leadSettings.tenantId, tenantId))
          .returning()
      : await tx.db
          .insert(leadSettings)
          .values({ ...defaults(), ...values, tenantId, version: 2 })
          .onConflictDoNothing()
          .returning()
    // Two first saves at once: the loser saw no row and lost the insert; its save is stale.
    if (!row) throw conflict((await getLeadSettings(tx)) as unknown as Record<string, unknown>)
    const { tenantId: _t, updatedAt: _u, ...after } = row
    const { tenantId: _t2, updatedAt: _u2, ...before } = current as typeof row
    const changes = diff(before, after)
    if (changes)
      await writeAudit(tx, [
        {
          action: 'update',
          objectType: 'lead_settings',
          objectId: tenantId,
          summary: '线索设置',
          ...changes,
        },
      ])
    return after
  })
}

/** The configured close reason for a terminal status, or undefined when the key is not one of them. */
export function closeReasonOf(settings: LeadSettings, status: string, key: string | null | undefined) {
  return settings.closeReasons.find((r) => r.key === key && r.status === status)
}

import { eq } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { diff, writeAudit } from '../../platform/audit/service.js'
import { inTransaction } from '../../platform/db/tx.js'
import { conflict, type FieldError, validationFailed } from '../../platform/http/errors.js'
import { salesSettings } from './settings.schema.js'

export type SalesSettings = Omit<typeof salesSettings.$inferSelect, 'tenantId' | 'updatedAt' | 'groupMedians'>

export const SALES_DEFAULTS: SalesSettings = {
  quoteApprovalDiscountPct: 15,
  quoteValidDays: 30,
  quoteNumberPrefix: 'Q',
  orderNumberPrefix: 'SO',
  lostReasons: ['价格', '竞争对手', '需求变化', '预算不足', '无响应'],
  wonReasons: ['产品匹配', '价格优势', '服务', '关系'],
  customerGroups: { windowDays: 365, highValue: null, highFrequency: null },
  version: 0,
}

/** Won/lost reason that is always accepted besides the configured ones, with a note saying what it was. */
export const OTHER_REASON = 'other'

/** The workspace's sales settings, or the defaults until someone saves them (version 0). */
export async function getSalesSettings(ctx: Ctx): Promise<SalesSettings> {
  const [row] = await ctx.db
    .select()
    .from(salesSettings)
    .where(eq(salesSettings.tenantId, ctx.actor.tenantId))
  if (!row) return { ...SALES_DEFAULTS }
  const { tenantId: _t, updatedAt: _u, groupMedians: _m, ...rest } = row
  return rest
}

export type SalesSettingsInput = Partial<Omit<SalesSettings, 'version'>> & { version?: number }

const PREFIX = /^[A-Za-z0-9]{1,10}$/
const intIn = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max

function checkReasons(list: string[] | undefined, field: string, errors: FieldError[]) {
  if (list === undefined) return
  if (list.length < 1 || list.length > 50) errors.push({ field, code: 'invalid_value' })
  const seen = new Set<string>()
  for (const [i, r] of list.entries()) {
    const v = typeof r === 'string' ? r.trim() : ''
    if (!v || v.length > 40 || v === OTHER_REASON)
      errors.push({ field: `${field}[${i}]`, code: 'invalid_value' })
    else if (seen.has(v)) errors.push({ field: `${field}[${i}]`, code: 'not_unique' })
    seen.add(v)
  }
}

/** Field rules: percentages 0–100, validity 1–365 days, short prefixes, non-empty unique reason lists, a sane group rule. */
function check(input: SalesSettingsInput): void {
  const errors: FieldError[] = []
  const pct = input.quoteApprovalDiscountPct
  if (pct !== undefined && !(Number.isFinite(pct) && pct >= 0 && pct <= 100))
    errors.push({ field: 'quoteApprovalDiscountPct', code: 'invalid_value' })
  if (input.quoteValidDays !== undefined && !intIn(input.quoteValidDays, 1, 365))
    errors.push({ field: 'quoteValidDays', code: 'invalid_value' })
  for (const key of ['quoteNumberPrefix', 'orderNumberPrefix'] as const)
    if (input[key] !== undefined && !PREFIX.test(input[key]!))
      errors.push({ field: key, code: 'pattern_mismatch' })
  checkReasons(input.lostReasons, 'lostReasons', errors)
  checkReasons(input.wonReasons, 'wonReasons', errors)
  const g = input.customerGroups
  if (g) {
    if (!intIn(g.windowDays, 1, 3650))
      errors.push({ field: 'customerGroups.windowDays', code: 'invalid_value' })
    if (g.highValue !== null && !intIn(g.highValue, 0, Number.MAX_SAFE_INTEGER))
      errors.push({ field: 'customerGroups.highValue', code: 'invalid_value' })
    if (g.highFrequency !== null && !intIn(g.highFrequency, 1, 100_000))
      errors.push({ field: 'customerGroups.highFrequency', code: 'invalid_value' })
  }
  if (errors.length) throw validationFailed(errors)
}

/**
 * Saves the sales settings (partial: fields left out keep their value). A stale `version` gets 409
 * with the current settings; two first saves at once: the loser's is stale. Audited as one object.
 */
export async function updateSalesSettings(ctx: Ctx, input: SalesSettingsInput): Promise<SalesSettings> {
  check(input)
  return inTransaction(ctx, async (tx) => {
    const tenantId = tx.actor.tenantId
    const [stored] = await tx.db
      .select()
      .from(salesSettings)
      .where(eq(salesSettings.tenantId, tenantId))
      .for('update')
    const { version, ...fields } = input
    for (const key of ['lostReasons', 'wonReasons'] as const)
      if (fields[key]) fields[key] = fields[key]!.map((r) => r.trim())
    const current = stored ?? { ...SALES_DEFAULTS, tenantId, updatedAt: new Date() }
    const stale = async () => conflict((await getSalesSettings(tx)) as unknown as Record<string, unknown>)
    if (version !== undefined && version !== current.version) throw await stale()
    const values = { ...fields, updatedAt: new Date() }
    const [row] = stored
      ? await tx.db
          .update(salesSettings)
          .set({ ...values, version: current.version + 1 })
          .where(eq(salesSettings.tenantId, tenantId))
          .returning()
      : await tx.db
          .insert(salesSettings)
          .values({ ...SALES_DEFAULTS, ...values, tenantId, version: 1 })
          .onConflictDoNothing()
          .returning()
    if (!row) throw await stale()
    const { tenantId: _t, updatedAt: _u, groupMedians: _m, ...after } = row
    const { tenantId: _t2, updatedAt: _u2, groupMedians: _m2, ...before } = current as typeof row
    const changes = diff(before, after)
    if (changes)
      await writeAudit(tx, [
        {
          action: 'update',
          objectType: 'sales_settings',
          objectId: tenantId,
          summary: '销售设置',
          ...changes,
        },
      ])
    return after
  })
}

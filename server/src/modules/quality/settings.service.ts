import { asc, eq } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { dedupeRules, type QualitySettingsValue, qualitySettings } from './schema.js'

export const DEFAULT_SETTINGS: QualitySettingsValue = {
  validation: {
    mobile: 'flag',
    phone: 'flag',
    email: 'flag',
    disposableEmail: 'flag',
    wechat: 'reject',
    creditCode: 'flag',
  },
  survivorship: { default: 'newest', channelPriority: [] },
  grades: { A: 80, B: 60, C: 30 },
}

export interface DedupeRule {
  id: string | null
  name: string
  priority: number
  enabled: boolean
  conditions: (typeof dedupeRules.$inferSelect)['conditions']
  scope: (typeof dedupeRules.$inferSelect)['scope']
  action: (typeof dedupeRules.$inferSelect)['action']
}

/**
 * The rules a workspace starts with (used while it has none of its own): any shared exact key is
 * the same person, merged within the same org; a close name at the same company, or the same name
 * in the same region, only goes to the review queue, because people share names.
 */
export const DEFAULT_RULES: DedupeRule[] = [
  ['同一手机号', 'mobile'],
  ['同一邮箱', 'email'],
  ['同一微信 UnionID', 'unionid'],
  ['同一微信 OpenID', 'openid'],
  ['同一统一社会信用代码', 'creditCode'],
  ['同一渠道外部编号', 'externalId'],
  ['同一设备', 'deviceId'],
  ['同一座机', 'phone'],
].map(([name, field], i) => ({
  id: null,
  name: name!,
  priority: (i + 1) * 10,
  enabled: true,
  conditions: [{ field: field as DedupeRule['conditions'][number]['field'], match: 'exact' as const }],
  scope: { sameOrg: true, ...(field === 'externalId' ? { sameChannel: true } : {}) },
  action: 'merge' as const,
}))
DEFAULT_RULES.push(
  {
    id: null,
    name: '姓名相近且同一公司',
    priority: 100,
    enabled: true,
    conditions: [
      { field: 'name', match: 'fuzzy', threshold: 0.8 },
      { field: 'company', match: 'exact' },
    ],
    scope: { sameOrg: true },
    action: 'review',
  },
  {
    id: null,
    name: '同名且公司相近',
    priority: 110,
    enabled: true,
    conditions: [
      { field: 'name', match: 'exact' },
      { field: 'company', match: 'fuzzy', threshold: 0.75 },
    ],
    scope: { sameOrg: true },
    action: 'review',
  },
)

export async function loadSettings(ctx: Ctx): Promise<QualitySettingsValue> {
  const [row] = await ctx.db
    .select({ value: qualitySettings.value })
    .from(qualitySettings)
    .where(eq(qualitySettings.tenantId, ctx.actor.tenantId))
  if (!row) return DEFAULT_SETTINGS
  return {
    validation: { ...DEFAULT_SETTINGS.validation, ...row.value.validation },
    survivorship: { ...DEFAULT_SETTINGS.survivorship, ...row.value.survivorship },
    grades: { ...DEFAULT_SETTINGS.grades, ...row.value.grades },
  }
}

/** The workspace's enabled rules by priority, or the defaults while it has defined none. */
export async function loadRules(ctx: Ctx): Promise<DedupeRule[]> {
  const rows = await ctx.db
    .select()
    .from(dedupeRules)
    .where(eq(dedupeRules.tenantId, ctx.actor.tenantId))
    .orderBy(asc(dedupeRules.priority))
  if (rows.length === 0) return DEFAULT_RULES
  return rows.filter((r) => r.enabled)
}

import type { Locale } from '../../platform/i18n/messages.js'

/**
 * The shipped dedupe and scoring rules are named in Simplified Chinese. Until a workspace renames
 * them they are product text, not workspace data, so they are shown in the reader's language.
 */
const NAMES: Record<string, Record<Exclude<Locale, 'zh-CN'>, string>> = {
  同一手机号: { 'zh-TW': '同一手機號', en: 'Same mobile number' },
  同一邮箱: { 'zh-TW': '同一電子郵件', en: 'Same email' },
  '同一微信 UnionID': { 'zh-TW': '同一微信 UnionID', en: 'Same WeChat UnionID' },
  '同一微信 OpenID': { 'zh-TW': '同一微信 OpenID', en: 'Same WeChat OpenID' },
  同一统一社会信用代码: { 'zh-TW': '同一統一社會信用代碼', en: 'Same unified social credit code' },
  同一渠道外部编号: { 'zh-TW': '同一渠道外部編號', en: "Same id in the channel's own system" },
  同一设备: { 'zh-TW': '同一裝置', en: 'Same device' },
  同一座机: { 'zh-TW': '同一市話', en: 'Same landline' },
  姓名相近且同一公司: { 'zh-TW': '姓名相近且同一公司', en: 'Similar name at the same company' },
  同名且公司相近: { 'zh-TW': '同名且公司相近', en: 'Same name at a similar company' },
  资料完整度: { 'zh-TW': '資料完整度', en: 'Profile completeness' },
  有手机号: { 'zh-TW': '有手機號', en: 'Has a mobile number' },
  多次意向: { 'zh-TW': '多次意向', en: 'Repeated intent' },
  '近 30 天有意向': { 'zh-TW': '近 30 天有意向', en: 'Intent in the last 30 days' },
  '近 30 天浏览 ≥ 3 次': { 'zh-TW': '近 30 天瀏覽 ≥ 3 次', en: '≥ 3 views in the last 30 days' },
}

/** A rule's name as the reader sees it: a shipped name in their language, any other name as saved. */
export function ruleName(name: string, locale: Locale): string {
  return locale === 'zh-CN' ? name : (NAMES[name]?.[locale] ?? name)
}

/** The same for a list of rules. */
export function withRuleNames<T extends { name: string }>(rules: T[], locale: Locale): T[] {
  return locale === 'zh-CN' ? rules : rules.map((r) => ({ ...r, name: ruleName(r.name, locale) }))
}

export const SHIPPED_RULE_NAMES = Object.keys(NAMES)

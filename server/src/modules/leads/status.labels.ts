import type { Locale } from '../../platform/i18n/messages.js'
import type { LEAD_STATUSES } from './service.js'

/** What each lead status is called in the three languages (profile conditions, list export). */
export const LEAD_STATUS_LABELS: Record<(typeof LEAD_STATUSES)[number], Record<Locale, string>> = {
  new: { 'zh-CN': '新线索', 'zh-TW': '新線索', en: 'New' },
  assigned: { 'zh-CN': '已分配', 'zh-TW': '已分配', en: 'Assigned' },
  following: { 'zh-CN': '跟进中', 'zh-TW': '跟進中', en: 'Following up' },
  qualified: { 'zh-CN': '已确认', 'zh-TW': '已確認', en: 'Qualified' },
  converted: { 'zh-CN': '已转化', 'zh-TW': '已轉化', en: 'Converted' },
  closed: { 'zh-CN': '已关闭', 'zh-TW': '已關閉', en: 'Closed' },
  invalid: { 'zh-CN': '无效', 'zh-TW': '無效', en: 'Invalid' },
}

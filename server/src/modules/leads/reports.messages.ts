import { registerMessages } from '../../platform/i18n/messages.js'

registerMessages({
  ends_before_start: {
    'zh-CN': '结束日期不能早于开始日期',
    'zh-TW': '結束日期不能早於開始日期',
    en: 'The end date is before the start date',
  },
  range_too_long: {
    'zh-CN': '日期范围不能超过 {max} 天',
    'zh-TW': '日期範圍不能超過 {max} 天',
    en: 'The date range can span at most {max} days',
  },
})

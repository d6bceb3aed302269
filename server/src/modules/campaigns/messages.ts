import { registerMessages } from '../../platform/i18n/messages.js'

registerMessages({
  invalid_code: {
    'zh-CN': '编码只能包含字母、数字和 - _ .，且以字母或数字开头',
    'zh-TW': '編碼只能包含字母、數字和 - _ .，且以字母或數字開頭',
    en: 'Use letters, digits and - _ . only, starting with a letter or digit',
  },
  ends_before_start: {
    'zh-CN': '结束日期不能早于开始日期',
    'zh-TW': '結束日期不能早於開始日期',
    en: 'The end date is before the start date',
  },
  not_negative: {
    'zh-CN': '不能为负数',
    'zh-TW': '不能為負數',
    en: 'Must not be negative',
  },
})

import { registerMessages } from '../../../platform/i18n/messages.js'

/** The person directory's filter errors. */
registerMessages({
  unknown_tag: {
    'zh-CN': '标签不存在',
    'zh-TW': '標籤不存在',
    en: 'Unknown tag',
  },
  unknown_segment: {
    'zh-CN': '人群不存在',
    'zh-TW': '人群不存在',
    en: 'Unknown segment',
  },
})

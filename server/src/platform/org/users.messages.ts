import { registerMessages } from '../i18n/messages.js'

registerMessages({
  last_admin: {
    'zh-CN': '至少需要保留一位启用状态的系统管理员',
    'zh-TW': '至少需要保留一位啟用中的系統管理員',
    en: 'At least one active administrator must remain',
  },
  cannot_disable_self: {
    'zh-CN': '不能停用自己',
    'zh-TW': '不能停用自己',
    en: 'You cannot disable yourself',
  },
})

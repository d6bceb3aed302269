import { registerMessages } from '../i18n/messages.js'

registerMessages({
  invitation_invalid: {
    'zh-CN': '邀请链接无效、已使用或已过期',
    'zh-TW': '邀請連結無效、已使用或已過期',
    en: 'This invitation link is invalid, used or expired',
  },
})

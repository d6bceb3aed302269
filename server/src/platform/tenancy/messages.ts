import { registerMessages } from '../i18n/messages.js'

registerMessages({
  invalid_slug: {
    'zh-CN': '只能包含小写字母、数字和连字符',
    'zh-TW': '只能包含小寫字母、數字和連字號',
    en: 'Lowercase letters, digits and dashes only',
  },
  workspace_required: { 'zh-CN': '请填写工作区', 'zh-TW': '請填寫工作區', en: 'Enter the workspace' },
})

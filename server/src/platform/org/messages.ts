import { registerMessages } from '../i18n/messages.js'

registerMessages({
  invalid_unit: {
    'zh-CN': '组织单元不存在或不在您的范围内',
    'zh-TW': '組織單元不存在或不在您的範圍內',
    en: 'Unknown org unit, or outside your scope',
  },
  unit_cycle: {
    'zh-CN': '不能移动到自身或其下级单元',
    'zh-TW': '不能移動到自身或其下級單元',
    en: 'A unit cannot move under itself',
  },
  root_unit_fixed: {
    'zh-CN': '总部单元不能移动或修改类型',
    'zh-TW': '總部單元不能移動或修改類型',
    en: 'The root company cannot be moved or retyped',
  },
  unit_not_empty: {
    'zh-CN': '该单元仍有下级单元、用户或业务数据，不能删除',
    'zh-TW': '該單元仍有下級單元、使用者或業務資料，不能刪除',
    en: 'The unit still has sub-units, users or records',
  },
  role_in_use: {
    'zh-CN': '该角色仍有用户或 API 密钥使用',
    'zh-TW': '該角色仍有使用者或 API 金鑰使用',
    en: 'The role is still assigned to users or API keys',
  },
  builtin_role: {
    'zh-CN': '预置角色不能删除',
    'zh-TW': '預置角色不能刪除',
    en: 'Ready-made roles cannot be deleted',
  },
  unknown_permission: {
    'zh-CN': '未知权限：{permission}',
    'zh-TW': '未知權限：{permission}',
    en: 'Unknown permission: {permission}',
  },
  cannot_delete_self: { 'zh-CN': '不能删除自己', 'zh-TW': '不能刪除自己', en: 'You cannot delete yourself' },
  in_use: {
    'zh-CN': '记录仍被其他数据引用，不能删除',
    'zh-TW': '記錄仍被其他資料引用，不能刪除',
    en: 'The record is still referenced by other data',
  },
})

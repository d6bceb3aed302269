import { registerMessages } from '../../platform/i18n/messages.js'

/** Distribution, assignment, schedules, leaves and handover. */
registerMessages({
  routing_pool_unknown: {
    'zh-CN': '线索池不存在或不在您的数据范围内',
    'zh-TW': '線索池不存在或不在您的資料範圍內',
    en: 'Unknown pool, or outside your data scope',
  },
  routing_target_required: {
    'zh-CN': '请指定目标线索池或目标组织',
    'zh-TW': '請指定目標線索池或目標組織',
    en: 'Name a target pool or a target org unit',
  },
  routing_pool_org_mismatch: {
    'zh-CN': '目标线索池不属于目标组织',
    'zh-TW': '目標線索池不屬於目標組織',
    en: 'The target pool does not belong to the target org unit',
  },
  routing_duplicate_member: {
    'zh-CN': '成员重复',
    'zh-TW': '成員重複',
    en: 'This person is listed twice',
  },
  routing_unknown_rule: {
    'zh-CN': '规则不存在',
    'zh-TW': '規則不存在',
    en: 'Unknown rule',
  },
  routing_owner_inactive: {
    'zh-CN': '该用户已停用',
    'zh-TW': '該使用者已停用',
    en: 'This user is disabled',
  },
  routing_same_user: {
    'zh-CN': '移交人和接收人不能相同',
    'zh-TW': '移交人和接收人不能相同',
    en: 'Hand over to a different person',
  },
  schedule_end_before_start: {
    'zh-CN': '下班时间须晚于上班时间',
    'zh-TW': '下班時間須晚於上班時間',
    en: 'The end of the working day must be after its start',
  },
  leave_end_before_start: {
    'zh-CN': '结束时间须晚于开始时间',
    'zh-TW': '結束時間須晚於開始時間',
    en: 'The end must be after the start',
  },
  notify_assigned_title: {
    'zh-CN': '您有 {count} 条新分配的线索',
    'zh-TW': '您有 {count} 條新分配的線索',
    en: '{count} lead(s) assigned to you',
  },
  notify_assigned_body: {
    'zh-CN': '请尽快首次联系',
    'zh-TW': '請盡快首次聯繫',
    en: 'Please make first contact soon',
  },
  notify_handover_title: {
    'zh-CN': '{from} 的工作已移交给您（{count} 条线索）',
    'zh-TW': '{from} 的工作已移交給您（{count} 條線索）',
    en: "{from}'s work has been handed over to you ({count} leads)",
  },
})

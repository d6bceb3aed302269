import { registerMessages } from '../../platform/i18n/messages.js'

/** Error codes of follow-ups, attachments and sales scripts, and the texts of the reminders they send. */
registerMessages({
  occurred_in_future: {
    'zh-CN': '跟进时间不能晚于现在',
    'zh-TW': '跟進時間不能晚於現在',
    en: 'Cannot be in the future',
  },
  next_before_occurred: {
    'zh-CN': '下次跟进时间不能早于本次跟进时间',
    'zh-TW': '下次跟進時間不能早於本次跟進時間',
    en: 'The next follow-up cannot be before this one',
  },
  invalid_attachment: {
    'zh-CN': '附件不存在，请重新上传',
    'zh-TW': '附件不存在，請重新上傳',
    en: 'Unknown attachment; upload it again',
  },
  attachment_no_file: {
    'zh-CN': '请选择要上传的文件',
    'zh-TW': '請選擇要上傳的檔案',
    en: 'Choose a file to upload',
  },
  attachment_too_large: {
    'zh-CN': '附件过大（上限 {maxMb} MB）',
    'zh-TW': '附件過大（上限 {maxMb} MB）',
    en: 'The attachment is too large (limit {maxMb} MB)',
  },
  // Reminder texts, in the recipient's language.
  notify_followup_due_title: {
    'zh-CN': '跟进提醒：{lead}',
    'zh-TW': '跟進提醒：{lead}',
    en: 'Follow-up due: {lead}',
  },
  notify_followup_due_body: {
    'zh-CN': '下一步：{step}（{time}）',
    'zh-TW': '下一步：{step}（{time}）',
    en: 'Next step: {step} ({time})',
  },
  notify_followup_overdue_title: {
    'zh-CN': '跟进已逾期：{lead}',
    'zh-TW': '跟進已逾期：{lead}',
    en: 'Follow-up overdue: {lead}',
  },
  notify_followup_overdue_body: {
    'zh-CN': '{owner} 的下一步“{step}”应于 {time} 完成，至今没有新的跟进记录',
    'zh-TW': '{owner} 的下一步「{step}」應於 {time} 完成，至今沒有新的跟進記錄',
    en: '{owner}’s next step “{step}” was due {time}; no follow-up has been recorded since',
  },
  notify_sla_missed_title: {
    'zh-CN': '首次联系超时：{lead}',
    'zh-TW': '首次聯繫逾時：{lead}',
    en: 'First contact overdue: {lead}',
  },
  notify_sla_missed_body: {
    'zh-CN': '{owner} 于 {time} 接手，超过 {hours} 小时仍未首次联系',
    'zh-TW': '{owner} 於 {time} 接手，超過 {hours} 小時仍未首次聯繫',
    en: '{owner} took it over {time} and has not contacted it within {hours} hours',
  },
  notify_no_step: { 'zh-CN': '跟进', 'zh-TW': '跟進', en: 'follow up' },
})

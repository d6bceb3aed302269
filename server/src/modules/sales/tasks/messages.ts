import '../../leads/reports.messages.js'
import { registerMessages } from '../../../platform/i18n/messages.js'

/**
 * Tasks and calendar (日程). Also uses the shared codes required, invalid_user, invalid_option and
 * (from the lead reports) ends_before_start and range_too_long.
 */
registerMessages({
  task_read_only: {
    'zh-CN': '您是该日程的参与人，但无权修改它',
    'zh-TW': '您是該日程的參與人，但無權修改它',
    en: 'You take part in this task but may not change it',
  },
  task_not_participant: {
    'zh-CN': '只有被邀请的参与人才能答复',
    'zh-TW': '只有被邀請的參與人才能答覆',
    en: 'Only people invited to the task can respond',
  },
  task_contact_not_of_subject: {
    'zh-CN': '联系人不属于该日程关联的客户',
    'zh-TW': '聯絡人不屬於該日程關聯的客戶',
    en: 'The contact does not belong to the customer the task is about',
  },
  task_reminder_needs_time: {
    'zh-CN': '设置提醒需要开始时间或截止时间',
    'zh-TW': '設定提醒需要開始時間或截止時間',
    en: 'A reminder needs a start or due time',
  },
  // Notifications (in the recipient's language)
  notify_task_invite_title: {
    'zh-CN': '{owner} 邀请您参加：{title}',
    'zh-TW': '{owner} 邀請您參加：{title}',
    en: '{owner} invited you: {title}',
  },
  notify_task_remind_title: {
    'zh-CN': '日程提醒：{title}',
    'zh-TW': '日程提醒：{title}',
    en: 'Reminder: {title}',
  },
  notify_task_overdue_title: {
    'zh-CN': '任务已逾期：{title}',
    'zh-TW': '任務已逾期：{title}',
    en: 'Task overdue: {title}',
  },
  notify_task_time_body: {
    'zh-CN': '时间：{time}',
    'zh-TW': '時間：{time}',
    en: 'When: {time}',
  },
  notify_task_response_title: {
    'zh-CN': '{name} {response}：{title}',
    'zh-TW': '{name} {response}：{title}',
    en: '{name} {response}: {title}',
  },
  task_response_accepted: { 'zh-CN': '已接受', 'zh-TW': '已接受', en: 'accepted' },
  task_response_declined: { 'zh-CN': '已拒绝', 'zh-TW': '已拒絕', en: 'declined' },
  task_response_pending: { 'zh-CN': '待定', 'zh-TW': '待定', en: 'has not decided' },
})

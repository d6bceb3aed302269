import { registerMessages } from '../i18n/messages.js'

registerMessages({
  job_not_cancellable: {
    'zh-CN': '该任务已结束，无法取消',
    'zh-TW': '該任務已結束，無法取消',
    en: 'This job has already finished and cannot be cancelled',
  },
  job_not_retryable: {
    'zh-CN': '只有失败或已取消的任务可以重试',
    'zh-TW': '只有失敗或已取消的任務可以重試',
    en: 'Only failed or cancelled jobs can be retried',
  },
})

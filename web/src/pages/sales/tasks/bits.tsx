import { Tag } from 'antd'
import { useTranslation } from 'react-i18next'
import './i18n.js'

export const TASK_KINDS = ['task', 'meeting', 'call', 'visit'] as const
export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const
/** Calendar entries: tasks and meetings, plus the next steps of follow-ups. */
export const KIND_COLORS: Record<string, string> = {
  task: 'blue',
  meeting: 'purple',
  call: 'cyan',
  visit: 'green',
  follow_up: 'orange',
}

const STATUS_COLORS: Record<string, string> = { open: 'processing', done: 'success', cancelled: 'default' }

export function TaskStatusTag({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'}>
      {t(`tasks.status.${status}`, { defaultValue: status })}
    </Tag>
  )
}

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation()
  return (
    <Tag color={KIND_COLORS[kind] ?? 'default'} style={{ marginInlineEnd: 4 }}>
      {t(`tasks.kind.${kind}`, { defaultValue: kind })}
    </Tag>
  )
}

import { CheckOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Descriptions, Drawer, Popconfirm, Space, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import { why } from '../../pools/outcome.js'
import { useFormat } from '../format.js'
import { subjectPath, type Task, tasksApi } from './api.js'
import { KindTag, TaskStatusTag } from './bits.js'
import './i18n.js'
import { TaskModal } from './TaskModal.js'

const RESPONSE_COLORS: Record<string, string> = { accepted: 'success', declined: 'error', pending: 'default' }

/** Complete, accept/decline, delete: the actions on one task, refreshing every list that shows it. */
export function useTaskActions() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [busy, setBusy] = useState<string | null>(null)
  const run = async (key: string, work: () => Promise<unknown>, done: string) => {
    setBusy(key)
    try {
      await work()
      message.success(t(done))
      await qc.invalidateQueries({ queryKey: ['tasks'] })
      await qc.invalidateQueries({ queryKey: ['task'] })
      await qc.invalidateQueries({ queryKey: ['calendar'] })
      await qc.invalidateQueries({ queryKey: ['customer360'] })
      return true
    } catch (e) {
      message.error(why(e))
      return false
    } finally {
      setBusy(null)
    }
  }
  return {
    busy,
    complete: (task: Task) => run(`complete:${task.id}`, () => tasksApi.complete(task.id), 'tasks.completed'),
    reopen: (task: Task) => run(`reopen:${task.id}`, () => tasksApi.reopen(task.id), 'tasks.reopened'),
    respond: (task: Task, r: 'accepted' | 'declined') =>
      run(`respond:${task.id}`, () => tasksApi.respond(task.id, r), `tasks.responded.${r}`),
    remove: (task: Task) => run(`remove:${task.id}`, () => tasksApi.remove(task.id), 'tasks.deleted'),
  }
}

/** One task or meeting in a drawer, opened from the calendar or the list. */
export function TaskDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation()
  const can = useCan()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const actions = useTaskActions()
  const [editing, setEditing] = useState(false)
  const q = useQuery({ queryKey: ['task', id], queryFn: () => tasksApi.get(id ?? ''), enabled: !!id })
  const task = q.data
  // The caller's answer when invited (null: not a participant).
  const mine = task?.myResponse ?? null
  const path = subjectPath(task?.subjectType, task?.subjectId)
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={480}
      loading={q.isLoading}
      title={
        task && (
          <Space>
            <KindTag kind={task.kind} />
            {task.title}
          </Space>
        )
      }
      data-testid="task-drawer"
      extra={
        task && (
          <Space>
            {task.status === 'open' && can('tasks.edit') && task.editable && (
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={actions.busy === `complete:${task.id}`}
                onClick={() => actions.complete(task)}
                data-testid="task-complete"
              >
                {t('tasks.complete')}
              </Button>
            )}
            {task.status === 'done' && can('tasks.edit') && task.editable && (
              <Button onClick={() => actions.reopen(task)}>{t('tasks.reopen')}</Button>
            )}
            {can('tasks.edit') && task.editable && (
              <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
            )}
          </Space>
        )
      }
    >
      {task && (
        <>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('common.status')}>
              <TaskStatusTag status={task.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.field.when')}>
              {task.startAt
                ? `${fmt.dateTime(task.startAt)} – ${fmt.dateTime(task.endAt)}`
                : fmt.dateTime(task.dueAt)}
              {task.allDay && <Tag style={{ marginInlineStart: 8 }}>{t('tasks.field.allDay')}</Tag>}
            </Descriptions.Item>
            {task.location && (
              <Descriptions.Item label={t('tasks.field.location')}>{task.location}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('tasks.field.priority')}>
              {t(`tasks.priority.${task.priority}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('tasks.field.owner')}>
              {nameOf(task.ownerId, task.ownerName) ?? '—'}
            </Descriptions.Item>
            {path && (
              <Descriptions.Item
                label={t(`tasks.subject.${task.subjectType}`, { defaultValue: task.subjectType ?? '' })}
              >
                <Link to={path}>{task.subjectName ?? t('tasks.openSubject')}</Link>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('tasks.field.participants')}>
              {task.participants?.length
                ? task.participants.map((p) => (
                    <Tag key={p.userId} color={RESPONSE_COLORS[p.response]}>
                      {p.name ?? nameOf(p.userId)} · {t(`tasks.response.${p.response}`)}
                    </Tag>
                  ))
                : '—'}
            </Descriptions.Item>
            {task.contacts.length > 0 && (
              <Descriptions.Item label={t('tasks.field.contacts')}>
                {task.contacts.map((c) => c.name ?? '—').join('、')}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('tasks.field.remind')}>
              {task.remindMinutesBefore
                ? t('tasks.remind.before', { n: task.remindMinutesBefore })
                : t('tasks.remind.none')}
            </Descriptions.Item>
            {task.description && (
              <Descriptions.Item label={t('tasks.field.description')}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{task.description}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Space style={{ marginTop: 16 }} wrap>
            {mine && task.status === 'open' && (
              <>
                <Button
                  disabled={mine === 'accepted'}
                  onClick={() => actions.respond(task, 'accepted')}
                  data-testid="task-accept"
                >
                  {t('tasks.accept')}
                </Button>
                <Button disabled={mine === 'declined'} onClick={() => actions.respond(task, 'declined')}>
                  {t('tasks.decline')}
                </Button>
              </>
            )}
            {can('tasks.delete') && task.editable && (
              <Popconfirm
                title={t('common.confirmDelete')}
                onConfirm={async () => (await actions.remove(task)) && onClose()}
              >
                <Button danger>{t('common.delete')}</Button>
              </Popconfirm>
            )}
          </Space>
          <TaskModal
            open={editing}
            task={task}
            onClose={() => setEditing(false)}
            onSaved={() => setEditing(false)}
          />
        </>
      )}
    </Drawer>
  )
}

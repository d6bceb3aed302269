import { CheckOutlined } from '@ant-design/icons'
import { Button, Segmented, Space, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useCan, useMe } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import '../../pools/pools.css'
import { useFormat } from '../format.js'
import { subjectPath, type Task, tasksApi } from './api.js'
import { KindTag, TASK_STATUSES, TaskStatusTag } from './bits.js'
import './i18n.js'
import { AddButton, EnumSelect } from '../customers/bits.js'
import { PagedTable, usePaged } from '../customers/PagedTable.js'
import { TaskDrawer, useTaskActions } from './TaskDrawer.js'
import { TaskModal } from './TaskModal.js'

type Scope = 'mine' | 'participating'
const PRIORITY_COLORS: Record<string, string> = { high: 'red', normal: 'blue', low: 'default' }

/** Tasks (任务): my own, or those I take part in; complete them from the list. */
export function TasksPage() {
  const { t } = useTranslation()
  const can = useCan()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const actions = useTaskActions()
  const [params, setParams] = useSearchParams()
  const [scope, setScope] = useState<Scope>('mine')
  const [status, setStatus] = useState<string | undefined>('open')
  const [creating, setCreating] = useState(false)
  // ?open=<id> (from the customer page) opens that task.
  const openId = params.get('open')
  const me = useMe().data?.user?.id
  // Mine: I own it. Participating: I am invited (userId = owner or participant) and someone else owns it.
  const filter = { status, ...(scope === 'mine' ? { ownerId: me } : { userId: me, ownerId: { ne: me } }) }
  const list = usePaged(['tasks', filter], (cursor) => tasksApi.list({ filter, cursor }), !!me)
  const when = (x: Task) => x.startAt ?? x.dueAt
  const columns: ColumnsType<Task> = [
    {
      key: 'title',
      title: t('tasks.field.title'),
      render: (_, x) => (
        <Space size={4}>
          <KindTag kind={x.kind} />
          <Typography.Link onClick={() => setParams({ open: x.id })}>{x.title}</Typography.Link>
        </Space>
      ),
    },
    {
      key: 'when',
      title: t('tasks.field.when'),
      render: (_, x) => {
        const at = when(x)
        const late = x.status === 'open' && at && dayjs(x.endAt ?? at).isBefore(dayjs())
        return <span className={late ? 'haina-overdue' : undefined}>{fmt.dateTime(at)}</span>
      },
    },
    {
      key: 'subject',
      title: t('tasks.field.subject'),
      render: (_, x) => {
        const path = subjectPath(x.subjectType, x.subjectId)
        return path ? <Link to={path}>{x.subjectName ?? t(`tasks.subject.${x.subjectType}`)}</Link> : '—'
      },
    },
    {
      key: 'priority',
      title: t('tasks.field.priority'),
      render: (_, x) => <Tag color={PRIORITY_COLORS[x.priority]}>{t(`tasks.priority.${x.priority}`)}</Tag>,
    },
    { key: 'owner', title: t('tasks.field.owner'), render: (_, x) => nameOf(x.ownerId, x.ownerName) ?? '—' },
    { key: 'status', title: t('common.status'), render: (_, x) => <TaskStatusTag status={x.status} /> },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, x) =>
        x.status === 'open' &&
        x.editable &&
        can('tasks.edit') && (
          <Button
            size="small"
            icon={<CheckOutlined />}
            loading={actions.busy === `complete:${x.id}`}
            onClick={() => actions.complete(x)}
            data-testid="task-complete-row"
          >
            {t('tasks.complete')}
          </Button>
        ),
    },
  ]
  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.tasks')}</Typography.Title>
      <div className="haina-toolbar">
        <Segmented
          value={scope}
          onChange={(v) => setScope(v as Scope)}
          options={[
            { value: 'mine', label: t('tasks.scope.mine') },
            { value: 'participating', label: t('tasks.scope.participating') },
          ]}
          data-testid="task-scope"
        />
        <EnumSelect
          values={TASK_STATUSES}
          labels="tasks.status"
          placeholder={t('common.status')}
          width={130}
          value={status}
          onChange={setStatus}
        />
        <span style={{ flex: 1 }} />
        <AddButton allowed={can('tasks.create')} onClick={() => setCreating(true)} testId="task-new">
          {t('tasks.new')}
        </AddButton>
      </div>
      <PagedTable query={list} columns={columns} testId="tasks-table" />
      <TaskDrawer id={openId} onClose={() => setParams({}, { replace: true })} />
      <TaskModal open={creating} onClose={() => setCreating(false)} onSaved={() => setCreating(false)} />
    </>
  )
}

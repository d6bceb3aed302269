import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Badge, Button, Calendar, Card, Modal, Segmented, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { useFormat } from '../format.js'
import { type CalendarItem, subjectPath, tasksApi } from './api.js'
import { KIND_COLORS, KindTag } from './bits.js'
import './i18n.js'
import '../../pools/pools.css'
import './tasks.css'
import { AddButton } from '../customers/bits.js'
import { TaskDrawer } from './TaskDrawer.js'
import { type TaskDefaults, TaskModal } from './TaskModal.js'

type Mode = 'month' | 'week'

/** The visible days: the month's grid (six weeks from the Monday before the 1st), or one week. */
function rangeOf(mode: Mode, at: Dayjs): [Dayjs, Dayjs] {
  if (mode === 'week') {
    const start = at.subtract((at.day() + 6) % 7, 'day').startOf('day')
    return [start, start.add(7, 'day')]
  }
  const first = at.startOf('month')
  const start = first.subtract((first.day() + 6) % 7, 'day')
  return [start, start.add(42, 'day')]
}

/** Calendar (日程): tasks, meetings and the next steps of follow-ups, by month or week. */
export function CalendarPage() {
  const { t } = useTranslation()
  const can = useCan()
  const fmt = useFormat()
  const users = useUsers(can('users.view')).data?.items ?? []
  // A phone shows the week: a month grid has no room for the entries.
  const [mode, setMode] = useState<Mode>(() =>
    window.matchMedia?.('(max-width: 767px)').matches ? 'week' : 'month',
  )
  const [at, setAt] = useState(() => dayjs())
  const [userIds, setUserIds] = useState<string[]>([])
  const [openTask, setOpenTask] = useState<string | null>(null)
  const [followUp, setFollowUp] = useState<CalendarItem | null>(null)
  const [creating, setCreating] = useState<TaskDefaults | null>(null)
  const [from, to] = rangeOf(mode, at)
  const items = useQuery({
    queryKey: ['calendar', from.toISOString(), to.toISOString(), userIds],
    queryFn: () => tasksApi.calendar(from.toISOString(), to.toISOString(), userIds),
  })
  const byDay = new Map<string, CalendarItem[]>()
  for (const i of items.data ?? []) {
    const k = fmt.dayKey(i.start)
    byDay.set(k, [...(byDay.get(k) ?? []), i])
  }
  for (const list of byDay.values())
    list.sort((a, b) => Number(b.allDay) - Number(a.allDay) || a.start.localeCompare(b.start))
  const open = (i: CalendarItem) => (i.kind === 'follow_up' ? setFollowUp(i) : setOpenTask(i.id))

  const entry = (i: CalendarItem, long = false) => (
    <button
      type="button"
      key={`${i.kind}:${i.id}`}
      className={`haina-cal-item${i.status === 'done' ? ' is-done' : ''}`}
      style={{ borderInlineStartColor: `var(--cal-${KIND_COLORS[i.kind] ?? 'blue'})` }}
      onClick={(e) => {
        e.stopPropagation()
        open(i)
      }}
      title={i.title}
      data-testid="calendar-item"
    >
      {!i.allDay && <span className="haina-cal-time">{fmt.time(i.start)}</span>}
      <span className="haina-cal-title">{i.title}</span>
      {long && i.subjectName && <span className="haina-cal-subject">{i.subjectName}</span>}
    </button>
  )
  const step = (n: number) => setAt((d) => d.add(n, mode === 'week' ? 'week' : 'month'))
  const title =
    mode === 'week'
      ? `${fmt.date(from.toISOString())} – ${fmt.date(to.subtract(1, 'day').toISOString())}`
      : fmt.month(at.toDate())

  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.calendar')}</Typography.Title>
      <div className="haina-toolbar">
        <Space.Compact>
          <Button icon={<LeftOutlined />} onClick={() => step(-1)} aria-label={t('tasks.calendar.prev')} />
          <Button onClick={() => setAt(dayjs())}>{t('tasks.calendar.today')}</Button>
          <Button icon={<RightOutlined />} onClick={() => step(1)} aria-label={t('tasks.calendar.next')} />
        </Space.Compact>
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="calendar-title">
          {title}
        </Typography.Text>
        <Segmented
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          options={[
            { value: 'month', label: t('tasks.calendar.month') },
            { value: 'week', label: t('tasks.calendar.week') },
          ]}
        />
        {can('users.view') && (
          <Select
            mode="multiple"
            allowClear
            maxTagCount="responsive"
            placeholder={t('tasks.calendar.people')}
            style={{ minWidth: 200 }}
            value={userIds}
            onChange={setUserIds}
            showSearch={{ optionFilterProp: 'label' }}
            options={users.map((u) => ({ value: u.id, label: u.name }))}
          />
        )}
        <span style={{ flex: 1 }} />
        <Space size={[12, 4]} wrap className="haina-cal-legend">
          {Object.keys(KIND_COLORS).map((k) => (
            <Badge key={k} color={KIND_COLORS[k]} text={t(`tasks.kind.${k}`)} />
          ))}
        </Space>
        <AddButton allowed={can('tasks.create')} onClick={() => setCreating({ date: at })} testId="task-new">
          {t('tasks.new')}
        </AddButton>
      </div>
      {mode === 'month' ? (
        <Card size="small" className="haina-cal" data-testid="calendar-month">
          <Calendar
            value={at}
            headerRender={() => null}
            onSelect={(d, info) => {
              setAt(d)
              if (info.source === 'date' && can('tasks.create')) setCreating({ date: d })
            }}
            cellRender={(d, info) => {
              if (info.type !== 'date') return info.originNode
              const list = byDay.get(d.format('YYYY-MM-DD')) ?? []
              return (
                <div className="haina-cal-cell">
                  {list.slice(0, 3).map((i) => entry(i))}
                  {list.length > 3 && (
                    <span className="haina-muted">{t('tasks.calendar.more', { n: list.length - 3 })}</span>
                  )}
                </div>
              )
            }}
          />
        </Card>
      ) : (
        <div className="haina-week" data-testid="calendar-week">
          {Array.from({ length: 7 }, (_, i) => from.add(i, 'day')).map((d) => {
            const list = byDay.get(d.format('YYYY-MM-DD')) ?? []
            const today = d.isSame(dayjs(), 'day')
            return (
              <Card
                key={d.format('YYYY-MM-DD')}
                size="small"
                className={today ? 'haina-week-day is-today' : 'haina-week-day'}
                title={
                  <span>
                    {d.format('dd')} <span className="haina-muted">{d.format('M/D')}</span>
                  </span>
                }
                extra={
                  can('tasks.create') && (
                    <Button
                      type="text"
                      size="small"
                      icon={<PlusOutlined />}
                      aria-label={t('tasks.new')}
                      onClick={() => setCreating({ date: d })}
                    />
                  )
                }
              >
                {list.length ? (
                  <div className="haina-cal-cell">{list.map((i) => entry(i, true))}</div>
                ) : (
                  <span className="haina-muted">{t('tasks.calendar.free')}</span>
                )}
              </Card>
            )
          })}
        </div>
      )}
      <TaskDrawer id={openTask} onClose={() => setOpenTask(null)} />
      <TaskModal
        open={creating !== null}
        initial={creating ?? undefined}
        onClose={() => setCreating(null)}
        onSaved={() => setCreating(null)}
      />
      <Modal
        open={!!followUp}
        title={t('tasks.calendar.followUp')}
        footer={null}
        onCancel={() => setFollowUp(null)}
      >
        {followUp && (
          <Space orientation="vertical">
            <Space>
              <KindTag kind="follow_up" />
              <span>{fmt.dateTime(followUp.start)}</span>
            </Space>
            <Typography.Text>{followUp.title}</Typography.Text>
            {subjectPath(followUp.subjectType, followUp.subjectId) && (
              <Link
                to={subjectPath(followUp.subjectType, followUp.subjectId) ?? '/'}
                onClick={() => setFollowUp(null)}
              >
                {followUp.subjectName ?? t('tasks.openSubject')}
              </Link>
            )}
          </Space>
        )}
      </Modal>
    </>
  )
}

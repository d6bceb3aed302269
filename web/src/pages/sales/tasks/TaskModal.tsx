import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Checkbox, DatePicker, Form, Input, Modal, Segmented, Select } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { formErrors } from '../../../api/client.js'
import { useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { contactsApi } from '../customers/api.js'
import { CustomerSelect, EnumSelect } from '../customers/bits.js'
import '../customers/customers.css'
import { useSubmit } from '../customers/useSubmit.js'
import { type Task, type TaskBody, tasksApi } from './api.js'
import { TASK_KINDS, TASK_PRIORITIES } from './bits.js'
import './i18n.js'
import './tasks.css'

const REMINDERS = [0, 5, 15, 30, 60, 120, 1440] as const

interface Values {
  kind: NonNullable<TaskBody['kind']>
  title: string
  description?: string
  dueAt?: Dayjs | null
  range?: [Dayjs, Dayjs] | null
  allDay?: boolean
  location?: string
  priority: NonNullable<TaskBody['priority']>
  participantIds?: string[]
  subjectId?: string | null
  contactIds?: string[]
  remindMinutesBefore?: number
}

/** What a new task starts from: a day clicked on the calendar, or a subject (the customer page). */
export interface TaskDefaults {
  kind?: Values['kind']
  date?: Dayjs
  subjectType?: TaskBody['subjectType']
  subjectId?: string
}

function valuesOf(task: Task | null, d: TaskDefaults): Partial<Values> {
  if (task)
    return {
      ...task,
      kind: task.kind as Values['kind'],
      priority: task.priority as Values['priority'],
      description: task.description ?? undefined,
      location: task.location ?? undefined,
      dueAt: task.dueAt ? dayjs(task.dueAt) : null,
      range: task.startAt ? [dayjs(task.startAt), dayjs(task.endAt ?? task.startAt)] : null,
      participantIds: task.participants.map((p) => p.userId),
      remindMinutesBefore: task.remindMinutesBefore ?? 0,
    }
  // A clicked day: at 10:00 (an hour for meetings); otherwise the next full hour.
  const at = d.date ? d.date.hour(10).minute(0).second(0) : dayjs().add(1, 'hour').startOf('hour')
  return {
    kind: d.kind ?? 'task',
    priority: 'normal',
    dueAt: at,
    range: [at, at.add(1, 'hour')],
    subjectId: d.subjectId,
    remindMinutesBefore: 15,
    participantIds: [],
    contactIds: [],
  }
}

function bodyOf(v: Values, subjectType: TaskBody['subjectType']): TaskBody {
  const timed = v.kind !== 'task'
  return {
    kind: v.kind,
    title: v.title.trim(),
    description: v.description?.trim() || null,
    priority: v.priority,
    dueAt: !timed && v.dueAt ? v.dueAt.toISOString() : null,
    startAt: timed && v.range ? (v.allDay ? v.range[0].startOf('day') : v.range[0]).toISOString() : null,
    endAt: timed && v.range ? (v.allDay ? v.range[1].endOf('day') : v.range[1]).toISOString() : null,
    allDay: timed ? !!v.allDay : false,
    location: v.location?.trim() || null,
    participantIds: v.participantIds ?? [],
    contactIds: v.contactIds ?? [],
    remindMinutesBefore: v.remindMinutesBefore ? v.remindMinutesBefore : null,
    subjectType: v.subjectId ? (subjectType ?? 'customer') : null,
    subjectId: v.subjectId ?? null,
  }
}

/** Create or edit a task or meeting: time, participants, the customer it is about, a reminder. */
export function TaskModal(props: {
  open: boolean
  task?: Task | null
  initial?: TaskDefaults
  onClose: () => void
  onSaved: (t: Task) => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const qc = useQueryClient()
  const users = useUsers(can('users.view') && props.open).data?.items ?? []
  const [form] = Form.useForm<Values>()
  const task = props.task ?? null
  const subjectType = (task?.subjectType ??
    props.initial?.subjectType ??
    'customer') as TaskBody['subjectType']
  const kind = Form.useWatch('kind', form)
  const subjectId = Form.useWatch('subjectId', form)
  const contacts = useQuery({
    queryKey: ['contacts', 'of', subjectId],
    queryFn: () => contactsApi.list({ customerId: subjectId ?? undefined }),
    enabled: props.open && subjectType === 'customer' && !!subjectId,
  })
  // biome-ignore lint/correctness/useExhaustiveDependencies: fill the form when it opens; the defaults are read then, not followed
  useEffect(() => {
    if (props.open) {
      form.resetFields()
      form.setFieldsValue(valuesOf(task, props.initial ?? {}))
    }
  }, [props.open, task, form])

  const save = useSubmit(form)
  const submit = () =>
    save.submit(
      async (v) => {
        const body = bodyOf(v, subjectType)
        const saved = task
          ? await tasksApi.update(task.id, { ...body, version: task.version })
          : await tasksApi.create(body)
        message.success(t('common.saved'))
        await qc.invalidateQueries({ queryKey: ['tasks'] })
        await qc.invalidateQueries({ queryKey: ['calendar'] })
        props.onSaved(saved)
      },
      (e) => {
        // A start or end the server refuses belongs to the time range.
        const times = formErrors(e).filter((f) => ['startAt', 'endAt'].includes(String(f.name[0])))
        if (!times.length) return false
        form.setFields(times.map((f) => ({ ...f, name: ['range'] })) as never)
        return true
      },
    )
  const timed = kind && kind !== 'task'
  return (
    <Modal
      open={props.open}
      width={640}
      title={task ? t('tasks.edit') : t('tasks.new')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={save.busy}
      okButtonProps={{ 'data-testid': 'task-save' }}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="task-form">
        <Form.Item name="kind">
          <Segmented options={TASK_KINDS.map((k) => ({ value: k, label: t(`tasks.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('tasks.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} data-testid="task-title" />
        </Form.Item>
        {timed ? (
          <div className="haina-time-row">
            <Form.Item name="range" label={t('tasks.field.time')} rules={[{ required: true }]}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
              />
            </Form.Item>
            <Form.Item name="allDay" valuePropName="checked">
              <Checkbox>{t('tasks.field.allDay')}</Checkbox>
            </Form.Item>
          </div>
        ) : (
          <Form.Item name="dueAt" label={t('tasks.field.dueAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {timed && (
          <Form.Item name="location" label={t('tasks.field.location')}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <div className="haina-form-grid">
          <Form.Item name="priority" label={t('tasks.field.priority')}>
            <EnumSelect values={TASK_PRIORITIES} labels="tasks.priority" allowClear={false} />
          </Form.Item>
          <Form.Item name="remindMinutesBefore" label={t('tasks.field.remind')}>
            <Select
              options={REMINDERS.map((m) => ({
                value: m,
                label: m
                  ? t(m >= 60 ? 'tasks.remind.hours' : 'tasks.remind.minutes', { n: m >= 60 ? m / 60 : m })
                  : t('tasks.remind.none'),
              }))}
            />
          </Form.Item>
        </div>
        {can('users.view') && (
          <Form.Item name="participantIds" label={t('tasks.field.participants')}>
            <Select
              mode="multiple"
              showSearch={{ optionFilterProp: 'label' }}
              options={users
                .filter((u) => u.status === 'active')
                .map((u) => ({ value: u.id, label: u.name }))}
              data-testid="task-participants"
            />
          </Form.Item>
        )}
        {subjectType === 'customer' ? (
          <Form.Item name="subjectId" label={t('tasks.field.customer')}>
            <CustomerSelect onChange={() => form.setFieldValue('contactIds', [])} />
          </Form.Item>
        ) : (
          <Form.Item name="subjectId" hidden>
            <Input />
          </Form.Item>
        )}
        {subjectType === 'customer' && subjectId && (
          <Form.Item name="contactIds" label={t('tasks.field.contacts')}>
            <Select
              mode="multiple"
              loading={contacts.isLoading}
              options={(contacts.data?.items ?? []).map((c) => ({
                value: c.id,
                label: c.title ? `${c.name}（${c.title}）` : c.name,
              }))}
            />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('tasks.field.description')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

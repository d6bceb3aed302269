import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Table,
  Tag,
  TimePicker,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useUsers } from '../../data.js'
import { useCan } from '../../session.js'
import type { Leave } from './data.js'
import { showServerErrors } from './errors.js'
import { UserPicker } from './pickers.js'

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const
const toTime = (minute: number) => dayjs().startOf('day').add(minute, 'minute')
const toMinute = (d: Dayjs) => d.hour() * 60 + d.minute()

/** 排班与请假: each salesperson's working hours and leaves; assignment skips people off duty. */
export function Schedules() {
  const { t } = useTranslation()
  const users = useUsers().data?.items ?? []
  const [userId, setUserId] = useState<string | null>(null)
  const current = userId ?? users.find((u) => u.status === 'active')?.id ?? null
  return (
    <>
      <div className="haina-toolbar">
        <Typography.Text>{t('poolSettings.schedules.person')}</Typography.Text>
        <div style={{ width: 320 }}>
          <UserPicker value={current} onChange={setUserId} aria-label={t('poolSettings.schedules.person')} />
        </div>
        <Typography.Text type="secondary">{t('poolSettings.schedules.help')}</Typography.Text>
      </div>
      {current ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={11}>
            <WorkHours key={current} userId={current} />
          </Col>
          <Col xs={24} xl={13}>
            <Leaves key={current} userId={current} />
          </Col>
        </Row>
      ) : (
        <Empty />
      )}
    </>
  )
}

function WorkHours({ userId }: { userId: string }) {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const schedule = useQuery({
    queryKey: ['work-schedule', userId],
    queryFn: () => call(api.GET('/api/v1/work-schedules/{userId}', { params: { path: { userId } } })),
  })
  useEffect(() => {
    if (schedule.data)
      form.setFieldsValue({
        weekdays: schedule.data.weekdays,
        hours: [toTime(schedule.data.startMinute), toTime(schedule.data.endMinute)],
      })
  }, [schedule.data, form])
  const save = async () => {
    const v = await form.validateFields()
    const [start, end] = v.hours as [Dayjs, Dayjs]
    try {
      const saved = await call(
        api.PUT('/api/v1/work-schedules/{userId}', {
          params: { path: { userId } },
          body: { weekdays: [...v.weekdays].sort(), startMinute: toMinute(start), endMinute: toMinute(end) },
        }),
      )
      qc.setQueryData(['work-schedule', userId], saved)
      message.success(t('common.saved'))
    } catch (e) {
      showServerErrors(form, e, message, (n) =>
        n[0] === 'startMinute' || n[0] === 'endMinute' ? ['hours'] : n,
      )
    }
  }
  return (
    <Card
      size="small"
      title={t('poolSettings.schedules.hours')}
      loading={schedule.isLoading}
      extra={
        schedule.data &&
        !schedule.data.configured && <Tag color="gold">{t('poolSettings.schedules.notConfigured')}</Tag>
      }
    >
      <Form form={form} layout="vertical" disabled={!editable} data-testid="work-hours">
        <Form.Item
          name="weekdays"
          label={t('poolSettings.schedules.weekdays')}
          rules={[{ required: true, message: t('poolSettings.required') }]}
        >
          <Checkbox.Group
            options={WEEKDAYS.map((d) => ({ value: d, label: t(`poolSettings.schedules.days.${d}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t('poolSettings.schedules.time')}
          rules={[{ required: true, message: t('poolSettings.required') }]}
        >
          <TimePicker.RangePicker format="HH:mm" minuteStep={15} order />
        </Form.Item>
        {editable && (
          <Button type="primary" onClick={save}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  )
}

function Leaves({ userId }: { userId: string }) {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const leaves = useQuery({
    queryKey: ['leaves', userId],
    queryFn: async () =>
      (await call(api.GET('/api/v1/leaves', { params: { query: { userId } } }))) as Leave[],
  })
  const add = async () => {
    const v = await form.validateFields()
    const [start, end] = v.period as [Dayjs, Dayjs]
    try {
      await call(
        api.POST('/api/v1/leaves', {
          body: {
            userId,
            startsAt: start.toISOString(),
            endsAt: end.toISOString(),
            reason: v.reason || null,
          },
        }),
      )
      form.resetFields()
      await qc.invalidateQueries({ queryKey: ['leaves', userId] })
    } catch (e) {
      showServerErrors(form, e, message, (n) => (n[0] === 'startsAt' || n[0] === 'endsAt' ? ['period'] : n))
    }
  }
  const remove = async (id: string) => {
    try {
      await call(api.DELETE('/api/v1/leaves/{id}', { params: { path: { id } } }))
    } catch (e) {
      message.error((e as Error).message)
    }
    await qc.invalidateQueries({ queryKey: ['leaves', userId] })
  }
  const now = Date.now()
  const fmt = (s: string) => dayjs(s).format('YYYY-MM-DD HH:mm')
  return (
    <Card size="small" title={t('poolSettings.schedules.leaves')}>
      {editable && (
        <Form form={form} layout="inline" style={{ marginBottom: 12, rowGap: 8 }} data-testid="leave-form">
          <Form.Item name="period" rules={[{ required: true, message: t('poolSettings.required') }]}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm', minuteStep: 30 }}
              format="YYYY-MM-DD HH:mm"
            />
          </Form.Item>
          <Form.Item name="reason">
            <Input placeholder={t('poolSettings.schedules.reason')} style={{ width: 160 }} maxLength={200} />
          </Form.Item>
          <Button icon={<PlusOutlined />} onClick={add}>
            {t('poolSettings.schedules.addLeave')}
          </Button>
        </Form>
      )}
      <Table<Leave>
        rowKey="id"
        size="small"
        loading={leaves.isLoading}
        pagination={false}
        dataSource={[...(leaves.data ?? [])].sort((a, b) => b.startsAt.localeCompare(a.startsAt))}
        locale={{ emptyText: t('poolSettings.schedules.noLeaves') }}
        columns={[
          {
            key: 'period',
            title: t('poolSettings.schedules.period'),
            render: (_, l) => `${fmt(l.startsAt)} ~ ${fmt(l.endsAt)}`,
          },
          {
            key: 'state',
            title: t('common.status'),
            render: (_, l) => {
              const s = Date.parse(l.startsAt)
              const e = Date.parse(l.endsAt)
              const state = e < now ? 'past' : s <= now ? 'current' : 'upcoming'
              const color = { past: 'default', current: 'red', upcoming: 'blue' }[state]
              return <Tag color={color}>{t(`poolSettings.schedules.state.${state}`)}</Tag>
            },
          },
          { key: 'reason', title: t('poolSettings.schedules.reason'), render: (_, l) => l.reason ?? '—' },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, l) =>
              editable && (
                <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(l.id)}>
                  <Button type="link" size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  )
}

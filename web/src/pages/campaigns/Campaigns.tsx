import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call, formErrors } from '../../api/client.js'
import { unitTree, useChannels, useUnits } from '../../data.js'
import { useCan } from '../../session.js'
import { period, yuan } from './i18n.js'

export type Campaign = Awaited<ReturnType<typeof loadCampaigns>>['items'][number]
const loadCampaigns = () => call(api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } }))

export const KINDS = [
  'seo',
  'ads',
  'article',
  'sms',
  'email',
  'official_account_post',
  'event',
  'live_stream',
  'referral',
  'other',
] as const
export const STATUS_COLORS: Record<string, string> = { planned: 'default', active: 'green', ended: 'purple' }

/** 推广活动: every campaign with its cost and what it brought, first touch and last touch. */
export function CampaignsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const list = useQuery({ queryKey: ['campaigns'], queryFn: loadCampaigns })
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null)
  return (
    <>
      <Typography.Title level={4}>{t('campaigns.title')}</Typography.Title>
      <div className="haina-toolbar">
        <span style={{ flex: 1 }} />
        {can('campaigns.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('campaigns.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1540 }}
        columns={[
          {
            key: 'name',
            title: t('common.name'),
            fixed: 'left',
            width: 180,
            ellipsis: { showTitle: false },
            render: (_, c) => (
              <Tooltip placement="topLeft" title={c.name}>
                <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
              </Tooltip>
            ),
          },
          {
            key: 'kind',
            width: 120,
            title: t('campaigns.kind'),
            render: (_, c) => t(`campaigns.kinds.${c.kind}`),
          },
          { key: 'code', width: 130, title: t('campaigns.code'), render: (_, c) => <code>{c.code}</code> },
          {
            key: 'period',
            width: 210,
            title: t('campaigns.period'),
            render: (_, c) => period(c.startsOn, c.endsOn) || '—',
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
          },
          {
            key: 'status',
            width: 100,
            title: t('campaigns.status'),
            render: (_, c) => (
              <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.statuses.${c.status}`)}</Tag>
            ),
          },
          {
            key: 'cost',
            width: 130,
            title: t('campaigns.actualCost'),
            align: 'right',
            render: (_, c) => yuan(c.actualCost),
          },
          {
            key: 'first',
            width: 100,
            title: t('campaigns.firstTouch'),
            align: 'right',
            render: (_, c) => c.stats.firstTouchLeads,
          },
          {
            key: 'last',
            width: 100,
            title: t('campaigns.lastTouch'),
            align: 'right',
            render: (_, c) => c.stats.lastTouchLeads,
          },
          {
            key: 'qualified',
            width: 110,
            title: t('campaigns.qualified'),
            align: 'right',
            render: (_, c) => c.stats.qualifiedLeads,
          },
          {
            key: 'cpl',
            width: 120,
            title: t('campaigns.cpl'),
            align: 'right',
            render: (_, c) => yuan(c.stats.costPerLead),
          },
          {
            key: 'cpql',
            width: 140,
            title: t('campaigns.cpql'),
            align: 'right',
            render: (_, c) => yuan(c.stats.costPerQualifiedLead),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            // Stays in view while the cost columns scroll (narrow screens).
            fixed: 'right',
            width: 90,
            render: (_, c) =>
              can('campaigns.edit') && (
                <Button type="link" size="small" onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
              ),
          },
        ]}
      />
      {editing && <CampaignForm campaign={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

/** Create or edit a campaign; money is entered in 元 and stored in 分. */
export function CampaignForm({ campaign, onClose }: { campaign: Campaign | 'new'; onClose: () => void }) {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const channels = useChannels(can('intake.view'))
  const initial =
    campaign === 'new'
      ? { kind: 'ads', status: 'planned', unitId: units[0]?.id }
      : {
          ...campaign,
          period: [campaign.startsOn && dayjs(campaign.startsOn), campaign.endsOn && dayjs(campaign.endsOn)],
          budget: campaign.budget / 100,
          actualCost: campaign.actualCost / 100,
        }

  const save = async () => {
    const v = await form.validateFields()
    const [start, end] = (v.period ?? []) as (Dayjs | null)[]
    const body = {
      name: v.name,
      kind: v.kind,
      code: v.code,
      channelId: v.channelId ?? null,
      startsOn: start ? start.format('YYYY-MM-DD') : null,
      endsOn: end ? end.format('YYYY-MM-DD') : null,
      budget: Math.round((v.budget ?? 0) * 100),
      actualCost: Math.round((v.actualCost ?? 0) * 100),
      status: v.status,
      unitId: v.unitId,
      notes: v.notes ?? null,
    }
    try {
      if (campaign === 'new') await call(api.POST('/api/v1/campaigns', { body }))
      else
        await call(
          api.PATCH('/api/v1/campaigns/{id}', {
            params: { path: { id: campaign.id } },
            body: { ...body, version: campaign.version },
          }),
        )
      await qc.invalidateQueries({ queryKey: ['campaigns'] })
      await qc.invalidateQueries({ queryKey: ['campaign'] })
      onClose()
    } catch (e) {
      // Dates are one picker: put a date error on it.
      const f = formErrors(e).map((x) =>
        x.name[0] === 'startsOn' || x.name[0] === 'endsOn' ? { ...x, name: ['period'] } : x,
      )
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  const remove = async () => {
    if (campaign === 'new') return
    await call(api.DELETE('/api/v1/campaigns/{id}', { params: { path: { id: campaign.id } } }))
    await qc.invalidateQueries({ queryKey: ['campaigns'] })
    onClose()
  }

  return (
    <Modal
      open
      width={640}
      title={campaign === 'new' ? t('campaigns.new') : campaign.name}
      onCancel={onClose}
      onOk={save}
      okText={t('common.save')}
      destroyOnHidden
      footer={(_, { OkBtn, CancelBtn }) => (
        <Space>
          {campaign !== 'new' && can('campaigns.delete') && (
            <Popconfirm title={t('campaigns.confirmDelete')} onConfirm={remove}>
              <Button danger>{t('common.delete')}</Button>
            </Popconfirm>
          )}
          <CancelBtn />
          <OkBtn />
        </Space>
      )}
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item
            name="kind"
            label={t('campaigns.kind')}
            rules={[{ required: true }]}
            style={{ width: 200 }}
          >
            <Select options={KINDS.map((k) => ({ value: k, label: t(`campaigns.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('campaigns.code')}
            tooltip={t('campaigns.codeHelp')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/ }]}
            style={{ width: 260 }}
          >
            <Input placeholder="double11-ads" />
          </Form.Item>
        </Space>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item name="period" label={t('campaigns.period')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="status" label={t('campaigns.status')} style={{ width: 160 }}>
            <Select
              options={['planned', 'active', 'ended'].map((s) => ({
                value: s,
                label: t(`campaigns.statuses.${s}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Space wrap style={{ display: 'flex' }}>
          <Form.Item name="budget" label={t('campaigns.budget')}>
            <InputNumber min={0} precision={2} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="actualCost" label={t('campaigns.actualCost')}>
            <InputNumber min={0} precision={2} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Form.Item name="channelId" label={t('campaigns.channel')}>
          <Select
            allowClear
            options={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="unitId" label={t('campaigns.unit')} rules={[{ required: true }]}>
          <TreeSelect treeData={tree} treeDefaultExpandAll />
        </Form.Item>
        <Form.Item name="notes" label={t('campaigns.notes')}>
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

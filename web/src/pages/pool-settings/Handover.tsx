import { SwapRightOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Popconfirm,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useCan } from '../../session.js'
import type { Handover, HandoverCounts } from './data.js'
import { showServerErrors } from './errors.js'
import { UserPicker, useUserName } from './pickers.js'

/** What a handover moves, in the order shown; kinds the server adds later show by their key. */
const KINDS = ['lead', 'followUpReminder', 'poolMembership', 'assignmentRule'] as const

/**
 * 工作移交: everything one person owns (leads now; customers, opportunities and tasks later) moves to
 * another — previewed first, with a reason, audited, and listed in the history below.
 */
export function HandoverPage() {
  const { t, i18n } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const name = useUserName()
  const [form] = Form.useForm()
  const from = Form.useWatch('fromUserId', form) as string | undefined
  const to = Form.useWatch('toUserId', form) as string | undefined
  const [preview, setPreview] = useState<{ key: string; counts: HandoverCounts } | null>(null)
  const [busy, setBusy] = useState(false)
  const history = useQuery({
    queryKey: ['handovers'],
    queryFn: async () =>
      (await call(api.GET('/api/v1/handovers', { params: { query: { limit: 200 } } }))) as Handover[],
  })
  const pair = `${from}>${to}`
  const counts = preview?.key === pair ? preview.counts : null
  const kindLabel = (k: string) =>
    i18n.exists(`poolSettings.handover.kinds.${k}`) ? t(`poolSettings.handover.kinds.${k}`) : k

  const runPreview = async () => {
    const v = await form.validateFields(['fromUserId', 'toUserId'])
    setBusy(true)
    try {
      const r = await call(
        api.POST('/api/v1/handovers/preview', { body: { fromUserId: v.fromUserId, toUserId: v.toUserId } }),
      )
      setPreview({ key: `${v.fromUserId}>${v.toUserId}`, counts: r.counts })
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }
  const execute = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      await call(
        api.POST('/api/v1/handovers', {
          body: { fromUserId: v.fromUserId, toUserId: v.toUserId, reason: v.reason },
        }),
      )
      message.success(t('poolSettings.handover.done'))
      form.resetFields()
      setPreview(null)
      await qc.invalidateQueries({ queryKey: ['handovers'] })
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }
  const total = counts ? Object.values(counts).reduce<number>((s, n) => s + (n ?? 0), 0) : 0

  return (
    <>
      <Typography.Title level={4}>{t('poolSettings.handover.title')}</Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" disabled={!can('leads.assign')} data-testid="handover-form">
          <Row gutter={16} align="bottom">
            <Col xs={24} md={10}>
              <Form.Item
                name="fromUserId"
                label={t('poolSettings.handover.from')}
                rules={[{ required: true, message: t('poolSettings.required') }]}
              >
                <UserPicker exclude={to} />
              </Form.Item>
            </Col>
            <Col xs={0} md={2} style={{ textAlign: 'center', paddingBottom: 28 }}>
              <SwapRightOutlined style={{ fontSize: 20, color: '#8c8c8c' }} />
            </Col>
            <Col xs={24} md={10}>
              <Form.Item
                name="toUserId"
                label={t('poolSettings.handover.to')}
                rules={[{ required: true, message: t('poolSettings.required') }]}
              >
                <UserPicker exclude={from} />
              </Form.Item>
            </Col>
          </Row>
          <Button onClick={runPreview} loading={busy && !counts} data-testid="handover-preview">
            {t('poolSettings.handover.preview')}
          </Button>
          {counts && (
            <>
              <Row gutter={16} style={{ margin: '16px 0' }} data-testid="handover-counts">
                {[
                  ...KINDS,
                  ...Object.keys(counts).filter((k) => !(KINDS as readonly string[]).includes(k)),
                ].map((k) => (
                  <Col key={k} xs={12} md={6}>
                    <Statistic title={kindLabel(k)} value={counts[k] ?? 0} />
                  </Col>
                ))}
              </Row>
              {total === 0 ? (
                <Alert type="info" showIcon message={t('poolSettings.handover.nothing')} />
              ) : (
                <>
                  <Form.Item
                    name="reason"
                    label={t('poolSettings.handover.reason')}
                    rules={[{ required: true, message: t('poolSettings.required') }, { max: 500 }]}
                  >
                    <Input.TextArea rows={2} placeholder={t('poolSettings.handover.reasonHelp')} />
                  </Form.Item>
                  <Popconfirm
                    title={t('poolSettings.handover.confirm', {
                      from: name(from),
                      to: name(to),
                      n: counts.lead ?? 0,
                    })}
                    onConfirm={execute}
                  >
                    <Button type="primary" danger loading={busy} data-testid="handover-execute">
                      {t('poolSettings.handover.execute')}
                    </Button>
                  </Popconfirm>
                </>
              )}
            </>
          )}
        </Form>
      </Card>
      <Card size="small" title={t('poolSettings.handover.history')}>
        <Table<Handover>
          rowKey="id"
          size="small"
          loading={history.isLoading}
          dataSource={history.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              key: 'at',
              title: t('poolSettings.handover.at'),
              render: (_, h) => dayjs(h.createdAt).format('YYYY-MM-DD HH:mm'),
            },
            {
              key: 'who',
              title: t('poolSettings.handover.fromTo'),
              render: (_, h) => (
                <Space size={4}>
                  {h.fromUserName ?? name(h.fromUserId)}
                  <SwapRightOutlined />
                  {h.toUserName ?? name(h.toUserId)}
                </Space>
              ),
            },
            {
              key: 'counts',
              title: t('poolSettings.handover.moved'),
              render: (_, h) =>
                Object.entries(h.counts ?? {})
                  .filter(([, n]) => n)
                  .map(([k, n]) => <Tag key={k}>{`${kindLabel(k)} ${n}`}</Tag>),
            },
            { key: 'reason', title: t('poolSettings.handover.reason'), dataIndex: 'reason' },
            {
              key: 'by',
              title: t('poolSettings.handover.by'),
              render: (_, h) => h.createdByName ?? name(h.createdBy),
            },
          ]}
        />
      </Card>
    </>
  )
}

import {
  CheckOutlined,
  CloseOutlined,
  DeleteOutlined,
  DiffOutlined,
  DislikeOutlined,
  LikeOutlined,
  PrinterOutlined,
  SaveOutlined,
  SendOutlined,
  UploadOutlined,
} from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { formErrors } from '../../../api/client.js'
import { useCan, useMe } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import { useFormat } from '../format.js'
import { useContacts, useProducts } from '../opportunities/api.js'
import { errText, isConflict, lineTotals } from '../opportunities/format.js'
import { type EditLine, fromEditLines, LineEditor, toEditLines } from '../opportunities/LineEditor.js'
import { usePrices } from '../opportunities/OppLines.js'
import '../opportunities/sales.css'
import { QUOTE_COLORS, type Quote, type QuoteAction, quotesApi, useQuote } from './api.js'
import './i18n.js'

interface Header {
  title: string
  contactId?: string | null
  validUntil?: Dayjs | null
  headerDiscountPct?: number | null
  terms?: string | null
  notes?: string | null
}

/** One quote: its lines and terms (editable while draft or rejected), its approval and its revisions. */
export function QuotePage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const quote = useQuote(id)
  if (quote.isLoading) return <Spin style={{ display: 'block', margin: '64px auto' }} />
  if (!quote.data)
    return (
      <Result
        status="404"
        title={t('quotes.notFound')}
        extra={<Link to="/quotes">{t('quotes.title')}</Link>}
      />
    )
  return <QuoteView q={quote.data} />
}

function QuoteView({ q }: { q: Quote }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const me = useMe().data
  const nav = useNavigate()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const nameOf = useNameOf()
  const [form] = Form.useForm<Header>()
  const products = useProducts().data ?? []
  const { prices } = usePrices(q.priceBookId)
  const contacts = useContacts(q.customerId).data ?? []
  const threshold = q.approvalThresholdPct
  const [lines, setLines] = useState<EditLine[]>(() => toEditLines(q.lines))
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null)
  const editable = (q.status === 'draft' || q.status === 'rejected') && can('quotes.edit')
  const headerPct = Form.useWatch('headerDiscountPct', form) ?? q.headerDiscountPct
  const totals = lineTotals(lines, headerPct ?? 0)
  const overThreshold = totals.maxDiscountPct > threshold
  const mine = !!q.submittedBy && q.submittedBy === me?.user?.id

  useEffect(() => {
    setLines(toEditLines(q.lines))
    form.setFieldsValue({ ...q, validUntil: q.validUntil ? dayjs(q.validUntil) : null })
    setDirty(false)
  }, [q, form])

  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['quote', q.id] }),
      qc.invalidateQueries({ queryKey: ['quotes'] }),
      qc.invalidateQueries({ queryKey: ['quote-revisions'] }),
    ])
  const fail = (e: unknown) => {
    if (isConflict(e)) {
      message.warning(t('quotes.conflict'))
      void refresh()
      return
    }
    const fields = formErrors(e)
    form.setFields(fields.filter((f) => f.name[0] !== 'lines') as never)
    message.error(fields.length ? fields.map((f) => f.errors[0]).join('；') : errText(e))
  }
  /** Saves the draft; returns the saved quote (or null when it failed). */
  const save = async (): Promise<Quote | null> => {
    if (lines.some((l) => !l.name.trim())) {
      message.error(t('opps.lines.nameRequired'))
      return null
    }
    const v = await form.validateFields()
    setBusy('save')
    try {
      const saved = await quotesApi.patch(q.id, {
        title: v.title.trim(),
        contactId: v.contactId ?? null,
        validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
        headerDiscountPct: v.headerDiscountPct ?? 0,
        terms: v.terms?.trim() || null,
        notes: v.notes?.trim() || null,
        lines: fromEditLines(lines, true),
        version: q.version,
      })
      qc.setQueryData(['quote', q.id], saved)
      setDirty(false)
      message.success(t('common.saved'))
      return saved
    } catch (e) {
      fail(e)
      return null
    } finally {
      setBusy(null)
    }
  }
  const act = async (action: QuoteAction, body?: Record<string, unknown>) => {
    let version = q.version
    if (action === 'submit' && dirty) {
      const saved = await save()
      if (!saved) return
      version = saved.version
    }
    setBusy(action)
    try {
      const res = await quotesApi.act(q.id, action, { ...body, version })
      message.success(t(`quotes.done.${action}`, { number: res.number }))
      await refresh()
      if (action === 'revise' && res.id !== q.id) nav(`/quotes/${res.id}`)
      return true
    } catch (e) {
      fail(e)
      return false
    } finally {
      setBusy(null)
    }
  }

  const button = (action: QuoteAction, icon: React.ReactNode, primary = false) => (
    <Button
      key={action}
      type={primary ? 'primary' : 'default'}
      icon={icon}
      loading={busy === action}
      onClick={() => void act(action)}
      data-testid={`quote-${action}`}
    >
      {t(`quotes.actions.${action}`)}
    </Button>
  )
  const actions: React.ReactNode[] = []
  if (editable) {
    actions.push(
      <Button
        key="save"
        icon={<SaveOutlined />}
        onClick={save}
        loading={busy === 'save'}
        disabled={!dirty}
        data-testid="quote-save"
      >
        {t('common.save')}
      </Button>,
      <Button
        key="submit"
        type="primary"
        icon={<UploadOutlined />}
        loading={busy === 'submit'}
        onClick={() => void act('submit')}
        disabled={!lines.length}
        data-testid="quote-submit"
      >
        {overThreshold ? t('quotes.actions.submitForApproval') : t('quotes.actions.submit')}
      </Button>,
    )
  }
  if (q.status === 'pending_approval' && can('quotes.approve') && !mine)
    actions.push(
      <Button
        key="approve"
        type="primary"
        icon={<CheckOutlined />}
        onClick={() => setDeciding('approve')}
        data-testid="quote-approve"
      >
        {t('quotes.actions.approve')}
      </Button>,
      <Button
        key="reject"
        danger
        icon={<CloseOutlined />}
        onClick={() => setDeciding('reject')}
        data-testid="quote-reject"
      >
        {t('quotes.actions.reject')}
      </Button>,
    )
  if (can('quotes.edit')) {
    if (q.status === 'approved') actions.push(button('send', <SendOutlined />, true))
    if (q.status === 'sent')
      actions.push(button('accept', <LikeOutlined />, true), button('decline', <DislikeOutlined />))
    if (['approved', 'rejected', 'sent', 'declined'].includes(q.status))
      actions.push(button('revise', <DiffOutlined />))
  }

  return (
    <>
      <div className="haina-record-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to="/quotes">{t('quotes.title')}</Link> / {q.number}
          {q.revision > 1 ? ` v${q.revision}` : ''}
        </Typography.Title>
        <Tag color={QUOTE_COLORS[q.status]} data-testid="quote-status">
          {t(`quotes.status.${q.status}`)}
        </Tag>
        <span className="haina-spacer" />
        <Space wrap>
          {actions}
          <Button
            icon={<PrinterOutlined />}
            onClick={() => window.open(`/api/v1/quotes/${q.id}/print`, '_blank', 'noopener')}
            data-testid="quote-print"
          >
            {t('quotes.actions.print')}
          </Button>
          {q.status === 'draft' && can('quotes.delete') && (
            <Popconfirm
              title={t('common.confirmDelete')}
              onConfirm={async () => {
                try {
                  await quotesApi.remove(q.id)
                  await qc.invalidateQueries({ queryKey: ['quotes'] })
                  nav('/quotes')
                } catch (e) {
                  fail(e)
                }
              }}
            >
              <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>
          )}
        </Space>
      </div>
      {q.status === 'rejected' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('quotes.rejectedBy', { name: nameOf(q.decidedBy, q.decidedByName) ?? '—' })}
          description={q.decisionComment || undefined}
        />
      )}
      {q.status === 'pending_approval' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('quotes.waiting', {
            name: nameOf(q.submittedBy, q.submittedByName) ?? '—',
            at: q.submittedAt ? fmt.dateTime(q.submittedAt) : '',
          })}
        />
      )}
      {editable && overThreshold && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('quotes.needsApproval')}
          description={t('quotes.overThreshold', { pct: totals.maxDiscountPct, threshold })}
          data-testid="quote-approval-warning"
        />
      )}
      <Card size="small" title={t('quotes.lines')} style={{ marginBottom: 16 }}>
        <LineEditor
          value={lines}
          onChange={(l) => {
            setLines(l)
            setDirty(true)
          }}
          products={products}
          prices={prices}
          disabled={!editable}
          withDescription
          headerDiscountPct={headerPct ?? 0}
          extraTotals={
            <Statistic
              title={t('quotes.field.maxDiscount')}
              value={`${totals.maxDiscountPct}%`}
              valueStyle={overThreshold ? { color: '#cf1322' } : undefined}
            />
          }
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('quotes.terms')}>
            {editable ? (
              <Form
                form={form}
                layout="vertical"
                disabled={!editable}
                onValuesChange={() => setDirty(true)}
                data-testid="quote-form"
              >
                <Row gutter={16}>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="title"
                      label={t('quotes.field.title')}
                      rules={[{ required: true, whitespace: true }]}
                    >
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="contactId" label={t('quotes.field.contact')}>
                      <Select allowClear options={contacts.map((c) => ({ value: c.id, label: c.name }))} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="validUntil" label={t('quotes.field.validUntil')}>
                      <DatePicker style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="headerDiscountPct" label={t('quotes.field.headerDiscount')}>
                      <InputNumber style={{ width: '100%' }} min={0} max={100} precision={2} suffix="%" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="terms" label={t('quotes.field.terms')}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={5000} />
                    </Form.Item>
                  </Col>
                  <Col xs={24}>
                    <Form.Item name="notes" label={t('quotes.field.notes')} style={{ marginBottom: 0 }}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={5000} />
                    </Form.Item>
                  </Col>
                </Row>
              </Form>
            ) : (
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('quotes.field.title')}>{q.title}</Descriptions.Item>
                <Descriptions.Item label={t('quotes.field.validUntil')}>
                  {fmt.date(q.validUntil)}
                </Descriptions.Item>
                <Descriptions.Item label={t('quotes.field.headerDiscount')}>
                  {q.headerDiscountPct}%
                </Descriptions.Item>
                <Descriptions.Item label={t('quotes.field.terms')} span={2}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{q.terms ?? '—'}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('quotes.field.notes')} span={2}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{q.notes ?? '—'}</span>
                </Descriptions.Item>
              </Descriptions>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('quotes.field.customer')}>
                <Link to={`/customers/${q.customerId}`}>{q.customerName ?? '—'}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.field.opportunity')}>
                <Link to={`/opportunities/${q.opportunityId}`}>{q.opportunityName ?? '—'}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.field.total')}>
                <strong data-testid="quote-total">{fmt.money(q.total)}</strong>
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.field.contact')}>{q.contactName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('quotes.field.owner')}>
                {nameOf(q.ownerId) ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('quotes.field.createdAt')}>
                {fmt.dateTime(q.createdAt)}
              </Descriptions.Item>
              {q.submittedAt && (
                <Descriptions.Item label={t('quotes.field.submitted')}>
                  {nameOf(q.submittedBy, q.submittedByName) ?? '—'} · {fmt.dateTime(q.submittedAt)}
                </Descriptions.Item>
              )}
              {q.decidedAt && (
                <Descriptions.Item label={t('quotes.field.decided')}>
                  {q.decidedBy
                    ? `${nameOf(q.decidedBy, q.decidedByName) ?? '—'} · ${fmt.dateTime(q.decidedAt)}`
                    : t('quotes.autoApproved', { threshold: q.approvalThresholdPct })}
                  {q.decisionComment ? `：${q.decisionComment}` : ''}
                </Descriptions.Item>
              )}
              {q.sentAt && (
                <Descriptions.Item label={t('quotes.field.sentAt')}>
                  {fmt.dateTime(q.sentAt)}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Revisions q={q} />
        </Col>
      </Row>
      <DecisionModal
        action={deciding}
        busy={busy === deciding}
        onCancel={() => setDeciding(null)}
        onOk={async (comment) => {
          if (deciding && (await act(deciding, { comment }))) setDeciding(null)
        }}
      />
    </>
  )
}

/** Approve or reject, with a comment (required to reject). */
function DecisionModal(props: {
  action: 'approve' | 'reject' | null
  busy: boolean
  onCancel: () => void
  onOk: (comment: string | undefined) => void
}) {
  const { t } = useTranslation()
  const [form] = Form.useForm<{ comment?: string }>()
  const reject = props.action === 'reject'
  return (
    <Modal
      open={!!props.action}
      title={reject ? t('quotes.actions.reject') : t('quotes.actions.approve')}
      okText={reject ? t('quotes.actions.reject') : t('quotes.actions.approve')}
      onCancel={props.onCancel}
      confirmLoading={props.busy}
      okButtonProps={{ danger: reject, 'data-testid': 'decision-ok' }}
      onOk={async () => {
        const v = await form.validateFields()
        props.onOk(v.comment?.trim() || undefined)
      }}
      afterClose={() => form.resetFields()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="comment"
          label={t('quotes.comment')}
          rules={reject ? [{ required: true, whitespace: true }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="decision-comment" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** Every revision of this quote number; the one shown is highlighted. */
function Revisions({ q }: { q: Quote }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const list = useQuery({
    queryKey: ['quote-revisions', q.id],
    queryFn: async () => (await quotesApi.revisions(q.id)).items,
  })
  const rows = [...(list.data ?? [])].sort((a, b) => b.revision - a.revision)
  return (
    <Card size="small" title={t('quotes.revisions')}>
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        pagination={false}
        dataSource={rows}
        showHeader={false}
        locale={{ emptyText: t('quotes.noRevisions') }}
        data-testid="quote-revisions"
        rowClassName={(r) => (r.id === q.id ? 'ant-table-row-selected' : '')}
        columns={[
          {
            key: 'rev',
            render: (_, r) =>
              r.id === q.id ? (
                <strong>v{r.revision}</strong>
              ) : (
                <Link to={`/quotes/${r.id}`}>v{r.revision}</Link>
              ),
          },
          {
            key: 'status',
            render: (_, r) => <Tag color={QUOTE_COLORS[r.status]}>{t(`quotes.status.${r.status}`)}</Tag>,
          },
          { key: 'total', align: 'right', render: (_, r) => fmt.money(r.total) },
        ]}
      />
    </Card>
  )
}

import { DollarOutlined, EditOutlined, RollbackOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../../api/client.js'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import { why } from '../../pools/outcome.js'
import { CustomerLink } from '../customers/bits.js'
import '../customers/customers.css'
import { useFormat } from '../format.js'
import { balanceOf, nextStatuses, type Order, type OrderStatus, ordersApi } from './api.js'
import { OrderStatusTag } from './bits.js'
import './i18n.js'
import { OrderDrawer } from './OrderForm.js'
import { PaymentModal } from './PaymentModal.js'

/** One order: lines, totals, status transitions, payments and refunds. */
export function OrderPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const can = useCan()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [paying, setPaying] = useState<'payment' | 'refund' | null>(null)
  const [editing, setEditing] = useState<Order | null>(null)
  const [moving, setMoving] = useState<string | null>(null)
  const order = useQuery({ queryKey: ['order', id], queryFn: () => ordersApi.get(id), retry: false })
  const payments = useQuery({ queryKey: ['order', id, 'payments'], queryFn: () => ordersApi.payments(id) })
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['order', id] })
    await qc.invalidateQueries({ queryKey: ['orders'] })
    await qc.invalidateQueries({ queryKey: ['customer360'] })
  }

  if (order.error)
    return (
      <Result
        status={order.error instanceof ApiError && order.error.status === 404 ? '404' : 'error'}
        title={why(order.error)}
        extra={<Link to="/orders">{t('orders.back')}</Link>}
      />
    )
  const o = order.data
  const move = async (status: OrderStatus) => {
    if (!o) return
    setMoving(status)
    try {
      await ordersApi.status(o.id, status, o.version)
      message.success(t('orders.moved', { status: t(`orders.status.${status}`) }))
    } catch (e) {
      // 409 order_transition (not allowed from here) or a stale version: the server says which.
      message.error(why(e))
    } finally {
      setMoving(null)
      await refresh()
    }
  }
  const balance = o ? balanceOf(o) : 0
  const refundable = o ? o.paidTotal - o.refundedTotal : 0
  const editable = o && ['draft'].includes(o.status) && can('orders.edit')

  return (
    <>
      <Typography.Title level={4}>
        <Link to="/orders">{t('salesMenu.orders')}</Link> / {o?.number}
      </Typography.Title>
      <Card loading={order.isLoading} style={{ marginBottom: 16 }} data-testid="order-header">
        {o && (
          <>
            <div className="haina-c360-head">
              <Typography.Title level={4} data-testid="order-number">
                {o.number}
              </Typography.Title>
              <OrderStatusTag status={o.status} />
              <Tag>{t(`orders.source.${o.source}`, { defaultValue: o.source })}</Tag>
              <span style={{ flex: 1 }} />
              <Space wrap>
                {can('orders.edit') &&
                  nextStatuses(o).map((s) => (
                    <Popconfirm
                      key={s}
                      title={t('orders.confirmMove', { status: t(`orders.status.${s}`) })}
                      onConfirm={() => move(s)}
                    >
                      <Button
                        type={s === 'cancelled' || s === 'refunded' ? 'default' : 'primary'}
                        danger={s === 'cancelled'}
                        loading={moving === s}
                        data-testid={`order-to-${s}`}
                      >
                        {t(`orders.action.${s}`)}
                      </Button>
                    </Popconfirm>
                  ))}
                {editable && (
                  <Button icon={<EditOutlined />} onClick={() => setEditing(o)}>
                    {t('common.edit')}
                  </Button>
                )}
              </Space>
            </div>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
              <Descriptions.Item label={t('orders.field.customer')}>
                {<CustomerLink id={o.customerId} name={o.customerName} />}
              </Descriptions.Item>
              <Descriptions.Item label={t('orders.field.contact')}>{o.contactName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('orders.field.orderedAt')}>
                {fmt.dateTime(o.orderedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('orders.field.paymentDueDate')}>
                {fmt.date(o.paymentDueDate)}
              </Descriptions.Item>
              <Descriptions.Item label={t('orders.field.owner')}>
                {nameOf(o.ownerId) ?? '—'}
              </Descriptions.Item>
              {o.opportunityId && (
                <Descriptions.Item label={t('orders.field.opportunity')}>
                  <Link to={`/opportunities/${o.opportunityId}`}>
                    {o.opportunityName ?? t('orders.open')}
                  </Link>
                </Descriptions.Item>
              )}
              {o.quoteId && (
                <Descriptions.Item label={t('orders.field.quote')}>
                  <Link to={`/quotes/${o.quoteId}`}>{t('orders.open')}</Link>
                </Descriptions.Item>
              )}
              {o.externalId && (
                <Descriptions.Item label={t('orders.field.externalId')}>{o.externalId}</Descriptions.Item>
              )}
              {o.shippingAddress && (
                <Descriptions.Item label={t('orders.field.shippingAddress')}>
                  {o.shippingAddress}
                </Descriptions.Item>
              )}
              {o.notes && <Descriptions.Item label={t('orders.field.notes')}>{o.notes}</Descriptions.Item>}
            </Descriptions>
            <div className="haina-c360-stats">
              <Statistic title={t('orders.field.total')} value={fmt.money(o.total)} />
              <Statistic title={t('orders.field.paid')} value={fmt.money(o.paidTotal)} />
              <Statistic title={t('orders.field.refunded')} value={fmt.money(o.refundedTotal)} />
              <Statistic
                title={t('orders.field.balance')}
                value={fmt.money(balance)}
                valueStyle={balance > 0 ? { color: '#cf1322' } : undefined}
              />
            </div>
          </>
        )}
      </Card>
      {o && (
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Card size="small" title={t('orders.lines')} data-testid="order-lines-table">
              <Table
                rowKey={(l) => l.id ?? `${l.position}`}
                size="small"
                pagination={false}
                scroll={{ x: 'max-content' }}
                dataSource={o.lines ?? []}
                columns={[
                  { key: 'name', title: t('orders.line.name'), render: (_, l) => l.name },
                  { key: 'sku', title: t('orders.line.sku'), render: (_, l) => l.sku ?? '—' },
                  {
                    key: 'qty',
                    title: t('orders.line.quantity'),
                    align: 'right',
                    render: (_, l) => l.quantity,
                  },
                  {
                    key: 'price',
                    title: t('orders.line.unitPrice'),
                    align: 'right',
                    render: (_, l) => fmt.money(l.unitPrice),
                  },
                  {
                    key: 'discount',
                    title: t('orders.line.discount'),
                    align: 'right',
                    render: (_, l) => fmt.money(l.discount),
                  },
                  {
                    key: 'amount',
                    title: t('orders.line.amount'),
                    align: 'right',
                    render: (_, l) => fmt.money(l.amount),
                  },
                ]}
              />
              {/* The totals as the server keeps them: Σ gross − discounts + shipping. */}
              <dl className="haina-order-sums" data-testid="order-sums">
                {(
                  [
                    ['subtotal', o.subtotal],
                    ['discountTotal', -o.discountTotal],
                    ['shippingFee', o.shippingFee],
                    ['total', o.total],
                  ] as const
                ).map(([k, v]) => (
                  <div key={k} className={k === 'total' ? 'is-total' : undefined}>
                    <dt>{t(`orders.field.${k}`)}</dt>
                    <dd>{fmt.money(v)}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          </Col>
          <Col span={24}>
            <Card
              size="small"
              title={t('orders.payments')}
              data-testid="order-payments"
              extra={
                can('orders.edit') && (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      icon={<DollarOutlined />}
                      disabled={balance <= 0 || o.status === 'cancelled'}
                      onClick={() => setPaying('payment')}
                      data-testid="payment-new"
                    >
                      {t('orders.payment.newPayment')}
                    </Button>
                    <Button
                      size="small"
                      icon={<RollbackOutlined />}
                      disabled={refundable <= 0}
                      onClick={() => setPaying('refund')}
                      data-testid="refund-new"
                    >
                      {t('orders.payment.newRefund')}
                    </Button>
                  </Space>
                )
              }
            >
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                scroll={{ x: 'max-content' }}
                loading={payments.isLoading}
                dataSource={payments.data?.items ?? []}
                locale={{
                  emptyText: (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.payment.none')} />
                  ),
                }}
                columns={[
                  {
                    key: 'kind',
                    title: t('common.type'),
                    render: (_, p) => (
                      <Tag color={p.kind === 'refund' ? 'orange' : 'green'}>
                        {t(`orders.payment.kind.${p.kind}`)}
                      </Tag>
                    ),
                  },
                  {
                    key: 'amount',
                    title: t('orders.payment.amount'),
                    align: 'right',
                    render: (_, p) => fmt.money(p.kind === 'refund' ? -p.amount : p.amount),
                  },
                  {
                    key: 'method',
                    title: t('orders.payment.method'),
                    render: (_, p) => t(`orders.method.${p.method}`, { defaultValue: p.method }),
                  },
                  {
                    key: 'paidAt',
                    title: t('orders.payment.paidAt'),
                    render: (_, p) => fmt.dateTime(p.paidAt),
                  },
                  {
                    key: 'reference',
                    title: t('orders.payment.reference'),
                    render: (_, p) => p.reference ?? '—',
                  },
                  { key: 'note', title: t('orders.payment.note'), render: (_, p) => p.note ?? '—' },
                  {
                    key: 'by',
                    title: t('orders.payment.by'),
                    render: (_, p) => nameOf(p.createdBy) ?? '—',
                  },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
      <PaymentModal
        orderId={id}
        kind={paying}
        limit={paying === 'refund' ? refundable : balance}
        onClose={() => setPaying(null)}
        onSaved={() => {
          setPaying(null)
          void refresh()
        }}
      />
      <OrderDrawer
        order={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null)
          void refresh()
        }}
      />
    </>
  )
}

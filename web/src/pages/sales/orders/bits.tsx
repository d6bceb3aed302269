import { Tag } from 'antd'
import type { ColumnType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useNameOf } from '../../pools/api.js'
import { CustomerLink } from '../customers/bits.js'
import { useFormat } from '../format.js'
import './i18n.js'

/** draft → confirmed → shipped → completed, or refunded / cancelled. */
export const ORDER_STATUSES = ['draft', 'confirmed', 'shipped', 'completed', 'refunded', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

const COLORS: Record<string, string> = {
  draft: 'default',
  confirmed: 'processing',
  shipped: 'cyan',
  completed: 'success',
  refunded: 'warning',
  cancelled: 'error',
}

export function OrderStatusTag({ status }: { status: string }) {
  const { t } = useTranslation()
  return (
    <Tag color={COLORS[status] ?? 'default'} data-testid="order-status">
      {t(`orders.status.${status}`, { defaultValue: status })}
    </Tag>
  )
}

/** What every order list row has (orders, receivables). */
interface OrderRow {
  id: string
  number: string
  customerId: string
  customerName?: string | null
  status: string
  orderedAt: string
  total: number
  paidTotal: number
  refundedTotal: number
  paymentDueDate: string | null
  ownerId: string | null
  ownerName?: string | null
}

/** The columns the order lists share, by name. */
export function useOrderColumns<R extends OrderRow>(): Record<
  'number' | 'customer' | 'status' | 'orderedAt' | 'total' | 'paid' | 'due' | 'owner',
  ColumnType<R>
> {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = useNameOf()
  return {
    number: {
      key: 'number',
      title: t('orders.field.number'),
      fixed: 'left',
      render: (_, o) => <Link to={`/orders/${o.id}`}>{o.number}</Link>,
    },
    customer: {
      key: 'customer',
      title: t('orders.field.customer'),
      render: (_, o) => <CustomerLink id={o.customerId} name={o.customerName} />,
    },
    status: {
      key: 'status',
      title: t('common.status'),
      render: (_, o) => <OrderStatusTag status={o.status} />,
    },
    orderedAt: {
      key: 'orderedAt',
      title: t('orders.field.orderedAt'),
      render: (_, o) => fmt.date(o.orderedAt),
    },
    total: {
      key: 'total',
      title: t('orders.field.total'),
      align: 'right',
      render: (_, o) => fmt.money(o.total),
    },
    paid: {
      key: 'paid',
      title: t('orders.field.paid'),
      align: 'right',
      render: (_, o) => fmt.money(o.paidTotal - o.refundedTotal),
    },
    due: {
      key: 'due',
      title: t('orders.field.paymentDueDate'),
      render: (_, o) => fmt.date(o.paymentDueDate),
    },
    owner: {
      key: 'owner',
      title: t('orders.field.owner'),
      render: (_, o) => nameOf(o.ownerId, o.ownerName) ?? '—',
    },
  }
}

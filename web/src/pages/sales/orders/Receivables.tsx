import { Card, Segmented, Statistic, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import '../../pools/pools.css'
import { CustomerSelect } from '../customers/bits.js'
import '../customers/customers.css'
import { useFormat } from '../format.js'
import { ordersApi, type Receivable } from './api.js'
import { useOrderColumns } from './bits.js'
import './i18n.js'
import { PagedTable, usePaged } from '../customers/PagedTable.js'

/** Receivables (应收款): orders with a balance, when it is due and how many days overdue, with sums. */
export function ReceivablesPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [customerId, setCustomerId] = useState<string | null>(null)
  const [only, setOnly] = useState<'all' | 'overdue'>('all')
  const filter = { customerId: customerId ?? undefined }
  const overdueOnly = only === 'overdue'
  const list = usePaged(['orders', 'receivables', filter, overdueOnly], (cursor) =>
    ordersApi.receivables({ filter, cursor, overdueOnly }),
  )
  // The sums cover every open order in scope (and the customer filter), not only the loaded page.
  const sums = list.data?.pages[0]?.totals
  const col = useOrderColumns<Receivable>()
  const columns: ColumnsType<Receivable> = [
    col.number,
    col.customer,
    col.status,
    col.total,
    col.paid,
    {
      key: 'balance',
      title: t('orders.field.balance'),
      align: 'right',
      render: (_, o) => <strong>{fmt.money(o.balance)}</strong>,
    },
    col.due,
    {
      key: 'overdue',
      title: t('orders.receivables.overdueDays'),
      align: 'right',
      render: (_, o) =>
        (o.overdueDays ?? 0) > 0 ? (
          <Tag color="error" data-testid="overdue-days">
            {t('orders.receivables.days', { n: o.overdueDays })}
          </Tag>
        ) : (
          <span className="haina-muted">{o.paymentDueDate ? t('orders.receivables.notDue') : '—'}</span>
        ),
    },
    col.owner,
  ]
  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.receivables')}</Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }} data-testid="receivable-sums">
        <div className="haina-c360-stats" style={{ marginTop: 0 }}>
          <Statistic title={t('orders.receivables.total')} value={fmt.money(sums?.balance)} />
          <Statistic
            title={t('orders.receivables.overdue')}
            value={fmt.money(sums?.overdueBalance)}
            valueStyle={(sums?.overdueBalance ?? 0) > 0 ? { color: '#cf1322' } : undefined}
          />
          <Statistic title={t('orders.receivables.count')} value={sums?.count ?? '—'} />
          <Statistic title={t('orders.receivables.overdueCount')} value={sums?.overdueCount ?? '—'} />
        </div>
      </Card>
      <div className="haina-toolbar">
        <Segmented
          value={only}
          onChange={(v) => setOnly(v as 'all' | 'overdue')}
          options={[
            { value: 'all', label: t('orders.receivables.all') },
            { value: 'overdue', label: t('orders.receivables.onlyOverdue') },
          ]}
        />
        <CustomerSelect value={customerId} onChange={(id) => setCustomerId(id)} style={{ width: 240 }} />
      </div>
      <PagedTable query={list} columns={columns} testId="receivables-table" />
    </>
  )
}

import { CloudUploadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button, DatePicker, Input, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { ExportButton } from '../../../components/ExportButton.js'
import { useCan } from '../../../session.js'
import { AddButton, CustomerSelect, EnumSelect } from '../customers/bits.js'
import { useFormat } from '../format.js'
import { balanceOf, type OrderListItem, ordersApi } from './api.js'
import { ORDER_STATUSES, useOrderColumns } from './bits.js'
import './i18n.js'
import { PagedTable, usePaged } from '../customers/PagedTable.js'
import { OrderDrawer } from './OrderForm.js'

/** Orders whose balance is owed (a draft or a cancelled order owes nothing yet). */
const OWED = ['confirmed', 'shipped', 'completed']
/** The list's order (and its export's). */
const SORT = '-orderedAt'

/** The order library (订单库): status, totals, what was paid and what is still owed. */
export function OrdersPage() {
  const { t } = useTranslation()
  const can = useCan()
  const fmt = useFormat()
  const nav = useNavigate()
  const qc = useQueryClient()
  const [params, setParams] = useSearchParams()
  // /orders?new=<customerId> (from the customer page) opens the form for that customer.
  const newFor = params.get('new')
  const [creating, setCreating] = useState(false)
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<string>()
  const [customerId, setCustomerId] = useState<string | null>(null)
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null)

  const filter: Record<string, unknown> = {
    q: q || undefined,
    status,
    customerId: customerId ?? undefined,
    orderedAt:
      range?.[0] && range[1]
        ? { between: [range[0].startOf('day').toISOString(), range[1].endOf('day').toISOString()] }
        : undefined,
  }
  const list = usePaged(['orders', 'list', filter], (cursor) =>
    ordersApi.list({ filter, sort: SORT, cursor }),
  )
  const col = useOrderColumns<OrderListItem>()
  const columns: ColumnsType<OrderListItem> = [
    col.number,
    col.customer,
    col.status,
    col.orderedAt,
    col.total,
    col.paid,
    {
      key: 'balance',
      title: t('orders.field.balance'),
      align: 'right',
      render: (_, o) => {
        const b = balanceOf(o)
        return (
          <span className={b > 0 && OWED.includes(o.status) ? 'haina-overdue' : undefined}>
            {fmt.money(b)}
          </span>
        )
      },
    },
    col.due,
    {
      key: 'source',
      title: t('orders.field.source'),
      render: (_, o) => t(`orders.source.${o.source}`, { defaultValue: o.source }),
    },
    col.owner,
  ]
  const closeForm = () => {
    setCreating(false)
    if (newFor) setParams({}, { replace: true })
  }
  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.orders')}</Typography.Title>
      <div className="haina-toolbar">
        <Input.Search allowClear placeholder={t('orders.searchPh')} style={{ width: 220 }} onSearch={setQ} />
        <EnumSelect
          values={ORDER_STATUSES}
          labels="orders.status"
          placeholder={t('common.status')}
          width={130}
          value={status}
          onChange={setStatus}
          data-testid="order-status-filter"
        />
        <CustomerSelect value={customerId} onChange={(id) => setCustomerId(id)} style={{ width: 220 }} />
        <DatePicker.RangePicker
          value={range}
          onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
        />
        <span style={{ flex: 1 }} />
        <ExportButton
          path="/api/v1/orders/export"
          permission="orders.export"
          filter={filter}
          sort={SORT}
          testId="order-export"
        />
        {can('orders.import') && (
          <Button icon={<CloudUploadOutlined />} onClick={() => nav('/orders/import')}>
            {t('salesMenu.orderImport')}
          </Button>
        )}
        <AddButton allowed={can('orders.create')} onClick={() => setCreating(true)} testId="order-new">
          {t('orders.new')}
        </AddButton>
      </div>
      <PagedTable query={list} columns={columns} testId="orders-table" />
      <OrderDrawer
        order={creating || (newFor && can('orders.create')) ? 'new' : null}
        customerId={newFor ?? undefined}
        onClose={closeForm}
        onSaved={(o) => {
          closeForm()
          void qc.invalidateQueries({ queryKey: ['orders'] })
          nav(`/orders/${o.id}`)
        }}
      />
    </>
  )
}

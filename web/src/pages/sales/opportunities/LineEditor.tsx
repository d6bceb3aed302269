import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, Input, InputNumber, Select, Statistic, Table, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../format.js'
import type { Product } from './api.js'
import { lineAmount, lineTotals } from './format.js'
import './i18n.js'

/** A line being edited; money in 分, `key` only identifies the row on screen. */
export interface EditLine {
  key: string
  productId?: string | null
  name: string
  description?: string | null
  quantity: number
  unitPrice: number
  discountPct: number
}

let seq = 0
export const newKey = () => `l${++seq}`
export const toEditLines = <L extends Omit<EditLine, 'key'>>(lines: L[] | undefined): EditLine[] =>
  (lines ?? []).map((l) => ({
    key: newKey(),
    productId: l.productId ?? null,
    name: l.name,
    description: l.description ?? null,
    quantity: Number(l.quantity),
    unitPrice: Number(l.unitPrice),
    discountPct: Number(l.discountPct ?? 0),
  }))
/** What the API takes: the lines without their screen keys. */
export const fromEditLines = (lines: EditLine[], withDescription = false) =>
  lines.map(({ key: _k, description, ...l }) => ({
    ...l,
    productId: l.productId ?? null,
    name: l.name.trim(),
    ...(withDescription ? { description: description?.trim() || null } : {}),
  }))

/**
 * Product lines: pick a product (priced from the price book, else its list price), or type a free
 * line; quantity, unit price in 元 and discount %; the amounts and totals follow as you type.
 */
export function LineEditor(props: {
  value: EditLine[]
  onChange: (lines: EditLine[]) => void
  products: Product[]
  /** Price book prices by product id (分). */
  prices?: Map<string, number>
  disabled?: boolean
  withDescription?: boolean
  headerDiscountPct?: number
  extraTotals?: React.ReactNode
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const lines = props.value
  const set = (key: string, patch: Partial<EditLine>) =>
    props.onChange(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)))
  const pickProduct = (key: string, productId: string | null) => {
    const p = props.products.find((x) => x.id === productId)
    if (!p) return set(key, { productId: null })
    set(key, { productId: p.id, name: p.name, unitPrice: props.prices?.get(p.id) ?? p.listPrice })
  }
  const totals = lineTotals(lines, props.headerDiscountPct ?? 0)
  const active = props.products.filter((p) => p.active || lines.some((l) => l.productId === p.id))

  const code = (id?: string | null) => props.products.find((p) => p.id === id)?.code
  // Read-only: plain text, no disabled inputs.
  const readColumns: ColumnsType<EditLine> = [
    {
      key: 'name',
      title: t('opps.lines.name'),
      render: (_, l) => (
        <>
          {code(l.productId) && <Typography.Text type="secondary">{code(l.productId)} </Typography.Text>}
          {l.name}
          {l.description && <div className="haina-muted">{l.description}</div>}
        </>
      ),
    },
    { key: 'quantity', title: t('opps.lines.quantity'), align: 'right', render: (_, l) => l.quantity },
    {
      key: 'unitPrice',
      title: t('opps.lines.unitPrice'),
      align: 'right',
      render: (_, l) => fmt.money(l.unitPrice),
    },
    {
      key: 'discount',
      title: t('opps.lines.discount'),
      align: 'right',
      render: (_, l) => `${l.discountPct}%`,
    },
    {
      key: 'amount',
      title: t('opps.lines.amount'),
      align: 'right',
      render: (_, l) => (
        <span data-testid="line-amount">{fmt.money(lineAmount(l.quantity, l.unitPrice, l.discountPct))}</span>
      ),
    },
  ]
  const editColumns: ColumnsType<EditLine> = [
    {
      key: 'product',
      title: t('opps.lines.product'),
      width: 200,
      render: (_, l) => (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          value={l.productId ?? undefined}
          placeholder={t('opps.lines.freeLine')}
          onChange={(v) => pickProduct(l.key, v ?? null)}
          options={active.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
          data-testid="line-product"
        />
      ),
    },
    {
      key: 'name',
      title: t('opps.lines.name'),
      render: (_, l) => (
        <>
          <Input
            value={l.name}
            status={l.name.trim() ? undefined : 'error'}
            onChange={(e) => set(l.key, { name: e.target.value })}
            maxLength={200}
            data-testid="line-name"
          />
          {props.withDescription && (
            <Input.TextArea
              style={{ marginTop: 4 }}
              autoSize={{ minRows: 1, maxRows: 4 }}
              placeholder={t('opps.lines.description')}
              value={l.description ?? ''}
              onChange={(e) => set(l.key, { description: e.target.value })}
            />
          )}
        </>
      ),
    },
    {
      key: 'quantity',
      title: t('opps.lines.quantity'),
      width: 100,
      render: (_, l) => (
        <InputNumber
          style={{ width: '100%' }}
          min={0}
          max={1e9}
          value={l.quantity}
          onChange={(v) => set(l.key, { quantity: Number(v ?? 0) })}
          data-testid="line-quantity"
        />
      ),
    },
    {
      key: 'unitPrice',
      title: t('opps.lines.unitPrice'),
      width: 140,
      render: (_, l) => (
        <InputNumber
          style={{ width: '100%' }}
          prefix="¥"
          min={0}
          precision={2}
          value={l.unitPrice / 100}
          onChange={(v) => set(l.key, { unitPrice: Math.round(Number(v ?? 0) * 100) })}
          data-testid="line-price"
        />
      ),
    },
    {
      key: 'discount',
      title: t('opps.lines.discount'),
      width: 100,
      render: (_, l) => (
        <InputNumber
          style={{ width: '100%' }}
          min={0}
          max={100}
          suffix="%"
          value={l.discountPct}
          onChange={(v) => set(l.key, { discountPct: Number(v ?? 0) })}
          data-testid="line-discount"
        />
      ),
    },
    {
      key: 'amount',
      title: t('opps.lines.amount'),
      align: 'right',
      width: 120,
      render: (_, l) => (
        <span className="haina-line-amount" data-testid="line-amount">
          {fmt.money(lineAmount(l.quantity, l.unitPrice, l.discountPct))}
        </span>
      ),
    },
    {
      key: 'remove',
      width: 44,
      render: (_, l) => (
        <Button
          type="text"
          icon={<DeleteOutlined />}
          aria-label={t('common.delete')}
          onClick={() => props.onChange(lines.filter((x) => x.key !== l.key))}
        />
      ),
    },
  ]

  return (
    <>
      <Table
        className="haina-line-table"
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={lines}
        columns={props.disabled ? readColumns : editColumns}
        scroll={{ x: props.disabled ? undefined : 820 }}
        locale={{ emptyText: t('opps.lines.empty') }}
        data-testid="line-editor"
      />
      {!props.disabled && (
        <Button
          type="dashed"
          block
          icon={<PlusOutlined />}
          style={{ marginTop: 8 }}
          onClick={() =>
            props.onChange([...lines, { key: newKey(), name: '', quantity: 1, unitPrice: 0, discountPct: 0 }])
          }
          data-testid="line-add"
        >
          {t('opps.lines.add')}
        </Button>
      )}
      <div className="haina-totals" data-testid="line-totals">
        <Statistic title={t('opps.lines.subtotal')} value={fmt.money(totals.subtotal)} />
        <Statistic title={t('opps.lines.discountTotal')} value={fmt.money(totals.discountTotal)} />
        {props.extraTotals}
        <Statistic
          title={t('opps.lines.total')}
          value={fmt.money(totals.total)}
          valueStyle={{ color: '#1668dc', fontWeight: 600 }}
          data-testid="line-total"
        />
      </div>
    </>
  )
}

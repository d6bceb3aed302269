import { PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { useFormat } from '../format.js'
import { type PriceBook, usePriceBook, usePriceBooks, useProducts } from '../opportunities/api.js'
import { errText } from '../opportunities/format.js'
import { settingsApi } from './api.js'
import { RecordModal } from './RecordModal.js'
import { RowActions } from './RowActions.js'

interface Values {
  name: string
  currency: string
  isDefault: boolean
  active: boolean
  valid?: [Dayjs | null, Dayjs | null] | null
  description?: string | null
}

/**
 * 价格表: price books (per channel, region or customer level; one is the default) and, for the one
 * picked, the price of each product in it. A product left empty is not in the book (its list price
 * applies).
 */
export function PriceBooks() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const qc = useQueryClient()
  const books = usePriceBooks()
  const [picked, setPicked] = useState<string | null>(null)
  const [editing, setEditing] = useState<PriceBook | 'new' | null>(null)
  const current = editing === 'new' ? null : editing
  const list = books.data ?? []
  const selected = list.find((b) => b.id === picked) ?? list.find((b) => b.isDefault) ?? list[0]
  const refresh = () => qc.invalidateQueries({ queryKey: ['price-books'] })
  const submit = async (v: Values) => {
    const body = {
      name: v.name.trim(),
      currency: v.currency || 'CNY',
      isDefault: v.isDefault,
      active: v.active,
      validFrom: v.valid?.[0]?.format('YYYY-MM-DD') ?? null,
      validTo: v.valid?.[1]?.format('YYYY-MM-DD') ?? null,
      description: v.description?.trim() || null,
    }
    const saved = current
      ? await settingsApi.patchPriceBook(current.id, { ...body, version: current.version })
      : await settingsApi.createPriceBook(body)
    setPicked(saved.id)
    await refresh()
  }
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={10}>
        <Card
          size="small"
          title={t('salesSettings.priceBooks.list')}
          extra={
            can('products.create') && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="pricebook-new"
              >
                {t('salesSettings.priceBooks.new')}
              </Button>
            )
          }
        >
          <Table
            rowKey="id"
            size="small"
            loading={books.isLoading}
            dataSource={list}
            pagination={false}
            locale={{ emptyText: t('salesSettings.priceBooks.empty') }}
            onRow={(b) => ({ onClick: () => setPicked(b.id), style: { cursor: 'pointer' } })}
            rowClassName={(b) => (b.id === selected?.id ? 'ant-table-row-selected' : '')}
            columns={[
              {
                key: 'name',
                title: t('salesSettings.priceBooks.name'),
                render: (_, b) => (
                  <Space size={4} wrap>
                    {b.name}
                    {b.isDefault && <Tag color="blue">{t('salesSettings.priceBooks.default')}</Tag>}
                    {!b.active && <Tag>{t('salesSettings.inactive')}</Tag>}
                  </Space>
                ),
              },
              {
                key: 'valid',
                title: t('salesSettings.priceBooks.valid'),
                render: (_, b) =>
                  b.validFrom || b.validTo
                    ? `${b.validFrom ? fmt.date(b.validFrom) : '…'} ~ ${b.validTo ? fmt.date(b.validTo) : '…'}`
                    : t('salesSettings.priceBooks.always'),
              },
              {
                key: 'actions',
                render: (_, b) => (
                  <RowActions
                    onEdit={() => setEditing(b)}
                    onDelete={b.isDefault ? undefined : () => settingsApi.deletePriceBook(b.id).then(refresh)}
                  />
                ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        {selected ? (
          <Entries key={selected.id} book={selected} />
        ) : (
          <Card size="small">
            <Empty description={t('salesSettings.priceBooks.pick')} />
          </Card>
        )}
      </Col>
      <RecordModal<Values>
        open={editing !== null}
        title={current ? t('salesSettings.priceBooks.edit') : t('salesSettings.priceBooks.new')}
        initial={
          current
            ? {
                ...current,
                valid: [
                  current.validFrom ? dayjs(current.validFrom) : null,
                  current.validTo ? dayjs(current.validTo) : null,
                ],
              }
            : { currency: 'CNY', isDefault: !list.length, active: true }
        }
        onClose={() => setEditing(null)}
        onSubmit={submit}
        testId="pricebook"
      >
        <Form.Item
          name="name"
          label={t('salesSettings.priceBooks.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="currency" label={t('salesSettings.priceBooks.currency')}>
              <Input maxLength={3} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="isDefault" label={t('salesSettings.priceBooks.default')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="active" label={t('salesSettings.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="valid" label={t('salesSettings.priceBooks.valid')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t('salesSettings.priceBooks.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={1000} />
        </Form.Item>
      </RecordModal>
    </Row>
  )
}

/** The prices of one book: every product, its list price, and its price in this book (元). */
function Entries({ book }: { book: PriceBook }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const products = useProducts().data ?? []
  const full = usePriceBook(book.id)
  const [prices, setPrices] = useState<Record<string, number | null>>({})
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState(false)
  const canEdit = can('products.edit')
  useEffect(() => {
    setPrices(Object.fromEntries((full.data?.entries ?? []).map((e) => [e.productId, e.unitPrice])))
    setDirty(false)
  }, [full.data])
  const set = (id: string, v: number | null) => {
    setPrices((p) => ({ ...p, [id]: v }))
    setDirty(true)
  }
  const save = async () => {
    setBusy(true)
    try {
      const entries = Object.entries(prices)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([productId, unitPrice]) => ({ productId, unitPrice: unitPrice as number }))
      const saved = await settingsApi.putEntries(book.id, entries)
      qc.setQueryData(['price-books', book.id], saved)
      await qc.invalidateQueries({ queryKey: ['price-books', book.id] })
      message.success(t('common.saved'))
    } catch (e) {
      message.error(errText(e))
    } finally {
      setBusy(false)
    }
  }
  const filled = products.filter((p) => prices[p.id] !== null && prices[p.id] !== undefined).length
  return (
    <Card
      size="small"
      title={t('salesSettings.priceBooks.entries', { name: book.name, n: filled })}
      extra={
        canEdit && (
          <Space>
            <Button
              disabled={!products.length}
              onClick={() => {
                setPrices(Object.fromEntries(products.map((p) => [p.id, prices[p.id] ?? p.listPrice])))
                setDirty(true)
              }}
            >
              {t('salesSettings.priceBooks.fillList')}
            </Button>
            <Button type="primary" disabled={!dirty} loading={busy} onClick={save} data-testid="entries-save">
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={full.isLoading}
        dataSource={products}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('salesSettings.products.empty') }}
        data-testid="entries-table"
        columns={[
          {
            key: 'product',
            title: t('salesSettings.products.name'),
            render: (_, p) => `${p.code} ${p.name}`,
          },
          {
            key: 'list',
            title: t('salesSettings.products.listPrice'),
            align: 'right',
            render: (_, p) => fmt.money(p.listPrice),
          },
          {
            key: 'price',
            title: t('salesSettings.priceBooks.price'),
            width: 180,
            render: (_, p) => (
              <InputNumber
                prefix="¥"
                min={0}
                precision={2}
                style={{ width: '100%' }}
                disabled={!canEdit}
                placeholder={t('salesSettings.priceBooks.notInBook')}
                value={
                  prices[p.id] === null || prices[p.id] === undefined ? null : (prices[p.id] as number) / 100
                }
                onChange={(v) =>
                  set(p.id, v === null || v === undefined ? null : Math.round(Number(v) * 100))
                }
              />
            ),
          },
        ]}
      />
    </Card>
  )
}

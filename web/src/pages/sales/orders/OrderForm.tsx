import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { useFieldDefs } from '../../../data.js'
import { contactsApi } from '../customers/api.js'
import { CustomerSelect } from '../customers/bits.js'
import { CustomFieldItems } from '../customers/CustomFieldItems.js'
import '../customers/customers.css'
import { useSubmit } from '../customers/useSubmit.js'
import { toFen, toYuan, useFormat } from '../format.js'
import { type Order, type OrderBody, ordersApi, type Product, useProducts } from './api.js'
import './i18n.js'

interface LineValues {
  productId?: string | null
  sku?: string | null
  name?: string
  quantity?: number | null
  unitPrice?: number | null
  discount?: number | null
}
interface Values {
  customerId: string
  contactId?: string | null
  orderedAt?: Dayjs | null
  paymentDueDate?: Dayjs | null
  lines: LineValues[]
  shippingFee?: number | null
  /** The order-level discount (元), on top of the lines' own. */
  headerDiscount?: number | null
  shippingAddress?: string
  notes?: string
  custom?: Record<string, unknown>
}

/** A line's gross in 分: quantity × unit price, rounded (as the server prices it). */
const grossFen = (l: LineValues) => Math.round((l.quantity ?? 0) * (toFen(l.unitPrice) ?? 0))
const lineFen = (l: LineValues) => grossFen(l) - (toFen(l.discount) ?? 0)

/**
 * Totals in 分 as the server stores them: subtotal = Σ line gross, discount = Σ line discounts +
 * the order discount, total = subtotal − discount + shipping.
 */
export function totalsOf(v: Partial<Values>) {
  const lines = (v.lines ?? []).filter(Boolean)
  const subtotal = lines.reduce((s, l) => s + grossFen(l), 0)
  const discount = lines.reduce((s, l) => s + (toFen(l.discount) ?? 0), 0) + (toFen(v.headerDiscount) ?? 0)
  const shipping = toFen(v.shippingFee) ?? 0
  return { subtotal, discount, shipping, total: subtotal - discount + shipping }
}

function valuesOf(o: Order | null, customerId?: string): Partial<Values> {
  if (!o) return { customerId, orderedAt: dayjs(), lines: [{ quantity: 1 }] }
  return {
    customerId: o.customerId,
    contactId: o.contactId,
    custom: o.custom,
    orderedAt: dayjs(o.orderedAt),
    paymentDueDate: o.paymentDueDate ? dayjs(o.paymentDueDate) : null,
    shippingFee: toYuan(o.shippingFee),
    headerDiscount: toYuan(o.headerDiscount),
    shippingAddress: o.shippingAddress ?? undefined,
    notes: o.notes ?? undefined,
    lines: o.lines.map((l) => ({
      ...l,
      unitPrice: toYuan(l.unitPrice),
      discount: toYuan(l.discount),
    })),
  }
}

function bodyOf(v: Values): OrderBody {
  return {
    customerId: v.customerId,
    contactId: v.contactId ?? null,
    ...(v.orderedAt ? { orderedAt: v.orderedAt.toISOString() } : {}),
    paymentDueDate: v.paymentDueDate ? v.paymentDueDate.format('YYYY-MM-DD') : null,
    lines: v.lines.map((l) => ({
      productId: l.productId ?? null,
      sku: l.sku?.trim() || null,
      name: (l.name ?? '').trim(),
      quantity: l.quantity ?? 1,
      unitPrice: toFen(l.unitPrice) ?? 0,
      discount: toFen(l.discount) ?? 0,
    })),
    shippingFee: toFen(v.shippingFee) ?? 0,
    headerDiscount: toFen(v.headerDiscount) ?? 0,
    shippingAddress: v.shippingAddress?.trim() || null,
    notes: v.notes?.trim() || null,
    ...(v.custom ? { custom: v.custom } : {}),
  }
}

/** A new order (or a draft's edit): customer, contact, product lines with live totals, payment terms. */
export function OrderDrawer(props: {
  order: Order | 'new' | null
  customerId?: string
  onClose: () => void
  onSaved: (o: Order) => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const fmt = useFormat()
  const [form] = Form.useForm<Values>()
  const defs = useFieldDefs('order').data?.items ?? []
  const products = useProducts()
  const existing = props.order === 'new' ? null : props.order
  const customerId = Form.useWatch('customerId', form)
  const watched = Form.useWatch([], form) as Partial<Values> | undefined
  const totals = totalsOf(watched ?? {})
  const contacts = useQuery({
    queryKey: ['contacts', 'of', customerId],
    queryFn: () => contactsApi.list({ customerId }),
    enabled: !!customerId,
  })

  const pickProduct = (index: number, p?: Product) => {
    if (!p) return
    const lines = [...(form.getFieldValue('lines') as LineValues[])]
    lines[index] = {
      ...lines[index],
      productId: p.id,
      sku: p.code,
      name: p.name,
      unitPrice: toYuan(p.listPrice),
    }
    form.setFieldValue('lines', lines)
  }

  // A stale version or a locked (no longer draft) order answers 409 with the server's reason.
  const save = useSubmit(form)
  const submit = () =>
    save.submit(async (v) => {
      const { customerId: _fixed, ...patch } = bodyOf(v)
      const saved = existing
        ? await ordersApi.update(existing.id, { ...patch, version: existing.version })
        : await ordersApi.create(bodyOf(v))
      message.success(t('common.saved'))
      props.onSaved(saved)
    })

  return (
    <Drawer
      open={props.order !== null}
      title={existing ? t('orders.edit', { number: existing.number }) : t('orders.new')}
      onClose={props.onClose}
      size={900}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} loading={save.busy} data-testid="order-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={valuesOf(existing, props.customerId)}
        data-testid="order-form"
      >
        <div className="haina-form-grid">
          <Form.Item name="customerId" label={t('orders.field.customer')} rules={[{ required: true }]}>
            {/* Another customer: its contacts, not the previous one's. */}
            <CustomerSelect onChange={() => form.setFieldValue('contactId', null)} />
          </Form.Item>
          <Form.Item name="contactId" label={t('orders.field.contact')}>
            <Select
              allowClear
              disabled={!customerId}
              loading={contacts.isLoading && !!customerId}
              options={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="orderedAt" label={t('orders.field.orderedAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="paymentDueDate" label={t('orders.field.paymentDueDate')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.List
          name="lines"
          rules={[
            {
              validator: async (_, lines) =>
                lines?.length ? undefined : Promise.reject(new Error(t('orders.form.needLine'))),
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <div className="haina-order-lines" data-testid="order-lines">
              <div className="haina-order-line haina-order-line-head">
                <span>{t('orders.line.product')}</span>
                <span>{t('orders.line.name')}</span>
                <span>{t('orders.line.quantity')}</span>
                <span>{t('orders.line.unitPrice')}</span>
                <span>{t('orders.line.discount')}</span>
                <span style={{ textAlign: 'right' }}>{t('orders.line.amount')}</span>
                <span />
              </div>
              {fields.map((f) => (
                <div key={f.key} className="haina-order-line" data-testid="order-line">
                  <Form.Item name={[f.name, 'productId']} noStyle>
                    <Select
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      placeholder={t('orders.line.pickProduct')}
                      loading={products.isLoading}
                      aria-label={t('orders.line.product')}
                      onChange={(id?: string) =>
                        pickProduct(
                          f.name,
                          products.data?.find((p) => p.id === id),
                        )
                      }
                      options={(products.data ?? [])
                        .filter((p) => p.active !== false)
                        .map((p) => ({ value: p.id, label: `${p.name}（${p.code}）` }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, whitespace: true, message: t('orders.form.needName') }]}
                    style={{ margin: 0 }}
                  >
                    <Input aria-label={t('orders.line.name')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'quantity']} noStyle>
                    <InputNumber min={0} aria-label={t('orders.line.quantity')} style={{ width: '100%' }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unitPrice']} noStyle>
                    <InputNumber
                      min={0}
                      precision={2}
                      prefix="¥"
                      aria-label={t('orders.line.unitPrice')}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'discount']} noStyle>
                    <InputNumber
                      min={0}
                      precision={2}
                      prefix="¥"
                      aria-label={t('orders.line.discount')}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                  <span className="haina-order-amount">
                    {fmt.money(lineFen(watched?.lines?.[f.name] ?? {}))}
                  </span>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('common.delete')}
                    onClick={() => remove(f.name)}
                  />
                </div>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ quantity: 1 })}
                data-testid="order-line-add"
              >
                {t('orders.line.add')}
              </Button>
              <Form.ErrorList errors={errors} />
            </div>
          )}
        </Form.List>
        <div className="haina-form-grid" style={{ marginTop: 16 }}>
          <Form.Item name="headerDiscount" label={t('orders.field.headerDiscount')}>
            <InputNumber min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="shippingFee" label={t('orders.field.shippingFee')}>
            <InputNumber min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 2, md: 4 }}
          style={{ marginBottom: 16 }}
          data-testid="order-totals"
        >
          <Descriptions.Item label={t('orders.field.subtotal')}>
            {fmt.money(totals.subtotal)}
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.field.discountTotal')}>
            {totals.discount ? `-${fmt.money(totals.discount)}` : fmt.money(0)}
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.field.shippingFee')}>
            {fmt.money(totals.shipping)}
          </Descriptions.Item>
          <Descriptions.Item label={t('orders.field.total')}>
            <strong data-testid="order-total">{fmt.money(totals.total)}</strong>
          </Descriptions.Item>
        </Descriptions>
        <Form.Item name="shippingAddress" label={t('orders.field.shippingAddress')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="notes" label={t('orders.field.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <CustomFieldItems defs={defs} />
      </Form>
    </Drawer>
  )
}

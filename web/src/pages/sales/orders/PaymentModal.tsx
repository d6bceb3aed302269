import { App, DatePicker, Form, Input, InputNumber, Modal } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { useSubmit } from '../customers/useSubmit.js'
import { toFen, toYuan, useFormat } from '../format.js'
import { ordersApi, PAYMENT_METHODS, type PaymentBody } from './api.js'
import './i18n.js'
import { EnumSelect } from '../customers/bits.js'

interface Values {
  amount: number
  method: PaymentBody['method']
  paidAt?: Dayjs | null
  reference?: string
  note?: string
}

/**
 * Records a payment (回款) or a refund (退款). The server refuses a payment above the balance or
 * a refund above what was paid (422); its message goes on the amount field.
 */
export function PaymentModal(props: {
  orderId: string
  kind: 'payment' | 'refund' | null
  /** What can go in: the balance for a payment, paid − refunded for a refund (分). */
  limit: number
  onClose: () => void
  onSaved: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const fmt = useFormat()
  const [form] = Form.useForm<Values>()
  useEffect(() => {
    if (props.kind) {
      form.resetFields()
      form.setFieldsValue({
        amount: toYuan(Math.max(0, props.limit)) ?? undefined,
        method: 'bank_transfer',
        paidAt: dayjs(),
      })
    }
  }, [props.kind, props.limit, form])

  const save = useSubmit(form)
  const submit = () =>
    save.submit(
      async (v) => {
        await ordersApi.pay(props.orderId, {
          kind: props.kind ?? 'payment',
          amount: toFen(v.amount) ?? 0,
          method: v.method,
          ...(v.paidAt ? { paidAt: v.paidAt.toISOString() } : {}),
          ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        })
        message.success(t(props.kind === 'refund' ? 'orders.payment.refunded' : 'orders.payment.recorded'))
        props.onSaved()
      },
      (e) => {
        // A 422 naming no field (over the balance, over what was paid) still belongs to the amount.
        if (!(e instanceof ApiError && e.status === 422 && !e.fields.length)) return false
        form.setFields([{ name: ['amount'], errors: [e.message] }])
        return true
      },
    )
  return (
    <Modal
      open={props.kind !== null}
      title={t(props.kind === 'refund' ? 'orders.payment.newRefund' : 'orders.payment.newPayment')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={save.busy}
      okButtonProps={{ 'data-testid': 'payment-ok' }}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="payment-form">
        <Form.Item
          name="amount"
          label={t('orders.payment.amount')}
          extra={t(props.kind === 'refund' ? 'orders.payment.refundable' : 'orders.payment.due', {
            amount: fmt.money(props.limit),
          })}
          rules={[{ required: true }]}
        >
          <InputNumber
            min={0.01}
            precision={2}
            prefix="¥"
            style={{ width: '100%' }}
            data-testid="payment-amount"
          />
        </Form.Item>
        <Form.Item name="method" label={t('orders.payment.method')}>
          <EnumSelect values={PAYMENT_METHODS} labels="orders.method" allowClear={false} />
        </Form.Item>
        <Form.Item
          name="paidAt"
          label={t(props.kind === 'refund' ? 'orders.payment.refundedAt' : 'orders.payment.paidAt')}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reference" label={t('orders.payment.reference')}>
          <Input maxLength={200} placeholder={t('orders.payment.referencePh')} />
        </Form.Item>
        <Form.Item name="note" label={t('orders.payment.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

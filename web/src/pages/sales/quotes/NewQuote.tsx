import { App, DatePicker, Form, Input, Modal, Select } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { showServerErrors } from '../../pool-settings/errors.js'
import { type Opportunity, useContacts, usePriceBooks, useSalesSettings } from '../opportunities/api.js'
import { quotesApi } from './api.js'
import './i18n.js'

interface Values {
  title: string
  contactId?: string | null
  priceBookId?: string | null
  validUntil?: Dayjs | null
}

/** 新建报价 for an opportunity: its product lines become the draft's lines, edited on the quote page. */
export function NewQuoteModal(props: { opportunity: Opportunity; open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const nav = useNavigate()
  const o = props.opportunity
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const contacts = useContacts(o.customerId).data ?? []
  const books = usePriceBooks().data ?? []
  const days = useSalesSettings().data?.quoteValidDays ?? 30
  useEffect(() => {
    if (props.open)
      form.setFieldsValue({
        title: t('quotes.new.defaultTitle', { name: o.name }),
        contactId: o.contactId,
        priceBookId: o.priceBookId ?? books.find((b) => b.isDefault)?.id ?? null,
        validUntil: dayjs().add(days, 'day'),
      })
  }, [props.open, o, books, days, form, t])

  const submit = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      const q = await quotesApi.create({
        opportunityId: o.id,
        title: v.title.trim(),
        contactId: v.contactId ?? null,
        priceBookId: v.priceBookId ?? null,
        validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
        lines: (o.lines ?? []).map((l) => ({
          productId: l.productId ?? null,
          name: l.name,
          quantity: Number(l.quantity),
          unitPrice: Number(l.unitPrice),
          discountPct: Number(l.discountPct ?? 0),
        })),
      })
      message.success(t('quotes.new.created', { number: q.number }))
      props.onClose()
      nav(`/quotes/${q.id}`)
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open={props.open}
      title={t('quotes.new.title')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'quote-create' }}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="quote-new-form">
        <Form.Item
          name="title"
          label={t('quotes.field.title')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="contactId" label={t('quotes.field.contact')}>
          <Select allowClear options={contacts.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="priceBookId" label={t('quotes.field.priceBook')}>
          <Select allowClear options={books.map((b) => ({ value: b.id, label: b.name }))} />
        </Form.Item>
        <Form.Item name="validUntil" label={t('quotes.field.validUntil')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <div className="haina-muted">{t('quotes.new.linesFrom', { n: o.lines?.length ?? 0 })}</div>
      </Form>
    </Modal>
  )
}

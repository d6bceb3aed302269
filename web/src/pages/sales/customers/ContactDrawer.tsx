import { useQuery } from '@tanstack/react-query'
import { App, Button, DatePicker, Drawer, Form, Input, Select, Switch } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFieldDefs } from '../../../data.js'
import { type Contact, type ContactBody, contactsApi, DEAL_ROLES, type DealRole, Problem } from './api.js'
import { CustomerSelect, EnumSelect } from './bits.js'
import { CustomFieldItems } from './CustomFieldItems.js'
import './i18n.js'
import { useSubmit } from './useSubmit.js'

/** What the drawer opens with: an existing contact, or a new one for a customer (maybe under someone). */
export type ContactTarget = Editable | { new: true; customerId?: string; reportsToId?: string | null }
/** A contact as the lists and the 360 tree carry it (with or without the customer's name). */
type Editable = Omit<Contact, 'customerName'>

/** The form: the API's contact, with the birthday as a date picker value. */
type Values = Omit<ContactBody, 'birthday'> & { birthday?: Dayjs | null }

const toValues = (c: Editable): Values => ({
  ...c,
  dealRole: c.dealRole as DealRole | null,
  birthday: c.birthday ? dayjs(c.birthday) : null,
})

/** Create or edit a contact: role in the deal, reporting line, several phones, emails and WeChat ids. */
export function ContactDrawer(props: {
  target: ContactTarget | null
  onClose: () => void
  onSaved: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const defs = useFieldDefs('contact').data?.items ?? []
  const [version, setVersion] = useState<number | null>(null)
  const existing = props.target && !('new' in props.target) ? props.target : null
  const fixedCustomer = props.target && 'new' in props.target ? props.target.customerId : existing?.customerId
  const customerId = Form.useWatch('customerId', form) ?? fixedCustomer
  const colleagues = useQuery({
    queryKey: ['contacts', 'of', customerId],
    queryFn: () => contactsApi.list({ customerId }),
    enabled: !!customerId && !!props.target,
  })
  const initial = existing
    ? toValues(existing)
    : {
        customerId: fixedCustomer,
        reportsToId: props.target && 'new' in props.target ? props.target.reportsToId : undefined,
        phones: [],
        emails: [],
        wechatIds: [],
      }

  const save = useSubmit(form)
  const submit = () =>
    save.submit(
      async (v) => {
        const text = (x?: string | null) => x?.trim() || null
        const body: ContactBody = {
          ...v,
          title: text(v.title),
          department: text(v.department),
          mobile: text(v.mobile),
          email: text(v.email),
          preferences: text(v.preferences),
          birthday: v.birthday ? v.birthday.format('YYYY-MM-DD') : null,
        }
        if (existing) {
          const { customerId: _fixed, ...patch } = body
          await contactsApi.update(existing.id, { ...patch, version: version ?? existing.version })
        } else await contactsApi.create(body)
        message.success(t('common.saved'))
        setVersion(null)
        props.onSaved()
      },
      (e) => {
        const current = e instanceof Problem && e.status === 409 ? e.param<Contact>('current') : undefined
        if (!current) return false
        // Someone else saved first: show theirs and save again on top of it.
        message.warning(t('customers.conflict.contact'))
        form.setFieldsValue(toValues(current))
        setVersion(current.version)
        return true
      },
    )

  const tags = (name: string, label: string) => (
    <Form.Item name={name} label={label}>
      <Select
        mode="tags"
        open={false}
        suffixIcon={null}
        tokenSeparators={[',', '，', ' ']}
        aria-label={label}
      />
    </Form.Item>
  )
  return (
    <Drawer
      open={props.target !== null}
      title={existing ? t('customers.contact.edit') : t('customers.contact.new')}
      onClose={() => {
        setVersion(null)
        props.onClose()
      }}
      size={520}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} loading={save.busy} data-testid="contact-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid="contact-form">
        <Form.Item name="customerId" label={t('customers.contact.customer')} rules={[{ required: true }]}>
          <CustomerSelect disabled={!!fixedCustomer} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('customers.contact.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} data-testid="contact-name" />
        </Form.Item>
        <Form.Item name="title" label={t('customers.contact.title')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="department" label={t('customers.contact.department')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="dealRole" label={t('customers.contact.dealRole')}>
          <EnumSelect values={DEAL_ROLES} labels="customers.dealRole" />
        </Form.Item>
        <Form.Item name="reportsToId" label={t('customers.contact.reportsTo')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={colleagues.isLoading}
            options={(colleagues.data?.items ?? [])
              .filter((c) => c.id !== existing?.id)
              .map((c) => ({ value: c.id, label: c.title ? `${c.name}（${c.title}）` : c.name }))}
          />
        </Form.Item>
        <Form.Item name="mobile" label={t('customers.contact.mobile')}>
          <Input type="tel" maxLength={40} />
        </Form.Item>
        <Form.Item name="email" label={t('customers.contact.email')}>
          <Input type="email" maxLength={200} />
        </Form.Item>
        {tags('phones', t('customers.contact.phones'))}
        {tags('emails', t('customers.contact.emails'))}
        {tags('wechatIds', t('customers.contact.wechatIds'))}
        <Form.Item name="birthday" label={t('customers.contact.birthday')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="preferences" label={t('customers.contact.preferences')}>
          <Input.TextArea rows={2} maxLength={1000} placeholder={t('customers.contact.preferencesPh')} />
        </Form.Item>
        <Form.Item name="isPrimary" label={t('customers.contact.isPrimary')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <CustomFieldItems defs={defs} />
      </Form>
    </Drawer>
  )
}

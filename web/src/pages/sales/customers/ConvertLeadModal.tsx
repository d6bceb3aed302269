import { CheckCircleOutlined, SwapOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Checkbox,
  Divider,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd'
import type { TFunction } from 'i18next'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import {
  type Candidate,
  type ConvertBody,
  type ConvertPreview,
  CUSTOMER_KINDS,
  conversionApi,
  DEAL_ROLES,
  type DealRole,
  Problem,
} from './api.js'
import { CustomerSelect, EnumSelect } from './bits.js'
import { DuplicateAlert } from './CustomerForm.js'
import './customers.css'
import './i18n.js'
import { OpportunityFields, type OpportunityValues, opportunityBody } from './OpportunityModal.js'
import { useSubmit } from './useSubmit.js'

interface Values {
  mode: 'new' | 'existing'
  customerId?: string
  customer: { name: string; kind: (typeof CUSTOMER_KINDS)[number]; industry?: string; creditCode?: string }
  withContact: boolean
  contact: { name: string; title?: string; mobile?: string; email?: string; dealRole?: DealRole }
  withOpportunity: boolean
  opportunity: OpportunityValues
}
type Done = { customerId: string; opportunityId: string | null; existingCustomer: boolean }
type Already = { customerId: string; opportunityId?: string | null; convertedAt?: string }

const trimmed = (v?: string | null) => v?.trim() || null

function initialValues(p: ConvertPreview, t: TFunction): Partial<Values> {
  const l = p.lead
  const first = p.candidates[0]
  return {
    // Suggest the existing customer the duplicate check found; a new one otherwise.
    mode: first ? 'existing' : 'new',
    customerId: first?.id,
    // What a new customer would start with, as the server derives it from the lead.
    customer: {
      name: p.prefill.name,
      kind: p.prefill.kind,
      creditCode: p.prefill.creditCode ?? undefined,
    },
    withContact: true,
    contact: {
      name: l.name,
      title: l.title ?? undefined,
      mobile: l.mobile ?? undefined,
      email: l.email ?? undefined,
    },
    withOpportunity: true,
    opportunity: { name: t('customers.opportunity.defaultName', { name: l.company || l.name }) },
  }
}

function bodyOf(v: Values, allowDuplicate: boolean): ConvertBody {
  return {
    customer:
      v.mode === 'existing'
        ? { mode: 'existing', customerId: v.customerId ?? '' }
        : {
            mode: 'new',
            name: v.customer.name.trim(),
            kind: v.customer.kind,
            industry: trimmed(v.customer.industry),
            creditCode: trimmed(v.customer.creditCode),
            ...(allowDuplicate ? { allowDuplicate: true } : {}),
          },
    contact: v.withContact
      ? {
          name: v.contact.name.trim(),
          title: trimmed(v.contact.title),
          mobile: trimmed(v.contact.mobile),
          email: trimmed(v.contact.email),
          dealRole: v.contact.dealRole ?? null,
        }
      : null,
    opportunity: v.withOpportunity ? opportunityBody(v.opportunity) : null,
  }
}

/**
 * Lead conversion (线索转化): the lead becomes a customer (new, or one the duplicate check found),
 * a contact and an opportunity in one step; the server keeps its history, intents and attribution.
 */
export function ConvertLeadModal(props: {
  leadId: string
  open: boolean
  onClose: () => void
  onConverted?: (d: Done) => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const can = useCan()
  const [form] = Form.useForm<Values>()
  const [done, setDone] = useState<Done | null>(null)
  const [refused, setAlready] = useState<Already | null>(null)
  const [duplicates, setDuplicates] = useState<Candidate[] | null>(null)
  const preview = useQuery({
    queryKey: ['lead-convert-preview', props.leadId],
    queryFn: () => conversionApi.preview(props.leadId),
    enabled: props.open,
    retry: false,
  })
  const mode = Form.useWatch('mode', form)
  const withContact = Form.useWatch('withContact', form)
  const withOpportunity = Form.useWatch('withOpportunity', form)
  const chosen = Form.useWatch('customerId', form)

  useEffect(() => {
    if (props.open && preview.data) {
      form.resetFields()
      form.setFieldsValue(initialValues(preview.data, t))
    }
  }, [props.open, preview.data, form, t])
  useEffect(() => {
    if (!props.open) {
      setDone(null)
      setAlready(null)
      setDuplicates(null)
    }
  }, [props.open])

  // Field errors come as customer.name, contact.mobile, opportunity.amount…: on their inputs.
  const save = useSubmit(form)
  const submit = (allowDuplicate = false) =>
    save.submit(
      async (v) => {
        const r = await conversionApi.convert(props.leadId, bodyOf(v, allowDuplicate))
        setDuplicates(null)
        setDone(r)
        message.success(t('customers.convert.done'))
        await qc.invalidateQueries({ queryKey: ['lead-conversion', props.leadId] })
        await qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('lead') })
        await qc.invalidateQueries({ queryKey: ['customers'] })
        props.onConverted?.(r)
      },
      (e) => {
        if (!(e instanceof Problem)) return false
        if (e.code === 'lead_already_converted')
          setAlready({
            customerId: e.param<string>('customerId') ?? '',
            opportunityId: e.param<string>('opportunityId'),
            convertedAt: e.param<string>('convertedAt'),
          })
        // The new customer looks like existing ones: pick one of them, or create it anyway.
        else if (e.code === 'customer_duplicate') setDuplicates(e.param<Candidate[]>('candidates') ?? [])
        else return false
        return true
      },
    )

  const candidates = preview.data?.candidates ?? []
  // Converted already: said by the preview, or by a refused second conversion (409).
  const converted = preview.data?.conversion
  const already = refused ?? (converted && !done ? converted : null)
  const body = done ? (
    <Result
      status="success"
      title={t('customers.convert.done')}
      subTitle={done.existingCustomer ? t('customers.convert.intoExisting') : t('customers.convert.intoNew')}
      extra={[
        <Link
          key="c"
          to={`/customers/${done.customerId}`}
          onClick={props.onClose}
          data-testid="converted-customer"
        >
          <Button type="primary">{t('customers.convert.openCustomer')}</Button>
        </Link>,
        done.opportunityId && (
          <Link key="o" to={`/opportunities/${done.opportunityId}`} onClick={props.onClose}>
            <Button>{t('customers.convert.openOpportunity')}</Button>
          </Link>
        ),
      ]}
    />
  ) : preview.isLoading ? (
    <Spin style={{ display: 'block', margin: '40px auto' }} />
  ) : preview.error ? (
    <Alert type="error" showIcon title={(preview.error as Error).message} />
  ) : (
    <>
      {already && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="already-converted"
          title={t('customers.convert.already')}
          description={
            <Link to={`/customers/${already.customerId}`} onClick={props.onClose}>
              {t('customers.convert.openCustomer')}
            </Link>
          }
        />
      )}
      {duplicates && mode === 'new' && (
        <DuplicateAlert candidates={duplicates} busy={save.busy} onCreateAnyway={() => submit(true)} />
      )}
      <Form form={form} layout="vertical" data-testid="convert-form">
        <Divider titlePlacement="start" style={{ marginTop: 0 }}>
          {t('customers.convert.customer')}
        </Divider>
        <Form.Item name="mode">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'new', label: t('customers.convert.newCustomer') },
              { value: 'existing', label: t('customers.convert.existingCustomer') },
            ]}
          />
        </Form.Item>
        {mode === 'existing' ? (
          <>
            {candidates.length > 0 && (
              <Form.Item label={t('customers.convert.candidates', { n: candidates.length })}>
                <Radio.Group
                  style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                  value={chosen}
                  onChange={(e) => form.setFieldValue('customerId', e.target.value)}
                  options={candidates.map((c) => ({
                    value: c.id,
                    label: (
                      <Space size={6} wrap>
                        <strong>{c.name}</strong>
                        {c.creditCode && <span className="haina-muted">{c.creditCode}</span>}
                        {c.ownerName && <Tag>{c.ownerName}</Tag>}
                        <Tag color="orange">
                          {t(`customers.convert.matchedBy.${c.matchedBy}`, { defaultValue: c.matchedBy })}
                        </Tag>
                      </Space>
                    ),
                  }))}
                />
              </Form.Item>
            )}
            <Form.Item
              name="customerId"
              label={t('customers.convert.pickOther')}
              rules={[{ required: true, message: t('customers.convert.pickRequired') }]}
            >
              <CustomerSelect />
            </Form.Item>
          </>
        ) : (
          <>
            {candidates.length > 0 && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('customers.convert.candidatesHint', { n: candidates.length })}
              />
            )}
            <Space.Compact block>
              <Form.Item name={['customer', 'kind']} noStyle>
                <EnumSelect values={CUSTOMER_KINDS} labels="customers.kind" width={110} allowClear={false} />
              </Form.Item>
              <Form.Item name={['customer', 'name']} noStyle rules={[{ required: true, whitespace: true }]}>
                <Input placeholder={t('customers.field.name')} data-testid="convert-customer-name" />
              </Form.Item>
            </Space.Compact>
            <div className="haina-form-grid" style={{ marginTop: 12 }}>
              <Form.Item name={['customer', 'industry']} label={t('customers.field.industry')}>
                <Input />
              </Form.Item>
              <Form.Item name={['customer', 'creditCode']} label={t('customers.field.creditCode')}>
                <Input maxLength={18} />
              </Form.Item>
            </div>
          </>
        )}
        <Divider titlePlacement="start">
          <Form.Item name="withContact" valuePropName="checked" noStyle>
            <Checkbox>{t('customers.convert.contact')}</Checkbox>
          </Form.Item>
        </Divider>
        {withContact && (
          <div className="haina-form-grid">
            <Form.Item
              name={['contact', 'name']}
              label={t('customers.contact.name')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name={['contact', 'title']} label={t('customers.contact.title')}>
              <Input />
            </Form.Item>
            <Form.Item name={['contact', 'dealRole']} label={t('customers.contact.dealRole')}>
              <EnumSelect values={DEAL_ROLES} labels="customers.dealRole" />
            </Form.Item>
            <Form.Item name={['contact', 'mobile']} label={t('leads.mobile')}>
              <Input />
            </Form.Item>
            <Form.Item name={['contact', 'email']} label={t('common.email')}>
              <Input />
            </Form.Item>
          </div>
        )}
        {can('opportunities.create') && (
          <>
            <Divider titlePlacement="start">
              <Form.Item name="withOpportunity" valuePropName="checked" noStyle>
                <Checkbox>{t('customers.convert.opportunity')}</Checkbox>
              </Form.Item>
            </Divider>
            {withOpportunity && <OpportunityFields prefix={['opportunity']} />}
          </>
        )}
      </Form>
    </>
  )
  return (
    <Modal
      open={props.open}
      width={720}
      title={
        <>
          <SwapOutlined /> {t('customers.convert.title')}
        </>
      }
      onCancel={props.onClose}
      footer={
        done ? null : (
          <Space>
            <Button onClick={props.onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              icon={<CheckCircleOutlined />}
              loading={save.busy}
              disabled={!preview.data || !!already}
              onClick={() => submit()}
              data-testid="convert-submit"
            >
              {t('customers.convert.submit')}
            </Button>
          </Space>
        )
      }
      data-testid="convert-modal"
    >
      <Typography.Paragraph type="secondary">{t('customers.convert.help')}</Typography.Paragraph>
      {body}
    </Modal>
  )
}

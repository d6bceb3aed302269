import { useQueryClient } from '@tanstack/react-query'
import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call } from '../../../api/client.js'
import { toFen } from '../format.js'
import { usePipelines } from './api.js'
import './i18n.js'
import { useSubmit } from './useSubmit.js'

export interface OpportunityValues {
  name: string
  pipelineId?: string
  amount?: number | null
  expectedCloseDate?: Dayjs | null
}

/** Form values (amount in 元) → the API's opportunity (amount in 分, date as YYYY-MM-DD). */
export const opportunityBody = (v: OpportunityValues) => ({
  name: v.name.trim(),
  ...(v.pipelineId ? { pipelineId: v.pipelineId } : {}),
  ...(v.amount != null ? { amount: toFen(v.amount) ?? 0 } : {}),
  ...(v.expectedCloseDate ? { expectedCloseDate: v.expectedCloseDate.format('YYYY-MM-DD') } : {}),
})

/** Name, pipeline (GET /pipelines; the default one preselected by the server), amount and close date. */
export function OpportunityFields({ prefix = [] }: { prefix?: string[] }) {
  const { t } = useTranslation()
  const pipelines = usePipelines()
  const n = (k: string) => [...prefix, k]
  return (
    <>
      <Form.Item
        name={n('name')}
        label={t('customers.opportunity.name')}
        rules={[{ required: true, whitespace: true }]}
      >
        <Input maxLength={200} data-testid="opportunity-name" />
      </Form.Item>
      <Form.Item name={n('pipelineId')} label={t('customers.opportunity.pipeline')}>
        <Select
          allowClear
          loading={pipelines.isLoading}
          placeholder={t('customers.opportunity.defaultPipeline')}
          options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
      </Form.Item>
      <Form.Item name={n('amount')} label={t('customers.opportunity.amount')}>
        <InputNumber min={0} precision={2} prefix="¥" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name={n('expectedCloseDate')} label={t('customers.opportunity.closeDate')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </>
  )
}

/** "新建商机" on the customer page: POST /opportunities for this customer, then open it. */
export function NewOpportunityModal(props: {
  customer: { id: string; name: string } | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const nav = useNavigate()
  const [form] = Form.useForm<OpportunityValues>()
  useEffect(() => {
    if (props.customer)
      form.setFieldsValue({ name: t('customers.opportunity.defaultName', { name: props.customer.name }) })
  }, [props.customer, form, t])
  const save = useSubmit(form)
  const submit = () =>
    save.submit(async (v) => {
      const made = await call(
        api.POST('/api/v1/opportunities', {
          body: { ...opportunityBody(v), customerId: props.customer?.id ?? '' },
        }),
      )
      await qc.invalidateQueries({ queryKey: ['customer360', props.customer?.id] })
      props.onClose()
      nav(`/opportunities/${made.id}`)
    })
  return (
    <Modal
      open={!!props.customer}
      title={t('customers.opportunity.new')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={save.busy}
      forceRender
    >
      <Form form={form} layout="vertical">
        <OpportunityFields />
      </Form>
    </Modal>
  )
}

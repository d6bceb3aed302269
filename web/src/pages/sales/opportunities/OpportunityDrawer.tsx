import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, TreeSelect } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { unitTree, useFieldDefs, useUnits, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { showServerErrors } from '../../pool-settings/errors.js'
import { CustomFieldItems } from '../customers/CustomFieldItems.js'
import { toFen, toYuan } from '../format.js'
import { type Opportunity, type OppRow, salesApi, useContacts, usePipelines, usePriceBooks } from './api.js'
import { CustomerPicker } from './CustomerPicker.js'

interface Values {
  name: string
  customerId: string
  contactId?: string | null
  pipelineId?: string
  stageId?: string
  amount?: number | null
  probability?: number | null
  expectedCloseDate?: Dayjs | null
  priceBookId?: string | null
  source?: string | null
  ownerId?: string | null
  unitId?: string | null
  custom?: Record<string, unknown>
}

/**
 * New opportunity (POST /opportunities) or its edit form (PATCH with the version it was read at):
 * base fields, the customer's contacts, and the workspace's custom fields for opportunities.
 */
export function OpportunityDrawer(props: {
  open: boolean
  opportunity?: Opportunity | null
  pipelineId?: string
  customer?: { id: string; name: string } | null
  onClose: () => void
  onSaved: (o: OppRow) => void
}) {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const [form] = Form.useForm<Values>()
  const defs = useFieldDefs('opportunity').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const pipelines = usePipelines().data ?? []
  const books = usePriceBooks().data ?? []
  const [busy, setBusy] = useState(false)
  const [customerName, setCustomerName] = useState<string | null>(null)
  const o = props.opportunity ?? null
  const customerId = Form.useWatch('customerId', form)
  const pipelineId = Form.useWatch('pipelineId', form)
  const contacts = useContacts(customerId).data ?? []
  const stages = (pipelines.find((p) => p.id === pipelineId)?.stages ?? []).filter((s) => s.kind === 'open')

  // Only when the drawer opens: a refetch of the lists must not reset what is being typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on opening only
  useEffect(() => {
    if (!props.open) return
    form.resetFields()
    setCustomerName(o?.customerName ?? props.customer?.name ?? null)
    form.setFieldsValue(
      o
        ? {
            ...o,
            amount: toYuan(o.amount),
            expectedCloseDate: o.expectedCloseDate ? dayjs(o.expectedCloseDate) : null,
          }
        : {
            pipelineId: props.pipelineId ?? pipelines.find((p) => p.isDefault)?.id,
            customerId: props.customer?.id,
            ownerId: undefined,
            custom: Object.fromEntries(
              defs.filter((d) => d.defaultValue != null).map((d) => [d.key, d.defaultValue]),
            ),
          },
    )
  }, [props.open])

  const submit = async () => {
    const v = await form.validateFields()
    const body = {
      name: v.name.trim(),
      contactId: v.contactId ?? null,
      amount: toFen(v.amount) ?? 0,
      expectedCloseDate: v.expectedCloseDate ? v.expectedCloseDate.format('YYYY-MM-DD') : null,
      priceBookId: v.priceBookId ?? null,
      source: v.source?.trim() || null,
      custom: v.custom ?? {},
      ...(v.ownerId !== undefined ? { ownerId: v.ownerId } : {}),
      ...(v.unitId ? { unitId: v.unitId } : {}),
    }
    setBusy(true)
    try {
      const saved = o
        ? await salesApi.patch(o.id, {
            ...body,
            ...(v.probability !== undefined && v.probability !== null ? { probability: v.probability } : {}),
            version: o.version,
          })
        : await salesApi.create({
            ...body,
            customerId: v.customerId,
            ...(v.pipelineId ? { pipelineId: v.pipelineId } : {}),
            ...(v.stageId ? { stageId: v.stageId } : {}),
          })
      message.success(t('common.saved'))
      props.onSaved(saved)
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Drawer
      open={props.open}
      title={o ? t('opps.editTitle') : t('opps.new')}
      onClose={props.onClose}
      size={560}
      destroyOnHidden
      forceRender
      extra={
        <Button type="primary" onClick={submit} loading={busy} data-testid="opp-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" data-testid="opp-form">
        <Form.Item name="name" label={t('opps.field.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="customerId" label={t('opps.field.customer')} rules={[{ required: true }]}>
          <CustomerPicker
            label={customerName}
            disabled={!!o}
            onChange={(id, name) => {
              form.setFieldsValue({ customerId: id, contactId: null })
              setCustomerName(name ?? null)
            }}
          />
        </Form.Item>
        <Form.Item name="contactId" label={t('opps.field.contact')}>
          <Select
            allowClear
            disabled={!customerId}
            options={contacts.map((c) => ({
              value: c.id,
              label: c.title ? `${c.name}（${c.title}）` : c.name,
            }))}
          />
        </Form.Item>
        {!o && (
          <>
            <Form.Item name="pipelineId" label={t('opps.field.pipeline')}>
              <Select
                options={pipelines.filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
                onChange={() => form.setFieldValue('stageId', undefined)}
              />
            </Form.Item>
            <Form.Item name="stageId" label={t('opps.field.stage')} extra={t('opps.field.stageHelp')}>
              <Select
                allowClear
                options={stages.map((s) => ({ value: s.id, label: `${s.name}（${s.probability}%）` }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="amount" label={t('opps.field.amount')} extra={t('opps.field.amountHelp')}>
          <InputNumber style={{ width: '100%' }} prefix="¥" min={0} precision={2} />
        </Form.Item>
        {o && (
          <Form.Item name="probability" label={t('opps.field.probability')}>
            <InputNumber style={{ width: '100%' }} min={0} max={100} suffix="%" />
          </Form.Item>
        )}
        <Form.Item name="expectedCloseDate" label={t('opps.field.expectedCloseDate')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="priceBookId" label={t('opps.field.priceBook')}>
          <Select
            allowClear
            options={books.filter((b) => b.active).map((b) => ({ value: b.id, label: b.name }))}
          />
        </Form.Item>
        <Form.Item name="source" label={t('opps.field.source')}>
          <Input maxLength={100} />
        </Form.Item>
        {can('users.view') && (
          <Form.Item
            name="ownerId"
            label={t('opps.field.owner')}
            extra={o ? undefined : t('opps.field.ownerHelp')}
          >
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={users.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
        {can('org.view') && (
          <Form.Item name="unitId" label={t('opps.field.unit')}>
            <TreeSelect allowClear treeData={tree} treeDefaultExpandAll />
          </Form.Item>
        )}
        <CustomFieldItems defs={defs} />
      </Form>
    </Drawer>
  )
}

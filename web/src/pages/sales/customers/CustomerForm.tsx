import {
  Alert,
  App,
  AutoComplete,
  Button,
  Drawer,
  Form,
  type FormInstance,
  Input,
  List,
  Radio,
  Space,
  Tag,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldDef } from '../../../data.js'
import { useCan } from '../../../session.js'
import { UnitPicker, UserPicker } from '../../pool-settings/pickers.js'
import { RegionCodePicker } from '../../pool-settings/RegionCodePicker.js'
import {
  type Candidate,
  CUSTOMER_KINDS,
  CUSTOMER_LEVELS,
  CUSTOMER_SIZES,
  type Customer,
  type CustomerBody,
  type CustomerView,
  customersApi,
  Problem,
} from './api.js'
import { CustomerLink, CustomerSelect, EnumSelect } from './bits.js'
import { CustomFieldItems } from './CustomFieldItems.js'
import './i18n.js'
import { useSubmit } from './useSubmit.js'

const INDUSTRIES = 13

/** The customer's own fields (base and custom), for the drawer and the 360 profile. */
export function CustomerFields({ defs, self }: { defs: FieldDef[]; self?: string }) {
  const { t } = useTranslation()
  const can = useCan()
  const kind = Form.useWatch('kind')
  const industries = Array.from({ length: INDUSTRIES }, (_, i) => ({
    value: t(`customers.industries.${i}`),
  }))
  return (
    <>
      <Form.Item name="kind" label={t('customers.field.kind')}>
        <Radio.Group
          optionType="button"
          options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customers.kind.${k}`) }))}
        />
      </Form.Item>
      <Form.Item name="name" label={t('customers.field.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={200} data-testid="customer-name" />
      </Form.Item>
      {kind !== 'individual' && (
        <Form.Item name="creditCode" label={t('customers.field.creditCode')}>
          <Input maxLength={18} placeholder="91310000XXXXXXXXXX" />
        </Form.Item>
      )}
      {kind !== 'individual' && (
        <Form.Item name="parentId" label={t('customers.field.parent')} tooltip={t('customers.parentHelp')}>
          <CustomerSelect exclude={self} />
        </Form.Item>
      )}
      <Form.Item name="industry" label={t('customers.field.industry')}>
        <AutoComplete options={industries} filterOption allowClear />
      </Form.Item>
      {kind !== 'individual' && (
        <Form.Item name="size" label={t('customers.field.size')}>
          <EnumSelect values={CUSTOMER_SIZES} labels="customers.size" />
        </Form.Item>
      )}
      <Form.Item name="level" label={t('customers.field.level')}>
        <EnumSelect values={CUSTOMER_LEVELS} labels="customers.level" />
      </Form.Item>
      <Form.Item name="regionCode" label={t('customers.field.region')}>
        <RegionCodePicker />
      </Form.Item>
      <Form.Item name="address" label={t('customers.field.address')}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="phone" label={t('customers.field.phone')}>
        <Input type="tel" maxLength={40} />
      </Form.Item>
      <Form.Item name="email" label={t('customers.field.email')}>
        <Input type="email" maxLength={200} />
      </Form.Item>
      <Form.Item name="website" label={t('customers.field.website')}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="source" label={t('customers.field.source')}>
        <Input maxLength={100} />
      </Form.Item>
      {can('users.view') && (
        <Form.Item name="ownerId" label={t('customers.field.owner')}>
          <UserPicker allowClear />
        </Form.Item>
      )}
      {can('org.view') && (
        <Form.Item name="unitId" label={t('customers.field.unit')}>
          <UnitPicker allowClear />
        </Form.Item>
      )}
      <CustomFieldItems defs={defs} />
    </>
  )
}

/** Form values → API body: empty strings are "no value"; a new record leaves them out. */
function bodyOf(values: Record<string, unknown>, isNew: boolean): CustomerBody {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) {
    const x = typeof v === 'string' ? v.trim() || null : (v ?? null)
    if (isNew && x === null) continue
    out[k] = x
  }
  // The form holds exactly the body's fields (base and custom.*); the server validates the rest.
  return out as CustomerBody
}

/**
 * Saves a customer: a new one may answer 409 customer_duplicate with the existing candidates
 * (then "create anyway" sends allowDuplicate); an edit sends its version and a stale one answers
 * 409 with the current record, which the form offers to load.
 */
export function useCustomerSave(
  form: FormInstance,
  existing: CustomerView | null,
  onSaved: (c: Customer) => void,
) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [duplicates, setDuplicates] = useState<Candidate[] | null>(null)
  const [conflict, setConflict] = useState<CustomerView | null>(null)
  // After loading the current record, saves go with its version.
  const [version, setVersion] = useState<number | null>(null)

  const submitter = useSubmit(form)
  const save = (allowDuplicate = false) =>
    submitter.submit(
      async (values) => {
        const saved = existing
          ? await customersApi.update(existing.id, {
              ...bodyOf(values, false),
              version: version ?? existing.version,
            })
          : await customersApi.create({
              ...bodyOf(values, true),
              ...(allowDuplicate ? { allowDuplicate: true } : {}),
            })
        setDuplicates(null)
        setConflict(null)
        setVersion(null)
        message.success(t('common.saved'))
        onSaved(saved)
      },
      (e) => {
        if (!(e instanceof Problem)) return false
        if (e.code === 'customer_duplicate') setDuplicates(e.param<Candidate[]>('candidates') ?? [])
        else if (e.status === 409 && existing) setConflict(e.param<CustomerView>('current') ?? null)
        else return false
        return true
      },
    )
  const reset = () => {
    setDuplicates(null)
    setConflict(null)
    setVersion(null)
  }
  /** Takes the current record into the form (the caller's unsaved edits are dropped). */
  const loadCurrent = (values: (c: CustomerView) => Record<string, unknown>) => {
    if (!conflict) return
    form.resetFields()
    form.setFieldsValue(values(conflict))
    setVersion(conflict.version)
    setConflict(null)
  }
  return {
    save,
    busy: submitter.busy,
    duplicates,
    conflict,
    reset,
    loadCurrent,
    clearDuplicates: () => setDuplicates(null),
  }
}

/** What the duplicate check found, with "create anyway". */
export function DuplicateAlert(props: {
  candidates: Candidate[]
  onCreateAnyway: () => void
  busy?: boolean
}) {
  const { t } = useTranslation()
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="customer-duplicates"
      title={t('customers.duplicate.title', { n: props.candidates.length })}
      description={
        <>
          <List
            size="small"
            dataSource={props.candidates}
            renderItem={(c) => (
              <List.Item>
                <Space wrap size={4}>
                  {c.visible ? <CustomerLink id={c.id} name={c.name} /> : <strong>{c.name}</strong>}
                  {c.creditCode && <span className="haina-muted">{c.creditCode}</span>}
                  {c.ownerName && (
                    <span className="haina-muted">
                      {t('customers.duplicate.owner', { name: c.ownerName })}
                    </span>
                  )}
                  <Tag color="orange">
                    {t(`customers.convert.matchedBy.${c.matchedBy}`, { defaultValue: c.matchedBy })}
                  </Tag>
                </Space>
              </List.Item>
            )}
          />
          <Button
            size="small"
            danger
            onClick={props.onCreateAnyway}
            loading={props.busy}
            data-testid="create-anyway"
          >
            {t('customers.duplicate.createAnyway')}
          </Button>
        </>
      }
    />
  )
}

/** A stale save: someone else changed the record; load theirs (your edits are dropped) or keep editing. */
export function ConflictAlert(props: { onLoad: () => void }) {
  const { t } = useTranslation()
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="version-conflict"
      title={t('customers.conflict.title')}
      description={t('customers.conflict.help')}
      action={
        <Button size="small" onClick={props.onLoad}>
          {t('customers.conflict.load')}
        </Button>
      }
    />
  )
}

/** The record as form values. */
export const customerValues = (c: CustomerView | null, defs: FieldDef[]): Record<string, unknown> =>
  c
    ? { ...c, custom: c.custom ?? {} }
    : {
        kind: 'organisation',
        custom: Object.fromEntries(
          defs.filter((d) => d.defaultValue != null).map((d) => [d.key, d.defaultValue]),
        ),
      }

/** Create or edit a customer in a drawer. */
export function CustomerDrawer(props: {
  customer: Customer | 'new' | null
  defs: FieldDef[]
  onClose: () => void
  onSaved: (c: Customer) => void
}) {
  const { t } = useTranslation()
  const [form] = Form.useForm()
  const existing = props.customer === 'new' ? null : props.customer
  const s = useCustomerSave(form, existing, props.onSaved)
  const close = () => {
    s.reset()
    props.onClose()
  }
  return (
    <Drawer
      open={props.customer !== null}
      title={existing ? t('customers.edit') : t('customers.new')}
      onClose={close}
      size={560}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={() => s.save()} loading={s.busy} data-testid="customer-save">
          {t('common.save')}
        </Button>
      }
    >
      {s.duplicates && (
        <DuplicateAlert candidates={s.duplicates} busy={s.busy} onCreateAnyway={() => s.save(true)} />
      )}
      {s.conflict && <ConflictAlert onLoad={() => s.loadCurrent((c) => customerValues(c, props.defs))} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={customerValues(existing, props.defs)}
        data-testid="customer-form"
        onValuesChange={(changed) => {
          // A changed name or credit code is a new duplicate question.
          if ('name' in changed || 'creditCode' in changed) s.clearDuplicates()
        }}
      >
        <CustomerFields defs={props.defs} self={existing?.id} />
      </Form>
    </Drawer>
  )
}

import { App, AutoComplete, Form, Modal } from 'antd'
import { type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { UserPicker } from '../../pool-settings/pickers.js'
import { useLeadSettings } from '../../pools/api.js'
import '../../pools/i18n.js'
import { fromAnswer, type Outcome, report, runEach, why } from '../../pools/outcome.js'
import { customersApi } from './api.js'
import './i18n.js'

interface BulkProps {
  ids: string[] | null
  onClose: () => void
  onDone: () => void
}

/**
 * A small form applied to the chosen customers; the outcome is told with the lead pools' wording
 * (n done, how many not and why). Closes when everything went through.
 */
function BulkFormModal<V>(
  props: BulkProps & {
    title: string
    okTestId: string
    action: (ids: string[], values: V) => Promise<Outcome>
    children: ReactNode
  },
) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<V>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (props.ids) form.resetFields()
  }, [props.ids, form])
  const submit = async () => {
    const values = await form.validateFields()
    const ids = props.ids ?? []
    setBusy(true)
    const out = await props.action(ids, values).catch((e) => ({ ok: 0, failed: [{ id: '', why: why(e) }] }))
    setBusy(false)
    if (ids.length === 1 && out.ok) message.success(t('pools.bulk.done', { n: 1 }))
    else report(t, message, out)
    if (out.ok) props.onDone()
    if (!out.failed.length) props.onClose()
  }
  return (
    <Modal
      open={props.ids !== null}
      title={props.title}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': props.okTestId }}
      forceRender
    >
      <Form form={form} layout="vertical">
        {props.children}
      </Form>
    </Modal>
  )
}

/** Assign customers to a salesperson (POST /customers/assign, customers.assign). */
export function AssignModal(props: BulkProps) {
  const { t } = useTranslation()
  return (
    <BulkFormModal<{ ownerId: string }>
      {...props}
      title={t('customers.assign.title', { n: props.ids?.length ?? 0 })}
      okTestId="assign-ok"
      action={async (ids, v) =>
        // {assigned: n}: the others were out of reach or already theirs.
        fromAnswer(t, ids.length, { moved: (await customersApi.assign(ids, v.ownerId)).assigned })
      }
    >
      <Form.Item name="ownerId" label={t('customers.assign.to')} rules={[{ required: true }]}>
        <UserPicker />
      </Form.Item>
    </BulkFormModal>
  )
}

/**
 * Release customers to the public pool with a reason (POST /customers/:id/release, one by one);
 * the server picks the pool. The reasons offered are the lead settings' release reasons.
 */
export function ReleaseCustomersModal(props: BulkProps) {
  const { t } = useTranslation()
  const reasons = useLeadSettings().data?.releaseReasons ?? []
  return (
    <BulkFormModal<{ reason: string }>
      {...props}
      title={t('customers.release.title', { n: props.ids?.length ?? 0 })}
      okTestId="release-ok"
      action={(ids, v) => runEach(ids, (id) => customersApi.release(id, v.reason.trim()))}
    >
      <Form.Item
        name="reason"
        label={t('pools.release.reason')}
        rules={[{ required: true, whitespace: true }]}
      >
        <AutoComplete
          placeholder={t('pools.release.reasonPh')}
          options={reasons.map((r) => ({ value: r }))}
        />
      </Form.Item>
    </BulkFormModal>
  )
}

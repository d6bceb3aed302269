import { Alert, App, Form, Modal, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { type Status, useLeadSettings } from './api.js'
import { CLOSING_STATUSES, STATUSES } from './i18n.js'
import { report, runEach } from './outcome.js'

/**
 * Changes the status of one or more leads (POST /leads/:id/status each); closed and invalid need a
 * close reason from the workspace's list.
 */
export function StatusModal(props: {
  ids: string[] | null
  /** Preselected target (a board card dropped on a column). */
  status?: string
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ status: string; closeReason?: string }>()
  const settings = useLeadSettings()
  const [busy, setBusy] = useState(false)
  const status = Form.useWatch('status', form)
  const closing = (CLOSING_STATUSES as readonly string[]).includes(status ?? '')
  const reasons = (settings.data?.closeReasons ?? []).filter((r) => r.status === status)

  useEffect(() => {
    if (props.ids) form.setFieldsValue({ status: props.status, closeReason: undefined })
  }, [props.ids, props.status, form])

  const submit = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      const out = await runEach(props.ids ?? [], (id) =>
        call(
          api.POST('/api/v1/leads/{id}/status', {
            params: { path: { id } },
            body: { status: v.status as Status, ...(closing ? { closeReason: v.closeReason } : {}) },
          }),
        ),
      )
      if (props.ids?.length === 1 && out.ok) message.success(t('pools.status.changed'))
      else report(t, message, out)
      if (out.ok) props.onDone()
      if (!out.failed.length) props.onClose()
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      open={props.ids !== null}
      title={t('pools.status.title')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ disabled: closing && !reasons.length, 'data-testid': 'status-ok' }}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="status-form">
        <Form.Item name="status" label={t('pools.status.to')} rules={[{ required: true }]}>
          <Select options={STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) }))} />
        </Form.Item>
        {closing &&
          (reasons.length ? (
            <Form.Item
              name="closeReason"
              label={t('pools.status.reason')}
              extra={t('pools.status.reasonHelp')}
              rules={[{ required: true }]}
            >
              <Select options={reasons.map((r) => ({ value: r.key, label: r.label }))} />
            </Form.Item>
          ) : (
            <Alert type="warning" showIcon title={t('pools.status.noReasons')} />
          ))}
      </Form>
    </Modal>
  )
}

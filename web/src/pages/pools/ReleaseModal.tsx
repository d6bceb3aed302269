import { App, AutoComplete, Form, Modal, Select } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useLeadSettings, usePools } from './api.js'
import { fromAnswer, type Outcome, report, why } from './outcome.js'

/** Releases leads back to a public pool with a reason (one: POST /leads/:id/release; many: bulk). */
export function ReleaseModal(props: { ids: string[] | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ reason: string; poolId?: string }>()
  const settings = useLeadSettings()
  const publicPools = (usePools().data ?? []).filter((p) => p.kind === 'public')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (props.ids) form.resetFields()
  }, [props.ids, form])

  const submit = async () => {
    const v = await form.validateFields()
    const ids = props.ids ?? []
    const body = { reason: v.reason.trim(), ...(v.poolId ? { poolId: v.poolId } : {}) }
    setBusy(true)
    let out: Outcome
    try {
      const r =
        ids.length === 1
          ? await call(
              api.POST('/api/v1/leads/{id}/release', { params: { path: { id: ids[0] ?? '' } }, body }),
            )
          : await call(api.POST('/api/v1/leads/bulk/release', { body: { ids, ...body } }))
      out = fromAnswer(t, ids.length, r)
    } catch (e) {
      out = { ok: 0, failed: [{ id: '', why: why(e) }] }
    } finally {
      setBusy(false)
    }
    if (ids.length === 1 && out.ok) message.success(t('pools.release.done'))
    else report(t, message, out)
    if (out.ok) props.onDone()
    if (!out.failed.length) props.onClose()
  }

  return (
    <Modal
      open={props.ids !== null}
      title={t('pools.release.title')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'release-ok' }}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('pools.release.reason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <AutoComplete
            placeholder={t('pools.release.reasonPh')}
            options={(settings.data?.releaseReasons ?? []).map((r) => ({ value: r }))}
          />
        </Form.Item>
        <Form.Item name="poolId" label={t('pools.release.pool')}>
          <Select
            allowClear
            placeholder={t('pools.release.defaultPool')}
            options={publicPools.map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  )
}

import { App, Form, Input, Modal, Select, TreeSelect } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useUsers } from '../../data.js'
import { type Pool, poolTree, usePools } from './api.js'
import { fromAnswer, type Outcome, report, why } from './outcome.js'

type Kind = 'assign' | 'move'

/** Bulk assignment to a person (POST /leads/assign) or move to another pool (POST /leads/bulk/move). */
export function BulkModal(props: {
  kind: Kind | null
  ids: string[]
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<{ ownerId?: string; poolId?: string; reason?: string }>()
  const users = useUsers(props.kind === 'assign').data?.items ?? []
  const pools = usePools().data ?? []
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (props.kind) form.resetFields()
  }, [props.kind, form])

  const submit = async () => {
    const v = await form.validateFields()
    const ids = props.ids
    setBusy(true)
    let out: Outcome
    try {
      const r =
        props.kind === 'assign'
          ? await call(
              api.POST('/api/v1/leads/assign', {
                body: { ids, ownerId: v.ownerId ?? '', reason: v.reason?.trim() || null },
              }),
            )
          : await call(api.POST('/api/v1/leads/bulk/move', { body: { ids, poolId: v.poolId ?? '' } }))
      out = fromAnswer(t, ids.length, r)
    } catch (e) {
      out = { ok: 0, failed: [{ id: '', why: why(e) }] }
    } finally {
      setBusy(false)
    }
    report(t, message, out)
    if (out.ok) props.onDone()
    if (!out.failed.length) props.onClose()
  }

  type Node = { value: string; title: string; children: Node[] }
  const tree = poolTree<Node>(
    pools.filter((p: Pool) => p.kind !== 'public'),
    (p, children) => ({ value: p.id, title: p.name, children }),
  )
  return (
    <Modal
      open={props.kind !== null}
      title={props.kind ? t(`pools.bulk.${props.kind}`) : ''}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'bulk-ok' }}
      forceRender
    >
      <Form form={form} layout="vertical">
        {props.kind === 'assign' ? (
          <>
            <Form.Item name="ownerId" label={t('pools.bulk.assignee')} rules={[{ required: true }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={users
                  .filter((u) => u.status === 'active')
                  .map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
            <Form.Item name="reason" label={t('pools.bulk.reason')}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="poolId" label={t('pools.bulk.targetPool')} rules={[{ required: true }]}>
            <TreeSelect treeData={tree} treeDefaultExpandAll />
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}

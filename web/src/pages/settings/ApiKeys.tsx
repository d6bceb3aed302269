import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { formatDate, formatDateTime } from '../../components/labels.js'
import { unitTree, useRoles, useUnits } from '../../data.js'
import { useCan } from '../../session.js'

export function ApiKeysPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call(api.GET('/api/v1/api-keys')) })
  const roles = useRoles(can('roles.view')).data?.items ?? []
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<string | null>(null)
  const [form] = Form.useForm()
  const create = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    try {
      const res = await call(
        api.POST('/api/v1/api-keys', {
          body: { ...v, expiresAt: v.expiresAt ? (v.expiresAt as Dayjs).toISOString() : undefined },
        }),
      )
      setCreated(res.key)
      await qc.invalidateQueries({ queryKey: ['api-keys'] })
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  const close = () => {
    setCreating(false)
    setCreated(null)
    form.resetFields()
  }
  const revoke = async (id: string) => {
    try {
      await call(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } }))
      await qc.invalidateQueries({ queryKey: ['api-keys'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('apiKeys.title')}</Typography.Title>
      <div className="haina-toolbar">
        <span style={{ flex: 1 }} />
        {can('api_keys.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('apiKeys.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        loading={keys.isLoading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('apiKeys.empty')} /> }}
        columns={[
          { key: 'name', title: t('common.name'), dataIndex: 'name' },
          { key: 'hint', title: t('apiKeys.hint'), render: (_, k) => <code>{k.hint}</code> },
          {
            key: 'role',
            title: t('apiKeys.role'),
            render: (_, k) => roles.find((r) => r.id === k.roleId)?.name,
          },
          {
            key: 'unit',
            title: t('apiKeys.unit'),
            render: (_, k) => units.find((u) => u.id === k.unitId)?.name,
          },
          {
            key: 'exp',
            title: t('apiKeys.expiresAt'),
            render: (_, k) => formatDate(k.expiresAt),
          },
          {
            key: 'used',
            title: t('apiKeys.lastUsed'),
            render: (_, k) => formatDateTime(k.lastUsedAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, k) =>
              k.revokedAt ? (
                <Tag>{t('apiKeys.revoked')}</Tag>
              ) : (
                can('api_keys.delete') && (
                  <Popconfirm title={t('apiKeys.confirmRevoke')} onConfirm={() => revoke(k.id)}>
                    <Button type="link" size="small">
                      {t('apiKeys.revoke')}
                    </Button>
                  </Popconfirm>
                )
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('apiKeys.new')}
        onCancel={close}
        onOk={created ? close : create}
        okText={created ? t('common.close') : t('common.create')}
        destroyOnHidden
      >
        {created ? (
          <>
            <Alert type="warning" showIcon message={t('apiKeys.shownOnce')} style={{ marginBottom: 12 }} />
            <Typography.Paragraph copyable code data-testid="api-key-value">
              {created}
            </Typography.Paragraph>
          </>
        ) : (
          <Form form={form} layout="vertical" onFinish={create}>
            {/* Enter in a field submits, as the dialog's button does. */}
            <button type="submit" hidden />
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="roleId" label={t('apiKeys.role')} rules={[{ required: true }]}>
              <Select options={roles.map((r) => ({ value: r.id, label: r.name }))} />
            </Form.Item>
            <Form.Item name="unitId" label={t('apiKeys.unit')} rules={[{ required: true }]}>
              <TreeSelect treeData={tree} treeDefaultExpandAll />
            </Form.Item>
            <Form.Item name="expiresAt" label={t('apiKeys.expiresAt')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  )
}

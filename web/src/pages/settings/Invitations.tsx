import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
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
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { formatDateTime } from '../../components/labels.js'
import { useRoles, useUnitAndRoleOptions, useUnits } from '../../data.js'
import { useCan } from '../../session.js'

const KEY = ['invitations']

/** Invitations not yet accepted: who, where, until when; revocable by whoever may invite. */
export function PendingInvitations() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => call(api.GET('/api/v1/invitations', { params: { query: { limit: 200 } } })),
  })
  const units = useUnits().data?.items ?? []
  const roles = useRoles(can('roles.view')).data?.items ?? []
  const pending = (list.data?.items ?? []).filter((i) => i.status === 'pending')
  if (!pending.length) return null
  const revoke = async (id: string) => {
    try {
      await call(api.DELETE('/api/v1/invitations/{id}', { params: { path: { id } } }))
      message.success(t('users.inviteRevoked'))
      await qc.invalidateQueries({ queryKey: KEY })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <Card
      size="small"
      title={t('users.pendingInvites', { n: pending.length })}
      style={{ marginBottom: 16 }}
      data-testid="pending-invitations"
    >
      <Table
        rowKey="id"
        size="small"
        dataSource={pending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'email', title: t('common.email'), dataIndex: 'email' },
          { key: 'name', title: t('users.personName'), render: (_, i) => i.name ?? '—' },
          {
            key: 'unit',
            title: t('users.unit'),
            render: (_, i) => units.find((u) => u.id === i.unitId)?.name,
          },
          {
            key: 'roles',
            title: t('users.roles'),
            render: (_, i) =>
              i.roleIds.map((id) => <Tag key={id}>{roles.find((r) => r.id === id)?.name ?? '…'}</Tag>),
          },
          {
            key: 'expiresAt',
            title: t('users.inviteExpires'),
            render: (_, i) => formatDateTime(i.expiresAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, i) =>
              can('users.create') && (
                <Popconfirm
                  title={t('users.inviteRevokeConfirm', { email: i.email })}
                  onConfirm={() => revoke(i.id)}
                >
                  <Button type="link" size="small" danger>
                    {t('users.inviteRevoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  )
}

/** Invite someone by email: the answer shows the link once (valid 7 days). */
export function InviteModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const { tree, roleOptions } = useUnitAndRoleOptions()
  const qc = useQueryClient()
  const [link, setLink] = useState<string | null>(null)
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    try {
      const res = await call(api.POST('/api/v1/invitations', { body: v }))
      setLink(new URL(res.url, window.location.origin).toString())
      await qc.invalidateQueries({ queryKey: KEY })
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  const close = () => {
    setLink(null)
    form.resetFields()
    onClose()
  }
  return (
    <Modal
      open={open}
      title={t('users.invite')}
      onCancel={close}
      onOk={link ? close : submit}
      okText={link ? t('common.close') : t('users.invite')}
      // Once the link is shown there is nothing to cancel: one button closes.
      cancelButtonProps={link ? { style: { display: 'none' } } : undefined}
      destroyOnHidden
    >
      {link ? (
        <>
          <Typography.Paragraph>{t('users.inviteHint')}</Typography.Paragraph>
          <Typography.Paragraph copyable code data-testid="invite-link">
            {link}
          </Typography.Paragraph>
        </>
      ) : (
        <Form form={form} layout="vertical" initialValues={{ roleIds: [] }} onFinish={submit}>
          {/* Enter in a field submits, as the dialog's button does. */}
          <button type="submit" hidden />
          <Form.Item name="email" label={t('common.email')} rules={[{ required: true, type: 'email' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('users.personName')}>
            <Input />
          </Form.Item>
          <Form.Item name="unitId" label={t('users.unit')} rules={[{ required: true }]}>
            <TreeSelect treeData={tree} treeDefaultExpandAll />
          </Form.Item>
          <Form.Item name="roleIds" label={t('users.roles')}>
            <Select mode="multiple" options={roleOptions} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  )
}

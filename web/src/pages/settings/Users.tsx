import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors, listQuery } from '../../api/client.js'
import { formatDateTime } from '../../components/labels.js'
import { type User, useRoles, useUnitAndRoleOptions, useUnits } from '../../data.js'
import { useCan } from '../../session.js'
import { InviteModal, PendingInvitations } from './Invitations.js'

export function UsersPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message, modal } = App.useApp()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<string>()
  const users = useQuery({
    queryKey: ['users', 'page', q, status],
    queryFn: () =>
      call(api.GET('/api/v1/users', { params: { query: listQuery({ filter: { q, status }, limit: 200 }) } })),
  })
  const units = useUnits().data?.items ?? []
  const roles = useRoles(can('roles.view')).data?.items ?? []
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const [inviting, setInviting] = useState(false)
  const [resetFor, setResetFor] = useState<User | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] })

  const setUserStatus = async (u: User, s: 'active' | 'disabled') => {
    try {
      await call(
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: u.id } },
          body: { status: s, version: u.version },
        }),
      )
      await refresh()
    } catch (e) {
      message.error((e as Error).message)
    }
  }

  return (
    <>
      <Typography.Title level={4}>{t('users.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Input.Search allowClear style={{ width: 220 }} placeholder={t('common.search')} onSearch={setQ} />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('common.status')}
          value={status}
          onChange={setStatus}
          options={['active', 'disabled'].map((s) => ({ value: s, label: t(`users.status_${s}`) }))}
        />
        <span style={{ flex: 1 }} />
        {can('users.create') && <Button onClick={() => setInviting(true)}>{t('users.invite')}</Button>}
        {can('users.create') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="user-new"
          >
            {t('users.new')}
          </Button>
        )}
      </div>
      {can('users.view') && <PendingInvitations />}
      <Table
        rowKey="id"
        loading={users.isLoading}
        dataSource={users.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'name', title: t('users.personName'), dataIndex: 'name' },
          { key: 'email', title: t('common.email'), dataIndex: 'email' },
          {
            key: 'unit',
            title: t('users.unit'),
            render: (_, u) => units.find((x) => x.id === u.unitId)?.name,
          },
          {
            key: 'roles',
            title: t('users.roles'),
            render: (_, u) =>
              u.roleIds.map((id) => <Tag key={id}>{roles.find((r) => r.id === id)?.name ?? '…'}</Tag>),
          },
          {
            key: 'status',
            title: t('common.status'),
            render: (_, u) => (
              <Tag color={u.status === 'active' ? 'green' : 'default'}>{t(`users.status_${u.status}`)}</Tag>
            ),
          },
          {
            key: 'lastLoginAt',
            title: t('users.lastLogin'),
            render: (_, u) => formatDateTime(u.lastLoginAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, u) =>
              can('users.edit') && (
                <Space wrap>
                  <Button type="link" size="small" onClick={() => setEditing(u)}>
                    {t('common.edit')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setResetFor(u)}>
                    {t('users.resetPassword')}
                  </Button>
                  {u.status === 'active' ? (
                    <Button
                      type="link"
                      size="small"
                      onClick={() =>
                        modal.confirm({
                          title: t('users.disableConfirm', { name: u.name }),
                          okText: t('users.disable'),
                          okButtonProps: { danger: true },
                          onOk: () => setUserStatus(u, 'disabled'),
                        })
                      }
                    >
                      {t('users.disable')}
                    </Button>
                  ) : (
                    <Button type="link" size="small" onClick={() => setUserStatus(u, 'active')}>
                      {t('users.enable')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <UserDrawer user={editing} onClose={() => setEditing(null)} onSaved={refresh} />
      <ResetPassword user={resetFor} onClose={() => setResetFor(null)} />
      <InviteModal open={inviting} onClose={() => setInviting(false)} />
    </>
  )
}

function UserDrawer(props: { user: User | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const { tree, roleOptions } = useUnitAndRoleOptions()
  const user = props.user === 'new' ? null : props.user
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    try {
      if (user)
        await call(
          api.PATCH('/api/v1/users/{id}', {
            params: { path: { id: user.id } },
            body: { ...v, version: user.version },
          }),
        )
      else await call(api.POST('/api/v1/users', { body: v }))
      message.success(t('common.saved'))
      props.onSaved()
      props.onClose()
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  return (
    <Drawer
      open={props.user !== null}
      title={user ? t('users.editTitle') : t('users.new')}
      onClose={props.onClose}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} data-testid="user-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={user ?? { roleIds: [] }}
        data-testid="user-form"
        onFinish={submit}
      >
        {/* Enter in a field submits, as the dialog's button does. */}
        <button type="submit" hidden />
        <Form.Item name="name" label={t('users.personName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        {!user && (
          <Form.Item name="email" label={t('common.email')} rules={[{ required: true, type: 'email' }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('common.phone')}>
          <Input />
        </Form.Item>
        <Form.Item name="unitId" label={t('users.unit')} rules={[{ required: true }]}>
          <TreeSelect treeData={tree} treeDefaultExpandAll data-testid="user-unit" />
        </Form.Item>
        <Form.Item name="roleIds" label={t('users.roles')}>
          <Select mode="multiple" options={roleOptions} data-testid="user-roles" />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label={t('common.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  )
}

function ResetPassword({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    if (!user) return
    try {
      await call(
        api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: user.id } }, body: v }),
      )
      message.success(t('common.saved'))
      onClose()
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  return (
    <Modal
      open={!!user}
      title={`${t('users.resetPassword')} · ${user?.name ?? ''}`}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        {/* Enter in a field submits, as the dialog's button does. */}
        <button type="submit" hidden />
        <Form.Item name="password" label={t('user.newPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { codeLabel, readableCode } from '../../components/labels.js'
import { type Role, useRoles } from '../../data.js'
import { useCan } from '../../session.js'

const SCOPES = ['self', 'department', 'department_tree', 'org', 'all'] as const

export function RolesPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const roles = useRoles()
  const [editing, setEditing] = useState<Role | 'new' | null>(null)
  const remove = async (r: Role) => {
    try {
      await call(api.DELETE('/api/v1/roles/{id}', { params: { path: { id: r.id } } }))
      await qc.invalidateQueries({ queryKey: ['roles'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('roles.title')}</Typography.Title>
      <div className="haina-toolbar">
        <span style={{ flex: 1 }} />
        {can('roles.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('roles.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        loading={roles.isLoading}
        dataSource={roles.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            key: 'name',
            title: t('common.name'),
            render: (_, r) => (
              <>
                {r.name} {r.builtin && <Tag>{t('roles.builtin')}</Tag>}
              </>
            ),
          },
          { key: 'description', title: t('common.description'), dataIndex: 'description' },
          { key: 'scope', title: t('roles.dataScope'), render: (_, r) => t(`scope.${r.dataScope}`) },
          { key: 'perms', title: t('roles.permissions'), render: (_, r) => r.permissions.length },
          { key: 'users', title: t('roles.users'), render: (_, r) => r.userCount ?? '—' },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                {can('roles.edit') && (
                  <Button type="link" size="small" onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                )}
                {can('roles.delete') && !r.builtin && (
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(r)}>
                    <Button type="link" size="small">
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RoleDrawer role={editing} onClose={() => setEditing(null)} />
    </>
  )
}

function RoleDrawer(props: { role: Role | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const catalogue = useQuery({
    queryKey: ['permissions'],
    queryFn: () => call(api.GET('/api/v1/permissions')),
  })
  const role = props.role === 'new' ? null : props.role
  const [perms, setPerms] = useState<Set<string>>(new Set())
  const [loadedFor, setLoadedFor] = useState<Role | 'new' | null>(null)
  if (loadedFor !== props.role) {
    setLoadedFor(props.role)
    setPerms(new Set(role?.permissions ?? []))
  }
  const toggle = (p: string, on: boolean) => {
    const next = new Set(perms)
    if (on) next.add(p)
    else next.delete(p)
    setPerms(next)
  }
  const actions = [...new Set(catalogue.data?.modules.flatMap((m) => m.actions) ?? [])]
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    // A built-in role's name is shown in the reader's language: sending it back unchanged would store
    // that translation and log a name change nobody made.
    const unchanged = role?.builtin && v.name === role.name
    const body = { ...v, ...(unchanged ? { name: undefined } : {}), permissions: [...perms] }
    try {
      if (role)
        await call(
          api.PATCH('/api/v1/roles/{id}', {
            params: { path: { id: role.id } },
            body: { ...body, version: role.version },
          }),
        )
      else await call(api.POST('/api/v1/roles', { body }))
      await qc.invalidateQueries({ queryKey: ['roles'] })
      await qc.invalidateQueries({ queryKey: ['me'] })
      message.success(t('common.saved'))
      props.onClose()
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  return (
    <Drawer
      open={props.role !== null}
      title={role?.name ?? t('roles.new')}
      onClose={props.onClose}
      size={960}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit}>
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={role ?? { dataScope: 'self' }} onFinish={submit}>
        {/* Enter in a field submits, as the drawer's button does. */}
        <button type="submit" hidden />
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')}>
          <Input />
        </Form.Item>
        <Form.Item name="dataScope" label={t('roles.dataScope')} rules={[{ required: true }]}>
          <Select options={SCOPES.map((s) => ({ value: s, label: t(`scope.${s}`) }))} />
        </Form.Item>
      </Form>
      <Typography.Title level={5}>{t('roles.permissions')}</Typography.Title>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={catalogue.data?.modules ?? []}
        columns={[
          // Kept in view while the action columns scroll sideways.
          {
            key: 'module',
            title: t('roles.module'),
            fixed: 'left',
            render: (_, m) => moduleLabel(t, m.key),
          },
          ...actions.map((a) => ({
            key: a,
            title: codeLabel(t, 'roles.action', a),
            render: (_: unknown, m: { key: string; actions: string[] }) =>
              m.actions.includes(a) ? (
                <Checkbox
                  checked={perms.has(`${m.key}.${a}`)}
                  onChange={(e) => toggle(`${m.key}.${a}`, e.target.checked)}
                  aria-label={`${moduleLabel(t, m.key)} · ${codeLabel(t, 'roles.action', a)}`}
                />
              ) : null,
          })),
        ]}
      />
      {catalogue.data?.special.map((p) => (
        <div key={p} style={{ marginTop: 12 }}>
          <Checkbox checked={perms.has(p)} onChange={(e) => toggle(p, e.target.checked)}>
            {p === 'pii.view' ? t('roles.piiView') : readableCode(p)}
          </Checkbox>
        </div>
      ))}
    </Drawer>
  )
}

/** A permission module's name in the reader's language (every module the server registers has one). */
export const moduleLabel = (t: TFunction, key: string) => codeLabel(t, 'roles.modules', key)

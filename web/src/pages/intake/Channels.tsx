import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { unitTree, useChannels, useUnits } from '../../data.js'
import { useCan } from '../../session.js'
import './i18n.js'
import { CHANNEL_KINDS, MAPPING_TARGETS } from './labels.js'

type Channel = NonNullable<ReturnType<typeof useChannels>['data']>['items'][number]

interface MappingRow {
  target: string
  path: string
}

/** Channels (渠道): where leads come from, each with its own key, owning unit and field mapping. */
export function ChannelsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const channels = useChannels()
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const [editing, setEditing] = useState<Channel | 'new' | null>(null)
  const [secret, setSecret] = useState<{ key: string; formToken: string | null } | null>(null)
  const [form] = Form.useForm()

  const open = (c: Channel | 'new') => {
    setEditing(c)
    form.setFieldsValue(
      c === 'new'
        ? { kind: 'app', enabled: true, mapping: [] }
        : {
            ...c,
            mapping: Object.entries(c.mapping).map(([target, m]) => ({ target, path: m.path ?? '' })),
          },
    )
  }
  const close = () => {
    setEditing(null)
    setSecret(null)
    form.resetFields()
  }
  const save = async () => {
    let v: Record<string, unknown> & { mapping?: MappingRow[] }
    try {
      v = await form.validateFields()
    } catch {
      return // The form shows what is missing.
    }
    const mapping = Object.fromEntries(
      (v.mapping ?? []).filter((m) => m.target && m.path).map((m) => [m.target, { path: m.path }]),
    )
    try {
      if (editing === 'new') {
        const res = await call(api.POST('/api/v1/channels', { body: { ...v, mapping } as never }))
        setSecret({ key: res.key, formToken: res.formToken })
      } else if (editing) {
        await call(
          api.PATCH('/api/v1/channels/{id}', {
            params: { path: { id: editing.id } },
            body: {
              name: v.name as string,
              code: v.code as string,
              unitId: v.unitId as string,
              enabled: v.enabled as boolean,
              mapping,
              version: editing.version,
            },
          }),
        )
        close()
      }
      await qc.invalidateQueries({ queryKey: ['channels'] })
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  const rotate = async (c: Channel) => {
    const res = await call(api.POST('/api/v1/channels/{id}/rotate-key', { params: { path: { id: c.id } } }))
    setEditing(c)
    setSecret({ key: res.key, formToken: c.formToken })
  }
  const snippet = (token: string) =>
    `<div id="haina-form"></div>\n<script src="${location.origin}/api/v1/forms/${token}/embed.js"></script>`
  // The embed code carries only the form's public token (never the API key), so it can be shown again.
  const snippetBlock = (token: string, help: string) => (
    <div data-testid="channel-snippet">
      <Typography.Text strong>{t('intake.channels.snippet')}</Typography.Text>
      <Typography.Paragraph type="secondary">{help}</Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: snippet(token) }}>
        <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>{snippet(token)}</pre>
      </Typography.Paragraph>
    </div>
  )
  const editingFormToken =
    editing && editing !== 'new' && editing.kind === 'web_form' ? editing.formToken : null

  return (
    <>
      <Typography.Title level={4}>{t('intake.channels.title')}</Typography.Title>
      <div className="haina-toolbar">
        <span style={{ flex: 1 }} />
        {can('intake.configure') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('intake.channels.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        loading={channels.isLoading}
        dataSource={channels.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'name', title: t('common.name'), dataIndex: 'name' },
          { key: 'kind', title: t('intake.channels.kind'), render: (_, c) => t(`intake.kind.${c.kind}`) },
          { key: 'code', title: t('intake.channels.code'), render: (_, c) => <code>{c.code}</code> },
          {
            key: 'unit',
            title: t('intake.channels.unit'),
            render: (_, c) => units.find((u) => u.id === c.unitId)?.name,
          },
          {
            key: 'enabled',
            title: t('intake.channels.enabled'),
            render: (_, c) =>
              c.enabled ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>,
          },
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            render: (_, c) =>
              can('intake.configure') && (
                <Space>
                  <Button type="link" size="small" onClick={() => open(c)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('intake.channels.confirmRotate')} onConfirm={() => rotate(c)}>
                    <Button type="link" size="small">
                      {t('intake.channels.rotate')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        width={640}
        title={editing === 'new' ? t('intake.channels.new') : editing ? editing.name : ''}
        onCancel={close}
        onOk={secret ? close : save}
        okText={secret ? t('common.close') : t('common.save')}
        // With the key on screen there is nothing to cancel: one button, which closes.
        cancelButtonProps={secret ? { style: { display: 'none' } } : undefined}
        destroyOnHidden
      >
        {secret ? (
          <>
            <Alert
              type="warning"
              showIcon
              message={t('intake.channels.keyOnce')}
              style={{ marginBottom: 12 }}
            />
            <Typography.Text strong>{t('intake.channels.key')}</Typography.Text>
            <Typography.Paragraph copyable code data-testid="channel-key">
              {secret.key}
            </Typography.Paragraph>
            {secret.formToken && snippetBlock(secret.formToken, t('intake.channels.snippetHelp'))}
          </>
        ) : (
          <Form form={form} layout="vertical">
            <Form.Item name="kind" label={t('intake.channels.kind')} rules={[{ required: true }]}>
              <Select
                disabled={editing !== 'new'}
                options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`intake.kind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 100 }]}>
              <Input />
            </Form.Item>
            <Form.Item
              name="code"
              label={t('intake.channels.code')}
              rules={[{ required: true, pattern: /^[A-Za-z0-9_-]{2,64}$/ }]}
            >
              <Input placeholder="mp-shop" />
            </Form.Item>
            <Form.Item name="unitId" label={t('intake.channels.unit')} rules={[{ required: true }]}>
              <TreeSelect treeData={tree} treeDefaultExpandAll />
            </Form.Item>
            <Form.Item name="enabled" label={t('intake.channels.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Typography.Text strong>{t('intake.channels.mapping')}</Typography.Text>
            <Typography.Paragraph type="secondary">{t('intake.channels.mappingHelp')}</Typography.Paragraph>
            <Form.List name="mapping">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item name={[f.name, 'target']} style={{ width: 200 }}>
                        <Select
                          placeholder={t('intake.channels.target')}
                          options={MAPPING_TARGETS.map((k) => ({ value: k, label: t(`intake.field.${k}`) }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'path']} style={{ width: 260 }}>
                        <Input placeholder="user.phone" />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="remove" />
                    </Space>
                  ))}
                  <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                    {t('intake.channels.addMapping')}
                  </Button>
                </>
              )}
            </Form.List>
            {editingFormToken && (
              <div style={{ marginTop: 24 }}>
                {snippetBlock(
                  editingFormToken,
                  `${t('intake.channels.snippetHelp')} ${t('intake.channels.snippetPublic')}`,
                )}
              </div>
            )}
          </Form>
        )}
      </Modal>
    </>
  )
}

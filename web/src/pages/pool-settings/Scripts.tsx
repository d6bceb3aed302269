import { PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useCan } from '../../session.js'
import { LEAD_STATUSES, type SalesScript } from './data.js'
import { showServerErrors } from './errors.js'

/** 话术库: suggested sales scripts, shown while following up a lead of the given statuses or tags. */
export function Scripts() {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const { message } = App.useApp()
  const qc = useQueryClient()
  const scripts = useQuery({
    queryKey: ['sales-scripts'],
    queryFn: async () =>
      (await call(api.GET('/api/v1/sales-scripts', { params: { query: { limit: 200 } } }))).items,
  })
  const [editing, setEditing] = useState<SalesScript | 'new' | null>(null)
  const remove = async (s: SalesScript) => {
    try {
      await call(api.DELETE('/api/v1/sales-scripts/{id}', { params: { path: { id: s.id } } }))
    } catch (e) {
      message.error((e as Error).message)
    }
    await qc.invalidateQueries({ queryKey: ['sales-scripts'] })
  }
  return (
    <>
      <div className="haina-toolbar">
        <Typography.Text type="secondary">{t('poolSettings.scripts.help')}</Typography.Text>
        <span style={{ flex: 1 }} />
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('poolSettings.scripts.new')}
          </Button>
        )}
      </div>
      <Table<SalesScript>
        rowKey="id"
        loading={scripts.isLoading}
        dataSource={[...(scripts.data ?? [])].sort((a, b) => a.sort - b.sort)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="scripts"
        columns={[
          { key: 'title', title: t('poolSettings.scripts.title'), dataIndex: 'title', width: 200 },
          {
            key: 'body',
            title: t('poolSettings.scripts.body'),
            render: (_, s) => (
              <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0, maxWidth: 520 }}>
                {s.body}
              </Typography.Paragraph>
            ),
          },
          {
            key: 'statuses',
            title: t('poolSettings.scripts.statuses'),
            render: (_, s) =>
              s.statuses.length
                ? s.statuses.map((x) => <Tag key={x}>{t(`leads.status_${x}`)}</Tag>)
                : t('poolSettings.scripts.anyStatus'),
          },
          {
            key: 'tags',
            title: t('poolSettings.scripts.tags'),
            render: (_, s) =>
              s.tags.map((x) => (
                <Tag key={x} color="blue">
                  {x}
                </Tag>
              )),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, s) =>
              editable && (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setEditing(s)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(s)}>
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing && <ScriptForm script={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

function ScriptForm({ script, onClose }: { script: SalesScript | 'new'; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const save = async () => {
    const v = await form.validateFields()
    const body = {
      title: v.title,
      body: v.body,
      statuses: v.statuses ?? [],
      tags: v.tags ?? [],
      sort: v.sort ?? 0,
    }
    try {
      if (script === 'new') await call(api.POST('/api/v1/sales-scripts', { body }))
      else
        await call(
          api.PATCH('/api/v1/sales-scripts/{id}', {
            params: { path: { id: script.id } },
            body: { ...body, version: script.version },
          }),
        )
      await qc.invalidateQueries({ queryKey: ['sales-scripts'] })
      message.success(t('common.saved'))
      onClose()
    } catch (e) {
      showServerErrors(form, e, message)
    }
  }
  return (
    <Modal
      open
      width={640}
      title={script === 'new' ? t('poolSettings.scripts.new') : script.title}
      onCancel={onClose}
      onOk={save}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={script === 'new' ? { statuses: [], tags: [], sort: 0 } : script}
      >
        <Form.Item
          name="title"
          label={t('poolSettings.scripts.title')}
          rules={[{ required: true, message: t('poolSettings.required') }, { max: 200 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('poolSettings.scripts.body')}
          rules={[{ required: true, message: t('poolSettings.required') }]}
        >
          <Input.TextArea rows={6} maxLength={10000} showCount />
        </Form.Item>
        <Form.Item
          name="statuses"
          label={t('poolSettings.scripts.statuses')}
          tooltip={t('poolSettings.scripts.statusesHelp')}
        >
          <Select
            mode="multiple"
            options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="tags"
          label={t('poolSettings.scripts.tags')}
          tooltip={t('poolSettings.scripts.tagsHelp')}
        >
          <Select mode="tags" open={false} />
        </Form.Item>
        <Form.Item name="sort" label={t('poolSettings.pools.sort')}>
          <InputNumber min={0} max={100000} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { FIELD_TYPES, type FieldDef, type FieldType, useFieldDefs } from '../../data.js'
import { useCan } from '../../session.js'

const WITH_OPTIONS = new Set<FieldType>(['single_select', 'multi_select'])
const WITH_RANGE = new Set<FieldType>(['number', 'money'])
const WITH_LENGTH = new Set<FieldType>(['text', 'long_text'])

export function CustomFieldsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const objects = useQuery({
    queryKey: ['cf-objects'],
    queryFn: () => call(api.GET('/api/v1/custom-fields/objects')),
  })
  const [object, setObject] = useState('lead')
  const defs = useFieldDefs(object)
  const [editing, setEditing] = useState<FieldDef | 'new' | null>(null)
  const remove = async (d: FieldDef) => {
    try {
      await call(api.DELETE('/api/v1/custom-fields/{id}', { params: { path: { id: d.id } } }))
      await qc.invalidateQueries({ queryKey: ['custom-fields'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('cf.title')}</Typography.Title>
      <div className="haina-toolbar">
        <span>{t('cf.object')}</span>
        <Select
          style={{ width: 160 }}
          value={object}
          onChange={setObject}
          options={(objects.data ?? []).map((o) => ({ value: o.key, label: o.label }))}
        />
        <span style={{ flex: 1 }} />
        {can('custom_fields.configure') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="cf-new"
          >
            {t('cf.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        loading={defs.isLoading}
        dataSource={defs.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('cf.empty')} /> }}
        columns={[
          { key: 'label', title: t('cf.label'), dataIndex: 'label' },
          { key: 'key', title: t('cf.key'), render: (_, d) => <code>{d.key}</code> },
          { key: 'type', title: t('cf.type'), render: (_, d) => t(`cf.t_${d.type}`) },
          {
            key: 'flags',
            title: t('cf.validation'),
            render: (_, d) => (
              <>
                {d.required && <Tag color="red">{t('cf.required')}</Tag>}
                {d.unique && <Tag color="blue">{t('cf.unique')}</Tag>}
              </>
            ),
          },
          {
            key: 'options',
            title: t('cf.options'),
            render: (_, d) => d.options?.map((o) => <Tag key={o.value}>{o.label}</Tag>),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, d) =>
              can('custom_fields.configure') && (
                <Space>
                  <Button type="link" size="small" onClick={() => setEditing(d)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(d)}>
                    <Button type="link" size="small">
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <FieldDrawer object={object} def={editing} onClose={() => setEditing(null)} />
    </>
  )
}

function FieldDrawer(props: { object: string; def: FieldDef | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const def = props.def === 'new' ? null : props.def
  const type: FieldType = Form.useWatch('type', form) ?? def?.type ?? 'text'
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    const validation = Object.fromEntries(
      Object.entries(v.validation ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== ''),
    )
    const body = {
      ...v,
      validation: Object.keys(validation).length ? validation : undefined,
      options: WITH_OPTIONS.has(type) ? v.options : undefined,
    }
    try {
      if (def) {
        const { key: _k, type: _t, ...rest } = body
        await call(
          api.PATCH('/api/v1/custom-fields/{id}', {
            params: { path: { id: def.id } },
            body: { ...rest, version: def.version } as never,
          }),
        )
      } else
        await call(api.POST('/api/v1/custom-fields', { body: { ...body, object: props.object } as never }))
      await qc.invalidateQueries({ queryKey: ['custom-fields'] })
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
      open={props.def !== null}
      title={def ? t('cf.editTitle') : t('cf.new')}
      onClose={props.onClose}
      size={520}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} data-testid="cf-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={def ?? { type: 'text', required: false, unique: false, options: [] }}
        data-testid="cf-form"
        onFinish={submit}
      >
        {/* Enter in a field submits, as the dialog's button does. */}
        <button type="submit" hidden />
        <Form.Item name="label" label={t('cf.label')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('cf.key')}
          rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]*$/, message: t('cf.keyFormat') }]}
        >
          <Input disabled={!!def} />
        </Form.Item>
        <Form.Item name="type" label={t('cf.type')} rules={[{ required: true }]}>
          <Select
            disabled={!!def}
            options={FIELD_TYPES.map((x) => ({ value: x, label: t(`cf.t_${x}`) }))}
            data-testid="cf-type"
          />
        </Form.Item>
        <Space size="large">
          <Form.Item name="required" label={t('cf.required')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="unique" label={t('cf.unique')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="position" label={t('cf.position')}>
            <InputNumber min={0} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('common.description')}>
          <Input />
        </Form.Item>
        {WITH_OPTIONS.has(type) && (
          <Form.Item label={t('cf.options')} required>
            <Form.List name="options">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" wrap>
                      <Form.Item name={[f.name, 'value']} rules={[{ required: true }]}>
                        <Input placeholder={t('cf.optionValue')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'label']} rules={[{ required: true }]}>
                        <Input placeholder={t('cf.optionLabel')} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add()}>
                    {t('cf.addOption')}
                  </Button>
                </>
              )}
            </Form.List>
          </Form.Item>
        )}
        {WITH_RANGE.has(type) && (
          <Space>
            <Form.Item name={['validation', 'min']} label={t('cf.min')}>
              <InputNumber />
            </Form.Item>
            <Form.Item name={['validation', 'max']} label={t('cf.max')}>
              <InputNumber />
            </Form.Item>
          </Space>
        )}
        {WITH_LENGTH.has(type) && (
          <>
            <Form.Item name={['validation', 'maxLength']} label={t('cf.maxLength')}>
              <InputNumber min={1} />
            </Form.Item>
            <Form.Item name={['validation', 'pattern']} label={t('cf.pattern')}>
              <Input />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  )
}

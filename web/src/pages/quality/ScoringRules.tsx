import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Switch } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useChannels, useFieldDefs } from '../../data.js'
import { useCan } from '../../session.js'
import { useSaveForm } from './useSaveForm.js'

const KINDS = [
  'completeness',
  'field_present',
  'behaviour_count',
  'intent_count',
  'recency',
  'channel',
] as const
const BASE_FIELDS = [
  'name',
  'mobile',
  'phone',
  'email',
  'company',
  'title',
  'creditCode',
  'address',
  'regionCode',
  'notes',
]
const EVENT_TYPES = [
  'view',
  'register',
  'login',
  'favourite',
  'add_to_cart',
  'order',
  'pay',
  'share',
  'follow',
  'check_in',
  'consult',
  'click',
  'submit_form',
]

/** Scoring rules: each adds its points when it holds; the sum sets the grade (thresholds in the next tab). */
export function ScoringRules() {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('quality.configure')
  const [form] = Form.useForm()
  const rules = useQuery({
    queryKey: ['scoring-rules'],
    queryFn: () => call(api.GET('/api/v1/quality/scoring-rules')),
  })
  const custom = useFieldDefs('lead').data?.items ?? []
  const channels = useChannels(can('intake.view'))
  const fieldOptions = [
    ...BASE_FIELDS.map((f) => ({ value: f, label: t(`intake.field.${f}`) })),
    ...custom.map((d) => ({ value: `custom.${d.key}`, label: d.label })),
  ]
  useEffect(() => {
    if (rules.data) form.setFieldsValue({ rules: rules.data.items })
  }, [rules.data, form])

  const save = useSaveForm(form, ['scoring-rules'], (v) =>
    call(
      api.PUT('/api/v1/quality/scoring-rules', {
        body: {
          rules: ((v.rules ?? []) as Record<string, unknown>[]).map((r) => ({
            ...r,
            params: r.params ?? {},
          })),
        } as never,
      }),
    ),
  )

  const params = (name: number, kind: string) => {
    const p = (key: string) => [name, 'params', key]
    switch (kind) {
      case 'completeness':
        return (
          <Form.Item label={t('quality.rules.fields')} name={p('fields')} rules={[{ required: true }]}>
            <Select mode="multiple" style={{ minWidth: 320 }} options={fieldOptions} />
          </Form.Item>
        )
      case 'field_present':
        return (
          <Form.Item label={t('quality.rules.field')} name={p('field')} rules={[{ required: true }]}>
            <Select style={{ width: 200 }} options={fieldOptions} />
          </Form.Item>
        )
      case 'behaviour_count':
        return (
          <Space wrap>
            <Form.Item label={t('quality.rules.eventType')} name={p('eventType')} initialValue="view">
              <Select
                style={{ width: 140 }}
                options={EVENT_TYPES.map((e) => ({ value: e, label: t(`quality.events.${e}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('quality.rules.days')} name={p('days')} initialValue={30}>
              <InputNumber min={1} max={3650} />
            </Form.Item>
            <Form.Item label={t('quality.rules.min')} name={p('min')} initialValue={1}>
              <InputNumber min={1} max={100000} />
            </Form.Item>
          </Space>
        )
      case 'intent_count':
        return (
          <Form.Item label={t('quality.rules.min')} name={p('min')} initialValue={2}>
            <InputNumber min={1} max={100000} />
          </Form.Item>
        )
      case 'recency':
        return (
          <Form.Item label={t('quality.rules.days')} name={p('days')} initialValue={30}>
            <InputNumber min={1} max={3650} />
          </Form.Item>
        )
      case 'channel':
        return (
          <Form.Item label={t('quality.rules.channels')} name={p('channelIds')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              style={{ minWidth: 320 }}
              options={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
        )
      default:
        return null
    }
  }

  return (
    <Form form={form} layout="vertical" disabled={!editable}>
      <Alert type="info" showIcon message={t('quality.rules.rescoreNote')} style={{ marginBottom: 12 }} />
      <Form.List name="rules">
        {(fields, { add, remove }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields.map((f) => (
              <Card
                key={f.key}
                size="small"
                title={
                  <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }]}>
                    <Input
                      variant="borderless"
                      placeholder={t('quality.rules.name')}
                      style={{ width: 260 }}
                    />
                  </Form.Item>
                }
                extra={
                  <Space>
                    <Form.Item name={[f.name, 'enabled']} valuePropName="checked" noStyle>
                      <Switch size="small" aria-label={t('quality.rules.enabled')} />
                    </Form.Item>
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      title={t('quality.rules.remove')}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                }
              >
                <Space wrap align="start" size="large">
                  <Form.Item label={t('quality.rules.kind')} name={[f.name, 'kind']}>
                    <Select
                      style={{ width: 180 }}
                      options={KINDS.map((k) => ({ value: k, label: t(`quality.rules.kinds.${k}`) }))}
                      onChange={() => form.setFieldValue(['rules', f.name, 'params'], {})}
                    />
                  </Form.Item>
                  <Form.Item
                    label={t('quality.rules.points')}
                    name={[f.name, 'points']}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={-1000} max={1000} precision={0} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => params(f.name, form.getFieldValue(['rules', f.name, 'kind']))}
                  </Form.Item>
                </Space>
              </Card>
            ))}
            {editable && (
              <Space wrap>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    add({
                      name: '',
                      kind: 'field_present',
                      params: { field: 'email' },
                      points: 10,
                      enabled: true,
                    })
                  }
                >
                  {t('quality.rules.add')}
                </Button>
                <Button type="primary" onClick={save}>
                  {t('quality.rules.save')}
                </Button>
              </Space>
            )}
          </Space>
        )}
      </Form.List>
    </Form>
  )
}

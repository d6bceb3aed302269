import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useCan } from '../../session.js'
import { RededupeButton, RededupeStatus } from './Rededupe.js'
import { useSaveForm } from './useSaveForm.js'

const MATCH_FIELDS = [
  'mobile',
  'phone',
  'email',
  'openid',
  'unionid',
  'deviceId',
  'externalId',
  'creditCode',
  'name',
  'company',
  'regionCode',
] as const
const ACTIONS = ['merge', 'overwrite', 'review', 'reject'] as const
/** Identity keys either are the same or not; only names, companies and regions can be "similar". */
const FUZZY_FIELDS = new Set(['name', 'company', 'regionCode'])

/** Dedupe rules as the workspace configures them: ordered, first match decides. */
export function DedupeRules() {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('quality.configure')
  const [form] = Form.useForm()
  const rules = useQuery({
    queryKey: ['dedupe-rules'],
    queryFn: () => call(api.GET('/api/v1/quality/dedupe-rules')),
  })
  useEffect(() => {
    if (rules.data) form.setFieldsValue({ rules: rules.data.items })
  }, [rules.data, form])

  const save = useSaveForm(form, ['dedupe-rules'], (v) =>
    call(
      api.PUT('/api/v1/quality/dedupe-rules', {
        body: { rules: (v.rules as Record<string, unknown>[]).map(({ priority: _p, ...r }) => r) } as never,
      }),
    ),
  )

  return (
    <Form form={form} layout="vertical" disabled={!editable}>
      <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
        <Alert type="info" showIcon message={t('quality.rules.dedupeHelp')} />
        <RededupeStatus />
      </Space>
      <Form.List name="rules">
        {(fields, { add, remove, move }) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields.map((f, i) => (
              <Card
                key={f.key}
                size="small"
                title={
                  <Space>
                    <Typography.Text type="secondary">{i + 1}</Typography.Text>
                    <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }]}>
                      <Input
                        variant="borderless"
                        placeholder={t('quality.rules.name')}
                        style={{ width: 240 }}
                      />
                    </Form.Item>
                  </Space>
                }
                extra={
                  <Space>
                    <Form.Item name={[f.name, 'enabled']} valuePropName="checked" noStyle>
                      <Switch size="small" aria-label={t('quality.rules.enabled')} />
                    </Form.Item>
                    <Button
                      size="small"
                      type="text"
                      icon={<ArrowUpOutlined />}
                      disabled={!editable || i === 0}
                      title={t('quality.rules.moveUp')}
                      onClick={() => move(i, i - 1)}
                    />
                    <Button
                      size="small"
                      type="text"
                      icon={<ArrowDownOutlined />}
                      disabled={!editable || i === fields.length - 1}
                      title={t('quality.rules.moveDown')}
                      onClick={() => move(i, i + 1)}
                    />
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
                <Row gutter={24}>
                  <Col xs={24} lg={12}>
                    <Conditions rule={f.name} />
                  </Col>
                  <Col xs={24} lg={5}>
                    <Form.Item label={t('quality.rules.action')} name={[f.name, 'action']}>
                      <Select
                        options={ACTIONS.map((a) => ({ value: a, label: t(`quality.rules.actions.${a}`) }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={24} lg={7}>
                    <Form.Item label={t('quality.rules.scope')}>
                      <Space wrap>
                        {(['sameOrg', 'sameChannel', 'sameCampaign'] as const).map((k) => (
                          <Form.Item key={k} name={[f.name, 'scope', k]} valuePropName="checked" noStyle>
                            <Checkbox>{t(`quality.rules.${k}`)}</Checkbox>
                          </Form.Item>
                        ))}
                        <Form.Item name={[f.name, 'scope', 'windowDays']} noStyle>
                          <InputNumber
                            min={1}
                            max={3650}
                            style={{ width: 130 }}
                            addonAfter={t('quality.rules.windowDays')}
                          />
                        </Form.Item>
                      </Space>
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            {editable && (
              <Space wrap>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    add({
                      name: '',
                      enabled: true,
                      conditions: [{ field: 'mobile', match: 'exact' }],
                      scope: { sameOrg: true },
                      action: 'review',
                    })
                  }
                >
                  {t('quality.rules.add')}
                </Button>
                <span style={{ flex: 1 }} />
                <Button onClick={() => rules.data && form.setFieldsValue({ rules: rules.data.items })}>
                  {t('quality.rules.reset')}
                </Button>
                <Button type="primary" onClick={save}>
                  {t('quality.rules.save')}
                </Button>
                <RededupeButton />
              </Space>
            )}
          </Space>
        )}
      </Form.List>
    </Form>
  )
}

/** The AND-ed conditions of one rule: a field, equal or similar, and a threshold for similar. */
function Conditions({ rule }: { rule: number }) {
  const { t } = useTranslation()
  const form = Form.useFormInstance()
  return (
    <Form.Item label={t('quality.rules.conditions')} required>
      <Form.List name={[rule, 'conditions']}>
        {(fields, { add, remove }) => (
          <Space direction="vertical">
            {fields.map((c) => (
              <Space key={c.key} wrap align="start">
                <Form.Item name={[c.name, 'field']} noStyle>
                  <Select
                    style={{ width: 160 }}
                    options={MATCH_FIELDS.map((m) => ({ value: m, label: t(`intake.field.${m}`) }))}
                  />
                </Form.Item>
                <Form.Item
                  noStyle
                  shouldUpdate={(a, b) => JSON.stringify(a.rules) !== JSON.stringify(b.rules)}
                >
                  {() => {
                    const cond = form.getFieldValue(['rules', rule, 'conditions', c.name])
                    const fuzzyOk = FUZZY_FIELDS.has(cond?.field)
                    return (
                      <Space>
                        <Form.Item name={[c.name, 'match']} noStyle>
                          <Select
                            style={{ width: 110 }}
                            options={['exact', 'fuzzy'].map((m) => ({
                              value: m,
                              label: t(`quality.rules.${m}`),
                              disabled: m === 'fuzzy' && !fuzzyOk,
                            }))}
                          />
                        </Form.Item>
                        {cond?.match === 'fuzzy' && <Threshold name={c.name} />}
                      </Space>
                    )
                  }}
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(c.name)} />
              </Space>
            ))}
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ field: 'name', match: 'exact' })}
            >
              {t('quality.rules.addCondition')}
            </Button>
          </Space>
        )}
      </Form.List>
    </Form.Item>
  )
}

function Threshold({ name }: { name: number }) {
  const { t } = useTranslation()
  return (
    <Form.Item name={[name, 'threshold']} noStyle initialValue={0.8}>
      <InputNumber
        min={0.5}
        max={1}
        step={0.05}
        style={{ width: 130 }}
        addonBefore={t('quality.rules.threshold')}
      />
    </Form.Item>
  )
}

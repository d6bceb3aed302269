import { useQuery } from '@tanstack/react-query'
import { Button, Card, Col, Form, InputNumber, Radio, Row, Select, Space } from 'antd'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useChannels } from '../../data.js'
import { useCan } from '../../session.js'
import { useSaveForm } from './useSaveForm.js'

const CHECKS = ['mobile', 'phone', 'email', 'disposableEmail', 'wechat', 'creditCode'] as const
const SURVIVORS = ['newest', 'most_complete', 'channel_priority'] as const

/** Validation policy per check (reject or keep flagged), which values survive a merge, grade thresholds. */
export function QualitySettings() {
  const { t } = useTranslation()
  const can = useCan()
  const [form] = Form.useForm()
  const settings = useQuery({
    queryKey: ['quality-settings'],
    queryFn: () => call(api.GET('/api/v1/quality/settings')),
  })
  const channels = useChannels(can('intake.view'))
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data)
  }, [settings.data, form])

  // "grades" alone (A > B > C) belongs to no single input.
  const save = useSaveForm(
    form,
    ['quality-settings'],
    (v) => call(api.PUT('/api/v1/quality/settings', { body: v as never })),
    (name) => name.length > 1,
  )

  return (
    <Form form={form} layout="vertical" disabled={!can('quality.configure')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('quality.rules.policies')}>
            {CHECKS.map((c) => (
              <Form.Item key={c} label={t(`quality.rules.checks.${c}`)} name={['validation', c]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'flag', label: t('quality.rules.flag') },
                    { value: 'reject', label: t('quality.rules.reject') },
                  ]}
                />
              </Form.Item>
            ))}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            <Card size="small" title={t('quality.rules.survivorship')}>
              <Form.Item name={['survivorship', 'default']}>
                <Radio.Group
                  options={SURVIVORS.map((s) => ({ value: s, label: t(`quality.rules.survivors.${s}`) }))}
                />
              </Form.Item>
              <Form.Item
                label={t('quality.rules.channelPriority')}
                name={['survivorship', 'channelPriority']}
              >
                <Select
                  mode="multiple"
                  options={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              </Form.Item>
            </Card>
            <Card size="small" title={t('quality.rules.grades')}>
              <Space wrap>
                {(['A', 'B', 'C'] as const).map((g) => (
                  <Form.Item key={g} label={g} name={['grades', g]} rules={[{ required: true }]}>
                    <InputNumber min={0} max={10000} precision={0} />
                  </Form.Item>
                ))}
              </Space>
            </Card>
          </Space>
        </Col>
      </Row>
      {can('quality.configure') && (
        <Button type="primary" onClick={save} style={{ marginTop: 16 }}>
          {t('quality.rules.save')}
        </Button>
      )}
    </Form>
  )
}

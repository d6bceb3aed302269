import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Switch } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useCan } from '../../session.js'
import { useLeadSettings } from './data.js'
import { showServerErrors } from './errors.js'
import { PoolPicker } from './pickers.js'

/**
 * 线索设置: the lifecycle's workspace settings — close and release reasons, the first-contact SLA,
 * where released and reclaimed leads go by default, and whether arriving leads are distributed
 * and assigned automatically.
 */
export function LeadSettings() {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const { message } = App.useApp()
  const qc = useQueryClient()
  const settings = useLeadSettings()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    // Release reasons are plain strings on the wire; rows of {label} here so each has its own input.
    if (settings.data)
      form.setFieldsValue({
        ...settings.data,
        releaseReasons: settings.data.releaseReasons.map((label) => ({ label })),
      })
  }, [settings.data, form])

  const save = async () => {
    const v = await form.validateFields()
    setSaving(true)
    try {
      const saved = await call(
        api.PUT('/api/v1/lead-settings', {
          body: {
            closeReasons: v.closeReasons ?? [],
            releaseReasons: (v.releaseReasons ?? []).map((r: { label: string }) => r.label),
            firstContactSlaHours: v.firstContactSlaHours,
            defaultPublicPoolId: v.defaultPublicPoolId ?? null,
            autoDistribute: !!v.autoDistribute,
            autoAssign: !!v.autoAssign,
            version: settings.data?.version,
          },
        }),
      )
      qc.setQueryData(['lead-settings'], saved)
      message.success(t('common.saved'))
    } catch (e) {
      // releaseReasons[1] is the second row's text input.
      showServerErrors(form, e, message, (n) =>
        n[0] === 'releaseReasons' && typeof n[1] === 'number' ? ['releaseReasons', n[1], 'label'] : n,
      )
    } finally {
      setSaving(false)
    }
  }

  return (
    <Form form={form} layout="vertical" disabled={!editable} data-testid="lead-settings">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('poolSettings.lead.routing')} style={{ height: '100%' }}>
            <Form.Item
              name="autoDistribute"
              valuePropName="checked"
              label={t('poolSettings.lead.autoDistribute')}
              tooltip={t('poolSettings.lead.autoDistributeHelp')}
            >
              <Switch />
            </Form.Item>
            <Form.Item
              name="autoAssign"
              valuePropName="checked"
              label={t('poolSettings.lead.autoAssign')}
              tooltip={t('poolSettings.lead.autoAssignHelp')}
            >
              <Switch />
            </Form.Item>
            <Form.Item
              name="firstContactSlaHours"
              label={t('poolSettings.lead.sla')}
              tooltip={t('poolSettings.lead.slaHelp')}
              rules={[{ required: true, message: t('poolSettings.required') }]}
            >
              <InputNumber
                min={1}
                max={8760}
                precision={0}
                suffix={t('poolSettings.unit.hours')}
                style={{ width: 180 }}
              />
            </Form.Item>
            <Form.Item
              name="defaultPublicPoolId"
              label={t('poolSettings.lead.defaultPublicPool')}
              tooltip={t('poolSettings.lead.defaultPublicPoolHelp')}
            >
              <PoolPicker kinds={['public']} allowClear />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
            <Card size="small" title={t('poolSettings.lead.closeReasons')}>
              <Form.List name="closeReasons">
                {(items, { add, remove }) => (
                  <Space direction="vertical" style={{ width: '100%' }} size={0} data-testid="close-reasons">
                    {items.map((r) => (
                      <Space key={r.key} align="start" wrap size={4}>
                        <Form.Item
                          name={[r.name, 'label']}
                          rules={[{ required: true, message: t('poolSettings.required') }]}
                          style={{ marginBottom: 8 }}
                        >
                          <Input placeholder={t('poolSettings.lead.reasonLabel')} style={{ width: 200 }} />
                        </Form.Item>
                        <Form.Item
                          name={[r.name, 'key']}
                          rules={[
                            { required: true, message: t('poolSettings.required') },
                            { pattern: /^[a-z0-9_]+$/, message: t('poolSettings.lead.keyPattern') },
                          ]}
                          style={{ marginBottom: 8 }}
                        >
                          <Input placeholder={t('poolSettings.lead.reasonKey')} style={{ width: 150 }} />
                        </Form.Item>
                        <Form.Item name={[r.name, 'status']} style={{ marginBottom: 8 }}>
                          <Select
                            style={{ width: 120 }}
                            aria-label={t('poolSettings.lead.appliesTo')}
                            options={(['closed', 'invalid'] as const).map((s) => ({
                              value: s,
                              label: t(`leads.status_${s}`),
                            }))}
                          />
                        </Form.Item>
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          title={t('poolSettings.remove')}
                          aria-label={t('poolSettings.remove')}
                          onClick={() => remove(r.name)}
                        />
                      </Space>
                    ))}
                    <Button
                      size="small"
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({ key: '', label: '', status: 'closed' })}
                    >
                      {t('poolSettings.lead.addReason')}
                    </Button>
                  </Space>
                )}
              </Form.List>
            </Card>
            <Card size="small" title={t('poolSettings.lead.releaseReasons')}>
              <Form.List name="releaseReasons">
                {(items, { add, remove }) => (
                  <Space
                    direction="vertical"
                    style={{ width: '100%' }}
                    size={0}
                    data-testid="release-reasons"
                  >
                    {items.map((r) => (
                      <Space key={r.key} align="start" size={4}>
                        <Form.Item
                          name={[r.name, 'label']}
                          rules={[{ required: true, message: t('poolSettings.required') }]}
                          style={{ marginBottom: 8 }}
                        >
                          <Input style={{ width: 300 }} />
                        </Form.Item>
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          title={t('poolSettings.remove')}
                          aria-label={t('poolSettings.remove')}
                          onClick={() => remove(r.name)}
                        />
                      </Space>
                    ))}
                    <Button
                      size="small"
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({ label: '' })}
                    >
                      {t('poolSettings.lead.addReason')}
                    </Button>
                  </Space>
                )}
              </Form.List>
            </Card>
          </div>
        </Col>
      </Row>
      {editable && (
        <Button
          type="primary"
          loading={saving}
          onClick={save}
          style={{ marginTop: 16 }}
          data-testid="lead-settings-save"
        >
          {t('common.save')}
        </Button>
      )}
    </Form>
  )
}

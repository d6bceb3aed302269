import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Form, Input, InputNumber, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { LANGUAGES } from '../../i18n/index.js'
import { useCan } from '../../session.js'
import { phoneRegionOptions, timezoneOptions } from './workspace-options.js'

export function WorkspacePage() {
  const { t, i18n } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const ws = useQuery({ queryKey: ['workspace'], queryFn: () => call(api.GET('/api/v1/workspace')) })
  const [form] = Form.useForm()
  const save = async (v: Record<string, unknown>) => {
    try {
      await call(api.PATCH('/api/v1/workspace', { body: v as never }))
      message.success(t('common.saved'))
      await qc.invalidateQueries({ queryKey: ['workspace'] })
      await qc.invalidateQueries({ queryKey: ['me'] })
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  if (!ws.data) return null
  const readOnly = !can('workspace.configure')
  return (
    <>
      <Typography.Title level={4}>{t('workspace.title')}</Typography.Title>
      <Card style={{ maxWidth: 640 }}>
        <Form form={form} layout="vertical" initialValues={ws.data} onFinish={save} disabled={readOnly}>
          <Form.Item label={t('workspace.slug')}>
            <Input value={ws.data.slug} disabled />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="timezone" label={t('workspace.timezone')}>
            <Select showSearch options={timezoneOptions(ws.data.timezone)} />
          </Form.Item>
          <Form.Item name="locale" label={t('workspace.locale')}>
            <Select options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))} />
          </Form.Item>
          <Form.Item
            name="phoneRegion"
            label={t('workspace.phoneRegion')}
            extra={t('workspace.phoneRegionHelp')}
          >
            <Select options={phoneRegionOptions(t, i18n.language, ws.data.phoneRegion)} />
          </Form.Item>
          <Typography.Title level={5}>{t('workspace.passwordPolicy')}</Typography.Title>
          <Form.Item name={['settings', 'passwordMinLength']} label={t('workspace.passwordMinLength')}>
            <InputNumber min={8} max={64} />
          </Form.Item>
          <Form.Item name={['settings', 'lockoutThreshold']} label={t('workspace.lockoutThreshold')}>
            <InputNumber min={3} max={20} />
          </Form.Item>
          <Form.Item name={['settings', 'lockoutMinutes']} label={t('workspace.lockoutMinutes')}>
            <InputNumber min={1} max={1440} />
          </Form.Item>
          <Form.Item name={['settings', 'sessionDays']} label={t('workspace.sessionDays')}>
            <InputNumber min={1} max={90} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  )
}

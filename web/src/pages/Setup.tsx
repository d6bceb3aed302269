import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call, formErrors, setCsrfToken } from '../api/client.js'
import { LangSwitch } from '../components/LangSwitch.js'

export function SetupPage() {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const qc = useQueryClient()
  const nav = useNavigate()
  const submit = async (v: {
    workspaceName: string
    workspaceSlug: string
    adminName: string
    email: string
    password: string
  }) => {
    try {
      const res = await call(api.POST('/api/v1/setup', { body: { ...v, locale: i18n.language as 'zh-CN' } }))
      setCsrfToken(res.csrfToken)
      await qc.invalidateQueries()
      nav('/')
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields)
      if (!fields.length) message.error((e as Error).message)
    }
  }
  return (
    <div className="haina-center">
      <Card className="haina-card" title={t('setup.title')} extra={<LangSwitch />}>
        <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} data-testid="setup-form">
          <Form.Item name="workspaceName" label={t('setup.workspaceName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="workspaceSlug"
            label={t('setup.workspaceSlug')}
            rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]*$/ }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="adminName" label={t('setup.adminName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="email" label={t('common.email')} rules={[{ required: true, type: 'email' }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('common.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            {t('setup.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}

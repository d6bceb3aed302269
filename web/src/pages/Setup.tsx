import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Col, Form, Input, Row, Select, Typography } from 'antd'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call, formErrors, setCsrfToken } from '../api/client.js'
import { LangSwitch } from '../components/LangSwitch.js'
import {
  defaultTimezone,
  phoneRegionForLanguage,
  phoneRegionOptions,
  timezoneOptions,
} from './settings/workspace-options.js'

interface SetupValues {
  workspaceName: string
  workspaceSlug: string
  adminName: string
  email: string
  password: string
  phoneRegion: string
  timezone: string
}

export function SetupPage() {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<SetupValues>()
  const qc = useQueryClient()
  const nav = useNavigate()
  const language = i18n.language
  // The defaults follow the language until the person picks a value themselves.
  const picked = useRef(new Set<string>())
  useEffect(() => {
    if (!picked.current.has('phoneRegion'))
      form.setFieldValue('phoneRegion', phoneRegionForLanguage(language))
    if (!picked.current.has('timezone')) form.setFieldValue('timezone', defaultTimezone(language))
  }, [form, language])
  const phoneRegion = Form.useWatch('phoneRegion', form) ?? phoneRegionForLanguage(language)
  const timezone = Form.useWatch('timezone', form) ?? defaultTimezone(language)
  const submit = async (v: SetupValues) => {
    try {
      const res = await call(api.POST('/api/v1/setup', { body: { ...v, locale: language as 'zh-CN' } }))
      setCsrfToken(res.csrfToken)
      await qc.invalidateQueries()
      nav('/')
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields as never)
      if (!fields.length) message.error((e as Error).message)
    }
  }
  return (
    <div className="haina-center">
      <Card className="haina-card" title={t('setup.title')} extra={<LangSwitch />}>
        <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          onValuesChange={(changed) => {
            for (const key of Object.keys(changed)) picked.current.add(key)
          }}
          initialValues={{ phoneRegion, timezone }}
          data-testid="setup-form"
        >
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
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="phoneRegion"
                label={t('workspace.phoneRegion')}
                tooltip={t('workspace.phoneRegionHelp')}
              >
                <Select options={phoneRegionOptions(t, language, phoneRegion)} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="timezone" label={t('workspace.timezone')}>
                <Select showSearch options={timezoneOptions(timezone)} />
              </Form.Item>
            </Col>
          </Row>
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

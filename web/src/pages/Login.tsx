import { useQueryClient } from '@tanstack/react-query'
import { Alert, Button, Card, Form, Input } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call, LANG_KEY, setCsrfToken } from '../api/client.js'
import { LangSwitch } from '../components/LangSwitch.js'
import type { LANGUAGES } from '../i18n/index.js'

type Locale = (typeof LANGUAGES)[number]['code']

export function LoginPage() {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const nav = useNavigate()
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = async (v: { workspace?: string; email: string; password: string }) => {
    setBusy(true)
    setFailed(false)
    try {
      const res = await call(
        api.POST('/api/v1/auth/login', { body: { ...v, workspace: v.workspace || undefined } }),
      )
      setCsrfToken(res.csrfToken)
      // The account remembers its language: a new browser takes it, a choice made here updates it.
      const chosen = localStorage.getItem(LANG_KEY)
      if (!chosen && res.user.locale) {
        localStorage.setItem(LANG_KEY, res.user.locale)
        await i18n.changeLanguage(res.user.locale)
      } else if (chosen && chosen !== res.user.locale)
        void call(api.PATCH('/api/v1/auth/me', { body: { locale: chosen as Locale } })).catch(() => undefined)
      await qc.invalidateQueries({ queryKey: ['me'] })
      nav('/')
    } catch {
      // One generic message: the page must not tell which part was wrong.
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="haina-center">
      <Card className="haina-card" title={`${t('app.name')} · ${t('login.title')}`} extra={<LangSwitch />}>
        {failed && <Alert type="error" showIcon message={t('login.failed')} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} data-testid="login-form">
          <Form.Item name="workspace" label={t('login.workspace')}>
            <Input />
          </Form.Item>
          <Form.Item name="email" label={t('common.email')} rules={[{ required: true }]}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={t('common.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}

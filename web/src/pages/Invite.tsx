import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Form, Input, Result, Spin, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams } from 'react-router'
import { api, call, formErrors, setCsrfToken } from '../api/client.js'
import { LangSwitch } from '../components/LangSwitch.js'

/** Where an invitation link lands: the invitee chooses a name and password, and is signed in. */
export function InvitePage() {
  const { t } = useTranslation()
  const { token = '' } = useParams()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const qc = useQueryClient()
  const nav = useNavigate()
  const params = { path: { token } }
  const info = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => call(api.GET('/api/v1/invitations/accept/{token}', { params })),
    retry: false,
  })
  if (info.isLoading) return <Spin fullscreen />
  if (!info.data) return <Result status="404" title={t('invite.invalid')} />
  const submit = async (v: { name: string; password: string }) => {
    try {
      const res = await call(api.POST('/api/v1/invitations/accept/{token}', { params, body: v }))
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
      <Card className="haina-card" title={t('invite.title')} extra={<LangSwitch />}>
        <Typography.Paragraph type="secondary">
          {t('invite.intro', { workspace: info.data.workspace.name, email: info.data.email })}
        </Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ name: info.data.name ?? '' }}
          data-testid="invite-form"
        >
          <Form.Item name="name" label={t('users.personName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t('common.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block>
            {t('invite.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  )
}

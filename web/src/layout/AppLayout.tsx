import { DownOutlined, GlobalOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Drawer,
  Dropdown,
  Form,
  Grid,
  Input,
  Layout,
  Modal,
  Spin,
} from 'antd'
import { Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { api, call, formErrors, LANG_KEY, setCsrfToken } from '../api/client.js'
import { NotificationBell } from '../components/NotificationBell.js'
import { LANGUAGES } from '../i18n/index.js'
import { useMe } from '../session.js'
import { NavMenu } from './NavMenu.js'

/** The menu's width toggled by hand, remembered across visits ('1' collapsed, '0' open). */
const SIDER_KEY = 'haina.siderCollapsed'
const storedCollapsed = (): boolean | null => {
  const v = localStorage.getItem(SIDER_KEY)
  return v === '1' ? true : v === '0' ? false : null
}
/** Below this width (antd's xl, 1200 px) the menu folds to icons unless the user opened it. */
const WIDE = '(min-width: 1200px)'
/** Below antd's lg (992 px: phones, small tablets) the menu is a drawer opened from the header. */
const LG = '(min-width: 992px)'

export function AppLayout() {
  const { t, i18n } = useTranslation()
  const me = useMe().data
  const qc = useQueryClient()
  const screens = Grid.useBreakpoint()
  // useBreakpoint is empty on the first render: ask the window so a phone never lays out a side bar.
  const drawerNav = !(screens.lg ?? window.matchMedia(LG).matches)
  const [navOpen, setNavOpen] = useState(false)
  const [collapsed, setCollapsed] = useState(() => storedCollapsed() ?? !window.matchMedia(WIDE).matches)
  const [pwOpen, setPwOpen] = useState(false)

  const changeLang = (code: string) => {
    localStorage.setItem(LANG_KEY, code)
    void i18n.changeLanguage(code)
    // Server texts (error messages, option labels) follow Accept-Language: fetch them again.
    void qc.invalidateQueries()
    // What the server writes to this person with no request at hand (notifications, reminder
    // emails) is in the language they chose: remember it on their account too.
    void call(
      api.PATCH('/api/v1/auth/me', { body: { locale: code as (typeof LANGUAGES)[number]['code'] } }),
    ).catch(() => undefined)
  }

  const signOut = async (everywhere: boolean) => {
    await call(api.POST(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout'))
    setCsrfToken(null)
    // A full page load drops every cached record of the signed-out user from memory.
    window.location.assign('/login')
  }

  // Required-field messages that fit inputs and selects alike ("所属组织为必填项", not "请输入所属组织").
  // biome-ignore lint/suspicious/noTemplateCurlyInString: antd fills in ${label}, not JavaScript.
  const validateMessages = { required: t('validation.required', { label: '${label}' }) }

  return (
    <ConfigProvider form={{ validateMessages }}>
      <Layout style={{ minHeight: '100%' }}>
        {drawerNav ? (
          <Drawer
            open={navOpen}
            onClose={() => setNavOpen(false)}
            placement="left"
            size={256}
            title={t('app.name')}
            styles={{
              section: { background: '#001529' },
              header: { borderBottom: '1px solid rgba(255, 255, 255, 0.12)' },
              title: { color: '#fff' },
              close: { color: 'rgba(255, 255, 255, 0.75)' },
              body: { padding: 0 },
            }}
          >
            <div data-testid="nav-drawer">
              <NavMenu collapsed={false} onNavigate={() => setNavOpen(false)} />
            </div>
          </Drawer>
        ) : (
          <Layout.Sider
            breakpoint="xl"
            collapsedWidth={80}
            collapsible
            collapsed={collapsed}
            onCollapse={(next, type) => {
              // The user's choice wins over the width and is remembered.
              if (type === 'clickTrigger') {
                localStorage.setItem(SIDER_KEY, next ? '1' : '0')
                setCollapsed(next)
              } else if (storedCollapsed() === null) setCollapsed(next)
            }}
            width={220}
            data-testid="sider"
          >
            {/* Folded, the first word of the name (海纳, Haina) fits the icon column. */}
            <div className="haina-logo">{collapsed ? t('app.name').split(' ')[0] : t('app.name')}</div>
            <NavMenu collapsed={collapsed} />
          </Layout.Sider>
        )}
        {/* min-width 0: a wide table scrolls inside the page instead of pushing it past the window. */}
        <Layout style={{ minWidth: 0 }}>
          <Layout.Header className="haina-header">
            <span className="haina-header-start">
              {drawerNav && (
                <Button
                  type="text"
                  icon={<MenuOutlined />}
                  aria-label={t('app.menu')}
                  onClick={() => setNavOpen(true)}
                  data-testid="nav-open"
                />
              )}
              <span className="haina-header-title" data-testid="workspace-name">
                {me?.tenant.name}
              </span>
            </span>
            <span className="haina-header-end">
              <NotificationBell />
              <Dropdown
                trigger={['click']}
                menu={{
                  items: LANGUAGES.map((l) => ({ key: l.code, label: l.label })),
                  selectedKeys: [i18n.language],
                  onClick: (e) => changeLang(e.key),
                }}
              >
                <Button
                  type="text"
                  icon={<GlobalOutlined />}
                  data-testid="lang-switch"
                  aria-label={t('app.language')}
                >
                  {screens.sm ? LANGUAGES.find((l) => l.code === i18n.language)?.label : null}
                </Button>
              </Dropdown>
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'password', label: t('user.changePassword') },
                    { type: 'divider' },
                    { key: 'logout', label: t('user.signOut') },
                    { key: 'logout-all', label: t('user.signOutAll') },
                  ],
                  onClick: (e) => {
                    if (e.key === 'password') setPwOpen(true)
                    else void signOut(e.key === 'logout-all')
                  },
                }}
              >
                <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                  {screens.sm ? me?.user?.name : null} <DownOutlined />
                </Button>
              </Dropdown>
            </span>
          </Layout.Header>
          <Layout.Content className="haina-content">
            <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
        <ChangePassword open={pwOpen} onClose={() => setPwOpen(false)} />
      </Layout>
    </ConfigProvider>
  )
}

function ChangePassword({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = AntApp.useApp()
  const [form] = Form.useForm()
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    try {
      await call(api.POST('/api/v1/auth/password', { body: v }))
      message.success(t('user.passwordChanged'))
      form.resetFields()
      onClose()
    } catch (e) {
      form.setFields(formErrors(e))
      if (!formErrors(e).length) message.error((e as Error).message)
    }
  }
  return (
    <Modal open={open} title={t('user.changePassword')} onOk={submit} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        {/* Enter in a field submits, as the dialog's button does. */}
        <button type="submit" hidden />
        <Form.Item name="currentPassword" label={t('user.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('user.newPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

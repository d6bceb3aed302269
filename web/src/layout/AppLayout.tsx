import { DownOutlined, GlobalOutlined, HomeOutlined, UserOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import type { MenuProps } from 'antd'
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Dropdown,
  Form,
  Grid,
  Input,
  Layout,
  Menu,
  Modal,
  Spin,
} from 'antd'
import { createElement, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet, useLocation, useNavigate } from 'react-router'
import { api, call, formErrors, LANG_KEY, setCsrfToken } from '../api/client.js'
import { NotificationBell } from '../components/NotificationBell.js'
import { LANGUAGES } from '../i18n/index.js'
import { useMe } from '../session.js'
import { NAV } from './nav.js'

/** The menu's width toggled by hand, remembered across visits ('1' collapsed, '0' open). */
const SIDER_KEY = 'haina.siderCollapsed'
const storedCollapsed = (): boolean | null => {
  const v = localStorage.getItem(SIDER_KEY)
  return v === '1' ? true : v === '0' ? false : null
}
/** Below this width (antd's xl, 1200 px) the menu folds to icons unless the user opened it. */
const WIDE = '(min-width: 1200px)'

export function AppLayout() {
  const { t, i18n } = useTranslation()
  const me = useMe().data
  const nav = useNavigate()
  const loc = useLocation()
  const qc = useQueryClient()
  const screens = Grid.useBreakpoint()
  const [collapsed, setCollapsed] = useState(() => storedCollapsed() ?? !window.matchMedia(WIDE).matches)
  const [pwOpen, setPwOpen] = useState(false)
  const perms = new Set(me?.permissions ?? [])

  const items: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: t('menu.home') },
    ...NAV.flatMap((n) => {
      if ('children' in n) {
        const children = n.children
          .filter((c) => perms.has(c.permission))
          .map((c) => ({ key: c.path, icon: createElement(c.icon), label: t(c.label) }))
        return children.length
          ? [{ key: n.key, icon: createElement(n.icon), label: t(n.label), children }]
          : []
      }
      return perms.has(n.permission) ? [{ key: n.path, icon: createElement(n.icon), label: t(n.label) }] : []
    }),
  ]

  const changeLang = (code: string) => {
    localStorage.setItem(LANG_KEY, code)
    void i18n.changeLanguage(code)
    // Server texts (error messages, option labels) follow Accept-Language: fetch them again.
    void qc.invalidateQueries()
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
        <Layout.Sider
          breakpoint="xl"
          collapsedWidth={screens.md ? 80 : 0}
          collapsible
          collapsed={collapsed}
          onCollapse={(next, type) => {
            if (type === 'clickTrigger') {
              // Phones always start folded; elsewhere the user's choice wins over the width.
              if (screens.md) localStorage.setItem(SIDER_KEY, next ? '1' : '0')
              setCollapsed(next)
            } else if (!screens.md || storedCollapsed() === null) setCollapsed(next)
          }}
          width={220}
          data-testid="sider"
        >
          <div className="haina-logo">{collapsed ? t('app.name').slice(0, 2) : t('app.name')}</div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[menuKeyOf(loc.pathname)]}
            // Open the group of the page being shown (a deep link into settings or intake); folded to
            // icons, no group pops open over the page. The key remounts the menu when the width changes.
            key={collapsed ? 'icons' : 'full'}
            defaultOpenKeys={
              collapsed
                ? []
                : NAV.flatMap((n) =>
                    'children' in n && n.children.some((c) => loc.pathname.startsWith(c.path)) ? [n.key] : [],
                  )
            }
            items={items}
            onClick={(e) => {
              nav(e.key)
              if (!screens.md) setCollapsed(true)
            }}
          />
        </Layout.Sider>
        {/* min-width 0: a wide table scrolls inside the page instead of pushing it past the window. */}
        <Layout style={{ minWidth: 0 }}>
          <Layout.Header className="haina-header">
            <span className="haina-header-title" data-testid="workspace-name">
              {me?.tenant.name}
            </span>
            <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
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
      <Form form={form} layout="vertical">
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

/** The menu entry a page belongs to: a record's page highlights its list (/customers/:id → /customers). */
function menuKeyOf(pathname: string): string {
  const paths = NAV.flatMap((n) => ('children' in n ? n.children : [n])).map((n) => n.path)
  if (paths.includes(pathname)) return pathname
  const list = pathname.replace(/\/[^/]+$/, '')
  return paths.includes(list) ? list : pathname
}

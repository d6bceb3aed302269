import { HomeOutlined } from '@ant-design/icons'
import type { MenuProps } from 'antd'
import { Menu } from 'antd'
import { createElement } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate } from 'react-router'
import { useMe } from '../session.js'
import { NAV } from './nav.js'

/**
 * The app's menu (entries the user has the permission for), shown in the side bar on wide screens
 * and in the navigation drawer on phones and small tablets.
 */
export function NavMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation()
  const nav = useNavigate()
  const loc = useLocation()
  const perms = new Set(useMe().data?.permissions ?? [])

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

  return (
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
        onNavigate?.()
      }}
    />
  )
}

/** The menu entry a page belongs to: a record's page highlights its list (/customers/:id → /customers). */
function menuKeyOf(pathname: string): string {
  const paths = NAV.flatMap((n) => ('children' in n ? n.children : [n])).map((n) => n.path)
  if (paths.includes(pathname)) return pathname
  const list = pathname.replace(/\/[^/]+$/, '')
  return paths.includes(list) ? list : pathname
}

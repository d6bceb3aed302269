import { useQuery } from '@tanstack/react-query'
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCNLocale from 'antd/locale/zh_CN'
import zhTWLocale from 'antd/locale/zh_TW'
import dayjs from 'dayjs'
import 'dayjs/locale/en'
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/zh-tw'
import { lazy, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes } from 'react-router'
import { api, call } from './api/client.js'
import { AppLayout } from './layout/AppLayout.js'
import { NAV } from './layout/nav.js'
import { HomePage } from './pages/Home.js'
import { InvitePage } from './pages/Invite.js'
import { LoginPage } from './pages/Login.js'
import { SetupPage } from './pages/Setup.js'
import { useMe } from './session.js'

const LeadDetailPage = lazy(() =>
  import('./pages/LeadDetail.js').then((m) => ({ default: m.LeadDetailPage })),
)
const CampaignDetailPage = lazy(() =>
  import('./pages/campaigns/CampaignDetail.js').then((m) => ({ default: m.CampaignDetailPage })),
)
const lazyNamed = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })))
const Customer360Page = lazyNamed(() => import('./pages/sales/customers/pages.js'), 'Customer360Page')
const OpportunityPage = lazyNamed(() => import('./pages/sales/opportunities/pages.js'), 'OpportunityPage')
const QuotePage = lazyNamed(() => import('./pages/sales/quotes/pages.js'), 'QuotePage')
const OrderPage = lazyNamed(() => import('./pages/sales/orders/pages.js'), 'OrderPage')
const PersonProfilePage = lazyNamed(() => import('./pages/profiles/persons/pages.js'), 'PersonProfilePage')
const SegmentPage = lazyNamed(() => import('./pages/profiles/segments/pages.js'), 'SegmentPage')
const NotificationsPage = lazy(() =>
  import('./pages/Notifications.js').then((m) => ({ default: m.NotificationsPage })),
)

// Browser tests set this before the app loads: antd's own switch for stable screenshots.
const NO_MOTION = (window as { __HAINA_NO_MOTION__?: boolean }).__HAINA_NO_MOTION__ === true

const ANTD = { 'zh-CN': zhCNLocale, 'zh-TW': zhTWLocale, en: enUS } as const
const DAYJS = { 'zh-CN': 'zh-cn', 'zh-TW': 'zh-tw', en: 'en' } as const
// Honour the OS "reduce motion" setting (the browser tests set it too, so popups open at once).
const MOTION = !NO_MOTION && !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches

export function App() {
  const { i18n } = useTranslation()
  const lang = (i18n.language in ANTD ? i18n.language : 'zh-CN') as keyof typeof ANTD
  useEffect(() => {
    dayjs.locale(DAYJS[lang])
    document.documentElement.lang = lang
  }, [lang])
  return (
    <ConfigProvider locale={ANTD[lang]} theme={{ token: { colorPrimary: '#1668dc', motion: MOTION } }}>
      <AntApp style={{ height: '100%' }}>
        <Gate />
      </AntApp>
    </ConfigProvider>
  )
}

function Gate() {
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => call(api.GET('/api/v1/setup')) })
  const me = useMe()
  if (setup.isLoading || me.isLoading) return <Spin fullscreen />
  if (setup.data?.needsSetup)
    return (
      <Routes>
        <Route path="*" element={<SetupPage />} />
      </Routes>
    )
  if (!me.data)
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route path="*" element={<Navigate to="/login" replace />} />
      </Routes>
    )
  return (
    <Routes>
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        {NAV.flatMap((n) => ('children' in n ? n.children : [n])).map((n) => (
          <Route key={n.path} path={n.path} element={<Guard permission={n.permission}>{<n.Page />}</Guard>} />
        ))}
        <Route
          path="/leads/:id"
          element={
            <Guard permission="leads.view">
              <LeadDetailPage />
            </Guard>
          }
        />
        <Route
          path="/campaigns/:id"
          element={
            <Guard permission="campaigns.view">
              <CampaignDetailPage />
            </Guard>
          }
        />
        <Route
          path="/customers/:id"
          element={
            <Guard permission="customers.view">
              <Customer360Page />
            </Guard>
          }
        />
        <Route
          path="/opportunities/:id"
          element={
            <Guard permission="opportunities.view">
              <OpportunityPage />
            </Guard>
          }
        />
        <Route
          path="/quotes/:id"
          element={
            <Guard permission="quotes.view">
              <QuotePage />
            </Guard>
          }
        />
        <Route
          path="/orders/:id"
          element={
            <Guard permission="orders.view">
              <OrderPage />
            </Guard>
          }
        />
        <Route
          path="/persons/:id"
          element={
            <Guard permission="profiles.view">
              <PersonProfilePage />
            </Guard>
          }
        />
        {/* /segments/new opens the builder; /segments/:id a saved segment (builder, members, charts). */}
        <Route
          path="/segments/:id"
          element={
            <Guard permission="segments.view">
              <SegmentPage />
            </Guard>
          }
        />
        {/* Everyone's own notifications: no permission beyond being signed in. */}
        <Route path="/notifications" element={<NotificationsPage />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  )
}

function Guard({ permission, children }: { permission: string; children: React.ReactNode }) {
  const { t } = useTranslation()
  const me = useMe()
  if (!me.data?.permissions.includes(permission)) return <Result status="403" title={t('error.forbidden')} />
  return <>{children}</>
}

function NotFound() {
  const { t } = useTranslation()
  return <Result status="404" title={t('error.notFound')} />
}

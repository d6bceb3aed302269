import { BellOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Badge, Button, Empty, Grid, Popover, Spin, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, call } from '../api/client.js'
import type { Notification } from '../pages/pools/api.js'
import '../pages/pools/i18n.js'
import './NotificationBell.css'
import { codeLabel } from './labels.js'

/** A notification kind's name: the core catalogue names every kind the server sends. */
export const kindLabel = (t: TFunction, kind: string) => codeLabel(t, 'notifications.kinds', kind)

const POLL_MS = 30_000

/** Marks notifications read ({ids} or everything) and refreshes the count and lists. */
export function useMarkRead() {
  const qc = useQueryClient()
  return async (body: { ids: string[] } | { all: true }) => {
    await call(api.POST('/api/v1/notifications/read', { body }))
    await qc.invalidateQueries({ queryKey: ['notifications'] })
  }
}

/** One notification: unread dot, kind, title, body and when; clicking opens its subject. */
export function NoticeItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const { t } = useTranslation()
  return (
    <button
      type="button"
      className={`haina-notice${n.readAt ? '' : ' is-unread'}`}
      onClick={() => onOpen(n)}
      data-testid="notice"
    >
      <span className="haina-notice-dot" />
      <div className="haina-notice-body">
        <div>
          <Tag style={{ marginInlineEnd: 6 }}>{kindLabel(t, n.kind)}</Tag>
          <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
        </div>
        {n.body && <Typography.Text type="secondary">{n.body}</Typography.Text>}
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </div>
      </div>
    </button>
  )
}

/** Opens a notification's subject and marks it read. */
export function useOpenNotice(after?: () => void) {
  const nav = useNavigate()
  const markRead = useMarkRead()
  return (n: Notification) => {
    if (!n.readAt) void markRead({ ids: [n.id] }).catch(() => undefined)
    after?.()
    if (n.link) nav(n.link)
  }
}

/** The header bell: unread count polled every 30 s, the latest notifications in a dropdown. */
export function NotificationBell() {
  const { t } = useTranslation()
  const nav = useNavigate()
  const [open, setOpen] = useState(false)
  const screens = Grid.useBreakpoint()
  const markRead = useMarkRead()
  const count = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: () => call(api.GET('/api/v1/notifications/unread-count')),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  })
  const latest = useQuery({
    queryKey: ['notifications', 'latest'],
    queryFn: async () =>
      (await call(api.GET('/api/v1/notifications', { params: { query: { limit: 8 } } }))).items,
    enabled: open,
  })
  const openNotice = useOpenNotice(() => setOpen(false))
  const unread = count.data?.count ?? 0
  const items = latest.data ?? []

  const content = (
    <div className="haina-notice-list" data-testid="notice-dropdown">
      <div className="haina-notice-head">
        <Typography.Text strong>{t('pools.notifications.title')}</Typography.Text>
        <Button
          type="link"
          size="small"
          disabled={!unread}
          onClick={() => void markRead({ all: true })}
          data-testid="notice-read-all"
        >
          {t('pools.notifications.markAllRead')}
        </Button>
      </div>
      {latest.isLoading ? (
        <Spin style={{ display: 'block', padding: 24 }} />
      ) : items.length ? (
        <div className="haina-notice-scroll">
          {items.map((n) => (
            <NoticeItem key={n.id} n={n} onOpen={openNotice} />
          ))}
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.notifications.empty')} />
      )}
      <Button
        type="link"
        block
        onClick={() => {
          setOpen(false)
          nav('/notifications')
        }}
        data-testid="notice-all"
      >
        {t('pools.notifications.viewAll')}
      </Button>
    </div>
  )

  const bell = (
    <Button
      type="text"
      aria-label={t('pools.notifications.bell')}
      data-testid="notice-bell"
      onClick={screens.sm ? undefined : () => nav('/notifications')}
      icon={
        <Badge count={unread} size="small" overflowCount={99} data-testid="notice-count">
          <BellOutlined style={{ fontSize: 16 }} />
        </Badge>
      }
    />
  )
  // Phones: no room beside the header for a dropdown; the bell opens the notification centre.
  if (!screens.sm) return bell
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      arrow={false}
      open={open}
      onOpenChange={setOpen}
      content={content}
      styles={{ container: { padding: 0 } }}
    >
      {bell}
    </Popover>
  )
}

import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { App, Button, Card, Empty, Segmented, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../api/client.js'
import { NoticeItem, useMarkRead, useOpenNotice } from '../components/NotificationBell.js'
import './pools/i18n.js'

/** The notification centre: everything sent to the caller, newest first, each linking to its subject. */
export function NotificationsPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [unreadOnly, setUnreadOnly] = useState(false)
  const markRead = useMarkRead()
  const openNotice = useOpenNotice()
  const count = useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: () => call(api.GET('/api/v1/notifications/unread-count')),
  })
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'page', unreadOnly],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/notifications', {
          params: {
            query: {
              limit: 30,
              ...(unreadOnly ? { unread: 'true' as const } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const readAll = async () => {
    try {
      await markRead({ all: true })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('pools.notifications.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Segmented
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(v) => setUnreadOnly(v === 'unread')}
          options={[
            { value: 'all', label: t('common.all') },
            { value: 'unread', label: `${t('pools.notifications.unreadOnly')} (${count.data?.count ?? 0})` },
          ]}
        />
        <span style={{ flex: 1 }} />
        <Button onClick={readAll} disabled={!count.data?.count} data-testid="notifications-read-all">
          {t('pools.notifications.markAllRead')}
        </Button>
      </div>
      <Card loading={list.isLoading} styles={{ body: { padding: 0 } }} data-testid="notifications">
        {items.length ? (
          items.map((n) => <NoticeItem key={n.id} n={n} onOpen={openNotice} />)
        ) : (
          <Empty style={{ padding: 24 }} description={t('pools.notifications.empty')} />
        )}
      </Card>
      {list.hasNextPage && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </>
  )
}

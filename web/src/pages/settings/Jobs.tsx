import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Popconfirm,
  Progress,
  Result,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, listQuery } from '../../api/client.js'
import { formatDateTime } from '../../components/labels.js'
import { useCan } from '../../session.js'

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
type Status = (typeof STATUSES)[number]
const COLOR: Record<string, string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
}

const loadPage = (filter: { status?: Status; type?: string }, cursor?: string) =>
  call(api.GET('/api/v1/jobs', { params: { query: listQuery({ filter, limit: 50, cursor }) } }))

export function JobsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [status, setStatus] = useState<Status>()
  const [type, setType] = useState<string>()
  const [auto, setAuto] = useState(true)
  // Job types contain dots, which i18next would read as a key path: look them up in the map.
  const typeLabels = t('jobs.type', { returnObjects: true }) as Record<string, string>
  const jobs = useInfiniteQuery({
    queryKey: ['jobs', status, type],
    queryFn: ({ pageParam }) => loadPage({ status, type }, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: auto ? 3000 : false,
  })
  const items = useMemo(() => jobs.data?.pages.flatMap((p) => p.items) ?? [], [jobs.data])
  const act = async (id: string, what: 'cancel' | 'retry') => {
    try {
      await call(
        what === 'cancel'
          ? api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } } })
          : api.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } } }),
      )
      await qc.invalidateQueries({ queryKey: ['jobs'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('jobs.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Select
          allowClear
          placeholder={t('common.status')}
          style={{ width: 160 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) }))}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('common.type')}
          style={{ width: 200 }}
          value={type}
          onChange={setType}
          options={Object.entries(typeLabels).map(([value, label]) => ({ value, label }))}
        />
        <span style={{ flex: 1 }} />
        <Space>
          {t('jobs.autoRefresh')}
          <Switch checked={auto} onChange={setAuto} />
        </Space>
      </div>
      {jobs.isError ? (
        <Result status="warning" title={t('jobs.unavailable')} subTitle={(jobs.error as Error).message} />
      ) : (
        <Table
          rowKey="id"
          loading={jobs.isLoading}
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              key: 'type',
              title: t('common.type'),
              render: (_, j) => typeLabels[j.type] ?? j.type,
            },
            {
              key: 'status',
              title: t('common.status'),
              render: (_, j) => <Tag color={COLOR[j.status]}>{t(`jobs.status.${j.status}`)}</Tag>,
            },
            {
              key: 'progress',
              title: t('jobs.progress'),
              render: (_, j) => (
                <div style={{ minWidth: 160 }}>
                  <Progress
                    percent={Math.round(j.progress ?? (j.status === 'succeeded' ? 100 : 0))}
                    size="small"
                    status={
                      j.status === 'failed' ? 'exception' : j.status === 'running' ? 'active' : undefined
                    }
                  />
                  {j.progressMessage && (
                    <Typography.Text type="secondary">{j.progressMessage}</Typography.Text>
                  )}
                </div>
              ),
            },
            {
              key: 'attempts',
              title: t('jobs.attempts'),
              render: (_, j) => `${j.attempts}/${j.maxAttempts}`,
            },
            {
              key: 'runAt',
              title: t('jobs.runAt'),
              render: (_, j) => formatDateTime(j.runAt),
            },
            {
              key: 'finishedAt',
              title: t('jobs.finishedAt'),
              render: (_, j) => formatDateTime(j.finishedAt),
            },
            // A bounded column: a long error must not push the retry button out of sight (full text on hover).
            {
              key: 'lastError',
              title: t('jobs.lastError'),
              dataIndex: 'lastError',
              width: 280,
              ellipsis: true,
            },
            {
              key: 'actions',
              title: t('common.actions'),
              fixed: 'right',
              render: (_, j) =>
                can('jobs.edit') && (
                  <Space>
                    {(j.status === 'queued' || j.status === 'running') && (
                      <Popconfirm title={t('jobs.confirmCancel')} onConfirm={() => act(j.id, 'cancel')}>
                        <Button type="link" size="small" danger>
                          {t('jobs.cancel')}
                        </Button>
                      </Popconfirm>
                    )}
                    {(j.status === 'failed' || j.status === 'cancelled') && (
                      <Button type="link" size="small" onClick={() => act(j.id, 'retry')}>
                        {t('jobs.retry')}
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      )}
      {jobs.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={jobs.isFetchingNextPage} onClick={() => jobs.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  )
}

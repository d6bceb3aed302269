import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Progress, Result, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { listQuery, rest } from '../../api/client.js'
import { useCan } from '../../session.js'

interface Job {
  id: string
  type: string
  status: string
  progress: number | null
  progressMessage: string | null
  attempts: number
  maxAttempts: number
  lastError: string | null
  runAt: string
  createdAt: string
  finishedAt: string | null
}
const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled']
const COLOR: Record<string, string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
}

export function JobsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [status, setStatus] = useState<string>()
  const [auto, setAuto] = useState(true)
  // Jobs routes are not in the generated spec yet (jobs engineer in progress): untyped call on the same client.
  const jobs = useQuery({
    queryKey: ['jobs', status],
    queryFn: () =>
      rest<{ items: Job[] }>('GET', '/api/v1/jobs', { query: listQuery({ filter: { status }, limit: 100 }) }),
    refetchInterval: auto ? 3000 : false,
  })
  const act = async (id: string, what: 'cancel' | 'retry') => {
    try {
      await rest('POST', `/api/v1/jobs/${id}/${what}`)
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
          dataSource={jobs.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              key: 'type',
              title: t('common.type'),
              // Job types contain dots, which i18next would read as a key path: look them up in the map.
              render: (_, j) =>
                (t('jobs.type', { returnObjects: true }) as Record<string, string>)[j.type] ?? j.type,
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
            { key: 'runAt', title: t('jobs.runAt'), render: (_, j) => new Date(j.runAt).toLocaleString() },
            {
              key: 'finishedAt',
              title: t('jobs.finishedAt'),
              render: (_, j) => (j.finishedAt ? new Date(j.finishedAt).toLocaleString() : '—'),
            },
            { key: 'lastError', title: t('jobs.lastError'), dataIndex: 'lastError', ellipsis: true },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (_, j) =>
                can('jobs.edit') && (
                  <Space>
                    {(j.status === 'queued' || j.status === 'running') && (
                      <Button type="link" size="small" onClick={() => act(j.id, 'cancel')}>
                        {t('jobs.cancel')}
                      </Button>
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
    </>
  )
}

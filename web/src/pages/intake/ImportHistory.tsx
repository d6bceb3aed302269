import { useQuery } from '@tanstack/react-query'
import { Button, Table, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'

const STATUS_COLOR: Record<string, string> = {
  completed: 'green',
  running: 'blue',
  queued: 'blue',
  failed: 'red',
  undone: 'default',
  undoing: 'orange',
  cancelled: 'default',
  uploaded: 'default',
}

/** Earlier imports, newest first, each reopening its report. */
export function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['imports'],
    queryFn: () => call(api.GET('/api/v1/imports', { params: { query: { limit: 20 } } })),
    refetchInterval: 5000,
  })
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('intake.import.history')}
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'file', title: t('intake.import.file'), dataIndex: 'fileName' },
          {
            key: 'status',
            title: t('intake.import.status'),
            render: (_, r) => (
              <Tag color={STATUS_COLOR[r.status]}>
                {t(`intake.importStatus.${r.status}`, { defaultValue: r.status })}
              </Tag>
            ),
          },
          { key: 'rows', title: t('intake.import.rows'), render: (_, r) => r.counts.rows },
          { key: 'created', title: t('intake.outcome.created'), render: (_, r) => r.counts.created },
          { key: 'merged', title: t('intake.outcome.merged'), render: (_, r) => r.counts.merged },
          { key: 'invalid', title: t('intake.outcome.invalid'), render: (_, r) => r.counts.invalid },
          {
            key: 'at',
            title: t('intake.import.at'),
            render: (_, r) => new Date(r.createdAt).toLocaleString(),
          },
          {
            key: 'open',
            title: t('common.actions'),
            render: (_, r) => (
              <Button type="link" size="small" onClick={() => onOpen(r.id)}>
                {t('intake.import.stepRun')}
              </Button>
            ),
          },
        ]}
      />
    </>
  )
}

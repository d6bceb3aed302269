import { useQuery } from '@tanstack/react-query'
import { Button, Table, Tag, Tooltip, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { formatDateTime } from '../../components/labels.js'

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
const ACTIVE = ['queued', 'running', 'undoing']
/** Every outcome the server counts, in the report's order. */
const OUTCOMES = ['created', 'merged', 'duplicate', 'review', 'invalid'] as const

/** Earlier imports, newest first, each reopening its report. */
export function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation()
  const list = useQuery({
    queryKey: ['imports'],
    queryFn: () => call(api.GET('/api/v1/imports', { params: { query: { limit: 20 } } })),
    refetchInterval: 5000,
  })
  type Row = NonNullable<typeof list.data>['items'][number]
  // Uploaded but never started (the wizard was left at mapping or preview): nothing was imported.
  const notStarted = (r: Row) => r.status === 'uploaded'
  const count = (r: Row, n: number) => (notStarted(r) ? '—' : n.toLocaleString(i18n.language))
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('intake.import.history')}
      </Typography.Title>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="import-history"
        columns={[
          {
            key: 'file',
            title: t('intake.import.file'),
            dataIndex: 'fileName',
            width: 240,
            ellipsis: { showTitle: false },
            render: (v: string) => (
              <Tooltip placement="topLeft" title={v}>
                {v}
              </Tooltip>
            ),
          },
          {
            key: 'status',
            title: t('intake.import.status'),
            render: (_, r) =>
              notStarted(r) ? (
                <Tooltip
                  title={t('intake.import.notStartedHelp', {
                    at: formatDateTime(r.createdAt, i18n.language),
                  })}
                >
                  <Tag>{t('intake.import.notStarted')}</Tag>
                </Tooltip>
              ) : (
                <Tag color={STATUS_COLOR[r.status]}>
                  {t(`intake.importStatus.${r.status}`, { defaultValue: r.status })}
                </Tag>
              ),
          },
          {
            key: 'rows',
            title: t('intake.import.rowCount'),
            align: 'right',
            render: (_, r) => count(r, r.counts.rows),
          },
          ...OUTCOMES.map((k) => ({
            key: k,
            title: t(`intake.outcome.${k}`),
            align: 'right' as const,
            render: (_: unknown, r: Row) => count(r, r.counts[k]),
          })),
          {
            key: 'at',
            title: t('intake.import.at'),
            render: (_, r) => (
              <Tooltip
                title={
                  r.finishedAt
                    ? t('intake.import.finishedAt', { at: formatDateTime(r.finishedAt, i18n.language) })
                    : undefined
                }
              >
                {formatDateTime(r.createdAt, i18n.language)}
              </Tooltip>
            ),
          },
          {
            key: 'open',
            title: t('common.actions'),
            render: (_, r) =>
              notStarted(r) ? null : (
                <Button type="link" size="small" onClick={() => onOpen(r.id)}>
                  {t(ACTIVE.includes(r.status) ? 'intake.import.viewProgress' : 'intake.import.viewReport')}
                </Button>
              ),
          },
        ]}
      />
    </>
  )
}

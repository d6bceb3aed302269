import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { App, Button, Dropdown, Empty, Input, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { useCan } from '../../../session.js'
import { useFormat } from '../../sales/format.js'
import { exportUrl, type Segment, segmentsApi } from './api.js'
import './i18n.js'

export const KIND_COLORS: Record<string, string> = { dynamic: 'blue', static: 'default' }

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation()
  return (
    <Tooltip title={t(`segments.kindHelp.${kind}`, { defaultValue: '' }) || undefined}>
      <Tag color={KIND_COLORS[kind] ?? 'default'} data-testid="segment-kind">
        {t(`segments.kind.${kind}`, { defaultValue: kind })}
      </Tag>
    </Tooltip>
  )
}

/** The export buttons of a segment: the browser downloads the file the server writes. */
export function ExportButton({ id, size }: { id: string; size?: 'small' | 'middle' }) {
  const { t } = useTranslation()
  return (
    <Dropdown
      menu={{
        items: [
          {
            key: 'csv',
            label: (
              <a href={exportUrl(id, 'csv')} download data-testid="segment-export-csv">
                {t('segments.exportCsv')}
              </a>
            ),
          },
          {
            key: 'xlsx',
            label: (
              <a href={exportUrl(id, 'xlsx')} download data-testid="segment-export-xlsx">
                {t('segments.exportXlsx')}
              </a>
            ),
          },
        ],
      }}
    >
      <Button size={size} icon={<DownloadOutlined />} data-testid="segment-export">
        {t('segments.export')}
      </Button>
    </Dropdown>
  )
}

/** 人群: every segment with its kind, size and last refresh; create dynamic or static ones. */
export function SegmentsPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const fmt = useFormat()
  const nav = useNavigate()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const list = useInfiniteQuery({
    queryKey: ['segments', 'list', q],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => segmentsApi.list({ q, cursor: pageParam }),
    getNextPageParam: (p) => p.nextCursor,
  })
  const refresh = useMutation({
    mutationFn: (id: string) => segmentsApi.refresh(id),
    onSuccess: (r) => {
      message.success(t('segments.refreshed', { ...r }))
      void qc.invalidateQueries({ queryKey: ['segments'] })
    },
    onError: (e) => message.error(e.message),
  })
  const remove = useMutation({
    mutationFn: (id: string) => segmentsApi.remove(id),
    onSuccess: () => {
      message.success(t('segments.deleted'))
      void qc.invalidateQueries({ queryKey: ['segments'] })
    },
    onError: (e) => message.error(e.message),
  })
  const rows = list.data?.pages.flatMap((p) => p.items) ?? []
  const columns: ColumnsType<Segment> = [
    {
      key: 'name',
      title: t('segments.field.name'),
      render: (_, s) => (
        <>
          <Link to={`/segments/${s.id}`} data-testid="segment-link">
            {s.name}
          </Link>
          {s.description && (
            <Typography.Text type="secondary" ellipsis style={{ display: 'block', maxWidth: 360 }}>
              {s.description}
            </Typography.Text>
          )}
        </>
      ),
    },
    { key: 'kind', title: t('segments.field.kind'), render: (_, s) => <KindTag kind={s.kind} /> },
    {
      key: 'members',
      title: t('segments.field.members'),
      align: 'right',
      render: (_, s) => <span data-testid="segment-member-count">{s.memberCount.toLocaleString()}</span>,
    },
    {
      key: 'refreshedAt',
      title: t('segments.field.refreshedAt'),
      render: (_, s) => (s.refreshedAt ? fmt.dateTime(s.refreshedAt) : '—'),
    },
    {
      key: 'auto',
      title: t('segments.field.autoRefresh'),
      render: (_, s) => (s.kind === 'dynamic' ? (s.autoRefresh ? t('common.yes') : t('common.no')) : '—'),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, s) => (
        <Space size={4} wrap>
          <Button size="small" type="link" onClick={() => nav(`/segments/${s.id}`)}>
            {t('segments.open')}
          </Button>
          {s.kind === 'dynamic' && can('segments.edit') && (
            <Button
              size="small"
              icon={<ReloadOutlined />}
              loading={refresh.isPending && refresh.variables === s.id}
              onClick={() => refresh.mutate(s.id)}
              data-testid="segment-refresh"
            >
              {t('common.refresh')}
            </Button>
          )}
          {can('segments.export') && <ExportButton id={s.id} size="small" />}
          {can('segments.delete') && (
            <Popconfirm
              title={t('segments.confirmDelete', { name: s.name })}
              onConfirm={() => remove.mutateAsync(s.id)}
            >
              <Button size="small" danger type="text" data-testid="segment-delete">
                {t('segments.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ]
  return (
    <>
      <Typography.Title level={4}>{t('segments.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Input.Search
          allowClear
          placeholder={t('segments.searchPh')}
          style={{ width: 220 }}
          onSearch={setQ}
        />
        <span style={{ flex: 1 }} />
        {can('segments.create') && (
          <>
            <Button
              icon={<PlusOutlined />}
              onClick={() => nav('/segments/new?kind=static')}
              data-testid="segment-new-static"
            >
              {t('segments.newStatic')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => nav('/segments/new?kind=dynamic')}
              data-testid="segment-new-dynamic"
            >
              {t('segments.newDynamic')}
            </Button>
          </>
        )}
      </div>
      <Table<Segment>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: <Empty description={list.error ? list.error.message : t('segments.empty')} />,
        }}
        data-testid="segments-table"
      />
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

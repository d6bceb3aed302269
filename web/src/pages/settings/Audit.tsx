import { useInfiniteQuery } from '@tanstack/react-query'
import { Button, DatePicker, Input, Modal, Select, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, listQuery } from '../../api/client.js'
import { useUsers } from '../../data.js'
import { useCan } from '../../session.js'

type Entry = Awaited<ReturnType<typeof fetchPage>>['items'][number]
const fetchPage = (filter: Record<string, unknown>, cursor: string | null) =>
  call(api.GET('/api/v1/audit-log', { params: { query: listQuery({ filter, cursor, limit: 50 }) } }))

const ACTIONS = ['create', 'update', 'delete', 'restore', 'purge', 'login', 'logout']
const OBJECT_TYPES = ['lead', 'user', 'org_unit', 'role', 'custom_field', 'api_key', 'tenant', 'session']

export function AuditPage() {
  const { t } = useTranslation()
  const can = useCan()
  const users = useUsers(can('users.view')).data?.items ?? []
  const [actorId, setActorId] = useState<string>()
  const [action, setAction] = useState<string>()
  const [objectType, setObjectType] = useState<string>()
  const [q, setQ] = useState('')
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const [open, setOpen] = useState<Entry | null>(null)
  const filter = {
    actorId,
    action,
    objectType,
    q: q || undefined,
    from: range?.[0]?.startOf('day').toISOString(),
    to: range?.[1]?.endOf('day').toISOString(),
  }
  const list = useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => fetchPage(filter, pageParam),
    getNextPageParam: (p) => p.nextCursor,
  })
  const rows = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <>
      <Typography.Title level={4}>{t('audit.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('audit.actor')}
          style={{ width: 160 }}
          value={actorId}
          onChange={setActorId}
          options={users.map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select
          allowClear
          placeholder={t('audit.action')}
          style={{ width: 140 }}
          value={action}
          onChange={setAction}
          options={ACTIONS.map((a) => ({ value: a, label: a }))}
        />
        <Select
          allowClear
          placeholder={t('audit.objectType')}
          style={{ width: 160 }}
          value={objectType}
          onChange={setObjectType}
          options={OBJECT_TYPES.map((a) => ({ value: a, label: a }))}
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        <Input.Search allowClear style={{ width: 180 }} placeholder={t('common.search')} onSearch={setQ} />
      </div>
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
        columns={[
          { key: 'at', title: t('audit.at'), render: (_, e) => new Date(e.at).toLocaleString() },
          { key: 'actor', title: t('audit.actor'), render: (_, e) => e.actorName ?? e.actorType },
          { key: 'action', title: t('audit.action'), dataIndex: 'action' },
          { key: 'objectType', title: t('audit.objectType'), dataIndex: 'objectType' },
          { key: 'summary', title: t('audit.summary'), dataIndex: 'summary' },
          { key: 'ip', title: t('audit.ip'), dataIndex: 'ip' },
          {
            key: 'details',
            title: t('audit.details'),
            render: (_, e) => (
              <Button type="link" size="small" onClick={() => setOpen(e)}>
                {t('audit.details')}
              </Button>
            ),
          },
        ]}
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
      <Modal
        open={!!open}
        onCancel={() => setOpen(null)}
        footer={null}
        width={760}
        title={open?.summary ?? open?.action}
      >
        {open && <Diff before={open.before} after={open.after} />}
      </Modal>
    </>
  )
}

/** Field-by-field before → after; only fields that changed (or all, for creates and deletes). */
function Diff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation()
  const b = flatten(before)
  const a = flatten(after)
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => b[k] !== a[k])
  return (
    <Table
      className="haina-diff"
      rowKey="k"
      size="small"
      pagination={false}
      dataSource={keys.map((k) => ({ k, before: b[k], after: a[k] }))}
      columns={[
        { key: 'k', title: t('audit.field'), dataIndex: 'k' },
        {
          key: 'b',
          title: t('audit.before'),
          render: (_, r) => <span style={{ color: '#cf1322' }}>{r.before ?? ''}</span>,
        },
        {
          key: 'a',
          title: t('audit.after'),
          render: (_, r) => <span style={{ color: '#389e0d' }}>{r.after ?? ''}</span>,
        },
      ]}
    />
  )
}

function flatten(v: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (v === null || v === undefined) return out
  if (typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out)
    return out
  }
  out[prefix || 'value'] = typeof v === 'string' ? v : JSON.stringify(v)
  return out
}

import { useInfiniteQuery } from '@tanstack/react-query'
import { Button, DatePicker, Input, Modal, Select, Table, Typography } from 'antd'
import type { Dayjs } from 'dayjs'
import type { TFunction } from 'i18next'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, listQuery } from '../../api/client.js'
import { codeLabel, formatDateTime, readableCode } from '../../components/labels.js'
import { useRoles, useUnits, useUsers } from '../../data.js'
import { useCan } from '../../session.js'

type Entry = Awaited<ReturnType<typeof fetchPage>>['items'][number]
const fetchPage = (filter: Record<string, unknown>, cursor: string | null) =>
  call(api.GET('/api/v1/audit-log', { params: { query: listQuery({ filter, cursor, limit: 50 }) } }))

/** The filter's choices: the actions and objects people look for most (the list shows any). */
const ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'purge',
  'login',
  'login_failed',
  'login_locked',
  'logout',
  'password_change',
  'password_reset',
  'import',
  'export',
  'merge',
  'distribute',
  'assign',
  'claim',
  'release',
  'reclaim',
  'handover',
]
const OBJECT_TYPES = [
  'lead',
  'customer',
  'contact',
  'opportunity',
  'quote',
  'order',
  'task',
  'user',
  'org_unit',
  'role',
  'custom_field',
  'api_key',
  'invitation',
  'workspace',
  'session',
  'channel',
  'campaign',
  'import',
  'job',
  'segment',
  'tag',
]

/** A job's summary is its type ('quality.rededupe'): shown by the jobs page's name for it. */
function summaryText(t: TFunction, e: Entry): string | null | undefined {
  if (e.objectType === 'job' && e.summary) return t(`jobs.type.${e.summary}`, { defaultValue: e.summary })
  return e.summary
}

export function AuditPage() {
  const { t, i18n } = useTranslation()
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
          showSearch
          optionFilterProp="label"
          style={{ width: 160 }}
          value={action}
          onChange={setAction}
          options={ACTIONS.map((a) => ({ value: a, label: codeLabel(t, 'audit.actions', a) }))}
        />
        <Select
          allowClear
          placeholder={t('audit.objectType')}
          showSearch
          optionFilterProp="label"
          style={{ width: 160 }}
          value={objectType}
          onChange={setObjectType}
          options={OBJECT_TYPES.map((a) => ({ value: a, label: codeLabel(t, 'audit.objects', a) }))}
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
          { key: 'at', title: t('audit.at'), render: (_, e) => formatDateTime(e.at, i18n.language) },
          {
            key: 'actor',
            title: t('audit.actor'),
            // Jobs and the CLI act as 'system' (stored under that name too).
            render: (_, e) =>
              e.actorType === 'system' || !e.actorName
                ? codeLabel(t, 'audit.actors', e.actorType)
                : e.actorName,
          },
          {
            key: 'action',
            title: t('audit.action'),
            render: (_, e) => codeLabel(t, 'audit.actions', e.action),
          },
          {
            key: 'objectType',
            title: t('audit.objectType'),
            render: (_, e) => codeLabel(t, 'audit.objects', e.objectType),
          },
          { key: 'summary', title: t('audit.summary'), render: (_, e) => summaryText(t, e) },
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
        title={open ? (summaryText(t, open) ?? codeLabel(t, 'audit.actions', open.action)) : null}
      >
        {open && <Diff before={open.before} after={open.after} />}
      </Modal>
    </>
  )
}

/** Fields an administrator cannot act on: left out of the comparison. */
const HIDDEN = new Set(['tenantId'])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** 'ownerId' → 'Owner id': the key made readable when the catalogue has no label for it. */
const fieldLabel = (t: TFunction, key: string) => {
  const last = key.split('.').pop() ?? key
  const label = t(`audit.fields.${last}`, { defaultValue: '' })
  if (typeof label === 'string' && label)
    return key === last ? label : `${key.slice(0, -last.length)}${label}`
  return readableCode(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase())
}

/**
 * Field-by-field before → after; only fields that changed (or all, for creates and deletes).
 * Ids of users, units and roles show as their names, times in the reader's language.
 */
function Diff({ before, after }: { before: unknown; after: unknown }) {
  const { t, i18n } = useTranslation()
  const can = useCan()
  const users = useUsers(can('users.view')).data?.items ?? []
  const units = useUnits(can('org.view')).data?.items ?? []
  const roles = useRoles(can('roles.view')).data?.items ?? []
  const names = new Map<string, string>()
  for (const x of [...users, ...units, ...roles]) names.set(x.id, x.name)
  const show = (v: string | undefined): string => {
    if (v === undefined) return ''
    if (UUID.test(v)) return names.get(v) ?? v
    // A unit's path ('/root-id/child-id/'): its units by name.
    if (
      /^\/[0-9a-f-/]+$/i.test(v) &&
      v
        .split('/')
        .filter(Boolean)
        .every((x) => UUID.test(x))
    )
      return v
        .split('/')
        .filter(Boolean)
        .map((x) => names.get(x) ?? x)
        .join(' / ')
    if (ISO_TIME.test(v) && !Number.isNaN(Date.parse(v))) return formatDateTime(v, i18n.language)
    if (v.startsWith('[')) {
      try {
        const list = JSON.parse(v) as unknown
        if (Array.isArray(list) && list.every((x) => typeof x === 'string' && UUID.test(x)))
          return list.map((x) => names.get(x) ?? x).join(', ')
      } catch {
        // not a list: shown as stored
      }
    }
    return v
  }
  const b = flatten(before)
  const a = flatten(after)
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => b[k] !== a[k] && !HIDDEN.has(k),
  )
  return (
    <Table
      className="haina-diff"
      rowKey="k"
      size="small"
      pagination={false}
      data-testid="audit-diff"
      dataSource={keys.map((k) => ({ k, before: show(b[k]), after: show(a[k]) }))}
      columns={[
        {
          key: 'k',
          title: t('audit.field'),
          render: (_, r) => <span title={r.k}>{fieldLabel(t, r.k)}</span>,
        },
        {
          key: 'b',
          title: t('audit.before'),
          render: (_, r) => <span style={{ color: '#cf1322' }}>{r.before}</span>,
        },
        {
          key: 'a',
          title: t('audit.after'),
          render: (_, r) => <span style={{ color: '#389e0d' }}>{r.after}</span>,
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

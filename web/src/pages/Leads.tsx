import { PlusOutlined, SettingOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Grid,
  Input,
  Popconfirm,
  Popover,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { type ReactNode, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call, formErrors, listQuery } from '../api/client.js'
import { ExportButton } from '../components/ExportButton.js'
import { FieldInput, FieldValue } from '../components/FieldInput.js'
import { type FieldDef, type Lead, unitTree, useFieldDefs, useUnits, useUsers } from '../data.js'
import { useCan } from '../session.js'
import './pools/pools.css'
import './profiles/persons/i18n.js'
import { BulkTagButton } from './profiles/tags/components.js'

// The server's lead lifecycle (new → assigned → following → qualified → converted, or closed / invalid).
const STATUSES = ['new', 'assigned', 'following', 'qualified', 'converted', 'closed', 'invalid'] as const
const BASE = [
  'name',
  'mobile',
  'email',
  'company',
  'title',
  'source',
  'status',
  'ownerId',
  'createdAt',
] as const
/** Column widths: long values are cut with an ellipsis (full text on hover), the list scrolls sideways. */
// The base columns fit beside the menu at 1440 px; custom fields scroll.
const WIDTHS: Record<string, number> = {
  name: 100,
  mobile: 140,
  email: 160,
  company: 160,
  title: 80,
  source: 90,
  status: 96,
  ownerId: 88,
  createdAt: 110,
}
const CUSTOM_WIDTH = 150
const ACTIONS_WIDTH = 130
const SELECT_WIDTH = 32
/** Columns whose values are free text: cut with an ellipsis, the full value in a tooltip. */
const ELLIPSIS = new Set(['name', 'mobile', 'email', 'company', 'title', 'source', 'ownerId'])
const TEXT_LIKE = new Set(['text', 'long_text', 'phone', 'email', 'url'])
/** The list's order (and its export's). */
const SORT = '-createdAt'

export function LeadsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  // On a phone a pinned actions column would take a third of the screen from the names and numbers.
  const pinActions = Grid.useBreakpoint().sm !== false
  const defs = useFieldDefs('lead').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const [q, setQ] = useState('')
  const [status, setStatus] = useState<string>()
  const [cfKey, setCfKey] = useState<string>()
  const [cfValue, setCfValue] = useState<unknown>()
  const [hidden, setHidden] = useState<string[]>(() =>
    JSON.parse(localStorage.getItem('haina.leads.hidden') ?? '[]'),
  )
  const [editing, setEditing] = useState<Lead | 'new' | null>(null)
  const [selected, setSelected] = useState<string[]>([])

  const cfDef = defs.find((d) => d.key === cfKey)
  const filter: Record<string, unknown> = {}
  if (q) filter.name = { contains: q }
  if (status) filter.status = status
  if (cfDef && cfValue !== undefined && cfValue !== null && cfValue !== '')
    filter[`custom.${cfDef.key}`] = TEXT_LIKE.has(cfDef.type)
      ? { contains: cfValue }
      : cfDef.type === 'multi_select'
        ? { contains: cfValue }
        : cfValue
  const list = useInfiniteQuery({
    queryKey: ['leads', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/leads', {
          params: { query: listQuery({ filter, cursor: pageParam, sort: SORT }) },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor,
  })
  const rows = list.data?.pages.flatMap((p) => p.items) ?? []

  const remove = async (id: string) => {
    await call(api.DELETE('/api/v1/leads/{id}', { params: { path: { id } } }))
    await qc.invalidateQueries({ queryKey: ['leads'] })
  }

  const tip = (text: unknown, node: ReactNode = text as string) =>
    text ? (
      <Tooltip placement="topLeft" title={String(text)}>
        {node}
      </Tooltip>
    ) : (
      node
    )
  const allColumns: ColumnsType<Lead> = [
    ...BASE.map((k) => ({
      key: k,
      dataIndex: k,
      title: colTitle(t, k),
      width: WIDTHS[k],
      ellipsis: ELLIPSIS.has(k) ? { showTitle: false } : undefined,
      render: (v: unknown, r: Lead) =>
        k === 'name' ? (
          tip(r.name, <Link to={`/leads/${r.id}`}>{r.name}</Link>)
        ) : k === 'status' ? (
          <Tag>{t(`leads.status_${v}`)}</Tag>
        ) : k === 'ownerId' ? (
          tip(users.find((u) => u.id === v)?.name)
        ) : k === 'createdAt' ? (
          <Tooltip title={dayjs(v as string).format('YYYY-MM-DD HH:mm')}>
            {dayjs(v as string).format('YYYY-MM-DD')}
          </Tooltip>
        ) : ELLIPSIS.has(k) ? (
          tip(v)
        ) : (
          (v as string)
        ),
    })),
    ...defs.map((d) => ({
      key: `custom.${d.key}`,
      title: d.label,
      width: CUSTOM_WIDTH,
      ellipsis: true,
      render: (_: unknown, r: Lead) => <FieldValue def={d} value={r.custom[d.key]} users={users} />,
    })),
  ]
  const shownColumns = allColumns.filter((c) => !hidden.includes(String(c.key)))
  const scrollX =
    shownColumns.reduce((sum, c) => sum + (Number(c.width) || CUSTOM_WIDTH), 0) +
    ACTIONS_WIDTH +
    (can('profiles.edit') ? SELECT_WIDTH : 0)
  const columns = [
    ...shownColumns,
    {
      key: 'actions',
      title: t('common.actions'),
      width: ACTIONS_WIDTH,
      fixed: pinActions ? ('right' as const) : undefined,
      render: (_: unknown, r: Lead) => (
        <Space>
          {can('leads.edit') && (
            <Button type="link" size="small" onClick={() => setEditing(r)}>
              {t('common.edit')}
            </Button>
          )}
          {can('leads.delete') && (
            <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(r.id)}>
              <Button type="link" size="small">
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ]
  const chooser = (
    <Checkbox.Group
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      value={allColumns.map((c) => String(c.key)).filter((k) => !hidden.includes(k))}
      options={allColumns.map((c) => ({ value: String(c.key), label: c.title as string }))}
      onChange={(shown) => {
        const h = allColumns.map((c) => String(c.key)).filter((k) => !shown.includes(k))
        setHidden(h)
        localStorage.setItem('haina.leads.hidden', JSON.stringify(h))
      }}
    />
  )

  return (
    <>
      <Typography.Title level={4}>{t('leads.title')}</Typography.Title>
      <div className="haina-toolbar" data-testid="leads-filters">
        <Input.Search
          allowClear
          placeholder={t('leads.searchPlaceholder')}
          style={{ width: 200 }}
          onSearch={setQ}
        />
        <Select
          allowClear
          placeholder={t('common.status')}
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) }))}
        />
        <Select
          allowClear
          placeholder={t('leads.customFields')}
          style={{ width: 160 }}
          value={cfKey}
          onChange={(k) => {
            setCfKey(k)
            setCfValue(undefined)
          }}
          options={defs
            .filter((d) => d.type !== 'region' && d.type !== 'long_text')
            .map((d) => ({ value: d.key, label: d.label }))}
        />
        {cfDef && (
          <div style={{ minWidth: 160 }}>
            <FieldInput
              def={cfDef.type === 'multi_select' ? { ...cfDef, type: 'single_select' } : cfDef}
              users={users}
              value={cfValue}
              onChange={setCfValue}
            />
          </div>
        )}
        <span style={{ flex: 1 }} />
        <ExportButton
          path="/api/v1/leads/export"
          permission="leads.export"
          filter={filter}
          sort={SORT}
          testId="lead-export"
        />
        <Popover content={chooser} trigger="click" title={t('common.columns')}>
          <Button icon={<SettingOutlined />}>{t('common.columns')}</Button>
        </Popover>
        {can('leads.create') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="lead-new"
          >
            {t('leads.new')}
          </Button>
        )}
      </div>
      {selected.length > 0 && (
        <div className="haina-selection" data-testid="lead-selection">
          <span>{t('persons.selectedLeads', { n: selected.length })}</span>
          <BulkTagButton subjectType="lead" ids={selected} onDone={() => setSelected([])} />
          <Button size="small" type="link" onClick={() => setSelected([])}>
            {t('persons.clearSelection')}
          </Button>
        </div>
      )}
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: scrollX }}
        rowSelection={
          can('profiles.edit')
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
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
      <LeadDrawer
        lead={editing}
        defs={defs}
        onClose={() => setEditing(null)}
        onSaved={() => {
          message.success(t('common.saved'))
          setEditing(null)
          void qc.invalidateQueries({ queryKey: ['leads'] })
        }}
      />
    </>
  )
}

function colTitle(t: (k: string) => string, k: string) {
  const map: Record<string, string> = {
    name: 'leads.personName',
    mobile: 'leads.mobile',
    email: 'common.email',
    company: 'leads.company',
    title: 'leads.jobTitle',
    source: 'leads.source',
    status: 'common.status',
    ownerId: 'leads.owner',
    createdAt: 'common.createdAt',
  }
  return t(map[k] ?? k)
}

function LeadDrawer(props: {
  lead: Lead | 'new' | null
  defs: FieldDef[]
  onClose: () => void
  onSaved: () => void
}) {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const users = useUsers(can('users.view')).data?.items ?? []
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const [busy, setBusy] = useState(false)
  const lead = props.lead === 'new' ? null : props.lead
  const initial = lead
    ? { ...lead, custom: lead.custom }
    : {
        status: 'new',
        custom: Object.fromEntries(
          props.defs.filter((d) => d.defaultValue != null).map((d) => [d.key, d.defaultValue]),
        ),
      }
  const submit = async () => {
    const v = await form.validateFields()
    // Empty strings mean "no value" for optional base fields.
    const body = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x])) as Record<
      string,
      unknown
    >
    setBusy(true)
    try {
      if (lead)
        await call(
          api.PATCH('/api/v1/leads/{id}', {
            params: { path: { id: lead.id } },
            body: { ...body, version: lead.version } as never,
          }),
        )
      else {
        const made = await call(api.POST('/api/v1/leads', { body: body as never }))
        // A known person is not created twice: the data factory merged it into the existing lead.
        if (made.outcome === 'merged') message.info(t('leads.mergedInto', { name: made.name }))
        if (made.outcome === 'review') message.warning(t('leads.queuedForReview'))
      }
      props.onSaved()
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields as never)
      if (!fields.length) message.error((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Drawer
      open={props.lead !== null}
      title={lead ? t('leads.editTitle') : t('leads.new')}
      onClose={props.onClose}
      size={520}
      destroyOnHidden
      extra={
        <Button type="primary" onClick={submit} loading={busy} data-testid="lead-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} data-testid="lead-form">
        <Form.Item name="name" label={t('leads.personName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="mobile" label={t('leads.mobile')}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('common.email')}>
          <Input />
        </Form.Item>
        <Form.Item name="company" label={t('leads.company')}>
          <Input />
        </Form.Item>
        <Form.Item name="title" label={t('leads.jobTitle')}>
          <Input />
        </Form.Item>
        <Form.Item name="source" label={t('leads.source')}>
          <Input />
        </Form.Item>
        <Form.Item name="status" label={t('common.status')}>
          <Select options={STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) }))} />
        </Form.Item>
        {can('users.view') && (
          <Form.Item name="ownerId" label={t('leads.owner')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={users.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
        {can('org.view') && (
          <Form.Item name="unitId" label={t('leads.unit')}>
            <TreeSelect allowClear treeData={tree} treeDefaultExpandAll />
          </Form.Item>
        )}
        <Form.Item name="notes" label={t('leads.notes')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {props.defs.map((d) => (
          <Form.Item
            key={d.id}
            name={['custom', d.key]}
            label={d.label}
            tooltip={d.description || undefined}
            rules={d.required ? [{ required: true }] : undefined}
            valuePropName={d.type === 'boolean' ? 'checked' : 'value'}
            data-testid={`cf-${d.key}`}
          >
            <FieldInputBridge def={d} users={users} />
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  )
}

/** Form.Item passes `checked` for booleans; FieldInput wants `value`. */
function FieldInputBridge(p: {
  def: FieldDef
  users: import('../data.js').User[]
  id?: string
  value?: unknown
  checked?: boolean
  onChange?: (v: unknown) => void
}) {
  return (
    <FieldInput
      id={p.id}
      def={p.def}
      users={p.users}
      value={p.def.type === 'boolean' ? p.checked : p.value}
      onChange={p.onChange}
    />
  )
}

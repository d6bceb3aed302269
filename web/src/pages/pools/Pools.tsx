import { AppstoreOutlined, SettingOutlined, UnorderedListOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import {
  Button,
  Card,
  Checkbox,
  Empty,
  Input,
  Popover,
  Segmented,
  Select,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd'
import type { ColumnsType, SorterResult } from 'antd/es/table/interface'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api, call, listQuery } from '../../api/client.js'
import { useUsers } from '../../data.js'
import { useCan, useMe } from '../../session.js'
import { type Pool, type PoolLead, poolTree, type SavedView, useNameOf, usePools } from './api.js'
import { BulkModal } from './BulkModals.js'
import { STATUS_COLORS, STATUSES } from './i18n.js'
import { LeadBoard } from './LeadBoard.js'
import './pools.css'
import { ReleaseModal } from './ReleaseModal.js'
import { SavedViews } from './SavedViews.js'
import { StatusModal } from './StatusModal.js'

const GRADES = ['A', 'B', 'C', 'D']
const COLUMNS = [
  'name',
  'company',
  'mobile',
  'status',
  'grade',
  'score',
  'category',
  'ownerId',
  'poolId',
  'nextFollowUpAt',
  'lastFollowUpAt',
  'source',
  'createdAt',
] as const
type Col = (typeof COLUMNS)[number]
const DEFAULT_HIDDEN: Col[] = ['score', 'poolId', 'lastFollowUpAt', 'source']
/** Columns the list can sort on (the server refuses the others). */
const SORTABLE = new Set<Col>(['name', 'createdAt', 'score'])
const HIDDEN_KEY = 'haina.pools.hidden'
const NONE = '__none__'

interface Filters {
  q?: string
  status?: string[]
  grade?: string[]
  ownerId?: string
  category?: string
}

/** Lead pools: the pool tree on the left, the selected pool's leads as a list or a board. */
export function PoolsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const me = useMe().data
  const nav = useNavigate()
  const qc = useQueryClient()
  const pools = usePools()
  const [params, setParams] = useSearchParams()
  const list = pools.data ?? []
  // Without a choice in the address: the master pool (or the first one the caller sees).
  const poolId = params.get('pool') ?? (list.find((p) => p.kind === 'master') ?? list[0])?.id
  const [filters, setFilters] = useState<Filters>({})
  const [sort, setSort] = useState('-createdAt')
  const [layout, setLayout] = useState<'list' | 'board'>('list')
  const [hidden, setHidden] = useState<string[]>(() =>
    JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? JSON.stringify(DEFAULT_HIDDEN)),
  )
  const [selected, setSelected] = useState<string[]>([])
  const [bulk, setBulk] = useState<'assign' | 'move' | null>(null)
  const [releasing, setReleasing] = useState<string[] | null>(null)
  const [changing, setChanging] = useState<string[] | null>(null)
  const users = useUsers(can('users.view')).data?.items ?? []
  const nameOf = useNameOf()

  const pool = list.find((p) => p.id === poolId)
  const poolName = (id: string | null | undefined) => list.find((p) => p.id === id)?.name

  // The request: API filter JSON (q is the server's full-text key; "none" means no owner).
  const filter: Record<string, unknown> = { poolId }
  if (filters.q) filter.q = filters.q
  if (filters.status?.length) filter.status = { in: filters.status }
  if (filters.grade?.length) filter.grade = { in: filters.grade }
  if (filters.ownerId) filter.ownerId = filters.ownerId === NONE ? { isEmpty: true } : filters.ownerId
  if (filters.category) filter.category = { contains: filters.category }

  const leads = useInfiniteQuery({
    queryKey: ['pool-leads', 'list', filter, sort],
    enabled: !!poolId && layout === 'list',
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/leads', {
          params: { query: listQuery({ filter, cursor: pageParam, sort, limit: 50 }) },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor,
  })
  const rows = (leads.data?.pages.flatMap((p) => p.items) ?? []) as PoolLead[]
  const refresh = () => {
    setSelected([])
    void qc.invalidateQueries({ queryKey: ['pool-leads'] })
    void qc.invalidateQueries({ queryKey: ['lead-pools'] })
  }

  const treeData = useMemo(
    () =>
      poolTree<{ key: string; title: React.ReactNode; children: unknown[] }>(list, (p, children) => ({
        key: p.id,
        title: <PoolTitle pool={p} />,
        children,
      })),
    [list],
  )

  const label = (k: Col) => t(`pools.field.${k === 'ownerId' ? 'owner' : k === 'poolId' ? 'pool' : k}`)
  const sortOrder = (k: Col) =>
    sort === k ? ('ascend' as const) : sort === `-${k}` ? ('descend' as const) : null
  const allColumns: ColumnsType<PoolLead> = COLUMNS.map((k) => ({
    key: k,
    dataIndex: k,
    title: label(k),
    sorter: SORTABLE.has(k),
    sortOrder: SORTABLE.has(k) ? sortOrder(k) : undefined,
    ellipsis: k === 'company',
    render: (v: unknown, r: PoolLead) => {
      switch (k) {
        case 'name':
          return <Link to={`/leads/${r.id}`}>{r.name}</Link>
        case 'status':
          return <Tag color={STATUS_COLORS[r.status]}>{t(`leads.status_${r.status}`)}</Tag>
        case 'grade':
          return r.grade ? <Tag color="blue">{r.grade}</Tag> : null
        case 'ownerId':
          return (
            nameOf(r.ownerId) ?? (
              <Typography.Text type="secondary">{t('pools.list.unassigned')}</Typography.Text>
            )
          )
        case 'poolId':
          return poolName(r.poolId)
        case 'nextFollowUpAt':
        case 'lastFollowUpAt':
        case 'createdAt': {
          if (!v) return null
          const d = dayjs(v as string)
          const late = k === 'nextFollowUpAt' && d.isBefore(dayjs())
          return <span className={late ? 'haina-overdue' : undefined}>{d.format('YYYY-MM-DD HH:mm')}</span>
        }
        default:
          return v as React.ReactNode
      }
    },
  }))
  const columns = allColumns.filter((c) => !hidden.includes(String(c.key)))
  const chooser = (
    <Checkbox.Group
      style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      value={COLUMNS.filter((k) => !hidden.includes(k))}
      options={COLUMNS.map((k) => ({ value: k, label: label(k), disabled: k === 'name' }))}
      onChange={(shown) => {
        const h = COLUMNS.filter((k) => !shown.includes(k))
        setHidden(h)
        localStorage.setItem(HIDDEN_KEY, JSON.stringify(h))
      }}
    />
  )

  const applyView = (v: SavedView) => {
    const q = v.query as Filters & { poolId?: string; sort?: string }
    setFilters({ q: q.q, status: q.status, grade: q.grade, ownerId: q.ownerId, category: q.category })
    if (q.sort) setSort(q.sort)
    if (q.poolId) setParams({ pool: q.poolId })
    if (v.columns?.length) setHidden(COLUMNS.filter((k) => !v.columns.includes(k)))
    setLayout(v.layout === 'board' ? 'board' : 'list')
    setSelected([])
  }

  const ownerOptions = [
    ...(me?.user ? [{ value: me.user.id, label: t('pools.panel.me') }] : []),
    { value: NONE, label: t('pools.list.unassigned') },
    ...users.filter((u) => u.id !== me?.user?.id).map((u) => ({ value: u.id, label: u.name })),
  ]

  return (
    <>
      <Typography.Title level={4}>{t('pools.list.title')}</Typography.Title>
      <div className="haina-pools">
        <Card
          size="small"
          title={t('pools.list.pools')}
          className="haina-pools-tree"
          loading={pools.isLoading}
          data-testid="pool-tree"
        >
          {treeData.length ? (
            <Tree
              blockNode
              defaultExpandAll
              selectedKeys={poolId ? [poolId] : []}
              treeData={treeData as never}
              onSelect={(keys) => {
                if (keys[0]) setParams({ pool: String(keys[0]) })
                setSelected([])
              }}
            />
          ) : (
            <Empty description={t('pools.list.noPools')} />
          )}
        </Card>
        <div className="haina-pools-main">
          {!pool ? (
            <Card>
              <Empty description={t('pools.list.pickPool')} />
            </Card>
          ) : (
            <>
              <div className="haina-toolbar">
                <Typography.Text strong style={{ marginInlineEnd: 4 }}>
                  {pool.name}
                </Typography.Text>
                {pool.kind === 'public' && (
                  <Button size="small" onClick={() => nav(`/pools/public?pool=${pool.id}`)}>
                    {t('pools.list.toPublic')}
                  </Button>
                )}
                <span style={{ flex: 1 }} />
                <SavedViews
                  current={{
                    query: { poolId, sort, ...filters },
                    columns: COLUMNS.filter((k) => !hidden.includes(k)),
                    layout,
                  }}
                  onApply={applyView}
                />
                <Segmented
                  value={layout}
                  onChange={(v) => setLayout(v as 'list' | 'board')}
                  data-testid="layout-switch"
                  options={[
                    { value: 'list', icon: <UnorderedListOutlined />, label: t('pools.list.list') },
                    { value: 'board', icon: <AppstoreOutlined />, label: t('pools.list.board') },
                  ]}
                />
              </div>
              <div className="haina-toolbar" data-testid="pool-filters">
                <Input.Search
                  allowClear
                  placeholder={t('pools.list.search')}
                  style={{ width: 200 }}
                  defaultValue={filters.q}
                  key={`q-${filters.q ?? ''}`}
                  onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
                />
                {layout === 'list' && (
                  <Select
                    mode="multiple"
                    allowClear
                    maxTagCount="responsive"
                    placeholder={t('pools.field.status')}
                    style={{ width: 180 }}
                    value={filters.status ?? []}
                    onChange={(status) => setFilters((f) => ({ ...f, status }))}
                    options={STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) }))}
                  />
                )}
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={t('pools.field.grade')}
                  style={{ width: 140 }}
                  value={filters.grade ?? []}
                  onChange={(grade) => setFilters((f) => ({ ...f, grade }))}
                  options={GRADES.map((g) => ({ value: g, label: g }))}
                />
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('pools.list.anyOwner')}
                  style={{ width: 150 }}
                  value={filters.ownerId}
                  onChange={(ownerId) => setFilters((f) => ({ ...f, ownerId }))}
                  options={ownerOptions}
                />
                <Input
                  allowClear
                  placeholder={t('pools.field.category')}
                  style={{ width: 140 }}
                  value={filters.category}
                  onChange={(e) => setFilters((f) => ({ ...f, category: e.target.value || undefined }))}
                />
                {layout === 'list' && (
                  <Popover content={chooser} trigger="click" title={t('common.columns')}>
                    <Button icon={<SettingOutlined />}>{t('common.columns')}</Button>
                  </Popover>
                )}
              </div>
              {layout === 'list' && selected.length > 0 && (
                <div className="haina-selection" data-testid="bulk-bar">
                  <span>{t('pools.list.selected', { n: selected.length })}</span>
                  {can('leads.assign') && (
                    <>
                      <Button size="small" onClick={() => setBulk('assign')}>
                        {t('pools.bulk.assign')}
                      </Button>
                      <Button size="small" onClick={() => setBulk('move')}>
                        {t('pools.bulk.move')}
                      </Button>
                    </>
                  )}
                  {can('leads.edit') && (
                    <>
                      <Button size="small" onClick={() => setReleasing(selected)}>
                        {t('pools.bulk.release')}
                      </Button>
                      <Button size="small" onClick={() => setChanging(selected)}>
                        {t('pools.bulk.status')}
                      </Button>
                    </>
                  )}
                  <Button size="small" type="link" onClick={() => setSelected([])}>
                    {t('pools.list.clear')}
                  </Button>
                </div>
              )}
              {layout === 'list' ? (
                <>
                  <Table
                    rowKey="id"
                    size="middle"
                    loading={leads.isLoading}
                    dataSource={rows}
                    columns={columns}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    data-testid="pool-leads"
                    rowSelection={
                      can('leads.edit') || can('leads.assign')
                        ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
                        : undefined
                    }
                    onChange={(_p, _f, s) => {
                      const one = (Array.isArray(s) ? s[0] : s) as SorterResult<PoolLead> | undefined
                      setSort(
                        one?.order && one.columnKey
                          ? `${one.order === 'descend' ? '-' : ''}${String(one.columnKey)}`
                          : '-createdAt',
                      )
                    }}
                  />
                  {leads.hasNextPage && (
                    <Button
                      style={{ marginTop: 12 }}
                      onClick={() => leads.fetchNextPage()}
                      loading={leads.isFetchingNextPage}
                    >
                      {t('common.loadMore')}
                    </Button>
                  )}
                </>
              ) : (
                <LeadBoard filter={filter} sort={sort} canEdit={can('leads.edit')} />
              )}
            </>
          )}
        </div>
      </div>
      <BulkModal kind={bulk} ids={selected} onClose={() => setBulk(null)} onDone={refresh} />
      <ReleaseModal ids={releasing} onClose={() => setReleasing(null)} onDone={refresh} />
      <StatusModal ids={changing} onClose={() => setChanging(null)} onDone={refresh} />
    </>
  )
}

function PoolTitle({ pool }: { pool: Pool }) {
  const { t } = useTranslation()
  return (
    <span className="haina-tree-node" data-testid={`pool-${pool.name}`}>
      <span className="haina-ellipsis">{pool.name}</span>
      {pool.kind !== 'sub' && (
        <Tag color={pool.kind === 'public' ? 'orange' : 'purple'}>{t(`pools.kind.${pool.kind}`)}</Tag>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {pool.leadCount}
      </Typography.Text>
    </span>
  )
}

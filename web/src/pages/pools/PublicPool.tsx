import { EyeInvisibleOutlined, LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { useCan } from '../../session.js'
import { type Pool, type PublicLead, usePools } from './api.js'
import './pools.css'
import { fromAnswer, report, why } from './outcome.js'

const FIELDS = ['name', 'company', 'mobile', 'email', 'grade', 'category', 'source'] as const

/** The public pool (公海): leads anyone in the pool's member scope may claim, within its limits. */
export function PublicPoolPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const nav = useNavigate()
  const qc = useQueryClient()
  const pools = usePools()
  const publicPools = (pools.data ?? []).filter((p) => p.kind === 'public' && p.enabled !== false)
  const [params, setParams] = useSearchParams()
  const poolId = params.get('pool') ?? publicPools[0]?.id
  const pool = publicPools.find((p) => p.id === poolId)
  const [q, setQ] = useState('')
  const [selected, setSelected] = useState<string[]>([])
  const [busy, setBusy] = useState<string | null>(null)

  const leads = useInfiniteQuery({
    queryKey: ['public-pool-leads', poolId, q],
    enabled: !!pool,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/public-pools/{id}/leads', {
          params: {
            path: { id: poolId ?? '' },
            query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}), ...(q ? { q } : {}) },
          },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor,
  })
  const rows = leads.data?.pages.flatMap((p) => p.items) ?? []
  const refresh = async () => {
    setSelected([])
    await qc.invalidateQueries({ queryKey: ['public-pool-leads'] })
    await qc.invalidateQueries({ queryKey: ['lead-pools'] })
    await qc.invalidateQueries({ queryKey: ['pool-leads'] })
  }

  const claimOne = async (l: PublicLead) => {
    setBusy(l.id)
    try {
      await call(api.POST('/api/v1/leads/{id}/claim', { params: { path: { id: l.id } } }))
      message.success({
        content: (
          <span>
            {t('pools.claim.claimed')}{' '}
            <Typography.Link onClick={() => nav(`/leads/${l.id}`)}>{l.name}</Typography.Link>
          </span>
        ),
      })
      await refresh()
    } catch (e) {
      // Over a limit: the server's message names the limit in the user's language.
      message.error(why(e))
    } finally {
      setBusy(null)
    }
  }
  const claimMany = async () => {
    setBusy('bulk')
    try {
      const r = await call(api.POST('/api/v1/leads/claim', { body: { ids: selected } }))
      report(t, message, fromAnswer(t, selected.length, r))
      await refresh()
    } catch (e) {
      message.error(why(e))
    } finally {
      setBusy(null)
    }
  }

  const hidden = new Set(pool?.settings?.hiddenFields ?? [])
  const waitOf = (l: PublicLead) => {
    const now = dayjs()
    if (l.lockedUntil && dayjs(l.lockedUntil).isAfter(now))
      return { icon: <LockOutlined />, text: t('pools.claim.lockedUntil', { at: fmt(l.lockedUntil) }) }
    if (l.claimableAt && dayjs(l.claimableAt).isAfter(now))
      return {
        icon: <SafetyCertificateOutlined />,
        text: t('pools.claim.protectedUntil', { at: fmt(l.claimableAt) }),
      }
    return null
  }
  const columns: ColumnsType<PublicLead> = [
    ...FIELDS.map((k) => ({
      key: k,
      dataIndex: k,
      title: t(`pools.field.${k}`),
      render: (v: unknown) =>
        v == null || v === '' ? (
          hidden.has(k) ? (
            <Typography.Text type="secondary" data-testid="hidden-field">
              — <EyeInvisibleOutlined /> {t('pools.claim.hidden')}
            </Typography.Text>
          ) : (
            '—'
          )
        ) : k === 'grade' ? (
          <Tag color="blue">{String(v)}</Tag>
        ) : (
          String(v)
        ),
    })),
    {
      key: 'claimable',
      title: t('pools.field.claimable'),
      render: (_, l) => {
        const wait = waitOf(l)
        return wait ? (
          <Typography.Text type="warning">
            {wait.icon} {wait.text}
          </Typography.Text>
        ) : (
          <Tag color="green">{t('pools.field.claimable')}</Tag>
        )
      },
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, l) => {
        const wait = waitOf(l)
        return (
          can('leads.edit') && (
            <Tooltip title={wait?.text}>
              <Button
                type="primary"
                size="small"
                disabled={!!wait}
                loading={busy === l.id}
                onClick={() => claimOne(l)}
                data-testid="claim"
              >
                {t('pools.claim.claim')}
              </Button>
            </Tooltip>
          )
        )
      },
    },
  ]

  return (
    <>
      <Typography.Title level={4}>{t('pools.menu.public')}</Typography.Title>
      {!pools.isLoading && !publicPools.length ? (
        <Card>
          <Empty description={t('pools.claim.noPublic')} />
        </Card>
      ) : (
        <>
          <div className="haina-toolbar">
            <Select
              style={{ width: 220 }}
              aria-label={t('pools.claim.pickPool')}
              placeholder={t('pools.claim.pickPool')}
              value={pool?.id}
              loading={pools.isLoading}
              onChange={(id) => {
                setParams({ pool: id })
                setSelected([])
              }}
              options={publicPools.map((p) => ({ value: p.id, label: `${p.name} (${p.leadCount})` }))}
              data-testid="public-pool-select"
            />
            <Input.Search
              allowClear
              placeholder={t('pools.list.search')}
              style={{ width: 200 }}
              onSearch={setQ}
            />
            <span style={{ flex: 1 }} />
            {can('leads.edit') && (
              <Button
                type="primary"
                disabled={!selected.length}
                loading={busy === 'bulk'}
                onClick={claimMany}
                data-testid="claim-selected"
              >
                {t('pools.claim.claimSelected', { n: selected.length })}
              </Button>
            )}
          </div>
          {pool && <Rules pool={pool} />}
          <Table
            rowKey="id"
            size="middle"
            loading={leads.isLoading}
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('pools.claim.empty')} /> }}
            data-testid="public-leads"
            rowSelection={
              can('leads.edit')
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as string[]),
                    getCheckboxProps: (l) => ({ disabled: !!waitOf(l) }),
                  }
                : undefined
            }
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
      )}
    </>
  )
}

const fmt = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm')

/** The pool's claim rules in one line, so a refused claim is no surprise. */
function Rules({ pool }: { pool: Pool }) {
  const { t } = useTranslation()
  const s = pool.settings ?? {}
  const parts = [
    s.dailyClaimLimit != null && t('pools.claim.dailyLimit', { n: s.dailyClaimLimit }),
    s.userHoldingCap != null && t('pools.claim.holdingCap', { n: s.userHoldingCap }),
    s.unitHoldingCap != null && t('pools.claim.unitCap', { n: s.unitHoldingCap }),
    !!s.protectionHours && t('pools.claim.protection', { n: s.protectionHours }),
    !!s.reclaimLockDays && t('pools.claim.lock', { n: s.reclaimLockDays }),
  ].filter(Boolean) as string[]
  return (
    <div style={{ marginBottom: 12 }} data-testid="claim-rules">
      <Space size={[4, 4]} wrap>
        <Typography.Text type="secondary">{t('pools.claim.rules')}</Typography.Text>
        {(parts.length ? parts : [t('pools.claim.noLimits')]).map((p) => (
          <Tag key={p}>{p}</Tag>
        ))}
      </Space>
    </div>
  )
}

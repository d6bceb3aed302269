import { LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Empty, Input, Select, Space, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useCan } from '../../../session.js'
import { usePools } from '../../pools/api.js'
import '../../pools/i18n.js'
import '../../pools/pools.css'
import { fromAnswer, report, why } from '../../pools/outcome.js'
import { useFormat } from '../format.js'
import { customersApi, type PublicCustomer } from './api.js'
import { GroupTag, levelLabel, RegionName } from './bits.js'
import './i18n.js'
import { PagedTable, usePaged } from './PagedTable.js'

/** Shown for a field the pool hides until the customer is claimed. */
const HIDDEN = '***'

/** The customer public pool (客户公海): customers without an owner, claimed under the pool's limits. */
export function CustomerPublicPoolPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const fmt = useFormat()
  const pools = usePools()
  const publicPools = (pools.data ?? []).filter((p) => p.kind === 'public' && p.enabled !== false)
  const [params, setParams] = useSearchParams()
  const poolId = params.get('pool') ?? publicPools[0]?.id
  const pool = publicPools.find((p) => p.id === poolId)
  const [q, setQ] = useState('')
  const [selected, setSelected] = useState<string[]>([])
  const [busy, setBusy] = useState<string | null>(null)

  const list = usePaged(
    ['customers', 'public', poolId, q],
    (cursor) => customersApi.publicPool(poolId ?? '', { q, cursor }),
    !!pool,
  )
  const refresh = async () => {
    setSelected([])
    await qc.invalidateQueries({ queryKey: ['customers'] })
  }
  const claim = async (ids: string[]) => {
    setBusy(ids.length === 1 ? (ids[0] ?? null) : 'bulk')
    try {
      if (ids.length === 1) {
        await customersApi.claim(ids[0] ?? '')
        message.success(t('customers.pool.claimed'))
      } else report(t, message, fromAnswer(t, ids.length, await customersApi.claimMany(ids)))
      await refresh()
    } catch (e) {
      // A refusal (limit, lock, protection, taken) comes with the server's message in the user's language.
      message.error(why(e))
    } finally {
      setBusy(null)
    }
  }

  // A lead pool hides 'mobile'; on a customer that is the phone.
  const hidden = new Set(pool?.settings?.hiddenFields ?? [])
  if (hidden.has('mobile')) hidden.add('phone')
  const show = (key: string, v: unknown) =>
    v == null || v === '' ? (hidden.has(key) ? HIDDEN : '—') : String(v)
  /** Why the caller must wait, if they must: their own re-claim lock, or the protection interval. */
  const waitOf = (c: PublicCustomer) => {
    const now = Date.now()
    const [at, icon, key] =
      c.lockedUntil && Date.parse(c.lockedUntil) > now
        ? [c.lockedUntil, <LockOutlined key="l" />, 'pools.claim.lockedUntil']
        : c.claimableAt && Date.parse(c.claimableAt) > now
          ? [c.claimableAt, <SafetyCertificateOutlined key="p" />, 'pools.claim.protectedUntil']
          : [null, null, '']
    return at ? { icon, until: fmt.dateTime(at), text: t(key, { at: fmt.dateTime(at) }) } : null
  }
  const columns: ColumnsType<PublicCustomer> = [
    {
      key: 'name',
      title: t('customers.field.name'),
      render: (_, c) => <Link to={`/customers/${c.id}`}>{c.name}</Link>,
    },
    {
      key: 'group',
      title: t('customers.field.group'),
      render: (_, c) => <GroupTag group={c.customerGroup} />,
    },
    { key: 'industry', title: t('customers.field.industry'), render: (_, c) => show('industry', c.industry) },
    { key: 'level', title: t('customers.field.level'), render: (_, c) => levelLabel(t, c.level) },
    {
      key: 'region',
      title: t('customers.field.region'),
      render: (_, c) => (c.regionCode ? <RegionName code={c.regionCode} /> : show('regionCode', null)),
    },
    { key: 'phone', title: t('customers.field.phone'), render: (_, c) => show('phone', c.phone) },
    { key: 'email', title: t('customers.field.email'), render: (_, c) => show('email', c.email) },
    { key: 'entered', title: t('pools.claim.enteredAt'), render: (_, c) => fmt.dateTime(c.poolEnteredAt) },
    {
      // Claimable now (a button), or the wait: the caller's own lock, or the protection interval.
      key: 'claim',
      title: t('pools.field.claimable'),
      fixed: 'right',
      render: (_, c) => {
        const wait = waitOf(c)
        if (wait)
          return (
            <Tooltip title={wait.text}>
              <Tag icon={wait.icon} color="warning" data-testid="claim-wait">
                {wait.until}
              </Tag>
            </Tooltip>
          )
        return can('customers.edit') ? (
          <Button
            type="primary"
            size="small"
            loading={busy === c.id}
            onClick={() => claim([c.id])}
            data-testid="customer-claim"
          >
            {t('pools.claim.claim')}
          </Button>
        ) : (
          <Tag color="green">{t('pools.field.claimable')}</Tag>
        )
      },
    },
  ]

  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.publicPool')}</Typography.Title>
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
              options={publicPools.map((p) => ({ value: p.id, label: p.name }))}
              data-testid="customer-pool-select"
            />
            <Input.Search
              allowClear
              placeholder={t('customers.searchPh')}
              style={{ width: 220 }}
              onSearch={setQ}
            />
            <span style={{ flex: 1 }} />
            {can('customers.edit') && (
              <Button
                type="primary"
                disabled={!selected.length}
                loading={busy === 'bulk'}
                onClick={() => claim(selected)}
                data-testid="customer-claim-selected"
              >
                {t('pools.claim.claimSelected', { n: selected.length })}
              </Button>
            )}
          </div>
          {pool && <PoolRules settings={pool.settings ?? {}} />}
          <PagedTable
            query={list}
            columns={columns}
            empty={t('customers.pool.empty')}
            testId="public-customers"
            rowSelection={
              can('customers.edit')
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as string[]),
                    getCheckboxProps: (c) => ({ disabled: !!waitOf(c) }),
                  }
                : undefined
            }
          />
        </>
      )}
    </>
  )
}

type PoolSettings = {
  dailyClaimLimit?: number | null
  userHoldingCap?: number | null
  reclaimLockDays?: number | null
}

/** The limits that apply here, so a refused claim is no surprise. */
function PoolRules({ settings: s }: { settings: PoolSettings }) {
  const { t } = useTranslation()
  const parts = [
    s.dailyClaimLimit != null && t('pools.claim.dailyLimit', { n: s.dailyClaimLimit }),
    s.userHoldingCap != null && t('pools.claim.holdingCap', { n: s.userHoldingCap }),
    !!s.reclaimLockDays && t('pools.claim.lock', { n: s.reclaimLockDays }),
  ].filter(Boolean) as string[]
  return (
    <Space size={[4, 4]} wrap style={{ marginBottom: 12 }}>
      <Typography.Text type="secondary">{t('pools.claim.rules')}</Typography.Text>
      {(parts.length ? parts : [t('pools.claim.noLimits')]).map((p) => (
        <Tag key={p}>{p}</Tag>
      ))}
    </Space>
  )
}

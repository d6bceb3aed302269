import { PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Button, Select, Tag, Tooltip } from 'antd'
import type { TFunction } from 'i18next'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../../api/client.js'
import { type Customer, customersApi } from './api.js'
import './i18n.js'

/** A–E (seed 001): A a potential customer … E high value and frequent. */
export const GROUP_COLORS: Record<string, string> = {
  A: 'default',
  B: 'blue',
  C: 'cyan',
  D: 'orange',
  E: 'volcano',
}

export function GroupTag({ group }: { group: string | null | undefined }) {
  const { t } = useTranslation()
  if (!group) return null
  return (
    <Tooltip title={t(`customers.groupHelp.${group}`, { defaultValue: '' }) || undefined}>
      <Tag color={GROUP_COLORS[group] ?? 'default'} data-testid="customer-group">
        {group}
      </Tag>
    </Tooltip>
  )
}

const ROLE_COLORS: Record<string, string> = {
  decision_maker: 'red',
  economic_buyer: 'gold',
  influencer: 'blue',
  finance: 'purple',
  user: 'green',
  gatekeeper: 'default',
}

export function DealRoleTag({ role }: { role: string | null | undefined }) {
  const { t } = useTranslation()
  if (!role) return null
  return (
    <Tag color={ROLE_COLORS[role] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`customers.dealRole.${role}`, { defaultValue: role })}
    </Tag>
  )
}

/** A level's label: the known keys translated, anything else (imported data) as it is. */
export function levelLabel(t: TFunction, level: string | null | undefined) {
  return level ? t(`customers.level.${level}`, { defaultValue: level }) : '—'
}

/** Region codes nest by length (province 2, city 4, district 6): each level's list names the next. */
function useRegionLevel(parent: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['regions', parent ?? ''],
    queryFn: () => call(api.GET('/api/v1/regions', { params: { query: parent ? { parent } : {} } })),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  })
}

/** A region code as its names: 广东省 / 深圳市 / 南山区. */
export function RegionName({ code }: { code: string | null | undefined }) {
  const c = code ?? ''
  const province = useRegionLevel(undefined, c.length >= 2)
  const city = useRegionLevel(c.slice(0, 2), c.length >= 4)
  const district = useRegionLevel(c.slice(0, 4), c.length >= 6)
  if (!c) return <>—</>
  const find = (q: typeof province, k: string) => q.data?.items.find((r) => r.code === k)?.name
  const names = [
    find(province, c.slice(0, 2)),
    c.length >= 4 ? find(city, c.slice(0, 4)) : undefined,
    c.length >= 6 ? find(district, c.slice(0, 6)) : undefined,
  ].filter(Boolean)
  return <>{names.length ? names.join(' / ') : c}</>
}

/** A customer's name as a link; rows that carry only the id fetch the name (once per customer, cached). */
export function CustomerLink({ id, name }: { id: string; name?: string | null }) {
  const q = useQuery({
    queryKey: ['customer', id],
    queryFn: () => customersApi.get(id),
    enabled: !name,
    staleTime: 60_000,
  })
  return <Link to={`/customers/${id}`}>{name ?? q.data?.name ?? '…'}</Link>
}

/** Pick a customer by typing part of its name, credit code or phone (GET /customers?filter={q}). */
export function CustomerSelect(props: {
  id?: string
  value?: string | null
  onChange?: (id: string | null, customer?: Customer) => void
  exclude?: string
  placeholder?: string
  disabled?: boolean
  style?: React.CSSProperties
}) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const [q, setQ] = useState('')
  // Search once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250)
    return () => clearTimeout(timer)
  }, [typed])
  const found = useQuery({
    queryKey: ['customers', 'pick', q],
    queryFn: () => customersApi.list({ filter: q ? { q } : {}, limit: 20, sort: '-updatedAt' }),
    staleTime: 10_000,
  })
  // The chosen customer may not be among the search results: fetch its name.
  const chosen = useQuery({
    queryKey: ['customer', props.value],
    queryFn: () => customersApi.get(props.value ?? ''),
    enabled: !!props.value && !found.data?.items.some((c) => c.id === props.value),
  })
  const items = [...(found.data?.items ?? [])]
  if (chosen.data && !items.some((c) => c.id === chosen.data.id)) items.unshift(chosen.data)
  return (
    <Select
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      disabled={props.disabled}
      style={{ width: '100%', ...props.style }}
      placeholder={props.placeholder ?? t('customers.pick')}
      loading={found.isFetching}
      value={props.value ?? undefined}
      onChange={(id?: string) =>
        props.onChange?.(
          id ?? null,
          items.find((c) => c.id === id),
        )
      }
      notFoundContent={found.isFetching ? t('common.loading') : t('customers.noMatch')}
      options={items
        .filter((c) => c.id !== props.exclude)
        .map((c) => ({ value: c.id, label: c.creditCode ? `${c.name}（${c.creditCode}）` : c.name }))}
      data-testid="customer-select"
    />
  )
}

/** A select over a fixed list of values, labelled from the catalogue: `labels.<value>`. */
export function EnumSelect<V extends string>(props: {
  id?: string
  values: readonly V[]
  /** i18n prefix of the labels, e.g. 'customers.kind'. */
  labels: string
  value?: V | null
  onChange?: (v: V | undefined) => void
  placeholder?: string
  width?: number
  allowClear?: boolean
  'aria-label'?: string
  'data-testid'?: string
}) {
  const { t } = useTranslation()
  return (
    <Select
      id={props.id}
      allowClear={props.allowClear ?? true}
      placeholder={props.placeholder}
      aria-label={props['aria-label'] ?? props.placeholder}
      style={props.width ? { width: props.width } : undefined}
      value={props.value ?? undefined}
      onChange={(v?: V) => props.onChange?.(v)}
      options={props.values.map((v) => ({ value: v, label: t(`${props.labels}.${v}`) }))}
      data-testid={props['data-testid']}
    />
  )
}

/** The page's main "new …" button, shown only with the permission. */
export function AddButton(props: {
  allowed: boolean
  onClick: () => void
  testId: string
  small?: boolean
  children: React.ReactNode
}) {
  if (!props.allowed) return null
  return (
    <Button
      type="primary"
      size={props.small ? 'small' : undefined}
      icon={<PlusOutlined />}
      onClick={props.onClick}
      data-testid={props.testId}
    >
      {props.children}
    </Button>
  )
}

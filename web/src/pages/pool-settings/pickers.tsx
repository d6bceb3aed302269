import { Select, TreeSelect } from 'antd'
import { type CSSProperties, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { unitTree, useUnits, useUsers } from '../../data.js'
import { useCan } from '../../session.js'
import { type Pool, poolTree, usePools } from './data.js'

type Control<V> = {
  id?: string
  value?: V
  onChange?: (v: V) => void
  disabled?: boolean
  style?: CSSProperties
}

/** An org unit from the organisation tree (departments, branches, dealers). */
export function UnitPicker(props: Control<string | null> & { allowClear?: boolean; placeholder?: string }) {
  const can = useCan()
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  return (
    <TreeSelect
      {...props}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.((v as string | undefined) ?? null)}
      treeData={tree}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      style={{ minWidth: 200, width: '100%' }}
    />
  )
}

/** Several org units (a public pool's member units). */
export function UnitsPicker(props: Control<string[]>) {
  const can = useCan()
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  return (
    <TreeSelect
      {...props}
      multiple
      treeData={tree}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      style={{ width: '100%' }}
    />
  )
}

/** A pool from the pyramid; `kinds` narrows it (public pools only, say). */
export function PoolPicker(
  props: Control<string | null> & {
    kinds?: Pool['kind'][]
    allowClear?: boolean
    placeholder?: string
    exclude?: string
  },
) {
  const { kinds, exclude, ...rest } = props
  const pools = usePools().data ?? []
  const tree = useMemo(
    () => poolTree(pools, (p) => (!kinds || kinds.includes(p.kind)) && p.id !== exclude),
    [pools, kinds, exclude],
  )
  return (
    <TreeSelect
      {...rest}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.((v as string | undefined) ?? null)}
      treeData={tree}
      treeDefaultExpandAll
      showSearch
      treeNodeFilterProp="title"
      style={{ minWidth: 200, width: '100%' }}
    />
  )
}

/** A person of the workspace (active users), searchable by name or email. */
export function UserPicker(
  props: Control<string | null> & { placeholder?: string; exclude?: string; allowClear?: boolean },
) {
  const { t } = useTranslation()
  const { exclude, ...rest } = props
  const users = useUsers().data?.items ?? []
  return (
    <Select
      {...rest}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.((v as string | undefined) ?? null)}
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 200, width: '100%', ...props.style }}
      placeholder={props.placeholder ?? t('poolSettings.pickUser')}
      options={users
        .filter((u) => u.id !== exclude)
        .map((u) => ({
          value: u.id,
          label: `${u.name} (${u.email})`,
          disabled: u.status !== 'active',
        }))}
    />
  )
}

/** The name of a user by id, from the cached user list. */
export function useUserName() {
  const users = useUsers().data?.items ?? []
  const byId = new Map(users.map((u) => [u.id, u.name]))
  return (id: string | null | undefined) => (id ? (byId.get(id) ?? '—') : '—')
}

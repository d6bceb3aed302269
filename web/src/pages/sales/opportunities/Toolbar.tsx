import { AppstoreOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons'
import { Button, Select, TreeSelect } from 'antd'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { unitTree, useUnits, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'

/** Owner and team filters of the board and the list (each shown only to who may list users / units). */
export function OwnerUnitFilters(props: {
  ownerId?: string
  unitId?: string
  onOwner: (id: string | undefined) => void
  onUnit: (id: string | undefined) => void
}) {
  const { t } = useTranslation()
  const can = useCan()
  const users = useUsers(can('users.view')).data?.items ?? []
  const units = useUnits(can('org.view')).data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  return (
    <>
      {can('users.view') && (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('opps.field.owner')}
          style={{ width: 150 }}
          value={props.ownerId}
          onChange={props.onOwner}
          options={users.map((u) => ({ value: u.id, label: u.name }))}
          data-testid="filter-owner"
        />
      )}
      {can('org.view') && (
        <TreeSelect
          allowClear
          placeholder={t('opps.field.unit')}
          style={{ width: 170 }}
          value={props.unitId}
          onChange={props.onUnit}
          treeData={tree}
          treeDefaultExpandAll
          data-testid="filter-unit"
        />
      )}
    </>
  )
}

/** The right end of the board's and the list's toolbar: switch to the other view, 新建商机. */
export function ViewSwitch({ to, onCreate }: { to: 'board' | 'list'; onCreate: () => void }) {
  const { t } = useTranslation()
  const can = useCan()
  return (
    <>
      <span style={{ flex: 1 }} />
      <Link to={to === 'list' ? '/opportunities/list' : '/opportunities'}>
        <Button icon={to === 'list' ? <UnorderedListOutlined /> : <AppstoreOutlined />}>
          {to === 'list' ? t('opps.board.toList') : t('opps.list.toBoard')}
        </Button>
      </Link>
      {can('opportunities.create') && (
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="opp-new">
          {t('opps.new')}
        </Button>
      )}
    </>
  )
}

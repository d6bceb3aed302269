import { BankOutlined, UserOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Input, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ExportButton } from '../../../components/ExportButton.js'
import { useFieldDefs, useUsers } from '../../../data.js'
import { useCan, useMe } from '../../../session.js'
import { UserPicker } from '../../pool-settings/pickers.js'
import { RegionCodePicker } from '../../pool-settings/RegionCodePicker.js'
import { useNameOf } from '../../pools/api.js'
import '../../pools/pools.css'
import { why } from '../../pools/outcome.js'
import { BulkTagButton } from '../../profiles/tags/components.js'
import { useFormat } from '../format.js'
import { CUSTOMER_GROUPS, CUSTOMER_KINDS, CUSTOMER_LEVELS, type Customer, customersApi } from './api.js'
import { AddButton, EnumSelect, GROUP_COLORS, GroupTag, levelLabel, RegionName } from './bits.js'
import { CustomerDrawer } from './CustomerForm.js'
import { AssignModal, ReleaseCustomersModal } from './CustomerModals.js'
import { customColumns } from './CustomFieldItems.js'
import './i18n.js'
import { PagedTable, usePaged } from './PagedTable.js'

const SORTS = ['-createdAt', '-updatedAt', '-orderTotal', '-lastOrderAt', 'name'] as const

/** Customers (客户): filters, A–E groups, order totals, create/edit with the duplicate check, bulk work. */
export function CustomersPage() {
  const { t } = useTranslation()
  const can = useCan()
  const me = useMe().data
  const { message } = App.useApp()
  const qc = useQueryClient()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const defs = useFieldDefs('customer').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const [q, setQ] = useState('')
  const [kind, setKind] = useState<string>()
  const [industry, setIndustry] = useState('')
  const [level, setLevel] = useState<string>()
  const [groups, setGroups] = useState<string[]>([])
  const [ownerId, setOwnerId] = useState<string | null>(null)
  const [regionCode, setRegionCode] = useState<string>()
  const [sort, setSort] = useState<string>('-createdAt')
  const [selected, setSelected] = useState<string[]>([])
  const [editing, setEditing] = useState<Customer | 'new' | null>(null)
  const [assigning, setAssigning] = useState<string[] | null>(null)
  const [releasing, setReleasing] = useState<string[] | null>(null)

  const filter: Record<string, unknown> = {
    q: q || undefined,
    kind,
    industry: industry ? { contains: industry } : undefined,
    level,
    customerGroup: groups.length ? { in: groups } : undefined,
    ownerId: ownerId ?? undefined,
    regionCode: regionCode ? { startsWith: regionCode } : undefined,
  }
  const list = usePaged(['customers', 'list', filter, sort], (cursor) =>
    customersApi.list({ filter, sort, cursor }),
  )
  const refresh = async () => {
    setSelected([])
    await qc.invalidateQueries({ queryKey: ['customers'] })
  }
  const recompute = async () => {
    try {
      await customersApi.recomputeGroups()
      message.success(t('customers.groups.queued'))
    } catch (e) {
      message.error(why(e))
    }
  }
  const remove = async (id: string) => {
    try {
      await customersApi.remove(id)
      await refresh()
    } catch (e) {
      message.error((e as Error).message)
    }
  }

  const columns: ColumnsType<Customer> = [
    {
      key: 'name',
      title: t('customers.field.name'),
      fixed: 'left',
      render: (_, c) => (
        <Space size={6}>
          {c.kind === 'individual' ? (
            <UserOutlined className="haina-muted" />
          ) : (
            <BankOutlined className="haina-muted" />
          )}
          <Link to={`/customers/${c.id}`}>{c.name}</Link>
        </Space>
      ),
    },
    {
      key: 'group',
      title: t('customers.field.group'),
      render: (_, c) => <GroupTag group={c.customerGroup} />,
    },
    { key: 'industry', title: t('customers.field.industry'), render: (_, c) => c.industry ?? '—' },
    { key: 'level', title: t('customers.field.level'), render: (_, c) => levelLabel(t, c.level) },
    {
      key: 'region',
      title: t('customers.field.region'),
      render: (_, c) => <RegionName code={c.regionCode} />,
    },
    {
      key: 'orderCount',
      title: t('customers.field.orderCount'),
      align: 'right',
      render: (_, c) => c.orderCount,
    },
    {
      key: 'orderTotal',
      title: t('customers.field.orderTotal'),
      align: 'right',
      render: (_, c) => fmt.money(c.orderTotal),
    },
    {
      key: 'lastOrderAt',
      title: t('customers.field.lastOrderAt'),
      render: (_, c) => fmt.date(c.lastOrderAt),
    },
    {
      key: 'owner',
      title: t('customers.field.owner'),
      render: (_, c) =>
        c.poolId ? <Tag>{t('customers.inPool')}</Tag> : (nameOf(c.ownerId, c.ownerName) ?? '—'),
    },
    { key: 'createdAt', title: t('common.createdAt'), render: (_, c) => fmt.date(c.createdAt) },
    ...customColumns<Customer>(defs, users),
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          {can('customers.edit') && (
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
          )}
          {can('customers.delete') && (
            <Popconfirm title={t('customers.confirmDelete')} onConfirm={() => remove(c.id)}>
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ]

  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.customers')}</Typography.Title>
      <div className="haina-toolbar" data-testid="customer-filters">
        <Input.Search
          allowClear
          placeholder={t('customers.searchPh')}
          style={{ width: 240 }}
          onSearch={setQ}
          data-testid="customer-search"
        />
        <EnumSelect
          values={CUSTOMER_KINDS}
          labels="customers.kind"
          placeholder={t('customers.field.kind')}
          width={120}
          value={kind}
          onChange={setKind}
        />
        <Input.Search
          allowClear
          placeholder={t('customers.field.industry')}
          style={{ width: 150 }}
          onSearch={setIndustry}
        />
        <EnumSelect
          values={CUSTOMER_LEVELS}
          labels="customers.level"
          placeholder={t('customers.field.level')}
          width={120}
          value={level}
          onChange={setLevel}
        />
        {can('users.view') ? (
          <UserPicker
            allowClear
            placeholder={t('customers.field.owner')}
            value={ownerId}
            onChange={setOwnerId}
            style={{ width: 160, minWidth: 160 }}
          />
        ) : (
          <Select
            allowClear
            placeholder={t('customers.field.owner')}
            style={{ width: 120 }}
            value={ownerId ?? undefined}
            onChange={(v?: string) => setOwnerId(v ?? null)}
            options={me?.user ? [{ value: me.user.id, label: t('customers.mine') }] : []}
          />
        )}
        <Space size={4}>
          <Typography.Text type="secondary">{t('customers.field.region')}：</Typography.Text>
          <RegionCodePicker
            aria-label={t('customers.field.region')}
            value={regionCode}
            onChange={(v) => setRegionCode(v as string | undefined)}
          />
        </Space>
      </div>
      <div className="haina-toolbar">
        <Space size={4} wrap data-testid="group-filter">
          <Typography.Text type="secondary">{t('customers.field.group')}：</Typography.Text>
          {CUSTOMER_GROUPS.map((g) => (
            <Tag.CheckableTag
              key={g}
              checked={groups.includes(g)}
              onChange={(on) => setGroups((x) => (on ? [...x, g] : x.filter((y) => y !== g)))}
              style={groups.includes(g) ? undefined : { border: '1px dashed #d9d9d9' }}
            >
              <Tag color={GROUP_COLORS[g]} style={{ marginInlineEnd: 4 }}>
                {g}
              </Tag>
              {t(`customers.groupName.${g}`)}
            </Tag.CheckableTag>
          ))}
        </Space>
        {can('customers.configure') && (
          <Tooltip title={t('customers.groups.recomputeHelp')}>
            <Button size="small" type="link" onClick={recompute} data-testid="groups-recompute">
              {t('customers.groups.recompute')}
            </Button>
          </Tooltip>
        )}
        <span style={{ flex: 1 }} />
        <Select
          style={{ width: 150 }}
          value={sort}
          onChange={setSort}
          aria-label={t('customers.sort.label')}
          options={SORTS.map((s) => ({ value: s, label: t(`customers.sort.${s.replace('-', '')}`) }))}
        />
        <ExportButton
          path="/api/v1/customers/export"
          permission="customers.export"
          filter={filter}
          sort={sort}
          testId="customer-export"
        />
        <AddButton allowed={can('customers.create')} onClick={() => setEditing('new')} testId="customer-new">
          {t('customers.new')}
        </AddButton>
      </div>
      {selected.length > 0 && (
        <div className="haina-selection" data-testid="customer-selection">
          <span>{t('customers.selected', { n: selected.length })}</span>
          {can('customers.assign') && (
            <Button size="small" onClick={() => setAssigning(selected)} data-testid="bulk-assign">
              {t('customers.assign.action')}
            </Button>
          )}
          {can('customers.edit') && (
            <Button size="small" onClick={() => setReleasing(selected)} data-testid="bulk-release">
              {t('customers.release.action')}
            </Button>
          )}
          {can('profiles.edit') && <BulkTagButton subjectType="customer" ids={selected} onDone={refresh} />}
          <Button size="small" type="link" onClick={() => setSelected([])}>
            {t('customers.clearSelection')}
          </Button>
        </div>
      )}
      <PagedTable
        query={list}
        columns={columns}
        testId="customers-table"
        rowSelection={
          can('customers.assign') || can('customers.edit') || can('profiles.edit')
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
      />
      <CustomerDrawer
        customer={editing}
        defs={defs}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null)
          void refresh()
        }}
      />
      <AssignModal ids={assigning} onClose={() => setAssigning(null)} onDone={refresh} />
      <ReleaseCustomersModal ids={releasing} onClose={() => setReleasing(null)} onDone={refresh} />
    </>
  )
}

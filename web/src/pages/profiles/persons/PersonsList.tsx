import { BankOutlined, UserOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button, Input, Select, Space, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { useCan } from '../../../session.js'
import { RegionCodePicker } from '../../pool-settings/RegionCodePicker.js'
import '../../pools/pools.css'
import { RegionName } from '../../sales/customers/bits.js'
import { PagedTable, usePaged } from '../../sales/customers/PagedTable.js'
import { useFormat } from '../../sales/format.js'
import { useTagGroups } from '../tags/api.js'
import { BulkTagButton, TagList } from '../tags/components.js'
import { type PersonQuery, type PersonRow, personsApi, useSegmentOptions } from './api.js'
import './i18n.js'

/** The person directory (客户画像): search, tag / segment / region filters, bulk tagging. */
export function PersonsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const fmt = useFormat()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  // ?tagId= / ?segmentId= open the directory filtered (links from the tag and segment pages).
  const [params] = useSearchParams()
  const [tagId, setTagId] = useState<string | undefined>(params.get('tagId') ?? undefined)
  const [segmentId, setSegmentId] = useState<string | undefined>(params.get('segmentId') ?? undefined)
  const [regionCode, setRegionCode] = useState<string>()
  const [selected, setSelected] = useState<string[]>([])
  const groups = useTagGroups().data ?? []
  const segments = useSegmentOptions(can('segments.view')).data ?? []

  const query: PersonQuery = { q: q.trim() || undefined, tagId, segmentId, regionCode }
  const list = usePaged(['persons', 'list', query], (cursor) => personsApi.list(query, cursor))
  const refresh = async () => {
    setSelected([])
    await qc.invalidateQueries({ queryKey: ['persons'] })
  }

  const columns: ColumnsType<PersonRow> = [
    {
      key: 'name',
      title: t('persons.field.name'),
      fixed: 'left',
      render: (_, p) => (
        <Space size={6}>
          {p.kind === 'organisation' ? (
            <BankOutlined className="haina-muted" />
          ) : (
            <UserOutlined className="haina-muted" />
          )}
          <Link to={`/persons/${p.id}`} data-testid="person-link">
            {p.name || t('persons.unnamed')}
          </Link>
        </Space>
      ),
    },
    { key: 'company', title: t('persons.field.company'), render: (_, p) => p.company || '—' },
    {
      key: 'region',
      title: t('persons.field.region'),
      render: (_, p) => p.regionName ?? <RegionName code={p.regionCode} />,
    },
    { key: 'mobile', title: t('persons.field.mobile'), render: (_, p) => p.mobile || '—' },
    {
      key: 'tags',
      title: t('persons.field.tags'),
      width: 280,
      render: (_, p) => <TagList tags={p.tags} personId={p.id} max={6} />,
    },
    { key: 'lastSeenAt', title: t('persons.field.lastSeenAt'), render: (_, p) => fmt.dateTime(p.lastSeenAt) },
    {
      key: 'orderTotal',
      title: t('persons.field.orderTotal'),
      align: 'right',
      render: (_, p) => fmt.money(p.orderTotal),
    },
  ]

  return (
    <>
      <Typography.Title level={4}>{t('profilesMenu.persons')}</Typography.Title>
      <div className="haina-toolbar" data-testid="person-filters">
        <Input.Search
          allowClear
          placeholder={t('persons.searchPh')}
          style={{ width: 260 }}
          onSearch={setQ}
          data-testid="person-search"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('persons.tag')}
          style={{ width: 180 }}
          value={tagId}
          onChange={setTagId}
          options={groups.map((g) => ({
            label: g.name,
            title: g.name,
            options: g.tags.map((x) => ({ value: x.id, label: x.name })),
          }))}
          data-testid="person-tag-filter"
        />
        {can('segments.view') && (
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('persons.segment')}
            style={{ width: 180 }}
            value={segmentId}
            onChange={setSegmentId}
            options={segments.map((s) => ({ value: s.id, label: s.name }))}
            data-testid="person-segment-filter"
          />
        )}
        <Space size={4}>
          <Typography.Text type="secondary">{t('persons.region')}：</Typography.Text>
          <RegionCodePicker
            aria-label={t('persons.region')}
            value={regionCode}
            onChange={(v) => setRegionCode(v as string | undefined)}
          />
        </Space>
      </div>
      {selected.length > 0 && (
        <div className="haina-selection" data-testid="person-selection">
          <span>{t('persons.selected', { n: selected.length })}</span>
          <BulkTagButton subjectType="person" ids={selected} onDone={refresh} />
          <Button size="small" type="link" onClick={() => setSelected([])}>
            {t('persons.clearSelection')}
          </Button>
        </div>
      )}
      <PagedTable
        query={list}
        columns={columns}
        testId="persons-table"
        empty={t('persons.empty')}
        rowSelection={
          can('profiles.edit')
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
      />
    </>
  )
}

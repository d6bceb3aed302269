import { useQueryClient } from '@tanstack/react-query'
import { DatePicker, Input, Progress, Select, Space, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { ExportButton } from '../../../components/ExportButton.js'
import { useFieldDefs, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import { customColumns } from '../customers/CustomFieldItems.js'
import { PagedTable, usePaged } from '../customers/PagedTable.js'
import { useFormat } from '../format.js'
import { type OppRow, salesApi, usePipelines } from './api.js'
import { STATUS_COLORS } from './format.js'
import { OpportunityDrawer } from './OpportunityDrawer.js'
import { usePipelinePick } from './PipelineSelect.js'
import { OwnerUnitFilters, ViewSwitch } from './Toolbar.js'
import './sales.css'

const STATUSES = ['open', 'won', 'lost'] as const
/** The list's order (and its export's). */
const SORT = '-createdAt'

/**
 * 商机列表: every opportunity in the caller's scope with filters (pipeline, stage, status, owner,
 * team, close date, amount); `?new=1&customerId=…&customerName=…` opens the new-opportunity form
 * for a customer (the customer page links here).
 */
export function OpportunitiesListPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const nav = useNavigate()
  const qc = useQueryClient()
  const nameOf = useNameOf()
  const [params, setParams] = useSearchParams()
  const defs = useFieldDefs('opportunity').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const pipelines = usePipelines().data ?? []
  const [pipelineId, pipelineSelect] = usePipelinePick({ allowAll: true })
  const [q, setQ] = useState('')
  const [stageId, setStageId] = useState<string>()
  const [status, setStatus] = useState<string>()
  const [ownerId, setOwnerId] = useState<string>()
  const [unitId, setUnitId] = useState<string>()
  const [close, setClose] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const [minAmount, setMinAmount] = useState<number | null>(null)
  const creating = params.get('new') === '1'
  const presetCustomer = params.get('customerId')
    ? { id: params.get('customerId') as string, name: params.get('customerName') ?? '' }
    : null

  const stages = pipelines.find((p) => p.id === pipelineId)?.stages ?? []
  const stageName = (id: string) => pipelines.flatMap((p) => p.stages).find((s) => s.id === id)?.name ?? '—'
  const filter: Record<string, unknown> = {
    pipelineId,
    stageId: stages.some((s) => s.id === stageId) ? stageId : undefined,
    status,
    ownerId,
    unitId,
    expectedCloseDate:
      close?.[0] && close[1]
        ? { gte: close[0].format('YYYY-MM-DD'), lte: close[1].format('YYYY-MM-DD') }
        : undefined,
    amount: minAmount ? { gte: Math.round(minAmount * 100) } : undefined,
  }
  const list = usePaged(['opportunities', filter, q], (cursor) =>
    salesApi.list({ filter, q, cursor, sort: SORT }),
  )

  const columns: ColumnsType<OppRow> = [
    {
      key: 'name',
      title: t('opps.field.name'),
      render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.name}</Link>,
    },
    {
      key: 'customer',
      title: t('opps.field.customer'),
      render: (_, o) => <Link to={`/customers/${o.customerId}`}>{o.customerName ?? '—'}</Link>,
    },
    {
      key: 'stage',
      title: t('opps.field.stage'),
      render: (_, o) => (
        <Space size={4}>
          {o.stageName ?? stageName(o.stageId)}
          <Typography.Text type="secondary">{o.probability}%</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'status',
      title: t('opps.field.status'),
      render: (_, o) => <Tag color={STATUS_COLORS[o.status]}>{t(`opps.status.${o.status}`)}</Tag>,
    },
    { key: 'amount', title: t('opps.field.amount'), align: 'right', render: (_, o) => fmt.money(o.amount) },
    {
      key: 'close',
      title: t('opps.field.expectedCloseDate'),
      render: (_, o) => fmt.date(o.expectedCloseDate),
    },
    {
      key: 'meddic',
      title: 'MEDDIC',
      render: (_, o) => <Progress percent={o.meddicScore} size="small" style={{ width: 96, margin: 0 }} />,
    },
    { key: 'owner', title: t('opps.field.owner'), render: (_, o) => nameOf(o.ownerId, o.ownerName) ?? '—' },
    ...customColumns<OppRow>(
      defs.filter((d) => d.type !== 'long_text'),
      users,
    ),
  ]

  const setCreating = (on: boolean) => {
    const next = new URLSearchParams(params)
    if (on) next.set('new', '1')
    else for (const k of ['new', 'customerId', 'customerName']) next.delete(k)
    setParams(next, { replace: true })
  }

  return (
    <>
      <Typography.Title level={4}>{t('opps.list.title')}</Typography.Title>
      <div className="haina-toolbar" data-testid="opp-filters">
        <Input.Search allowClear placeholder={t('opps.list.search')} style={{ width: 200 }} onSearch={setQ} />
        {pipelineSelect}
        <Select
          allowClear
          placeholder={t('opps.field.stage')}
          style={{ width: 140 }}
          value={stageId}
          onChange={setStageId}
          disabled={!pipelineId}
          options={stages.map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          allowClear
          placeholder={t('opps.field.status')}
          style={{ width: 110 }}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({ value: s, label: t(`opps.status.${s}`) }))}
        />
        <OwnerUnitFilters ownerId={ownerId} unitId={unitId} onOwner={setOwnerId} onUnit={setUnitId} />
        <DatePicker.RangePicker
          value={close}
          onChange={(v) => setClose(v)}
          placeholder={[t('opps.list.closeFrom'), t('opps.list.closeTo')]}
        />
        <Input
          type="number"
          min={0}
          prefix="≥ ¥"
          style={{ width: 130 }}
          placeholder={t('opps.field.amount')}
          onChange={(e) => setMinAmount(e.target.value ? Number(e.target.value) : null)}
        />
        <ViewSwitch to="board" onCreate={() => setCreating(true)} />
        <ExportButton
          path="/api/v1/opportunities/export"
          permission="opportunities.export"
          filter={filter}
          q={q}
          sort={SORT}
          testId="opp-export"
        />
      </div>
      <PagedTable query={list} columns={columns} empty={t('opps.list.empty')} testId="opp-table" />
      <OpportunityDrawer
        open={creating}
        pipelineId={pipelineId}
        customer={presetCustomer}
        onClose={() => setCreating(false)}
        onSaved={(o) => {
          void qc.invalidateQueries({ queryKey: ['opportunities'] })
          nav(`/opportunities/${o.id}`)
        }}
      />
    </>
  )
}

import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  RollbackOutlined,
  ShoppingCartOutlined,
} from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Progress,
  Result,
  Space,
  Spin,
  Steps,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { api, call, listQuery } from '../../../api/client.js'
import { FieldValue } from '../../../components/FieldInput.js'
import { useFieldDefs, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import '../customers/i18n.js'
import { SalesFollowUps } from '../FollowUps.js'
import { useFormat } from '../format.js'
import { type Opportunity, type Stage, salesApi, useContacts, useOpportunity, usePipelines } from './api.js'
import { CompetitorsEditor } from './CompetitorsEditor.js'
import { errText, isConflict, STATUS_COLORS } from './format.js'
import { MeddicForm } from './Meddic.js'
import { useStageMove } from './moves.js'
import { OppLines } from './OppLines.js'
import { OpportunityDrawer } from './OpportunityDrawer.js'
import { OppQuotes } from './OppQuotes.js'
import { StageHistory } from './StageHistory.js'
import './sales.css'

const TABS = ['details', 'meddic', 'products', 'competitors', 'quotes', 'followups', 'history'] as const

/** One opportunity: stage steps and key figures on top, then its details, MEDDIC, products, etc. */
export function OpportunityPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const opp = useOpportunity(id)
  if (opp.isLoading) return <Spin style={{ display: 'block', margin: '64px auto' }} />
  if (!opp.data)
    return (
      <Result
        status="404"
        title={t('opps.notFound')}
        extra={<Link to="/opportunities">{t('opps.board.title')}</Link>}
      />
    )
  return <OpportunityView o={opp.data} />
}

function OpportunityView({ o }: { o: Opportunity }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const nav = useNavigate()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const nameOf = useNameOf()
  const [params, setParams] = useSearchParams()
  const tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as string)
    : 'details'
  const pipeline = (usePipelines().data ?? []).find((p) => p.id === o.pipelineId)
  const stages = pipeline?.stages ?? []
  const contacts = useContacts(o.customerId).data ?? []
  const [editing, setEditing] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const canEdit = can('opportunities.edit')
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['opportunity', o.id] }),
      qc.invalidateQueries({ queryKey: ['opp-history', o.id] }),
      qc.invalidateQueries({ queryKey: ['opp-board'] }),
      qc.invalidateQueries({ queryKey: ['opportunities'] }),
      qc.invalidateQueries({ queryKey: ['orders', { opportunityId: o.id }] }),
    ])
  const { move, dialogs } = useStageMove({ settled: () => void refresh() })
  const card = { id: o.id, name: o.name, stageId: o.stageId, status: o.status, version: o.version }
  // A won opportunity makes one order: once it has it, the button opens it.
  const orders = useQuery({
    queryKey: ['orders', { opportunityId: o.id }],
    queryFn: () =>
      call(
        api.GET('/api/v1/orders', {
          params: { query: listQuery({ filter: { opportunityId: o.id }, limit: 1 }) },
        }),
      ),
    enabled: o.status === 'won' && can('orders.view'),
  })
  const orderId = orders.data?.items[0]?.id
  const wonStage = stages.find((s) => s.kind === 'won')
  const lostStage = stages.find((s) => s.kind === 'lost')

  const act = async (key: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(key)
    try {
      await fn()
      if (done) message.success(done)
    } catch (e) {
      if (isConflict(e)) message.warning(t('opps.move.conflict'))
      else message.error(errText(e))
    } finally {
      setBusy(null)
      await refresh()
    }
  }
  const makeOrder = () =>
    act('order', async () => {
      const order = await salesApi.order(o.id)
      nav(`/orders/${order.id}`)
    })

  // The steps: the open stages in order, then how it ended (won, or lost in red).
  const open = stages.filter((s) => s.kind === 'open')
  const end = o.status === 'lost' ? lostStage : wonStage
  const steps: Stage[] = end ? [...open, end] : open
  const current = Math.max(
    0,
    steps.findIndex((s) => s.id === o.stageId),
  )
  const contactName = (cid?: string | null) => contacts.find((c) => c.id === cid)?.name

  return (
    <>
      <div className="haina-record-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          <Link to="/opportunities">{t('opps.board.title')}</Link> / {o.name}
        </Typography.Title>
        <Tag color={STATUS_COLORS[o.status]} data-testid="opp-status">
          {t(`opps.status.${o.status}`)}
        </Tag>
        <span className="haina-spacer" />
        <Space wrap>
          {canEdit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="opp-edit">
              {t('common.edit')}
            </Button>
          )}
          {canEdit && o.status === 'open' && wonStage && (
            <Button
              type="primary"
              icon={<CheckCircleOutlined />}
              onClick={() => move(card, wonStage)}
              data-testid="opp-won"
            >
              {t('opps.actions.won')}
            </Button>
          )}
          {canEdit && o.status === 'open' && lostStage && (
            <Button
              danger
              icon={<CloseCircleOutlined />}
              onClick={() => move(card, lostStage)}
              data-testid="opp-lost"
            >
              {t('opps.actions.lost')}
            </Button>
          )}
          {canEdit && o.status !== 'open' && (
            <Popconfirm
              title={t('opps.actions.reopenConfirm')}
              onConfirm={() =>
                act('reopen', () => salesApi.reopen(o.id, { version: o.version }), t('opps.actions.reopened'))
              }
            >
              <Button icon={<RollbackOutlined />} loading={busy === 'reopen'} data-testid="opp-reopen">
                {t('opps.actions.reopen')}
              </Button>
            </Popconfirm>
          )}
          {orderId && (
            <Link to={`/orders/${orderId}`}>
              <Button type="primary" icon={<ShoppingCartOutlined />} data-testid="opp-view-order">
                {t('opps.actions.viewOrder')}
              </Button>
            </Link>
          )}
          {o.status === 'won' && !orderId && !orders.isLoading && can('orders.create') && (
            <Button
              type="primary"
              icon={<ShoppingCartOutlined />}
              loading={busy === 'order'}
              onClick={makeOrder}
              data-testid="opp-order"
            >
              {t('opps.actions.order')}
            </Button>
          )}
          {can('opportunities.delete') && (
            <Popconfirm
              title={t('common.confirmDelete')}
              onConfirm={() =>
                act('delete', async () => {
                  await salesApi.remove(o.id)
                  nav('/opportunities/list')
                })
              }
            >
              <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>
          )}
        </Space>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        {steps.length > 0 && (
          <Steps
            className="haina-stage-steps"
            size="small"
            current={current}
            status={o.status === 'lost' ? 'error' : o.status === 'won' ? 'finish' : 'process'}
            onChange={
              canEdit && o.status === 'open'
                ? (i) => {
                    const s = steps[i]
                    if (s && s.id !== o.stageId) move(card, s)
                  }
                : undefined
            }
            items={steps.map((s) => ({
              title: s.name,
              content: `${s.probability}%`,
            }))}
            style={{ marginBottom: 16, overflowX: 'auto' }}
            data-testid="opp-steps"
          />
        )}
        <Descriptions column={{ xs: 1, sm: 2, lg: 4 }} size="small">
          <Descriptions.Item label={t('opps.field.customer')}>
            <Link to={`/customers/${o.customerId}`}>{o.customerName ?? '—'}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.field.amount')}>
            <strong data-testid="opp-amount">{fmt.money(o.amount)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.field.probability')}>{o.probability}%</Descriptions.Item>
          <Descriptions.Item label={t('opps.board.weighted')}>
            {fmt.money(Math.round((o.amount * o.probability) / 100))}
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.field.stage')}>
            {o.stageName ?? steps[current]?.name}
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.field.expectedCloseDate')}>
            {fmt.date(o.expectedCloseDate)}
          </Descriptions.Item>
          <Descriptions.Item label={t('opps.field.owner')}>
            {nameOf(o.ownerId, o.ownerName) ?? t('opps.unassigned')}
          </Descriptions.Item>
          <Descriptions.Item label="MEDDIC">
            <Progress percent={o.meddicScore} size="small" style={{ width: 120, margin: 0 }} />
          </Descriptions.Item>
          {o.status !== 'open' && (
            <Descriptions.Item
              label={o.status === 'won' ? t('opps.close.wonReason') : t('opps.close.lostReason')}
            >
              {o.closeReason ?? '—'}
              {o.closeNote ? ` · ${o.closeNote}` : ''}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          {
            key: 'details',
            label: t('opps.tabs.details'),
            children: <Details o={o} contactName={contactName} pipelineName={pipeline?.name} />,
          },
          {
            key: 'meddic',
            label: `${t('opps.tabs.meddic')} ${o.meddicScore}%`,
            children: <MeddicForm o={o} contacts={contacts} canEdit={canEdit} onSaved={refresh} />,
          },
          {
            key: 'products',
            label: t('opps.tabs.products', { n: o.lines?.length ?? 0 }),
            children: <OppLines o={o} canEdit={canEdit} onSaved={refresh} />,
          },
          {
            key: 'competitors',
            label: t('opps.tabs.competitors', { n: o.competitors?.length ?? 0 }),
            children: <CompetitorsEditor o={o} canEdit={canEdit} onSaved={refresh} />,
          },
          { key: 'quotes', label: t('opps.tabs.quotes'), children: <OppQuotes o={o} /> },
          {
            key: 'followups',
            label: t('opps.tabs.followups'),
            children: (
              <SalesFollowUps
                subject={{ type: 'opportunity', id: o.id }}
                canWrite={canEdit}
                testId="opportunity-followups"
              />
            ),
          },
          { key: 'history', label: t('opps.tabs.history'), children: <StageHistory opportunityId={o.id} /> },
        ]}
      />
      {dialogs}
      <OpportunityDrawer
        open={editing}
        opportunity={o}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false)
          void refresh()
        }}
      />
    </>
  )
}

/** The fields of the record, custom ones included. */
function Details(props: {
  o: Opportunity
  contactName: (id?: string | null) => string | undefined
  pipelineName?: string
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const defs = useFieldDefs('opportunity').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const o = props.o
  return (
    <Card size="small">
      <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
        <Descriptions.Item label={t('opps.field.name')}>{o.name}</Descriptions.Item>
        <Descriptions.Item label={t('opps.field.pipeline')}>{props.pipelineName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('opps.field.contact')}>
          {props.contactName(o.contactId) ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('opps.field.source')}>{o.source ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('opps.field.createdAt')}>{fmt.dateTime(o.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('opps.field.updatedAt')}>{fmt.dateTime(o.updatedAt)}</Descriptions.Item>
        {defs.map((d) => (
          <Descriptions.Item key={d.key} label={d.label}>
            <FieldValue def={d} value={o.custom?.[d.key]} users={users} />
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  )
}

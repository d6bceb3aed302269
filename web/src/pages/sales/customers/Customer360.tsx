import { BankOutlined, UserOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Col, Result, Row, Space, Statistic, Tabs, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../../api/client.js'
import { useCan } from '../../../session.js'
import '../../intake/i18n.js'
import { useNameOf } from '../../pools/api.js'
import '../../pools/pools.css'
import { why } from '../../pools/outcome.js'
import '../../quality/i18n.js'
import '../orders/i18n.js'
import { TaskModal } from '../tasks/TaskModal.js'
import { customersApi } from './api.js'
import { AddButton, GroupTag, levelLabel } from './bits.js'
import { ContactsTree } from './C360Contacts.js'
import { HierarchyCard, ProfileCard } from './C360Profile.js'
import {
  AttributionSection,
  AuditSection,
  OpportunitiesSection,
  OrdersSection,
  QuotesSection,
  RelatedFollowUpsSection,
  TagsSection,
  TasksSection,
  TimelineSection,
} from './C360Sections.js'
import { ReleaseCustomersModal } from './CustomerModals.js'
import './customers.css'
import { SalesFollowUps } from '../FollowUps.js'
import { useFormat } from '../format.js'
import './i18n.js'
import { NewOpportunityModal } from './OpportunityModal.js'

/** Customer 360: one page with everything about a customer (GET /customers/:id/360). */
export function Customer360Page() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const can = useCan()
  const fmt = useFormat()
  const nav = useNavigate()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const nameOf = useNameOf()
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') ?? 'overview'
  const [newOpp, setNewOpp] = useState(false)
  const [newTask, setNewTask] = useState(false)
  const [releasing, setReleasing] = useState<string[] | null>(null)
  const q = useQuery({ queryKey: ['customer360', id], queryFn: () => customersApi.c360(id), retry: false })
  const refresh = () => qc.invalidateQueries({ queryKey: ['customer360', id] })

  if (q.error)
    return (
      <Result
        status={q.error instanceof ApiError && q.error.status === 404 ? '404' : 'error'}
        title={q.error instanceof ApiError && q.error.status === 404 ? t('customers.notFound') : why(q.error)}
        extra={<Link to="/customers">{t('customers.back')}</Link>}
      />
    )
  const d = q.data
  const c = d?.customer
  const claim = async () => {
    try {
      await customersApi.claim(id)
      message.success(t('customers.pool.claimed'))
      await refresh()
    } catch (e) {
      message.error(why(e))
    }
  }

  const tabs = d &&
    c && [
      {
        key: 'overview',
        label: t('customers.tabs.overview'),
        children: (
          <Row gutter={[16, 16]}>
            <Col span={24}>
              <ProfileCard customer={c} fmt={fmt} />
            </Col>
            <Col xs={24} lg={8}>
              <HierarchyCard hierarchy={d.hierarchy} name={c.name} />
            </Col>
            <Col xs={24} lg={8}>
              <AttributionSection data={d} fmt={fmt} />
            </Col>
            <Col xs={24} lg={8}>
              <TagsSection tags={d.tags ?? []} personId={c.personId} />
            </Col>
          </Row>
        ),
      },
      {
        key: 'contacts',
        label: t('customers.tabs.contacts'),
        children: (
          <ContactsTree customerId={id} tree={d.contactsTree ?? []} canEdit={can('customers.edit')} />
        ),
      },
      {
        key: 'opportunities',
        label: t('customers.tabs.opportunitiesQuotes'),
        children: (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <OpportunitiesSection
              rows={d.opportunities ?? []}
              extra={
                <AddButton
                  allowed={can('opportunities.create')}
                  small
                  onClick={() => setNewOpp(true)}
                  testId="c360-opportunity-new"
                >
                  {t('customers.opportunity.new')}
                </AddButton>
              }
            />
            <QuotesSection rows={d.quotes ?? []} />
          </Space>
        ),
      },
      {
        key: 'orders',
        label: t('customers.tabs.orders'),
        children: (
          <OrdersSection
            rows={d.orders?.recent ?? []}
            extra={
              <AddButton
                allowed={can('orders.create')}
                small
                onClick={() => nav(`/orders?new=${id}`)}
                testId="c360-order-new"
              >
                {t('orders.new')}
              </AddButton>
            }
          />
        ),
      },
      {
        key: 'followUps',
        label: t('customers.tabs.followUps'),
        children: (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <SalesFollowUps
                subject={{ type: 'customer', id }}
                canWrite={can('customers.edit')}
                testId="customer-followups"
              />
            </Col>
            <Col xs={24} lg={10}>
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                <TimelineSection rows={d.timeline ?? []} fmt={fmt} />
                <RelatedFollowUpsSection rows={d.followUps ?? []} fmt={fmt} />
              </Space>
            </Col>
          </Row>
        ),
      },
      {
        key: 'tasks',
        label: t('customers.tabs.tasks'),
        children: (
          <TasksSection
            rows={d.tasks ?? []}
            extra={
              <AddButton
                allowed={can('tasks.create')}
                small
                onClick={() => setNewTask(true)}
                testId="c360-task-new"
              >
                {t('tasks.new')}
              </AddButton>
            }
          />
        ),
      },
      { key: 'audit', label: t('customers.tabs.audit'), children: <AuditSection rows={d.audit ?? []} /> },
    ]

  return (
    <>
      <Typography.Title level={4}>
        <Link to="/customers">{t('salesMenu.customers')}</Link> / {c?.name}
      </Typography.Title>
      <Card loading={q.isLoading} style={{ marginBottom: 16 }} data-testid="c360-header">
        {c && (
          <>
            <div className="haina-c360-head">
              {c.kind === 'individual' ? (
                <UserOutlined style={{ fontSize: 20 }} />
              ) : (
                <BankOutlined style={{ fontSize: 20 }} />
              )}
              <Typography.Title level={4} data-testid="c360-name">
                {c.name}
              </Typography.Title>
              <Tag>{t(`customers.kind.${c.kind}`)}</Tag>
              <GroupTag group={c.customerGroup} />
              {c.level && <Tag color="gold">{levelLabel(t, c.level)}</Tag>}
              {c.poolId && <Tag color="orange">{t('customers.inPool')}</Tag>}
              <span style={{ flex: 1 }} />
              <Space wrap>
                {c.poolId && can('customers.edit') && (
                  <Button type="primary" onClick={claim} data-testid="c360-claim">
                    {t('pools.claim.claim')}
                  </Button>
                )}
                {!c.poolId && can('customers.edit') && (
                  <Button onClick={() => setReleasing([c.id])} data-testid="c360-release">
                    {t('customers.release.action')}
                  </Button>
                )}
              </Space>
            </div>
            <Space wrap size={[24, 4]} className="haina-muted">
              <span>
                {t('customers.field.owner')}：{nameOf(c.ownerId, c.ownerName) ?? '—'}
              </span>
              {c.creditCode && (
                <span>
                  {t('customers.field.creditCode')}：{c.creditCode}
                </span>
              )}
              {c.industry && (
                <span>
                  {t('customers.field.industry')}：{c.industry}
                </span>
              )}
            </Space>
            <div className="haina-c360-stats">
              <Statistic title={t('customers.stats.orders')} value={d?.orders?.count ?? c.orderCount} />
              <Statistic
                title={t('customers.stats.revenue')}
                value={fmt.money(d?.orders?.amount ?? c.orderTotal)}
              />
              <Statistic
                title={t('customers.stats.receivable')}
                value={fmt.money(d?.receivable?.balance)}
                valueStyle={(d?.receivable?.balance ?? 0) > 0 ? { color: '#cf1322' } : undefined}
              />
              <Statistic title={t('customers.stats.opportunities')} value={d?.opportunities?.length ?? 0} />
              <Statistic title={t('customers.stats.contacts')} value={countNodes(d?.contactsTree ?? [])} />
            </div>
          </>
        )}
      </Card>
      {tabs && (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={tabs}
          data-testid="c360-tabs"
        />
      )}
      <NewOpportunityModal customer={newOpp && c ? c : null} onClose={() => setNewOpp(false)} />
      <TaskModal
        open={newTask}
        initial={{ subjectType: 'customer', subjectId: id }}
        onClose={() => setNewTask(false)}
        onSaved={() => {
          setNewTask(false)
          void refresh()
        }}
      />
      <ReleaseCustomersModal
        ids={releasing}
        onClose={() => setReleasing(null)}
        onDone={() => void refresh()}
      />
    </>
  )
}

const countNodes = (nodes: { children?: unknown[] }[]): number =>
  nodes.reduce((n, x) => n + 1 + countNodes((x.children ?? []) as { children?: unknown[] }[]), 0)

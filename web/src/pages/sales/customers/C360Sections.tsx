import { Card, Descriptions, Empty, Table, Tag, Timeline, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { ProfileLink } from '../../profiles/persons/components.js'
import { TagList } from '../../profiles/tags/components.js'
import { type Format, useFormat } from '../format.js'
import { OrderStatusTag } from '../orders/bits.js'
import { TaskStatusTag } from '../tasks/bits.js'
import type { Customer360 } from './api.js'
import './i18n.js'

type Of<K extends keyof Customer360> = NonNullable<Customer360[K]>
type Row<K extends keyof Customer360> = Of<K> extends (infer R)[] ? R : never

/** A compact table of one kind of related record, with its empty state. */
function Related<R extends object>(props: {
  title: string
  rows: R[]
  columns: ColumnsType<R>
  empty: string
  extra?: React.ReactNode
  testId: string
}) {
  return (
    <Card size="small" title={props.title} extra={props.extra} data-testid={props.testId}>
      <Table
        rowKey={(r) => (r as { id: string }).id}
        size="small"
        pagination={false}
        dataSource={props.rows}
        columns={props.columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} /> }}
      />
    </Card>
  )
}

/** Win probability: an integer percentage (0–100). */
const pctOf = (p: number | null | undefined) => (p == null ? '—' : `${p}%`)

export function OpportunitiesSection({
  rows,
  extra,
}: {
  rows: Of<'opportunities'>
  extra?: React.ReactNode
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const columns: ColumnsType<Row<'opportunities'>> = [
    {
      key: 'name',
      title: t('customers.opportunity.name'),
      render: (_, o) => <Link to={`/opportunities/${o.id}`}>{o.name}</Link>,
    },
    {
      key: 'stage',
      title: t('customers.opportunity.stage'),
      render: (_, o) => <Tag>{o.stageName ?? '—'}</Tag>,
    },
    {
      key: 'amount',
      title: t('customers.opportunity.amount'),
      align: 'right',
      render: (_, o) => fmt.money(o.amount),
    },
    {
      key: 'probability',
      title: t('customers.opportunity.probability'),
      align: 'right',
      render: (_, o) => pctOf(o.probability),
    },
    {
      key: 'close',
      title: t('customers.opportunity.closeDate'),
      render: (_, o) => fmt.date(o.expectedCloseDate),
    },
    {
      key: 'status',
      title: t('common.status'),
      render: (_, o) =>
        o.status ? (
          <Tag color={{ won: 'success', lost: 'error' }[o.status] ?? 'processing'}>
            {t(`customers.opportunity.status.${o.status}`, { defaultValue: o.status })}
          </Tag>
        ) : null,
    },
  ]
  return (
    <Related
      title={t('customers.tabs.opportunities')}
      rows={rows}
      columns={columns}
      empty={t('customers.empty.opportunities')}
      extra={extra}
      testId="c360-opportunities"
    />
  )
}

export function QuotesSection({ rows }: { rows: Of<'quotes'> }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const columns: ColumnsType<Row<'quotes'>> = [
    {
      key: 'number',
      title: t('customers.quote.number'),
      render: (_, q) => <Link to={`/quotes/${q.id}`}>{q.number ?? q.title ?? q.id}</Link>,
    },
    { key: 'title', title: t('customers.quote.title'), render: (_, q) => q.title ?? '—' },
    {
      key: 'status',
      title: t('common.status'),
      render: (_, q) => <Tag>{t(`customers.quote.status.${q.status}`, { defaultValue: q.status })}</Tag>,
    },
    { key: 'total', title: t('customers.quote.total'), align: 'right', render: (_, q) => fmt.money(q.total) },
    { key: 'createdAt', title: t('common.createdAt'), render: (_, q) => fmt.date(q.createdAt) },
  ]
  return (
    <Related
      title={t('customers.tabs.quotes')}
      rows={rows}
      columns={columns}
      empty={t('customers.empty.quotes')}
      testId="c360-quotes"
    />
  )
}

type OrderRow = NonNullable<Customer360['orders']>['recent'][number]

export function OrdersSection({ rows, extra }: { rows: OrderRow[]; extra?: React.ReactNode }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const columns: ColumnsType<OrderRow> = [
    {
      key: 'number',
      title: t('orders.field.number'),
      render: (_, o) => <Link to={`/orders/${o.id}`}>{o.number}</Link>,
    },
    { key: 'status', title: t('common.status'), render: (_, o) => <OrderStatusTag status={o.status} /> },
    { key: 'orderedAt', title: t('orders.field.orderedAt'), render: (_, o) => fmt.date(o.orderedAt) },
    { key: 'total', title: t('orders.field.total'), align: 'right', render: (_, o) => fmt.money(o.total) },
    {
      key: 'balance',
      title: t('orders.field.balance'),
      align: 'right',
      render: (_, o) => fmt.money(o.balance),
    },
  ]
  return (
    <Related
      title={t('customers.tabs.orders')}
      rows={rows}
      columns={columns}
      empty={t('customers.empty.orders')}
      extra={extra}
      testId="c360-orders"
    />
  )
}

export function TasksSection({ rows, extra }: { rows: Of<'tasks'>; extra?: React.ReactNode }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const columns: ColumnsType<Row<'tasks'>> = [
    {
      key: 'title',
      title: t('tasks.field.title'),
      render: (_, x) => <Link to={`/tasks?open=${x.id}`}>{x.title}</Link>,
    },
    {
      key: 'kind',
      title: t('tasks.field.kind'),
      render: (_, x) => t(`tasks.kind.${x.kind}`, { defaultValue: x.kind }),
    },
    { key: 'when', title: t('tasks.field.when'), render: (_, x) => fmt.dateTime(x.startAt ?? x.dueAt) },
    { key: 'status', title: t('common.status'), render: (_, x) => <TaskStatusTag status={x.status} /> },
  ]
  return (
    <Related
      title={t('customers.tabs.tasks')}
      rows={rows}
      columns={columns}
      empty={t('customers.empty.tasks')}
      extra={extra}
      testId="c360-tasks"
    />
  )
}

export function AuditSection({ rows }: { rows: Of<'audit'> }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const columns: ColumnsType<Row<'audit'>> = [
    { key: 'at', title: t('customers.audit.at'), render: (_, a) => fmt.dateTime(a.at) },
    {
      key: 'actor',
      title: t('customers.audit.actor'),
      render: (_, a) => a.actorName ?? t('customers.audit.system'),
    },
    {
      key: 'object',
      title: t('customers.audit.object'),
      render: (_, a) => t(`customers.audit.objects.${a.objectType}`, { defaultValue: a.objectType }),
    },
    {
      key: 'action',
      title: t('customers.audit.action'),
      render: (_, a) => <Tag>{t(`customers.audit.actions.${a.action}`, { defaultValue: a.action })}</Tag>,
    },
    {
      key: 'changes',
      title: t('customers.audit.changes'),
      // The changed fields by name (the full before → after is in the audit log).
      render: (_, a) =>
        a.summary || a.changes.map((f) => t(`customers.field.${f}`, { defaultValue: f })).join('、') || '—',
    },
  ]
  return (
    <Related
      title={t('customers.tabs.audit')}
      rows={rows}
      columns={columns}
      empty={t('customers.empty.audit')}
      testId="c360-audit"
    />
  )
}

const TIMELINE_COLORS: Record<string, string> = {
  intent: 'blue',
  merge: 'purple',
  order: 'green',
  follow_up: 'cyan',
}

/** The behaviour timeline: intents, merges, events, follow-ups, orders — newest first. */
export function TimelineSection({ rows, fmt }: { rows: Of<'timeline'>; fmt: Format }) {
  const { t } = useTranslation()
  return (
    <Card size="small" title={t('customers.tabs.timeline')} data-testid="c360-timeline">
      {rows.length ? (
        <Timeline
          items={rows.map((i) => ({
            key: i.id,
            color: TIMELINE_COLORS[i.kind] ?? 'gray',
            content: (
              <>
                <Typography.Text type="secondary">{fmt.dateTime(i.at)}</Typography.Text>{' '}
                <Tag>{t(`customers.timeline.${i.kind}`, { defaultValue: i.kind })}</Tag>
                {t(`quality.events.${i.type}`, {
                  defaultValue: t(`intake.outcome.${i.type}`, { defaultValue: i.type }),
                })}
                {summary(i.data)}
              </>
            ),
          }))}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.empty.timeline')} />
      )}
    </Card>
  )
}

function summary(d?: Record<string, unknown>) {
  if (!d) return null
  const p = (d.payload ?? d) as Record<string, unknown>
  const parts = ['title', 'name', 'number', 'content', 'company', 'url']
    .map((k) => p[k])
    .filter((x) => typeof x === 'string' && x)
  return parts.length ? ` · ${parts.slice(0, 3).join(' · ')}` : null
}

/** Tags arrive with profiles (画像, issue #6); until then the section says so. */
export function TagsSection({ tags, personId }: { tags: Of<'tags'>; personId?: string | null }) {
  const { t } = useTranslation()
  const can = useCan()
  return (
    <Card
      size="small"
      title={t('customers.tabs.tags')}
      extra={<ProfileLink personId={personId} />}
      data-testid="c360-tags"
    >
      {tags.length ? (
        <TagList tags={tags} personId={can('profiles.view') ? (personId ?? undefined) : undefined} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.empty.tags')} />
      )}
    </Card>
  )
}

/** Where the customer came from (channel, first and last campaign) and its intents. */
export function AttributionSection({ data, fmt }: { data: Customer360; fmt: Format }) {
  const { t } = useTranslation()
  const a = data.attribution ?? {}
  const link = (c?: { id: string; name: string | null } | null) =>
    c ? <Link to={`/campaigns/${c.id}`}>{c.name}</Link> : '—'
  const intents = data.intents ?? []
  return (
    <Card size="small" title={t('customers.tabs.attribution')} data-testid="c360-attribution">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('customers.attribution.channel')}>
          {a.channel?.name ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.attribution.firstCampaign')}>
          {link(a.firstCampaign)}
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.attribution.lastCampaign')}>
          {link(a.lastCampaign)}
        </Descriptions.Item>
        <Descriptions.Item label={t('customers.attribution.intents')}>{intents.length}</Descriptions.Item>
      </Descriptions>
      {intents.length > 0 && (
        <Timeline
          style={{ marginTop: 12 }}
          items={intents.slice(0, 10).map((i) => ({
            key: i.id,
            content: (
              <>
                <Typography.Text type="secondary">{fmt.dateTime(i.at)}</Typography.Text>{' '}
                {i.outcome && <Tag>{t(`intake.outcome.${i.outcome}`, { defaultValue: i.outcome })}</Tag>}
                {i.channelName}
              </>
            ),
          }))}
        />
      )}
    </Card>
  )
}

/**
 * Follow-ups written on the lead the customer came from and on its opportunities (the 360 API
 * returns them with the customer's own, which the timeline beside this shows and edits).
 */
export function RelatedFollowUpsSection({ rows, fmt }: { rows: Of<'followUps'>; fmt: Format }) {
  const { t } = useTranslation()
  const related = rows.filter((f) => f.subjectType !== 'customer')
  if (!related.length) return null
  const link = (f: (typeof related)[number]) =>
    f.subjectType === 'lead' ? `/leads/${f.subjectId}` : `/opportunities/${f.subjectId}`
  return (
    <Card size="small" title={t('customers.tabs.relatedFollowUps')} data-testid="c360-related-followups">
      <Timeline
        items={related.map((f) => ({
          key: f.id,
          content: (
            <>
              <Typography.Text type="secondary">{fmt.dateTime(f.occurredAt)}</Typography.Text>{' '}
              <Link to={link(f)}>
                <Tag>{t(`customers.audit.objects.${f.subjectType}`, { defaultValue: f.subjectType })}</Tag>
              </Link>
              <Tag>{t(`pools.followUp.types.${f.type}`, { defaultValue: f.type })}</Tag>
              {f.content}
              {f.authorName && <Typography.Text type="secondary"> — {f.authorName}</Typography.Text>}
            </>
          ),
        }))}
      />
    </Card>
  )
}

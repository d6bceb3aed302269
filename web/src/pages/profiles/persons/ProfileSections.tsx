import { Card, Empty, Space, Statistic, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Chart } from '../../../components/Chart.js'
import '../../quality/i18n.js'
import { GroupTag, levelLabel } from '../../sales/customers/bits.js'
import { type Format, useFormat } from '../../sales/format.js'
import { OrderStatusTag } from '../../sales/orders/bits.js'
import type { Profile } from './api.js'
import './i18n.js'

type Row<T> = T extends (infer R)[] ? R : never
/** Figures inside a card: smaller than the page header's. */
const SMALL = { content: { fontSize: 20 } }
const emptyOf = (text: string) => ({
  emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />,
})

/** A compact card with a small table and its empty state. */
function TableCard<R extends object>(props: {
  title: string
  rows: R[]
  columns: ColumnsType<R>
  rowKey: (r: R) => string
  empty: string
  testId: string
}) {
  return (
    <Card size="small" title={props.title} data-testid={props.testId} style={{ height: '100%' }}>
      <Table<R>
        rowKey={props.rowKey}
        size="small"
        pagination={false}
        dataSource={props.rows}
        columns={props.columns}
        scroll={{ x: 'max-content' }}
        locale={emptyOf(props.empty)}
      />
    </Card>
  )
}

type ScoreRow = Omit<Row<Profile['scores']>, 'score'> & { score: number | null }

/** The person's leads with their scores (links to the lead). */
export function ScoresSection({ profile }: { profile: Profile }) {
  const { t } = useTranslation()
  // Every lead of the person, scored or not (scores carry the lead's own name and status).
  const rows = useMemo(() => {
    const scored = new Map(profile.scores.map((s) => [s.leadId, s]))
    const extra = profile.leads
      .filter((l) => !scored.has(l.id))
      .map((l) => ({ leadId: l.id, name: l.name, score: null, grade: null, status: l.status }))
    return [...profile.scores, ...extra] as ScoreRow[]
  }, [profile])
  const columns: ColumnsType<ScoreRow> = [
    {
      key: 'lead',
      title: t('persons.score.lead'),
      render: (_, s) => <Link to={`/leads/${s.leadId}`}>{s.name || t('persons.unnamed')}</Link>,
    },
    {
      key: 'score',
      title: t('persons.score.score'),
      align: 'right',
      render: (_, s) => (s.score == null ? '—' : s.score),
    },
    {
      key: 'grade',
      title: t('persons.score.grade'),
      render: (_, s) => (s.grade ? <Tag color="blue">{s.grade}</Tag> : '—'),
    },
    {
      key: 'status',
      title: t('persons.score.status'),
      render: (_, s) => <Tag>{t(`leads.status_${s.status}`, { defaultValue: s.status })}</Tag>,
    },
  ]
  return (
    <TableCard
      title={t('persons.section.scores')}
      rows={rows}
      columns={columns}
      rowKey={(s) => s.leadId}
      empty={t('persons.score.none')}
      testId="person-scores"
    />
  )
}

/** Channels the person came through, and the ids (masked as the server returns them). */
export function ChannelsSection({ profile, fmt }: { profile: Profile; fmt: Format }) {
  const { t } = useTranslation()
  const columns: ColumnsType<Row<Profile['channels']>> = [
    {
      key: 'name',
      title: t('persons.channel.name'),
      render: (_, c) => c.name ?? t('persons.channel.unknown'),
    },
    { key: 'intents', title: t('persons.channel.intents'), align: 'right', dataIndex: 'intents' },
    { key: 'firstAt', title: t('persons.channel.firstAt'), render: (_, c) => fmt.date(c.firstAt) },
    { key: 'lastAt', title: t('persons.channel.lastAt'), render: (_, c) => fmt.date(c.lastAt) },
  ]
  return (
    <Card
      size="small"
      title={t('persons.section.channels')}
      data-testid="person-channels"
      style={{ height: '100%' }}
    >
      <Table
        rowKey={(c) => c.channelId ?? ''}
        size="small"
        pagination={false}
        dataSource={profile.channels}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={emptyOf(t('persons.channel.none'))}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('persons.section.identities')}
      </Typography.Title>
      {profile.identities.length ? (
        <Space orientation="vertical" size={4} data-testid="person-identities">
          {profile.identities.map((i) => (
            <span key={`${i.kind}:${i.namespace ?? ''}:${i.value}`}>
              <Tag>{t(`persons.identity.kinds.${i.kind}`, { defaultValue: i.kind })}</Tag>
              <Typography.Text copyable={false}>{i.value}</Typography.Text>
              {i.namespace ? <Typography.Text type="secondary"> · {i.namespace}</Typography.Text> : null}
            </span>
          ))}
        </Space>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('persons.identity.none')} />
      )}
    </Card>
  )
}

/** The last 30 calendar days ending today (workspace time zone), filled from the server's days. */
function thirtyDays(fmt: Format, days: { date: string; count: number }[]) {
  const byDay = new Map(days.map((d) => [d.date.slice(0, 10), d.count]))
  const today = fmt.dayKey(new Date().toISOString())
  const last = days.length ? [...byDay.keys()].sort().at(-1) : undefined
  // Count back from the later of today and the server's last day (clocks may differ slightly).
  const end = last && last > today ? last : today
  const out: { date: string; count: number }[] = []
  const base = new Date(`${end}T00:00:00Z`)
  for (let i = 29; i >= 0; i--) {
    const d = new Date(base.getTime() - i * 86_400_000).toISOString().slice(0, 10)
    out.push({ date: d, count: byDay.get(d) ?? 0 })
  }
  return out
}

/** Behaviour summary: counts by event type and the last 30 days as a bar chart. */
export function BehaviourSection({ profile }: { profile: Profile }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const b = profile.behaviour
  const label = (type: string) => t(`quality.events.${type}`, { defaultValue: type })
  const days = useMemo(() => thirtyDays(fmt, b.last30Days), [fmt, b.last30Days])
  const option = useMemo(
    () => ({
      grid: { left: 36, right: 12, top: 16, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: days.map((d) => d.date.slice(5)),
        axisLabel: { interval: 4 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('persons.behaviour.series'),
          data: days.map((d) => d.count),
          itemStyle: { color: '#1668dc' },
        },
      ],
    }),
    [days, t],
  )
  return (
    <Card
      size="small"
      title={t('persons.section.behaviour')}
      data-testid="person-behaviour"
      style={{ height: '100%' }}
    >
      <div className="haina-c360-stats" style={{ marginTop: 0, marginBottom: 12, gap: '8px 32px' }}>
        <Statistic styles={SMALL} title={t('persons.behaviour.total')} value={b.total} />
        <Statistic styles={SMALL} title={t('persons.field.firstSeenAt')} value={fmt.date(b.firstSeenAt)} />
        <Statistic styles={SMALL} title={t('persons.field.lastSeenAt')} value={fmt.dateTime(b.lastSeenAt)} />
      </div>
      {b.counts.length ? (
        <Space size={[8, 8]} wrap data-testid="person-behaviour-counts">
          {[...b.counts]
            .sort((x, y) => y.count - x.count)
            .map((c) => (
              <Tag
                key={c.type}
                title={c.lastAt ? `${t('persons.behaviour.lastAt')}：${fmt.dateTime(c.lastAt)}` : undefined}
              >
                {label(c.type)} <b>{c.count}</b>
              </Tag>
            ))}
        </Space>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('persons.behaviour.none')} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('persons.section.last30')}
      </Typography.Title>
      <Chart option={option} height={200} />
    </Card>
  )
}

/** Orders and lifetime value: stat cards and the recent orders. */
export function OrdersSection({ profile, fmt }: { profile: Profile; fmt: Format }) {
  const { t } = useTranslation()
  const o = profile.orders
  const columns: ColumnsType<Row<Profile['orders']['recent']>> = [
    {
      key: 'number',
      title: t('persons.orders.number'),
      render: (_, r) => <Link to={`/orders/${r.id}`}>{r.number}</Link>,
    },
    {
      key: 'status',
      title: t('persons.orders.status'),
      render: (_, r) => <OrderStatusTag status={r.status} />,
    },
    { key: 'total', title: t('persons.orders.amount'), align: 'right', render: (_, r) => fmt.money(r.total) },
    { key: 'orderedAt', title: t('persons.orders.orderedAt'), render: (_, r) => fmt.date(r.orderedAt) },
  ]
  return (
    <Card
      size="small"
      title={t('persons.section.orders')}
      data-testid="person-orders"
      style={{ height: '100%' }}
    >
      <div className="haina-c360-stats" style={{ marginTop: 0, marginBottom: 12, gap: '8px 32px' }}>
        <Statistic styles={SMALL} title={t('persons.orders.count')} value={o.count} />
        <Statistic styles={SMALL} title={t('persons.orders.total')} value={fmt.money(o.total)} />
        <Statistic
          styles={SMALL}
          title={t('persons.orders.lifetimeValue')}
          value={fmt.money(o.lifetimeValue)}
          data-testid="person-ltv"
        />
        <Statistic
          styles={SMALL}
          title={t('persons.orders.averageValue')}
          value={fmt.money(o.averageValue)}
        />
        <Statistic styles={SMALL} title={t('persons.orders.lastOrderAt')} value={fmt.date(o.lastOrderAt)} />
      </div>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={o.recent}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={emptyOf(t('persons.orders.none'))}
      />
    </Card>
  )
}

/** A card with a list of links (customers, segments). */
export function LinksCard<T extends { id: string }>(props: {
  title: string
  rows: T[]
  to: (r: T) => string
  label: (r: T) => React.ReactNode
  extra?: (r: T) => React.ReactNode
  empty: string
  testId: string
}) {
  return (
    <Card size="small" title={props.title} data-testid={props.testId} style={{ height: '100%' }}>
      {props.rows.length ? (
        <div className="haina-person-links">
          {props.rows.map((r) => (
            <div key={r.id}>
              <Link to={props.to(r)}>{props.label(r)}</Link>
              {props.extra?.(r)}
            </div>
          ))}
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} />
      )}
    </Card>
  )
}

export function CustomersCard({ profile }: { profile: Profile }) {
  const { t } = useTranslation()
  return (
    <LinksCard
      title={t('persons.section.customers')}
      rows={profile.customers}
      to={(c) => `/customers/${c.id}`}
      label={(c) => c.name}
      extra={(c) => (
        <Space size={4}>
          <GroupTag group={c.customerGroup} />
          {c.level && <Tag color="gold">{levelLabel(t, c.level)}</Tag>}
        </Space>
      )}
      empty={t('persons.customers.none')}
      testId="person-customers"
    />
  )
}

export function SegmentsCard({ profile }: { profile: Profile }) {
  const { t } = useTranslation()
  return (
    <LinksCard
      title={t('persons.section.segments')}
      rows={profile.segments}
      to={(s) => `/segments/${s.id}`}
      label={(s) => s.name}
      empty={t('persons.segments.none')}
      testId="person-segments"
    />
  )
}

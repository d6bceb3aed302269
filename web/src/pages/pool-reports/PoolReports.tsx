import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  Card,
  Col,
  DatePicker,
  Empty,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { FunnelChart } from 'echarts/charts'
import { use } from 'echarts/core'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { Chart } from '../../components/Chart.js'
import './i18n.js'

// The shared chart component registers bar, line and pie; the funnel is only drawn here.
use([FunnelChart])

type Range = [Dayjs, Dayjs]
const DAY = 'YYYY-MM-DD'

const pct = (r: number | null | undefined) =>
  r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`
const hrs = (h: number | null | undefined) => (h === null || h === undefined ? '—' : h.toFixed(1))

/**
 * 线索池报表: the funnel from the master pool to conversion with each step's rate, claims, releases
 * and reclaims per day, and time to first contact by person or team against the SLA — all within
 * the caller's data scope, for the chosen days.
 */
export function PoolReportsPage() {
  const { t } = useTranslation()
  // Until a range is picked the server chooses the last 30 days up to today in the workspace's
  // time zone, which may be a day ahead of (or behind) the browser's.
  const [range, setRange] = useState<Range | null>(null)
  const [groupBy, setGroupBy] = useState<'user' | 'unit'>('user')
  const query = range ? { from: range[0].format(DAY), to: range[1].format(DAY) } : {}

  const funnel = useQuery({
    queryKey: ['lead-reports', 'funnel', query],
    queryFn: () => call(api.GET('/api/v1/lead-reports/funnel', { params: { query } })),
  })
  const activity = useQuery({
    queryKey: ['lead-reports', 'activity', query],
    queryFn: () => call(api.GET('/api/v1/lead-reports/pool-activity', { params: { query } })),
  })
  const contact = useQuery({
    queryKey: ['lead-reports', 'first-contact', query, groupBy],
    queryFn: () =>
      call(api.GET('/api/v1/lead-reports/first-contact', { params: { query: { ...query, groupBy } } })),
  })

  // "Today" as the workspace counts it: the end of the server's default range.
  const [today, setToday] = useState<Dayjs>(dayjs())
  const serverTo = !range ? funnel.data?.to : undefined
  useEffect(() => {
    if (serverTo) setToday(dayjs(serverTo))
  }, [serverTo])

  const stageName = (k: string) => t(`poolReports.stages.${k}`)

  const funnelOption = useMemo(() => {
    const stages = funnel.data?.stages ?? []
    const top = Math.max(1, ...stages.map((s) => s.count))
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string; value: number; dataIndex: number }) => {
          const s = stages[p.dataIndex]
          return `${p.name}: ${p.value}<br/>${t('poolReports.rate')}: ${pct(s?.rate)}<br/>${t('poolReports.overallRate')}: ${pct(s?.overallRate)}`
        },
      },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          // The funnel on the left, each stage's count and step rate beside it (long names never clip).
          left: 8,
          width: '58%',
          top: 8,
          bottom: 8,
          min: 0,
          max: top,
          minSize: '10%',
          gap: 2,
          label: {
            position: 'right',
            color: '#1f1f1f',
            formatter: (p: { name: string; value: number; dataIndex: number }) => {
              const rate = stages[p.dataIndex]?.rate
              return rate === null || rate === undefined
                ? `${p.name}  ${p.value}`
                : `${p.name}  ${p.value}  (${pct(rate)})`
            },
          },
          labelLine: { show: true, length: 12 },
          data: stages.map((s) => ({ name: t(`poolReports.stages.${s.key}`), value: s.count })),
        },
      ],
    }
  }, [funnel.data, t])
  const funnelEmpty = !!funnel.data && funnel.data.stages.every((s) => s.count === 0)

  const days = activity.data?.days ?? []
  const activityOption = useMemo(() => {
    const series = (['claims', 'releases', 'reclaims', 'distributions', 'assignments'] as const).map((k) => ({
      name: t(`poolReports.activity.${k}`),
      type: k === 'distributions' || k === 'assignments' ? 'line' : 'bar',
      stack: k === 'distributions' || k === 'assignments' ? undefined : 'public',
      smooth: true,
      data: days.map((d) => d[k]),
    }))
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    }
  }, [days, t])

  const rows = contact.data?.rows ?? []
  const nameOf = useCallback(
    (r: { id: string | null; name: string | null }) =>
      r.name ?? (groupBy === 'user' ? t('poolReports.contact.nobody') : t('poolReports.contact.noUnit')),
    [groupBy, t],
  )
  const contactOption = useMemo(() => {
    const top = [...rows].sort((a, b) => b.assigned - a.assigned).slice(0, 20)
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 48, top: 24, bottom: 72 },
      xAxis: {
        type: 'category',
        data: top.map(nameOf),
        axisLabel: { interval: 0, rotate: top.length > 6 ? 30 : 0 },
      },
      yAxis: [
        { type: 'value', name: t('poolReports.contact.hoursAxis'), minInterval: 1 },
        {
          type: 'value',
          name: t('poolReports.contact.slaAxis'),
          max: 100,
          axisLabel: { formatter: '{value}%' },
        },
      ],
      series: [
        { name: t('poolReports.contact.median'), type: 'bar', data: top.map((r) => r.medianHours) },
        { name: t('poolReports.contact.avg'), type: 'bar', data: top.map((r) => r.avgHours) },
        {
          name: t('poolReports.contact.slaHitRate'),
          type: 'line',
          yAxisIndex: 1,
          data: top.map((r) => (r.slaHitRate === null ? null : Math.round(r.slaHitRate * 1000) / 10)),
        },
      ],
    }
  }, [rows, nameOf, t])

  const totals = activity.data?.totals
  const total = contact.data?.total

  return (
    <>
      <Typography.Title level={4}>{t('poolReports.title')}</Typography.Title>
      <div className="haina-toolbar">
        <DatePicker.RangePicker
          value={range ?? (funnel.data ? [dayjs(funnel.data.from), dayjs(funnel.data.to)] : null)}
          allowClear={false}
          disabledDate={(d) => d.isAfter(today, 'day')}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          presets={[7, 30, 90, 365].map((n) => ({
            label: t('poolReports.lastDays', { n }),
            value: [today.subtract(n - 1, 'day'), today] as Range,
          }))}
          data-testid="report-range"
        />
        {funnel.data && (
          <Typography.Text type="secondary">
            {t('poolReports.timezone', { tz: funnel.data.timezone })}
          </Typography.Text>
        )}
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('poolReports.funnel')} loading={funnel.isLoading} style={{ height: '100%' }}>
            {funnelEmpty ? (
              <Empty description={t('poolReports.noLeads')} style={{ padding: '72px 0' }} />
            ) : (
              <Chart option={funnelOption} height={320} />
            )}
            {!!funnel.data?.plannedStages.length && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('poolReports.planned', {
                  stages: funnel.data.plannedStages
                    .map((s) => t(`poolReports.stages.${s}`))
                    .join(t('poolReports.sep')),
                })}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('poolReports.conversion')} loading={funnel.isLoading} style={{ height: '100%' }}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={funnel.data?.stages ?? []}
              data-testid="funnel-table"
              columns={[
                { key: 'stage', title: t('poolReports.stage'), render: (_, s) => stageName(s.key) },
                { key: 'count', title: t('poolReports.count'), align: 'right', dataIndex: 'count' },
                { key: 'rate', title: t('poolReports.rate'), align: 'right', render: (_, s) => pct(s.rate) },
                {
                  key: 'overall',
                  title: t('poolReports.overallRate'),
                  align: 'right',
                  render: (_, s) => pct(s.overallRate),
                },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('poolReports.byPool')}
            </Typography.Title>
            <Table
              size="small"
              rowKey={(p) => p.poolId ?? 'none'}
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={[...(funnel.data?.pools ?? [])].sort((a, b) => b.leads - a.leads)}
              columns={[
                {
                  key: 'pool',
                  title: t('poolReports.pool'),
                  render: (_, p) => (
                    <Space size={4}>
                      {p.name ?? t('poolReports.noPool')}
                      {p.kind && <Tag>{t(`poolReports.kinds.${p.kind}`)}</Tag>}
                    </Space>
                  ),
                },
                { key: 'leads', title: t('poolReports.leads'), align: 'right', dataIndex: 'leads' },
                {
                  key: 'assigned',
                  title: t('poolReports.stages.assigned'),
                  align: 'right',
                  dataIndex: 'assigned',
                },
                {
                  key: 'converted',
                  title: t('poolReports.stages.converted'),
                  align: 'right',
                  dataIndex: 'converted',
                },
                {
                  key: 'rate',
                  title: t('poolReports.conversionRate'),
                  align: 'right',
                  render: (_, p) => pct(p.conversionRate),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('poolReports.activity.title')} loading={activity.isLoading}>
            {totals && (
              <Row gutter={16} style={{ marginBottom: 8 }} data-testid="activity-totals">
                {(['claims', 'releases', 'reclaims', 'distributions', 'assignments'] as const).map((k) => (
                  <Col key={k} xs={12} sm={8} md={4}>
                    <Statistic title={t(`poolReports.activity.${k}`)} value={totals[k]} />
                  </Col>
                ))}
              </Row>
            )}
            <Chart option={activityOption} height={280} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            title={t('poolReports.contact.title')}
            loading={contact.isLoading}
            extra={
              <Segmented
                value={groupBy}
                onChange={(v) => setGroupBy(v as 'user' | 'unit')}
                options={[
                  { value: 'user', label: t('poolReports.contact.byUser') },
                  { value: 'unit', label: t('poolReports.contact.byUnit') },
                ]}
              />
            }
          >
            {contact.data && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('poolReports.contact.slaNote', { h: contact.data.slaHours })}
              />
            )}
            {total && (
              <Row gutter={16} style={{ marginBottom: 8 }}>
                <Col xs={12} sm={8} md={4}>
                  <Statistic title={t('poolReports.contact.assigned')} value={total.assigned} />
                </Col>
                <Col xs={12} sm={8} md={4}>
                  <Statistic title={t('poolReports.contact.contacted')} value={total.contacted} />
                </Col>
                <Col xs={12} sm={8} md={4}>
                  <Statistic title={t('poolReports.contact.median')} value={hrs(total.medianHours)} />
                </Col>
                <Col xs={12} sm={8} md={4}>
                  <Statistic title={t('poolReports.contact.slaHitRate')} value={pct(total.slaHitRate)} />
                </Col>
                <Col xs={12} sm={8} md={4}>
                  <Statistic title={t('poolReports.contact.uncontacted')} value={total.uncontacted} />
                </Col>
                <Col xs={12} sm={8} md={4}>
                  <Statistic
                    title={t('poolReports.contact.overdue')}
                    value={total.overdue}
                    valueStyle={total.overdue ? { color: '#cf1322' } : undefined}
                  />
                </Col>
              </Row>
            )}
            {rows.length > 0 && <Chart option={contactOption} height={300} />}
            <Table
              size="small"
              rowKey={(r) => r.id ?? 'none'}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              dataSource={rows}
              data-testid="first-contact-table"
              locale={{ emptyText: t('poolReports.contact.empty') }}
              columns={[
                {
                  key: 'name',
                  title: groupBy === 'user' ? t('poolReports.contact.person') : t('poolReports.contact.team'),
                  render: (_, r) => nameOf(r),
                },
                {
                  key: 'assigned',
                  title: t('poolReports.contact.assigned'),
                  align: 'right',
                  dataIndex: 'assigned',
                },
                {
                  key: 'contacted',
                  title: t('poolReports.contact.contacted'),
                  align: 'right',
                  dataIndex: 'contacted',
                },
                {
                  key: 'median',
                  title: t('poolReports.contact.medianH'),
                  align: 'right',
                  render: (_, r) => hrs(r.medianHours),
                },
                {
                  key: 'avg',
                  title: t('poolReports.contact.avgH'),
                  align: 'right',
                  render: (_, r) => hrs(r.avgHours),
                },
                {
                  key: 'sla',
                  title: t('poolReports.contact.slaHitRate'),
                  align: 'right',
                  render: (_, r) => `${pct(r.slaHitRate)} (${r.slaHits}/${r.slaDue})`,
                },
                {
                  key: 'uncontacted',
                  title: t('poolReports.contact.uncontacted'),
                  align: 'right',
                  dataIndex: 'uncontacted',
                },
                {
                  key: 'overdue',
                  title: t('poolReports.contact.overdue'),
                  align: 'right',
                  render: (_, r) => (r.overdue ? <Tag color="red">{r.overdue}</Tag> : 0),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  )
}

import { useQuery } from '@tanstack/react-query'
import { Card, Col, DatePicker, Empty, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { FunnelChart } from 'echarts/charts'
import { use } from 'echarts/core'
import { type ReactNode, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../../api/client.js'
import { Chart } from '../../../components/Chart.js'
import { type Format, useFormat } from '../format.js'
import { pct } from '../opportunities/format.js'
import { usePipelinePick } from '../opportunities/PipelineSelect.js'
import '../opportunities/sales.css'
import type { Answer } from '../opportunities/types.js'
import './i18n.js'

// The shared chart registers bar, line and pie; the stage funnel is drawn here only.
use([FunnelChart])

type Range = { from?: string; to?: string }
type By = 'owner' | 'source' | 'campaign'
const DAY = 'YYYY-MM-DD'
const FUNNEL_BLUES = ['#0958d9', '#1668dc', '#4096ff', '#69b1ff', '#91caff', '#bae0ff']
const CLASS_COLORS: Record<string, string> = { A: '#1668dc', B: '#faad14', C: '#bfbfbf' }
const days = (d: number | null | undefined) => (d === null || d === undefined ? '—' : d.toFixed(1))
/** Exact money up to a million yuan, 万 / 亿 beyond (a velocity over a short cycle is huge). */
const bigMoney = (fmt: Format, minor: number | null | undefined) =>
  minor != null && Math.abs(minor) >= 1e8
    ? fmt.moneyShort(minor)
    : fmt.money(minor == null ? minor : Math.round(minor))

/**
 * 销售分析: sales velocity, ABC analysis of customers by revenue (Pareto), stage conversion of a
 * pipeline, win rate by person, source or campaign, and the forecast against what was won.
 */
export function SalesAnalyticsPage() {
  const { t } = useTranslation()
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null)
  const [pipelineId, pipelineSelect] = usePipelinePick()
  const q: Range = range ? { from: range[0].format(DAY), to: range[1].format(DAY) } : {}
  const abc = useQuery({
    queryKey: ['sales-analytics', 'abc', q],
    queryFn: () => call(api.GET('/api/v1/sales/analytics/abc', { params: { query: { ...q, top: 50 } } })),
  })
  const conversion = useQuery({
    queryKey: ['sales-analytics', 'conversion', q, pipelineId],
    queryFn: () =>
      call(api.GET('/api/v1/sales/analytics/stage-conversion', { params: { query: { ...q, pipelineId } } })),
  })
  const velocity = useQuery({
    queryKey: ['sales-analytics', 'velocity', q, pipelineId],
    queryFn: () =>
      call(api.GET('/api/v1/sales/analytics/velocity', { params: { query: { ...q, pipelineId } } })),
  })
  const shown = abc.data ?? conversion.data
  return (
    <>
      <div className="haina-toolbar">
        <Typography.Title level={4} style={{ margin: 0, marginInlineEnd: 8 }}>
          {t('salesAnalytics.title')}
        </Typography.Title>
        <DatePicker.RangePicker
          value={range ?? (shown ? [dayjs(shown.from), dayjs(shown.to)] : null)}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          presets={[30, 90, 180, 365].map((n) => ({
            label: t('salesAnalytics.lastDays', { n }),
            value: [dayjs().subtract(n - 1, 'day'), dayjs()] as [Dayjs, Dayjs],
          }))}
        />
        {pipelineSelect}
        <Typography.Text type="secondary">{t('salesAnalytics.pipelineNote')}</Typography.Text>
      </div>
      <Velocity data={velocity.data} loading={velocity.isLoading} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Abc data={abc.data} loading={abc.isLoading} />
        </Col>
        <Col xs={24} xl={10}>
          <Conversion data={conversion.data} loading={conversion.isLoading} />
        </Col>
        <Col xs={24} xl={12}>
          <WinRate range={q} />
        </Col>
        <Col xs={24} xl={12}>
          <ForecastVsActual />
        </Col>
      </Row>
    </>
  )
}

type VelocityData = Answer<'/api/v1/sales/analytics/velocity', 'get'>
function Velocity({ data, loading }: { data?: VelocityData; loading: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const stats: [string, ReactNode][] = [
    ['open', data?.open ?? '—'],
    ['winRate', pct(data?.winRate)],
    ['avgDeal', fmt.money(data?.avgDealAmount)],
    ['daysToWin', days(data?.avgDaysToWin)],
    ['velocity', bigMoney(fmt, data?.velocityPerDay)],
  ]
  return (
    <Card
      size="small"
      title={t('salesAnalytics.velocity.title')}
      loading={loading}
      style={{ marginBottom: 16 }}
      extra={<Typography.Text type="secondary">{t('salesAnalytics.velocity.formula')}</Typography.Text>}
      data-testid="velocity"
    >
      <Row gutter={[16, 16]}>
        {stats.map(([k, v]) => (
          <Col key={k} xs={12} md={8} xl={4}>
            <Statistic title={t(`salesAnalytics.velocity.${k}`)} value={v as string} />
          </Col>
        ))}
        <Col xs={24} xl={4}>
          <Statistic
            title={t('salesAnalytics.velocity.closed')}
            value={`${data?.won ?? 0} / ${data?.lost ?? 0}`}
          />
        </Col>
      </Row>
      {!!data?.stages.length && (
        <div className="haina-stage-days">
          {data.stages.map((s) => (
            <Tag key={s.id}>
              {s.name} · {t('salesAnalytics.velocity.avgDays', { d: days(s.avgDays) })}
            </Tag>
          ))}
        </div>
      )}
    </Card>
  )
}

type AbcData = Answer<'/api/v1/sales/analytics/abc', 'get'>
/** Pareto: revenue bars per customer (biggest first) with the cumulative share as a line. */
function Abc({ data, loading }: { data?: AbcData; loading: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const top = data?.top ?? []
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const c = top[ps[0]?.dataIndex ?? 0]
          return c
            ? `${c.name}（${c.class}）<br/>${t('salesAnalytics.abc.revenue')}: ${fmt.money(c.revenue)}<br/>${t('salesAnalytics.abc.cumulative')}: ${pct(c.cumulativeShare)}`
            : ''
        },
      },
      legend: { bottom: 0 },
      grid: { left: 64, right: 48, top: 24, bottom: 48 },
      xAxis: {
        type: 'category',
        data: top.map((c) => c.name),
        axisLabel: { show: top.length <= 12, interval: 0, width: 64, overflow: 'truncate' },
      },
      yAxis: [
        { type: 'value', axisLabel: { formatter: (v: number) => fmt.moneyShort(v) } },
        { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          name: t('salesAnalytics.abc.revenue'),
          type: 'bar',
          data: top.map((c) => ({
            value: c.revenue,
            itemStyle: { color: CLASS_COLORS[c.class] ?? '#91caff' },
          })),
        },
        {
          name: t('salesAnalytics.abc.cumulative'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 4,
          itemStyle: { color: '#cf1322' },
          data: top.map((c) =>
            c.cumulativeShare === null ? null : Math.round(c.cumulativeShare * 1000) / 10,
          ),
        },
      ],
    }),
    [top, t, fmt],
  )
  return (
    <Card
      size="small"
      title={t('salesAnalytics.abc.title')}
      loading={loading}
      style={{ height: '100%' }}
      data-testid="abc"
    >
      <Row gutter={[12, 12]} style={{ marginBottom: 8 }}>
        {(data?.classes ?? []).map((c) => (
          <Col key={c.class} xs={8}>
            <div className="haina-abc-class" style={{ borderColor: CLASS_COLORS[c.class] }}>
              <Tag color={c.class === 'C' ? 'default' : CLASS_COLORS[c.class]}>
                {t('salesAnalytics.abc.class', { c: c.class })}
              </Tag>
              <div>
                <strong>{c.customers}</strong> {t('salesAnalytics.abc.customers')}
              </div>
              <Typography.Text type="secondary">
                {fmt.money(c.revenue)} · {pct(c.share)}
              </Typography.Text>
            </div>
          </Col>
        ))}
      </Row>
      {top.length ? (
        <Chart option={option} height={300} />
      ) : (
        <Empty description={t('salesAnalytics.abc.empty')} style={{ padding: '48px 0' }} />
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
        {t('salesAnalytics.abc.rule', { n: data?.customers ?? 0, total: fmt.money(data?.totalRevenue ?? 0) })}
      </Typography.Paragraph>
    </Card>
  )
}

type ConversionData = Answer<'/api/v1/sales/analytics/stage-conversion', 'get'>
/** The pipeline's stages as a funnel: how many reached each, and the rate to the next. */
function Conversion({ data, loading }: { data?: ConversionData; loading: boolean }) {
  const { t } = useTranslation()
  const stages = (data?.stages ?? []).filter((s) => s.kind !== 'lost')
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: 8,
          width: '55%',
          top: 8,
          bottom: 8,
          min: 0,
          max: Math.max(1, ...stages.map((s) => s.reached)),
          minSize: '8%',
          gap: 2,
          label: {
            position: 'right',
            color: '#1f1f1f',
            formatter: (p: { name: string; value: number; dataIndex: number }) => {
              const r = stages[p.dataIndex]?.rateToNext
              return r === null || r === undefined
                ? `${p.name}  ${p.value}`
                : `${p.name}  ${p.value}  → ${pct(r)}`
            },
          },
          labelLine: { show: true, length: 12 },
          data: stages.map((s, i) => ({
            name: s.name,
            value: s.reached,
            itemStyle: { color: s.kind === 'won' ? '#52c41a' : FUNNEL_BLUES[i % FUNNEL_BLUES.length] },
          })),
        },
      ],
    }),
    [stages],
  )
  return (
    <Card
      size="small"
      title={t('salesAnalytics.conversion.title')}
      loading={loading}
      style={{ height: '100%' }}
      extra={data && <Typography.Text type="secondary">{data.pipeline?.name}</Typography.Text>}
      data-testid="conversion"
    >
      {data && data.total > 0 ? (
        <>
          <Chart option={option} height={300} />
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            {t('salesAnalytics.conversion.summary', { total: data.total, won: data.won, lost: data.lost })}
          </Typography.Paragraph>
        </>
      ) : (
        <Empty description={t('salesAnalytics.conversion.empty')} style={{ padding: '72px 0' }} />
      )}
    </Card>
  )
}

/** Win rate of closed opportunities by person, source or campaign (bars), with won / lost counts. */
function WinRate({ range }: { range: Range }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [by, setBy] = useState<By>('owner')
  const data = useQuery({
    queryKey: ['sales-analytics', 'win-rate', range, by],
    queryFn: () => call(api.GET('/api/v1/sales/analytics/win-rate', { params: { query: { ...range, by } } })),
  })
  const rows = [...(data.data?.rows ?? [])].sort((a, b) => b.closed - a.closed).slice(0, 15)
  const label = (r: (typeof rows)[number]) => r.label ?? t(`salesAnalytics.winRate.none.${by}`)
  // biome-ignore lint/correctness/useExhaustiveDependencies: label follows by and t
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const r = rows[ps[0]?.dataIndex ?? 0]
          return r
            ? `${label(r)}<br/>${t('salesAnalytics.winRate.rate')}: ${pct(r.winRate)}<br/>${t('salesAnalytics.winRate.won')}: ${r.won} · ${t('salesAnalytics.winRate.lost')}: ${r.lost}<br/>${fmt.money(r.wonAmount)}`
            : ''
        },
      },
      grid: { left: 48, right: 16, top: 24, bottom: 56 },
      xAxis: {
        type: 'category',
        data: rows.map(label),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0, width: 80, overflow: 'truncate' },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('salesAnalytics.winRate.rate'),
          type: 'bar',
          barMaxWidth: 36,
          itemStyle: { color: '#52c41a' },
          label: { show: true, position: 'top', formatter: (p: { value: number }) => `${p.value}%` },
          data: rows.map((r) => (r.winRate === null ? 0 : Math.round(r.winRate * 1000) / 10)),
        },
      ],
    }),
    [rows, t, by, fmt],
  )
  return (
    <Card
      size="small"
      title={t('salesAnalytics.winRate.title')}
      loading={data.isLoading}
      extra={
        <Segmented
          size="small"
          value={by}
          onChange={(v) => setBy(v as By)}
          options={(['owner', 'source', 'campaign'] as const).map((b) => ({
            value: b,
            label: t(`salesAnalytics.winRate.by.${b}`),
          }))}
        />
      }
      data-testid="win-rate"
    >
      {rows.length ? (
        <Chart option={option} height={300} />
      ) : (
        <Empty description={t('salesAnalytics.winRate.empty')} style={{ padding: '72px 0' }} />
      )}
    </Card>
  )
}

/** By month: the weighted forecast against what was won and the order revenue (lines). */
function ForecastVsActual() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const data = useQuery({
    queryKey: ['sales-analytics', 'forecast-vs-actual'],
    queryFn: () => call(api.GET('/api/v1/sales/analytics/forecast-vs-actual', { params: { query: {} } })),
  })
  const months = data.data?.months ?? []
  const keys = ['forecast', 'wonAmount', 'orderRevenue', 'pipelineAmount'] as const
  const colors = {
    forecast: '#1668dc',
    wonAmount: '#52c41a',
    orderRevenue: '#fa8c16',
    pipelineAmount: '#bfbfbf',
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: keys and colors are constant
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmt.money(v) },
      legend: { bottom: 0 },
      grid: { left: 64, right: 16, top: 24, bottom: 56 },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.moneyShort(v) } },
      series: keys.map((k) => ({
        name: t(`salesAnalytics.fva.${k}`),
        type: 'line',
        itemStyle: { color: colors[k] },
        lineStyle: k === 'pipelineAmount' ? { type: 'dashed' } : undefined,
        data: months.map((m) => m[k]),
      })),
    }),
    [months, t, fmt],
  )
  const empty = months.every((m) => !m.forecast && !m.wonAmount && !m.orderRevenue && !m.pipelineAmount)
  return (
    <Card
      size="small"
      title={t('salesAnalytics.fva.title')}
      loading={data.isLoading}
      extra={<Link to="/opportunities/forecast">{t('salesAnalytics.fva.more')}</Link>}
      data-testid="forecast-vs-actual"
    >
      {empty ? (
        <Empty description={t('salesAnalytics.fva.empty')} style={{ padding: '72px 0' }} />
      ) : (
        <>
          <Chart option={option} height={300} />
          <Table
            size="small"
            rowKey="month"
            pagination={false}
            style={{ marginTop: 8 }}
            scroll={{ x: 'max-content' }}
            dataSource={months.filter((m) => m.forecast || m.wonAmount || m.orderRevenue)}
            columns={[
              { key: 'month', title: t('salesAnalytics.fva.month'), dataIndex: 'month' },
              ...keys.slice(0, 3).map((k) => ({
                key: k,
                title: t(`salesAnalytics.fva.${k}`),
                align: 'right' as const,
                render: (_: unknown, m: (typeof months)[number]) => fmt.money(m[k]),
              })),
            ]}
          />
        </>
      )}
    </Card>
  )
}

import { useQuery } from '@tanstack/react-query'
import { Card, Col, Empty, Row, Select, Space, Statistic } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Chart } from '../../../components/Chart.js'
import { useFormat } from '../../sales/format.js'
import { type Segment, type Slice, segmentsApi } from './api.js'
import './i18n.js'

const BLUE = '#1677ff'
const GREEN = '#52c41a'
const RED = '#ff4d4f'
const TEAL = '#13c2c2'
const PURPLE = '#722ed1'

/** 分析: size over time, distribution by region and by channel, overlap with another segment. */
export function Analytics({ segment }: { segment: Segment }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Sizes segment={segment} />
      </Col>
      <Col xs={24} xl={12}>
        <Distribution segment={segment} by="region" />
      </Col>
      <Col xs={24} xl={12}>
        <Distribution segment={segment} by="channel" />
      </Col>
      <Col xs={24}>
        <OverlapCard segment={segment} />
      </Col>
    </Row>
  )
}

function Sizes({ segment }: { segment: Segment }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const sizes = useQuery({
    queryKey: ['segments', segment.id, 'sizes'],
    queryFn: () => segmentsApi.sizes(segment.id),
  })
  const items = useMemo(
    () => [...(sizes.data?.items ?? [])].sort((a, b) => a.at.localeCompare(b.at)),
    [sizes.data],
  )
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (ps: { dataIndex: number }[]) => {
          const p = items[ps[0]?.dataIndex ?? 0]
          if (!p) return ''
          return [
            fmt.dateTime(p.at),
            `${t('segments.analytics.size')}: ${p.size.toLocaleString()}`,
            `${t('segments.analytics.added')}: +${p.added.toLocaleString()}`,
            `${t('segments.analytics.removed')}: -${p.removed.toLocaleString()}`,
            t(`segments.analytics.trigger.${p.trigger}`, { defaultValue: p.trigger }),
          ].join('<br/>')
        },
      },
      legend: {
        top: 0,
        data: [t('segments.analytics.size'), t('segments.analytics.added'), t('segments.analytics.removed')],
      },
      grid: { left: 16, right: 16, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: items.map((p) => fmt.dateTime(p.at)) },
      yAxis: [
        { type: 'value', name: t('segments.analytics.size'), minInterval: 1 },
        { type: 'value', name: t('segments.analytics.change'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: t('segments.analytics.size'),
          type: 'line',
          data: items.map((p) => p.size),
          itemStyle: { color: BLUE },
          areaStyle: { opacity: 0.08 },
          smooth: false,
          showSymbol: items.length < 60,
        },
        {
          name: t('segments.analytics.added'),
          type: 'bar',
          yAxisIndex: 1,
          data: items.map((p) => p.added),
          itemStyle: { color: GREEN },
          barMaxWidth: 16,
        },
        {
          name: t('segments.analytics.removed'),
          type: 'bar',
          yAxisIndex: 1,
          data: items.map((p) => p.removed),
          itemStyle: { color: RED },
          barMaxWidth: 16,
        },
      ],
    }),
    [items, fmt, t],
  )
  return (
    <Card
      size="small"
      title={t('segments.analytics.sizes')}
      loading={sizes.isLoading}
      data-testid="segment-sizes"
    >
      {items.length ? (
        <Chart option={option} height={280} />
      ) : (
        <Empty description={t('segments.analytics.noData')} />
      )}
    </Card>
  )
}

/** The biggest slices, the rest summed up as one (a pie of 40 slivers says nothing). */
function topSlices(items: Slice[], n: number, other: string): Slice[] {
  const sorted = [...items].sort((a, b) => b.count - a.count)
  if (sorted.length <= n) return sorted
  const rest = sorted.slice(n - 1).reduce((s, x) => s + x.count, 0)
  return [...sorted.slice(0, n - 1), { key: '_other', label: other, count: rest }]
}

function Distribution({ segment, by }: { segment: Segment; by: 'region' | 'channel' }) {
  const { t } = useTranslation()
  const dist = useQuery({
    queryKey: ['segments', segment.id, 'distribution', by],
    queryFn: () => segmentsApi.distribution(segment.id, by),
  })
  const items = dist.data?.items ?? []
  const option = useMemo(() => {
    const label = (s: Slice) => s.label || t('segments.analytics.unknown')
    if (by === 'region') {
      const top = topSlices(items, 15, t('segments.analytics.other')).reverse()
      return {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: top.map(label) },
        series: [
          {
            name: t('segments.analytics.size'),
            type: 'bar',
            data: top.map((s) => s.count),
            itemStyle: { color: BLUE },
            barMaxWidth: 18,
            label: { show: true, position: 'right' },
          },
        ],
      }
    }
    const top = topSlices(items, 8, t('segments.analytics.other'))
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { type: 'scroll', orient: 'vertical', right: 8, top: 'middle' },
      series: [
        {
          name: t('segments.analytics.byChannel'),
          type: 'pie',
          radius: ['40%', '70%'],
          center: ['38%', '50%'],
          data: top.map((s) => ({ name: label(s), value: s.count })),
          label: { formatter: '{b}\n{d}%' },
        },
      ],
    }
  }, [items, by, t])
  return (
    <Card
      size="small"
      title={by === 'region' ? t('segments.analytics.byRegion') : t('segments.analytics.byChannel')}
      loading={dist.isLoading}
      data-testid={`segment-distribution-${by}`}
    >
      {items.length ? (
        <Chart option={option} height={300} />
      ) : (
        <Empty description={dist.error ? dist.error.message : t('segments.analytics.noData')} />
      )}
    </Card>
  )
}

function OverlapCard({ segment }: { segment: Segment }) {
  const { t } = useTranslation()
  const [other, setOther] = useState<string>()
  const list = useQuery({ queryKey: ['segments', 'list', 'pick'], queryFn: () => segmentsApi.list() })
  const overlap = useQuery({
    queryKey: ['segments', 'overlap', segment.id, other],
    queryFn: () => segmentsApi.overlap(segment.id, other ?? ''),
    enabled: !!other,
  })
  const o = overlap.data
  const option = useMemo(() => {
    if (!o) return {}
    const cats = [
      t('segments.analytics.onlyA', { name: o.a.name }),
      t('segments.analytics.both'),
      t('segments.analytics.onlyB', { name: o.b.name }),
    ]
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, width: 160, overflow: 'truncate' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 64,
          label: { show: true, position: 'top' },
          data: [
            { value: o.onlyA, itemStyle: { color: BLUE } },
            { value: o.both, itemStyle: { color: PURPLE } },
            { value: o.onlyB, itemStyle: { color: TEAL } },
          ],
        },
      ],
    }
  }, [o, t])
  return (
    <Card
      size="small"
      title={t('segments.analytics.overlap')}
      extra={
        <Select
          style={{ width: 260 }}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('segments.analytics.pickOther')}
          value={other}
          onChange={setOther}
          options={(list.data?.items ?? [])
            .filter((s) => s.id !== segment.id)
            .map((s) => ({ value: s.id, label: s.name }))}
          data-testid="segment-overlap-pick"
        />
      }
      data-testid="segment-overlap"
    >
      {o ? (
        <Row gutter={16} align="middle">
          <Col xs={24} md={8}>
            <Space orientation="vertical" size={12}>
              <Statistic title={o.a.name} value={o.a.size} />
              <Statistic title={o.b.name} value={o.b.size} />
              <Statistic
                title={t('segments.analytics.both')}
                value={o.both}
                suffix={
                  Math.min(o.a.size, o.b.size) > 0
                    ? `(${((o.both / Math.min(o.a.size, o.b.size)) * 100).toFixed(1)}%)`
                    : undefined
                }
              />
            </Space>
          </Col>
          <Col xs={24} md={16}>
            <Chart option={option} height={260} />
          </Col>
        </Row>
      ) : (
        <Empty
          description={overlap.error ? overlap.error.message : t('segments.analytics.pickOther')}
          image={Empty.PRESENTED_IMAGE_SIMPLE}
        />
      )}
    </Card>
  )
}

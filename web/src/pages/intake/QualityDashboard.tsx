import { useQuery } from '@tanstack/react-query'
import { Card, Col, Row, Segmented, Statistic, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { Chart } from '../../components/Chart.js'
import './i18n.js'

const CHART_HEIGHT = 320
/** Channels drawn at first on the rate charts (by volume); the legend switches the others on. */
const TOP_LINES = 5

type Item = { day: string; channelId: string | null; channelName: string | null; outcome: string; n: number }

/**
 * The period's days (YYYY-MM-DD), oldest first: the last `days` days up to today, widened to any day
 * the server reported outside them (its day boundary may be another time zone's).
 */
function periodDays(days: number, items: Item[]): string[] {
  const seen = items.map((i) => i.day).sort()
  let end = dayjs().format('YYYY-MM-DD')
  let start = dayjs()
    .subtract(days - 1, 'day')
    .format('YYYY-MM-DD')
  if (seen.length && seen[0]! < start) start = seen[0]!
  if (seen.length && seen[seen.length - 1]! > end) end = seen[seen.length - 1]!
  const out: string[] = []
  for (let d = dayjs(start); d.format('YYYY-MM-DD') <= end; d = d.add(1, 'day'))
    out.push(d.format('YYYY-MM-DD'))
  return out
}

/** Data-quality dashboard: where leads come from, and how many are invalid or duplicates, by channel over time. */
export function QualityDashboardPage() {
  const { t } = useTranslation()
  const [days, setDays] = useState(30)
  const stats = useQuery({
    queryKey: ['intake-stats', days],
    queryFn: () => call(api.GET('/api/v1/intake/stats', { params: { query: { days } } })),
  })
  const items = (stats.data?.items ?? []) as Item[]
  const charts = useMemo(() => {
    const name = (i: Item) => i.channelName ?? t('intake.quality.noChannel')
    const byChannel = new Map<string, number>()
    const dayList = periodDays(days, items)
    const perDay = new Map<string, Map<string, { total: number; invalid: number; dup: number }>>()
    for (const i of items) {
      const ch = name(i)
      byChannel.set(ch, (byChannel.get(ch) ?? 0) + i.n)
      const m = perDay.get(ch) ?? new Map()
      const cell = m.get(i.day) ?? { total: 0, invalid: 0, dup: 0 }
      cell.total += i.n
      if (i.outcome === 'invalid') cell.invalid += i.n
      if (['merged', 'duplicate', 'review'].includes(i.outcome)) cell.dup += i.n
      m.set(i.day, cell)
      perDay.set(ch, m)
    }
    // Every day of the period is on the axis. A channel's day with nothing in has no rate (0 of 0 is
    // not 0 %): it stays empty and the line runs on to the next day with data.
    // The biggest sources first: the legend's first page and the default lines are the ones that matter.
    const ranked = [...byChannel].sort((a, b) => b[1] - a[1])
    const selected = Object.fromEntries(ranked.map(([ch], i) => [ch, i < TOP_LINES]))
    const rate = (key: 'invalid' | 'dup') =>
      [...perDay]
        .sort((a, b) => (byChannel.get(b[0]) ?? 0) - (byChannel.get(a[0]) ?? 0))
        .map(([ch, m]) => ({
          name: ch,
          type: 'line',
          smooth: 0.3,
          smoothMonotone: 'x',
          connectNulls: true,
          showSymbol: dayList.length <= 31,
          data: dayList.map((d) => {
            const c = m.get(d)
            return c?.total ? Number(((c[key] / c.total) * 100).toFixed(1)) : null
          }),
        }))
    // Legends scroll on one line instead of wrapping over the plot; labels stay inside the grid.
    // More than TOP_LINES lines is a tangle: the rest start switched off, one click in the legend away.
    const legend = { type: 'scroll', top: 0, left: 0, right: 0, tooltip: { show: true }, selected }
    const lineOption = (key: 'invalid' | 'dup') => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v == null ? '—' : `${v}%`) },
      legend,
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: dayList,
        axisLabel: { formatter: (d: string) => d.slice(5), hideOverlap: true },
      },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: rate(key),
    })
    return {
      total: items.reduce((s, i) => s + i.n, 0),
      pie: {
        tooltip: { trigger: 'item', formatter: '{b}<br/>{c} ({d}%)' },
        // A narrow card: the legend is a short scrolling list under the donut, never over it.
        legend: {
          type: 'scroll',
          orient: 'vertical',
          left: 'center',
          bottom: 0,
          height: 84,
          tooltip: { show: true },
          formatter: (n: string) => (n.length > 16 ? `${n.slice(0, 15)}…` : n),
        },
        series: [
          {
            type: 'pie',
            center: ['50%', '36%'],
            radius: ['30%', '52%'],
            avoidLabelOverlap: true,
            // The legend names the slices; a big slice's label names it too (the legend pages, so its
            // name may not be on the page shown), small ones carry only the share to fit a narrow card.
            label: {
              formatter: (p: { name: string; percent: number }) =>
                p.percent >= 15
                  ? `${p.name.length > 8 ? `${p.name.slice(0, 7)}…` : p.name} ${Math.round(p.percent)}%`
                  : `${Math.round(p.percent)}%`,
              overflow: 'none',
            },
            labelLine: { length: 8, length2: 8 },
            data: ranked.map(([n, value]) => ({ name: n, value })),
          },
        ],
      },
      invalid: lineOption('invalid'),
      dup: lineOption('dup'),
    }
  }, [items, days, t])
  return (
    <>
      <Typography.Title level={4}>{t('intake.quality.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={[7, 30, 90].map((n) => ({ value: n, label: t('intake.quality.days', { n }) }))}
        />
        <span style={{ flex: 1 }} />
        <Statistic title={t('intake.quality.total')} value={charts.total} />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card title={t('intake.quality.sourceMix')} loading={stats.isLoading}>
            <Chart option={charts.pie} height={CHART_HEIGHT} />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title={t('intake.quality.invalidRate')} loading={stats.isLoading}>
            <Chart option={charts.invalid} height={CHART_HEIGHT} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('intake.quality.duplicateRate')} loading={stats.isLoading}>
            <Chart option={charts.dup} height={CHART_HEIGHT} />
          </Card>
        </Col>
      </Row>
    </>
  )
}

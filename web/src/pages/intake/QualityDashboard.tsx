import { useQuery } from '@tanstack/react-query'
import { Card, Col, Row, Segmented, Statistic, Typography } from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { Chart } from '../../components/Chart.js'
import './i18n.js'

type Item = { day: string; channelId: string | null; channelName: string | null; outcome: string; n: number }

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
    const dayList = [...new Set(items.map((i) => i.day))].sort()
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
    const rate = (key: 'invalid' | 'dup') =>
      [...perDay].map(([ch, m]) => ({
        name: ch,
        type: 'line',
        smooth: true,
        data: dayList.map((d) => {
          const c = m.get(d)
          return c?.total ? Number(((c[key] / c.total) * 100).toFixed(1)) : null
        }),
      }))
    const lineOption = (key: 'invalid' | 'dup') => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: dayList },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      series: rate(key),
    })
    return {
      total: items.reduce((s, i) => s + i.n, 0),
      pie: {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['40%', '70%'],
            data: [...byChannel].map(([n, value]) => ({ name: n, value })),
          },
        ],
      },
      invalid: lineOption('invalid'),
      dup: lineOption('dup'),
    }
  }, [items, t])
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
            <Chart option={charts.pie} />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title={t('intake.quality.invalidRate')} loading={stats.isLoading}>
            <Chart option={charts.invalid} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('intake.quality.duplicateRate')} loading={stats.isLoading}>
            <Chart option={charts.dup} />
          </Card>
        </Col>
      </Row>
    </>
  )
}

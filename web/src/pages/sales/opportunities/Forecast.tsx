import { useQuery } from '@tanstack/react-query'
import { Card, Col, DatePicker, Empty, Row, Segmented, Statistic, Table, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Chart } from '../../../components/Chart.js'
import { useFormat } from '../format.js'
import { type ForecastRow, salesApi } from './api.js'
import { usePipelinePick } from './PipelineSelect.js'
import './sales.css'

type GroupBy = 'month' | 'owner' | 'unit'
const SERIES = ['amount', 'weightedAmount', 'wonAmount'] as const
const COLORS = { amount: '#91caff', weightedAmount: '#1668dc', wonAmount: '#52c41a' }

/**
 * 销售预测: the pipeline (open amount), its weighted value (amount × probability) and what was won,
 * by expected close month, by person or by team, for a range of months.
 */
export function ForecastPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [groupBy, setGroupBy] = useState<GroupBy>('month')
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().startOf('month'),
    dayjs().add(5, 'month').endOf('month'),
  ])
  const [pipelineId, pipelineSelect] = usePipelinePick({ allowAll: true })
  const query = {
    from: range[0].startOf('month').format('YYYY-MM-DD'),
    to: range[1].endOf('month').format('YYYY-MM-DD'),
    groupBy,
    pipelineId,
  }
  const forecast = useQuery({ queryKey: ['opp-forecast', query], queryFn: () => salesApi.forecast(query) })
  const rows = forecast.data?.rows ?? []
  const total = forecast.data?.totals ?? { count: 0, amount: 0, weightedAmount: 0, wonCount: 0, wonAmount: 0 }
  const label = (r: ForecastRow) => r.label || (groupBy === 'owner' ? t('opps.unassigned') : r.key)

  // biome-ignore lint/correctness/useExhaustiveDependencies: label follows groupBy and t
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: number) => fmt.money(v),
      },
      legend: { bottom: 0 },
      grid: { left: 72, right: 16, top: 24, bottom: 64 },
      xAxis: {
        type: 'category',
        data: rows.map(label),
        axisLabel: { interval: 0, rotate: rows.length > 8 ? 30 : 0 },
      },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.moneyShort(v) } },
      series: SERIES.map((k) => ({
        name: t(`opps.forecast.${k}`),
        type: 'bar',
        itemStyle: { color: COLORS[k] },
        data: rows.map((r) => r[k]),
      })),
    }),
    [rows, t, groupBy, fmt],
  )

  return (
    <>
      <div className="haina-toolbar">
        <Typography.Title level={4} style={{ margin: 0, marginInlineEnd: 8 }}>
          {t('opps.forecast.title')}
        </Typography.Title>
        <Segmented
          value={groupBy}
          onChange={(v) => setGroupBy(v as GroupBy)}
          options={(['month', 'owner', 'unit'] as const).map((g) => ({
            value: g,
            label: t(`opps.forecast.by.${g}`),
          }))}
          data-testid="forecast-groupby"
        />
        <DatePicker.RangePicker
          picker="month"
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        {pipelineSelect}
      </div>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {(['count', ...SERIES] as const).map((k) => (
          <Col key={k} xs={12} md={6}>
            <Card size="small">
              <Statistic
                title={k === 'count' ? t('opps.forecast.count') : t(`opps.forecast.${k}`)}
                value={k === 'count' ? total.count : fmt.money(total[k])}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" loading={forecast.isLoading} style={{ marginBottom: 16 }}>
        {rows.length ? (
          <Chart option={option} height={320} />
        ) : (
          <Empty description={t('opps.forecast.empty')} style={{ padding: '48px 0' }} />
        )}
      </Card>
      <Card size="small">
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          loading={forecast.isLoading}
          dataSource={rows}
          data-testid="forecast-table"
          locale={{ emptyText: t('opps.forecast.empty') }}
          columns={[
            { key: 'label', title: t(`opps.forecast.by.${groupBy}`), render: (_, r) => label(r) },
            { key: 'count', title: t('opps.forecast.count'), align: 'right', dataIndex: 'count' },
            ...SERIES.map((k) => ({
              key: k,
              title: t(`opps.forecast.${k}`),
              align: 'right' as const,
              render: (_: unknown, r: ForecastRow) => fmt.money(r[k]),
            })),
          ]}
          summary={() =>
            rows.length > 1 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('opps.forecast.total')}</strong>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {total.count}
                </Table.Summary.Cell>
                {SERIES.map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 2} align="right">
                    <strong>{fmt.money(total[k])}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            ) : null
          }
        />
      </Card>
    </>
  )
}

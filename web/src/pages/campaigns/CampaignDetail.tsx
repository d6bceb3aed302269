import { ArrowLeftOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { Button, Card, Col, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../../api/client.js'
import { Chart } from '../../components/Chart.js'
import { formatDateTime } from '../../components/labels.js'
import { useCan } from '../../session.js'
import { CampaignForm, STATUS_COLORS } from './Campaigns.js'
import { period, yuan } from './i18n.js'

/** One campaign: its cost against what it brought, the daily responses and the member list. */
export function CampaignDetailPage() {
  const { id = '' } = useParams()
  const { t, i18n } = useTranslation()
  const can = useCan()
  const [editing, setEditing] = useState(false)
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => call(api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
  })
  const trend = useQuery({
    queryKey: ['campaign', id, 'trend'],
    queryFn: () =>
      call(api.GET('/api/v1/campaigns/{id}/trend', { params: { path: { id }, query: { days: 90 } } })),
  })
  const members = useInfiniteQuery({
    queryKey: ['campaign', id, 'members'],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/campaigns/{id}/members', {
          params: { path: { id }, query: { limit: 50, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const c = campaign.data
  if (!c) return <Card loading={campaign.isLoading} />
  const s = c.stats
  const used = c.budget > 0 ? Math.round((c.actualCost / c.budget) * 100) : null
  const days = trend.data?.items ?? []
  const chart = {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('campaigns.intents'), type: 'bar', barMaxWidth: 32, data: days.map((d) => d.intents) },
      { name: t('campaigns.members'), type: 'line', data: days.map((d) => d.members) },
    ],
  }
  const link = `utm_campaign=${encodeURIComponent(c.code)}`

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Link to="/campaigns">
          <ArrowLeftOutlined /> {t('campaigns.back')}
        </Link>
      </Space>
      <div className="haina-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {c.name}
        </Typography.Title>
        <Tag color={STATUS_COLORS[c.status]}>{t(`campaigns.statuses.${c.status}`)}</Tag>
        <Tag>{t(`campaigns.kinds.${c.kind}`)}</Tag>
        <Typography.Text type="secondary">{period(c.startsOn, c.endsOn)}</Typography.Text>
        <span style={{ flex: 1 }} />
        {can('campaigns.edit') && <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>}
      </div>
      <Row gutter={[16, 16]} data-testid="campaign-stats">
        {(
          [
            ['firstTouch', s.firstTouchLeads],
            ['lastTouch', s.lastTouchLeads],
            ['qualified', s.qualifiedLeads],
            ['converted', s.convertedLeads],
            ['members', s.members],
            ['intents', s.intents],
          ] as const
        ).map(([k, v]) => (
          <Col xs={12} sm={8} lg={4} key={k}>
            <Card size="small">
              <Statistic title={t(`campaigns.${k}`)} value={v} />
            </Card>
          </Col>
        ))}
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={t('campaigns.actualCost')} value={yuan(c.actualCost)} />
            {used !== null && (
              <Progress
                percent={used}
                size="small"
                status={used > 100 ? 'exception' : 'normal'}
                format={(p) => `${t('campaigns.budgetUsed')} ${p}%`}
              />
            )}
          </Card>
        </Col>
        <Col xs={12} sm={8}>
          <Card size="small">
            <Statistic title={t('campaigns.cpl')} value={yuan(s.costPerLead)} />
          </Card>
        </Col>
        <Col xs={12} sm={8}>
          <Card size="small">
            <Statistic title={t('campaigns.cpql')} value={yuan(s.costPerQualifiedLead)} />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('campaigns.trend')} loading={trend.isLoading}>
            <Chart option={chart} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('campaigns.link')}>
            <Typography.Paragraph type="secondary">{t('campaigns.linkHelp')}</Typography.Paragraph>
            <Typography.Paragraph copyable code>
              {link}
            </Typography.Paragraph>
            {c.notes && <Typography.Paragraph>{c.notes}</Typography.Paragraph>}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('campaigns.members')}>
            <Table
              rowKey="leadId"
              size="small"
              loading={members.isLoading}
              dataSource={members.data?.pages.flatMap((p) => p.items) ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                {
                  key: 'name',
                  title: t('campaigns.lead'),
                  render: (_, m) => (
                    <Space>
                      <Link to={`/leads/${m.leadId}`}>{m.name}</Link>
                      {m.firstTouch && <Tag color="blue">{t('campaigns.firstTouchTag')}</Tag>}
                    </Space>
                  ),
                },
                { key: 'company', title: t('intake.field.company'), dataIndex: 'company' },
                { key: 'status', title: t('common.status'), render: (_, m) => t(`leads.status_${m.status}`) },
                { key: 'grade', title: t('campaigns.grade'), dataIndex: 'grade' },
                { key: 'intents', title: t('campaigns.intents'), dataIndex: 'intents', align: 'right' },
                {
                  key: 'first',
                  title: t('campaigns.firstResponse'),
                  render: (_, m) => formatDateTime(m.firstAt, i18n.language),
                },
                {
                  key: 'last',
                  title: t('campaigns.lastResponse'),
                  render: (_, m) => formatDateTime(m.lastAt, i18n.language),
                },
              ]}
            />
            {members.hasNextPage && (
              <div style={{ textAlign: 'center', marginTop: 12 }}>
                <Button loading={members.isFetchingNextPage} onClick={() => members.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </Card>
        </Col>
      </Row>
      {editing && <CampaignForm campaign={c} onClose={() => setEditing(false)} />}
    </>
  )
}

import { useQuery } from '@tanstack/react-query'
import { Card, Descriptions, Empty, Space, Statistic, Tag, Timeline, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../api/client.js'
import './intake/i18n.js'
import { OUTCOME_COLORS } from './intake/labels.js'

/** One lead: its fields, and the timeline of intents, merges and behaviour of its person. */
export function LeadDetailPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const lead = useQuery({
    queryKey: ['lead', id],
    queryFn: () => call(api.GET('/api/v1/leads/{id}', { params: { path: { id } } })),
  })
  const timeline = useQuery({
    queryKey: ['lead-timeline', id],
    queryFn: () =>
      call(api.GET('/api/v1/leads/{id}/timeline', { params: { path: { id }, query: { limit: 100 } } })),
  })
  const l = lead.data
  const tl = timeline.data
  return (
    <>
      <Typography.Title level={4}>
        <Link to="/leads">{t('menu.leads')}</Link> / {l?.name}
      </Typography.Title>
      <Card loading={lead.isLoading} style={{ marginBottom: 16 }}>
        {l && (
          <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('intake.field.mobile')}>{l.mobile}</Descriptions.Item>
            <Descriptions.Item label={t('intake.field.email')}>{l.email}</Descriptions.Item>
            <Descriptions.Item label={t('intake.field.company')}>{l.company}</Descriptions.Item>
            <Descriptions.Item label={t('intake.field.title')}>{l.title}</Descriptions.Item>
            <Descriptions.Item label={t('intake.field.source')}>{l.source}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              {t(`leads.status_${l.status}`, { defaultValue: l.status })}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      {tl && (
        <Space size="large" wrap style={{ marginBottom: 16 }}>
          <Statistic title={t('intake.lead.intents')} value={tl.summary.intentCount} />
          <Statistic
            title={t('intake.lead.firstSeen')}
            value={tl.summary.firstSeenAt ? new Date(tl.summary.firstSeenAt).toLocaleDateString() : '—'}
          />
          <Statistic
            title={t('intake.lead.lastSeen')}
            value={tl.summary.lastSeenAt ? new Date(tl.summary.lastSeenAt).toLocaleString() : '—'}
          />
          {Object.entries(tl.summary.eventCounts).map(([type, n]) => (
            <Statistic key={type} title={`${t('intake.lead.events')} · ${type}`} value={n} />
          ))}
        </Space>
      )}
      <Card title={t('intake.lead.timeline')} loading={timeline.isLoading} data-testid="lead-timeline">
        {tl?.items.length ? (
          <Timeline
            items={tl.items.map((i) => ({
              key: i.id,
              color:
                i.kind === 'intent'
                  ? (OUTCOME_COLORS[i.type] ?? 'blue')
                  : i.kind === 'merge'
                    ? 'purple'
                    : 'gray',
              children: (
                <>
                  <Typography.Text type="secondary">{new Date(i.at).toLocaleString()}</Typography.Text>{' '}
                  {i.kind === 'intent' && (
                    <>
                      <Tag color={OUTCOME_COLORS[i.type]}>{t(`intake.outcome.${i.type}`)}</Tag>
                      {t('intake.lead.intent')}
                      {summarise(i.data.payload as Record<string, unknown> | undefined)}
                    </>
                  )}
                  {i.kind === 'merge' && (
                    <>
                      <Tag color="purple">{t('intake.lead.merge')}</Tag>
                      {t('intake.lead.changed')}: {((i.data.changed as string[]) ?? []).join(', ') || '—'}
                    </>
                  )}
                  {i.kind === 'event' && (
                    <>
                      <Tag>{i.type}</Tag>
                      <Typography.Text code>{JSON.stringify(i.data)}</Typography.Text>
                    </>
                  )}
                </>
              ),
            }))}
          />
        ) : (
          <Empty description={t('intake.lead.noTimeline')} />
        )}
      </Card>
    </>
  )
}

function summarise(p?: Record<string, unknown>) {
  if (!p) return null
  const parts = ['name', 'mobile', 'email', 'company'].map((k) => p[k]).filter(Boolean)
  return parts.length ? ` · ${parts.join(' · ')}` : null
}

import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Popconfirm,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { api, call } from '../api/client.js'
import { useChannels } from '../data.js'
import { useCan } from '../session.js'
import './intake/i18n.js'
import type { PoolLead } from './pools/api.js'
import './pools/i18n.js'
import { OUTCOME_COLORS } from './intake/labels.js'
import { LeadFollowUps } from './pools/LeadFollowUps.js'
import { LeadMoves, LeadPoolPanel } from './pools/LeadPoolPanel.js'
import { PersonTagsLine } from './profiles/persons/components.js'
import './quality/i18n.js'
import { LeadConversion } from './sales/customers/LeadConversion.js'

/** One lead: its fields, and the timeline of intents, merges and behaviour of its person. */
export function LeadDetailPage() {
  const { t, i18n } = useTranslation()
  const { id = '' } = useParams()
  // Dates and lists follow the app's language, not the browser's.
  const lang = i18n.language
  const dateTime = (v: string) => new Date(v).toLocaleString(lang)
  const list = (items: string[]) =>
    new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items)
  const lead = useQuery({
    queryKey: ['lead', id],
    queryFn: () => call(api.GET('/api/v1/leads/{id}', { params: { path: { id } } })),
  })
  const timeline = useQuery({
    queryKey: ['lead-timeline', id],
    queryFn: () =>
      call(api.GET('/api/v1/leads/{id}/timeline', { params: { path: { id }, query: { limit: 100 } } })),
  })
  const can = useCan()
  const channels = useChannels(can('intake.view')).data?.items ?? []
  // Where an intent came from: its channel, else the import file it was a row of.
  const sourceOf = (channelId: string | null, data: Record<string, unknown>) =>
    channels.find((c) => c.id === channelId)?.name ?? (data.importId ? t('intake.lead.viaImport') : null)
  const { message } = App.useApp()
  const qc = useQueryClient()
  const score = useQuery({
    queryKey: ['lead-score', id],
    queryFn: () => call(api.GET('/api/v1/leads/{id}/score', { params: { path: { id } } })),
  })
  const merges = useQuery({
    queryKey: ['lead-merges', id],
    queryFn: () => call(api.GET('/api/v1/leads/{id}/merges', { params: { path: { id } } })),
  })
  // Only the latest merge still in force can be undone (the server refuses the others).
  const undoable = merges.data?.items.find((m) => !m.undoneAt)?.id
  const undo = async (mergeId: string) => {
    try {
      await call(api.POST('/api/v1/quality/merges/{id}/undo', { params: { path: { id: mergeId } } }))
      message.success(t('intake.lead.unmerged'))
      await qc.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('lead') })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  const eventLabel = (type: string) => t(`quality.events.${type}`, { defaultValue: type })
  const l = lead.data
  const tl = timeline.data
  return (
    <>
      <Typography.Title level={4}>
        <Link to="/leads">{t('menu.leads')}</Link> / {l?.name}
      </Typography.Title>
      <Card loading={lead.isLoading} style={{ marginBottom: 16 }} extra={<LeadConversion leadId={id} />}>
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
        {/* The lead's person (from its timeline): tags with their reasons, and the profile. */}
        {l && <PersonTagsLine personId={timeline.data?.personId} />}
      </Card>
      {/* Lead pools (issue #4): pool, owner and status controls; follow-ups; history of moves. */}
      {l && <LeadPoolPanel lead={l as PoolLead} />}
      {l && <LeadFollowUps leadId={id} status={l.status} canWrite={can('leads.edit')} />}
      {l && <LeadMoves leadId={id} />}
      {tl && (
        <Space size="large" wrap style={{ marginBottom: 16 }} align="start">
          {score.data && (
            <Statistic
              title={t('intake.lead.score')}
              value={score.data.score}
              suffix={score.data.grade && <Tag color="blue">{score.data.grade}</Tag>}
            />
          )}
          <Statistic title={t('intake.lead.intents')} value={tl.summary.intentCount} />
          <Statistic
            title={t('intake.lead.firstSeen')}
            value={tl.summary.firstSeenAt ? new Date(tl.summary.firstSeenAt).toLocaleDateString(lang) : '—'}
          />
          <Statistic
            title={t('intake.lead.lastSeen')}
            value={tl.summary.lastSeenAt ? dateTime(tl.summary.lastSeenAt) : '—'}
          />
          {Object.entries(tl.summary.eventCounts).map(([type, n]) => (
            <Statistic key={type} title={`${t('intake.lead.events')} · ${eventLabel(type)}`} value={n} />
          ))}
        </Space>
      )}
      {score.data && score.data.rules.length > 0 && (
        <Card
          title={t('intake.lead.scoreWhy')}
          size="small"
          style={{ marginBottom: 16 }}
          data-testid="lead-score"
        >
          <Table
            size="small"
            rowKey="rule"
            pagination={false}
            dataSource={score.data.rules}
            columns={[
              { key: 'rule', title: t('quality.rules.name'), dataIndex: 'rule' },
              {
                key: 'kind',
                title: t('quality.rules.kind'),
                render: (_, r) => t(`quality.rules.kinds.${r.kind}`),
              },
              { key: 'points', title: t('quality.rules.points'), dataIndex: 'points', align: 'right' },
            ]}
          />
        </Card>
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
                  <Typography.Text type="secondary">{dateTime(i.at)}</Typography.Text>{' '}
                  {i.kind === 'intent' && (
                    <>
                      <Tag color={OUTCOME_COLORS[i.type]}>{t(`intake.outcome.${i.type}`)}</Tag>
                      {t('intake.lead.intent')}
                      {summarise(i.data.payload as Record<string, unknown> | undefined)}
                      {sourceOf(i.channelId, i.data) && (
                        <Typography.Text type="secondary" data-testid="intent-source">
                          {' '}
                          · {t('intake.lead.via', { source: sourceOf(i.channelId, i.data) })}
                        </Typography.Text>
                      )}
                      {((i.data.issues as { field: string; code: string }[] | undefined) ?? []).map((x) => (
                        <Tag key={`${x.field}:${x.code}`} color="red" style={{ marginInlineStart: 8 }}>
                          {t(`intake.field.${x.field}`, { defaultValue: x.field })}
                          {t('quality.review.colon')}
                          {t(`intake.issue.${x.code}`, { defaultValue: x.code })}
                        </Tag>
                      ))}
                    </>
                  )}
                  {i.kind === 'merge' && (
                    <>
                      <Tag color="purple">{t('intake.lead.merge')}</Tag>
                      {i.data.undoneAt ? <Tag>{t('intake.lead.unmerged')}</Tag> : null}
                      {t('intake.lead.changedFields', {
                        fields:
                          list(
                            ((i.data.changed as string[]) ?? []).map((f) =>
                              f === 'intent_count'
                                ? t('intake.lead.intents')
                                : t(`intake.field.${f}`, { defaultValue: f }),
                            ),
                          ) || '—',
                      })}
                      {i.id === undoable && can('quality.edit') && (
                        <Popconfirm title={t('intake.lead.confirmUnmerge')} onConfirm={() => undo(i.id)}>
                          <Button type="link" size="small">
                            {t('intake.lead.unmerge')}
                          </Button>
                        </Popconfirm>
                      )}
                    </>
                  )}
                  {i.kind === 'event' && (
                    <>
                      <Tag>{eventLabel(i.type)}</Tag>
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

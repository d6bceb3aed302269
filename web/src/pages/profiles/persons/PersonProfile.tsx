import { BankOutlined, UserOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Col, Empty, Result, Row, Space, Statistic, Tag, Timeline, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../../api/client.js'
import { useCan } from '../../../session.js'
import { why } from '../../pools/outcome.js'
import '../../sales/customers/customers.css'
import { RegionName } from '../../sales/customers/bits.js'
import { usePaged } from '../../sales/customers/PagedTable.js'
import { type Format, useFormat } from '../../sales/format.js'
import { useRefreshTags } from '../tags/api.js'
import { TagList, TagPicker } from '../tags/components.js'
import { type Profile, personsApi } from './api.js'
import './i18n.js'
import './persons.css'
import {
  BehaviourSection,
  ChannelsSection,
  CustomersCard,
  OrdersSection,
  ScoresSection,
  SegmentsCard,
} from './ProfileSections.js'

/** One person's profile (画像): tags with their reasons, scores, channels, behaviour, orders, segments. */
export function PersonProfilePage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const fmt = useFormat()
  const q = useQuery({
    queryKey: ['persons', 'profile', id],
    queryFn: () => personsApi.profile(id),
    retry: false,
  })
  if (q.error)
    return (
      <Result
        status={q.error instanceof ApiError && q.error.status === 404 ? '404' : 'error'}
        title={q.error instanceof ApiError && q.error.status === 404 ? t('persons.notFound') : why(q.error)}
        extra={<Link to="/persons">{t('persons.back')}</Link>}
      />
    )
  const d = q.data
  return (
    <div data-testid="person-profile-page">
      <Typography.Title level={4}>
        <Link to="/persons">{t('profilesMenu.persons')}</Link> /{' '}
        {d ? d.person.name || t('persons.unnamed') : ''}
      </Typography.Title>
      <Card loading={q.isLoading} style={{ marginBottom: 16 }} data-testid="person-header">
        {d && <Header profile={d} fmt={fmt} />}
      </Card>
      {d && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <TagsSection personId={id} profile={d} />
          </Col>
          <Col xs={24} lg={12}>
            <TagHistory personId={id} fmt={fmt} />
          </Col>
          <Col xs={24} lg={14}>
            <BehaviourSection profile={d} />
          </Col>
          <Col xs={24} lg={10}>
            <ChannelsSection profile={d} fmt={fmt} />
          </Col>
          <Col xs={24} lg={14}>
            <OrdersSection profile={d} fmt={fmt} />
          </Col>
          <Col xs={24} lg={10}>
            <ScoresSection profile={d} />
          </Col>
          <Col xs={24} lg={12}>
            <CustomersCard profile={d} />
          </Col>
          <Col xs={24} lg={12}>
            <SegmentsCard profile={d} />
          </Col>
        </Row>
      )}
    </div>
  )
}

function Header({ profile, fmt }: { profile: Profile; fmt: Format }) {
  const { t } = useTranslation()
  const p = profile.person
  return (
    <>
      <div className="haina-c360-head">
        {p.kind === 'organisation' ? (
          <BankOutlined style={{ fontSize: 20 }} />
        ) : (
          <UserOutlined style={{ fontSize: 20 }} />
        )}
        <Typography.Title level={4} data-testid="person-name">
          {p.name || t('persons.unnamed')}
        </Typography.Title>
        <Tag>{t(`persons.kind.${p.kind}`, { defaultValue: p.kind })}</Tag>
      </div>
      <Space wrap size={[24, 4]} className="haina-muted">
        <span>
          {t('persons.field.company')}：{p.company || '—'}
        </span>
        <span>
          {t('persons.field.region')}：{p.regionName ?? <RegionName code={p.regionCode} />}
        </span>
        <span>
          {t('persons.field.firstSeenAt')}：{fmt.date(p.firstSeenAt)}
        </span>
        <span>
          {t('persons.field.lastSeenAt')}：{fmt.dateTime(p.lastSeenAt)}
        </span>
      </Space>
      <div className="haina-c360-stats">
        <Statistic title={t('persons.orders.count')} value={profile.orders.count} />
        <Statistic
          title={t('persons.orders.lifetimeValue')}
          value={fmt.money(profile.orders.lifetimeValue)}
        />
        <Statistic title={t('persons.behaviour.total')} value={profile.behaviour.total} />
        <Statistic title={t('persons.section.tags')} value={profile.tags.length} />
        <Statistic title={t('persons.section.segments')} value={profile.segments.length} />
      </div>
    </>
  )
}

/** The person's tags (automatic ones explain themselves) and a quick add / remove. */
function TagsSection({ personId, profile }: { personId: string; profile: Profile }) {
  const { t } = useTranslation()
  const can = useCan()
  const qc = useQueryClient()
  const { message } = App.useApp()
  const refreshTags = useRefreshTags()
  const [adding, setAdding] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const canEdit = can('profiles.edit')
  const change = async (c: { add?: string[]; remove?: string[] }) => {
    setBusy(true)
    try {
      const r = await personsApi.tag(personId, c)
      if (r.skipped.length) message.warning(r.skipped.map((s) => s.reason).join('；'))
      else message.success(c.add?.length ? t('persons.tags.added') : t('persons.tags.removed'))
      setAdding([])
      await Promise.all([qc.invalidateQueries({ queryKey: ['persons'] }), refreshTags()])
    } catch (e) {
      message.error(why(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Card size="small" title={t('persons.section.tags')} data-testid="person-tags" style={{ height: '100%' }}>
      {profile.tags.length ? (
        <TagList
          tags={profile.tags}
          personId={personId}
          onRemove={canEdit ? (tag) => change({ remove: [tag.id] }) : undefined}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('persons.tags.none')} />
      )}
      {canEdit && (
        <div className="haina-person-tags">
          <TagPicker
            value={adding}
            onChange={setAdding}
            exclude={profile.tags.map((x) => x.id)}
            placeholder={t('persons.tags.addPh')}
            style={{ minWidth: 240, flex: 1 }}
            data-testid="person-tag-picker"
          />
          <Button
            type="primary"
            disabled={!adding.length}
            loading={busy}
            onClick={() => change({ add: adding })}
            data-testid="person-tag-add"
          >
            {t('persons.tags.add')}
          </Button>
        </div>
      )}
    </Card>
  )
}

/** Tag history: every add and remove, newest first. */
function TagHistory({ personId, fmt }: { personId: string; fmt: Format }) {
  const { t } = useTranslation()
  const h = usePaged(['persons', 'tag-history', personId], (cursor) =>
    personsApi.tagHistory(personId, cursor),
  )
  const rows = h.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Card
      size="small"
      title={t('persons.section.history')}
      loading={h.isLoading}
      data-testid="person-tag-history"
      style={{ height: '100%' }}
    >
      {rows.length ? (
        <div style={{ maxHeight: 360, overflowY: 'auto', paddingTop: 8 }}>
          <Timeline
            items={rows.map((e) => ({
              key: e.id,
              color: e.action === 'added' ? 'green' : 'red',
              children: (
                <Space size={[6, 2]} wrap>
                  <Typography.Text type="secondary">{fmt.dateTime(e.at)}</Typography.Text>
                  <Tag color={e.action === 'added' ? 'success' : 'error'}>
                    {t(`persons.history.${e.action}`)}
                  </Tag>
                  <b>{e.tagName}</b>
                  <Tag>{t(`persons.history.source.${e.source}`, { defaultValue: e.source })}</Tag>
                  <Typography.Text type="secondary">
                    {t('persons.history.by', { name: e.actorName ?? t('persons.history.system') })}
                  </Typography.Text>
                </Space>
              ),
            }))}
          />
          {h.hasNextPage && (
            <Button size="small" onClick={() => h.fetchNextPage()} loading={h.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('persons.history.none')} />
      )}
    </Card>
  )
}

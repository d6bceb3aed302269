import {
  AuditOutlined,
  CarOutlined,
  CommentOutlined,
  EnvironmentOutlined,
  FormOutlined,
  MailOutlined,
  MessageOutlined,
  PaperClipOutlined,
  PhoneOutlined,
  ShopOutlined,
  TeamOutlined,
  WechatOutlined,
} from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Card, Empty, Popconfirm, Tag, Timeline } from 'antd'
import dayjs from 'dayjs'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useCan, useMe } from '../../session.js'
import { type FollowUp, useNameOf } from './api.js'
import './pools.css'
import { why } from './outcome.js'

export const TYPE_ICONS: Record<string, ReactNode> = {
  call: <PhoneOutlined />,
  visit: <ShopOutlined />,
  business_trip: <CarOutlined />,
  interview: <TeamOutlined />,
  wechat: <WechatOutlined />,
  sms: <MessageOutlined />,
  email: <MailOutlined />,
  tender: <AuditOutlined />,
  other: <FormOutlined />,
}

/** What follow-ups are about: a lead (the default), a customer or an opportunity. */
export type FollowUpSubject = { type: 'lead' | 'customer' | 'opportunity'; id: string }
/** Either a lead's id (the lead pages) or any subject. */
export type SubjectProps =
  | { leadId: string; subject?: undefined }
  | { subject: FollowUpSubject; leadId?: undefined }
export const subjectOf = (p: SubjectProps): FollowUpSubject => p.subject ?? { type: 'lead', id: p.leadId }

export const followUpsKey = (s: FollowUpSubject) => ['follow-ups', s.type, s.id]

/** The follow-ups of one lead (or customer, or opportunity), newest first. */
export function FollowUpTimeline(props: SubjectProps & { extra?: ReactNode }) {
  const subject = subjectOf(props)
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const can = useCan()
  const me = useMe().data
  const nameOf = useNameOf()
  const list = useQuery({
    queryKey: followUpsKey(subject),
    queryFn: async () =>
      (
        await call(
          api.GET('/api/v1/follow-ups', {
            params: { query: { subjectType: subject.type, subjectId: subject.id, limit: 100 } },
          }),
        )
      ).items as FollowUp[],
  })
  const remove = async (id: string) => {
    try {
      await call(api.DELETE('/api/v1/follow-ups/{id}', { params: { path: { id } } }))
      message.success(t('pools.timeline.deleted'))
      await qc.invalidateQueries({ queryKey: followUpsKey(subject) })
    } catch (e) {
      message.error(why(e))
    }
  }
  const items = list.data ?? []
  return (
    <Card
      title={t('pools.timeline.title')}
      size="small"
      loading={list.isLoading}
      style={{ marginBottom: 16 }}
      extra={props.extra}
      data-testid="followup-timeline"
    >
      {items.length ? (
        <Timeline
          items={items.map((f) => {
            const author = nameOf(f.ownerId, f.authorName)
            const mine = f.ownerId === me?.user?.id
            return {
              key: f.id,
              icon: TYPE_ICONS[f.type] ?? <CommentOutlined />,
              content: (
                <div data-testid="followup-item">
                  <div className="haina-followup-meta" style={{ marginTop: 0 }}>
                    <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                      {t(`pools.followUp.types.${f.type}`, { defaultValue: f.type })}
                    </Tag>
                    <span>{dayjs(f.occurredAt).format('YYYY-MM-DD HH:mm')}</span>
                    {author && <span>{t('pools.timeline.by', { name: author })}</span>}
                    {f.outcome && <Tag color="green">{f.outcome}</Tag>}
                  </div>
                  <div className="haina-followup-item" style={{ marginTop: 4 }}>
                    {f.content}
                  </div>
                  {(f.nextAt || f.nextStep) && (
                    <div className="haina-followup-meta">
                      <span>
                        {t('pools.timeline.next')}
                        {f.nextAt && (
                          <span className={dayjs(f.nextAt).isBefore(dayjs()) ? 'haina-overdue' : undefined}>
                            {dayjs(f.nextAt).format('YYYY-MM-DD HH:mm')}{' '}
                          </span>
                        )}
                        {f.nextStep}
                      </span>
                    </div>
                  )}
                  {(f.attachments?.length > 0 || f.location) && (
                    <div className="haina-followup-meta">
                      {f.attachments?.map((a) => (
                        <a key={a.url} href={a.url} target="_blank" rel="noreferrer">
                          <PaperClipOutlined /> {a.name}
                        </a>
                      ))}
                      {f.location && (
                        <a
                          href={`https://uri.amap.com/marker?position=${f.location.lng},${f.location.lat}&coordinate=wgs84`}
                          target="_blank"
                          rel="noreferrer"
                          title={t('pools.timeline.location')}
                        >
                          <EnvironmentOutlined />{' '}
                          {f.location.address ?? `${f.location.lat.toFixed(5)}, ${f.location.lng.toFixed(5)}`}
                        </a>
                      )}
                    </div>
                  )}
                  {can('leads.edit') && (f.editable ?? (mine || can('leads.assign'))) && (
                    <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(f.id)}>
                      <Button type="link" size="small" style={{ paddingInline: 0 }}>
                        {t('pools.timeline.delete')}
                      </Button>
                    </Popconfirm>
                  )}
                </div>
              ),
            }
          })}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.timeline.empty')} />
      )}
    </Card>
  )
}

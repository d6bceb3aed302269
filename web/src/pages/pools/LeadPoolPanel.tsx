import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Grid,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { routingNoteText } from '../../components/labels.js'
import { useUsers } from '../../data.js'
import { useCan, useMe } from '../../session.js'
import { type LeadMove, type PoolLead, useLeadSettings, useNameOf, usePools } from './api.js'
import { STATUS_COLORS } from './i18n.js'
import { why } from './outcome.js'
import { ReleaseModal } from './ReleaseModal.js'
import { StatusModal } from './StatusModal.js'

const at = (v?: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—')

/** Everything that touches a lead after a change of pool, owner or status. */
export function useLeadRefresh(leadId: string) {
  const qc = useQueryClient()
  return async () => {
    await Promise.all(
      [['lead', leadId], ['lead-moves', leadId], ['pool-leads'], ['lead-pools'], ['public-pool-leads']].map(
        (queryKey) => qc.invalidateQueries({ queryKey }),
      ),
    )
  }
}

/** On the lead page: its pool, owner, collaborators and status, with claim / release / status controls. */
export function LeadPoolPanel({ lead }: { lead: PoolLead }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const me = useMe().data
  const nameOf = useNameOf()
  const pools = usePools().data ?? []
  const settings = useLeadSettings().data
  const refresh = useLeadRefresh(lead.id)
  const [releasing, setReleasing] = useState(false)
  const [changing, setChanging] = useState(false)
  const [editingCollaborators, setEditingCollaborators] = useState(false)
  const [claiming, setClaiming] = useState(false)

  const pool = pools.find((p) => p.id === lead.poolId)
  // A claimed lead keeps its public pool; it is "in the public pool" while nobody owns it.
  const unclaimed = pool?.kind === 'public' && !lead.ownerId
  const mine = !!lead.ownerId && lead.ownerId === me?.user?.id
  const collaboratorIds = lead.collaboratorIds ?? []
  // A salesperson cannot list users: colleagues' names may be unknown, their number is not.
  const collaboratorNames = collaboratorIds.map((id) => nameOf(id)).filter(Boolean)
  const closeReason =
    settings?.closeReasons.find((r) => r.key === lead.closeReason)?.label ?? lead.closeReason

  const claim = async () => {
    setClaiming(true)
    try {
      await call(api.POST('/api/v1/leads/{id}/claim', { params: { path: { id: lead.id } } }))
      message.success(t('pools.claim.claimed'))
      await refresh()
    } catch (e) {
      message.error(why(e))
    } finally {
      setClaiming(false)
    }
  }

  const actions = can('leads.edit') && (
    <Space wrap size={8}>
      {unclaimed && (
        <Button type="primary" loading={claiming} onClick={claim} data-testid="lead-claim">
          {t('pools.panel.claim')}
        </Button>
      )}
      {!!lead.ownerId && (mine || can('leads.assign')) && (
        <Button onClick={() => setReleasing(true)} data-testid="lead-release">
          {t('pools.panel.release')}
        </Button>
      )}
      <Button onClick={() => setChanging(true)} data-testid="lead-status">
        {t('pools.panel.changeStatus')}
      </Button>
      {can('users.view') && (
        <Button onClick={() => setEditingCollaborators(true)} data-testid="lead-collaborators">
          {t('pools.panel.editCollaborators')}
        </Button>
      )}
    </Space>
  )

  return (
    <Card
      title={t('pools.panel.title')}
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="lead-pool-panel"
    >
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
        <Descriptions.Item label={t('pools.field.pool')}>
          {pool ? (
            <Space size={4} wrap>
              <span>{pool.name}</span>
              {pool.kind !== 'sub' && (
                <Tag color={pool.kind === 'public' ? 'orange' : 'purple'}>{t(`pools.kind.${pool.kind}`)}</Tag>
              )}
            </Space>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.owner')}>
          {lead.ownerId ? (
            mine ? (
              t('pools.panel.me')
            ) : (
              (nameOf(lead.ownerId) ?? '—')
            )
          ) : (
            <Typography.Text type="secondary">{t('pools.panel.noOwner')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.status')}>
          <Space size={4} wrap>
            <Tag color={STATUS_COLORS[lead.status]}>
              {t(`leads.status_${lead.status}`, { defaultValue: lead.status })}
            </Tag>
            {closeReason && <span>{closeReason}</span>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.collaborators')}>
          {collaboratorNames.length === collaboratorIds.length && collaboratorIds.length
            ? collaboratorNames.join('、')
            : collaboratorIds.length
              ? t('pools.panel.people', { n: collaboratorIds.length })
              : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.grade')}>
          {lead.grade ? <Tag color="blue">{lead.grade}</Tag> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.category')}>{lead.category ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('pools.field.assignedAt')}>{at(lead.assignedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('pools.field.firstContactAt')}>
          {at(lead.firstContactAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('pools.field.nextFollowUpAt')}>
          <span
            className={
              lead.nextFollowUpAt && dayjs(lead.nextFollowUpAt).isBefore(dayjs())
                ? 'haina-overdue'
                : undefined
            }
          >
            {at(lead.nextFollowUpAt)}
          </span>
        </Descriptions.Item>
        {lead.routingNote && (
          <Descriptions.Item label={t('pools.field.routingNote')}>
            {routingNoteText(t, lead.routingNote)}
          </Descriptions.Item>
        )}
      </Descriptions>
      {actions && <div style={{ marginTop: 12 }}>{actions}</div>}
      <ReleaseModal ids={releasing ? [lead.id] : null} onClose={() => setReleasing(false)} onDone={refresh} />
      <StatusModal
        ids={changing ? [lead.id] : null}
        status={lead.status}
        onClose={() => setChanging(false)}
        onDone={refresh}
      />
      <CollaboratorsModal
        open={editingCollaborators}
        leadId={lead.id}
        value={collaboratorIds}
        onClose={() => setEditingCollaborators(false)}
        onDone={refresh}
      />
    </Card>
  )
}

function CollaboratorsModal(props: {
  open: boolean
  leadId: string
  value: string[]
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const users = useUsers(props.open).data?.items ?? []
  const [form] = Form.useForm<{ userIds: string[] }>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (props.open) form.setFieldsValue({ userIds: props.value })
  }, [props.open, props.value, form])
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    setBusy(true)
    try {
      await call(
        api.PUT('/api/v1/leads/{id}/collaborators', {
          params: { path: { id: props.leadId } },
          body: { userIds: v.userIds ?? [] },
        }),
      )
      message.success(t('pools.panel.collaboratorsSaved'))
      props.onDone()
      props.onClose()
    } catch (e) {
      message.error(why(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open={props.open}
      title={t('pools.panel.editCollaborators')}
      onOk={submit}
      onCancel={props.onClose}
      confirmLoading={busy}
      forceRender
    >
      <Form form={form} layout="vertical">
        <Form.Item name="userIds" label={t('pools.field.collaborators')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            options={users.filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** The lead's history of pool, owner and status changes (lead_moves). */
export function LeadMoves({ leadId }: { leadId: string }) {
  const { t } = useTranslation()
  const nameOf = useNameOf()
  const pools = usePools().data ?? []
  const settings = useLeadSettings().data
  const screens = Grid.useBreakpoint()
  const poolName = (id: string | null) => (id ? (pools.find((p) => p.id === id)?.name ?? '—') : '—')
  const moves = useQuery({
    queryKey: ['lead-moves', leadId],
    queryFn: async () =>
      (await call(api.GET('/api/v1/leads/{id}/moves', { params: { path: { id: leadId } } }))).items,
  })
  // A salesperson cannot list users: a name the list does not know is the actor's, or "a colleague".
  const who = (id: string | null, m: LeadMove) =>
    id ? (nameOf(id) ?? (id === m.actorId ? m.actorName : null) ?? t('pools.panel.colleague')) : '—'
  const change = (m: LeadMove) => {
    const parts: string[] = []
    const line = (field: string, from: string, to: string) =>
      parts.push(t('pools.panel.changeLine', { field: t(`pools.field.${field}`), from, to }))
    if (m.fromPoolId !== m.toPoolId) line('pool', poolName(m.fromPoolId), poolName(m.toPoolId))
    if (m.fromOwnerId !== m.toOwnerId) line('owner', who(m.fromOwnerId, m), who(m.toOwnerId, m))
    if (m.fromStatus !== m.toStatus && m.toStatus)
      line('status', m.fromStatus ? t(`leads.status_${m.fromStatus}`) : '—', t(`leads.status_${m.toStatus}`))
    return parts
  }
  const items = moves.data ?? []
  const actor = (m: LeadMove) => nameOf(m.actorId, m.actorName) ?? t('pools.panel.system')
  const reason = (m: LeadMove) =>
    settings?.closeReasons.find((r) => r.key === m.reason)?.label ?? m.reason ?? ''
  const kind = (m: LeadMove) => <Tag>{t(`pools.moveKind.${m.kind}`, { defaultValue: m.kind })}</Tag>
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.panel.noMoves')} />
  return (
    <Card
      title={t('pools.panel.moves')}
      size="small"
      style={{ marginBottom: 16 }}
      loading={moves.isLoading}
      data-testid="lead-moves"
    >
      {screens.md ? (
        <Table
          rowKey="id"
          size="small"
          dataSource={items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: empty }}
          columns={[
            { key: 'at', title: t('pools.panel.when'), render: (_, m) => at(m.at) },
            { key: 'kind', title: t('common.type'), render: (_, m) => kind(m) },
            { key: 'actor', title: t('pools.panel.actor'), render: (_, m) => actor(m) },
            {
              key: 'change',
              title: t('pools.panel.change'),
              render: (_, m) => (
                <div style={{ minWidth: 200 }}>
                  {change(m).map((p) => (
                    <div key={p}>{p}</div>
                  ))}
                </div>
              ),
            },
            { key: 'reason', title: t('pools.bulk.reason'), render: (_, m) => reason(m) },
          ]}
        />
      ) : items.length ? (
        // Phones: one block per move, nothing to scroll sideways.
        items.map((m) => (
          <div key={m.id} className="haina-move">
            <div className="haina-followup-meta" style={{ marginTop: 0 }}>
              {kind(m)}
              <span>{at(m.at)}</span>
              <span>{actor(m)}</span>
            </div>
            {change(m).map((p) => (
              <div key={p}>{p}</div>
            ))}
            {reason(m) && (
              <div className="haina-muted">{t('pools.panel.reasonLine', { reason: reason(m) })}</div>
            )}
          </div>
        ))
      ) : (
        empty
      )}
    </Card>
  )
}

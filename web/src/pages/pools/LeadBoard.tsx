import { MoreOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Dropdown, Empty, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call, listQuery } from '../../api/client.js'
import { type PoolLead, type Status, useNameOf } from './api.js'
import './pools.css'
import { BOARD_STATUSES, CLOSING_STATUSES, STATUS_COLORS } from './i18n.js'
import { why } from './outcome.js'
import { StatusModal } from './StatusModal.js'

/** The board: one column per open status; dropping a card on another column changes its status. */
export function LeadBoard(props: { filter: Record<string, unknown>; sort: string; canEdit: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [closing, setClosing] = useState<{ id: string; status: string } | null>(null)
  const [over, setOver] = useState<string | null>(null)

  const move = async (id: string, from: string, to: string) => {
    if (from === to) return
    if ((CLOSING_STATUSES as readonly string[]).includes(to)) return setClosing({ id, status: to })
    try {
      await call(
        api.POST('/api/v1/leads/{id}/status', { params: { path: { id } }, body: { status: to as Status } }),
      )
      message.success(t('pools.status.changed'))
    } catch (e) {
      message.error(why(e))
    }
    await qc.invalidateQueries({ queryKey: ['pool-leads'] })
  }
  const drop = (to: string) => (e: React.DragEvent) => {
    e.preventDefault()
    setOver(null)
    const [id, from] = e.dataTransfer.getData('text/plain').split('|')
    if (id && from) void move(id, from, to)
  }
  const target = (status: string) =>
    props.canEdit
      ? {
          onDragOver: (e: React.DragEvent) => {
            e.preventDefault()
            setOver(status)
          },
          onDragLeave: () => setOver((o) => (o === status ? null : o)),
          onDrop: drop(status),
        }
      : {}

  return (
    <>
      <div className="haina-board" data-testid="lead-board">
        {BOARD_STATUSES.map((s) => (
          <Column
            key={s}
            status={s}
            filter={props.filter}
            sort={props.sort}
            canEdit={props.canEdit}
            highlighted={over === s}
            onMove={move}
            dropProps={target(s)}
          />
        ))}
      </div>
      {props.canEdit && (
        <div className="haina-board-terminal">
          {CLOSING_STATUSES.map((s) => (
            <div
              key={s}
              className={`haina-board-drop${over === s ? ' is-over' : ''}`}
              data-testid={`board-drop-${s}`}
              {...target(s)}
            >
              <Tag color={STATUS_COLORS[s]}>{t(`leads.status_${s}`)}</Tag>
              <Typography.Text type="secondary">{t('pools.board.terminal')}</Typography.Text>
            </div>
          ))}
        </div>
      )}
      <StatusModal
        ids={closing ? [closing.id] : null}
        status={closing?.status}
        onClose={() => setClosing(null)}
        onDone={() => void qc.invalidateQueries({ queryKey: ['pool-leads'] })}
      />
    </>
  )
}

function Column(props: {
  status: string
  filter: Record<string, unknown>
  sort: string
  canEdit: boolean
  highlighted: boolean
  onMove: (id: string, from: string, to: string) => void
  dropProps: object
}) {
  const { t } = useTranslation()
  const filter = { ...props.filter, status: props.status }
  const list = useInfiniteQuery({
    queryKey: ['pool-leads', 'board', filter, props.sort],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/leads', {
          params: { query: listQuery({ filter, cursor: pageParam, sort: props.sort, limit: 30 }) },
        }),
      ),
    getNextPageParam: (p) => p.nextCursor,
  })
  const cards = (list.data?.pages.flatMap((p) => p.items) ?? []) as PoolLead[]
  return (
    <section
      className={`haina-board-col${props.highlighted ? ' is-over' : ''}`}
      data-testid={`board-col-${props.status}`}
      {...props.dropProps}
    >
      <header>
        <Tag color={STATUS_COLORS[props.status]}>{t(`leads.status_${props.status}`)}</Tag>
        <span className="haina-muted">
          {cards.length}
          {list.hasNextPage ? '+' : ''}
        </span>
      </header>
      <div className="haina-board-cards">
        {cards.map((l) => (
          <Card key={l.id} lead={l} canEdit={props.canEdit} onMove={props.onMove} />
        ))}
        {!list.isLoading && !cards.length && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.board.empty')} />
        )}
        {list.hasNextPage && (
          <Button block size="small" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('pools.board.more')}
          </Button>
        )}
      </div>
    </section>
  )
}

function Card(props: {
  lead: PoolLead
  canEdit: boolean
  onMove: (id: string, from: string, to: string) => void
}) {
  const { t } = useTranslation()
  const nameOf = useNameOf()
  const l = props.lead
  const next = l.nextFollowUpAt ? dayjs(l.nextFollowUpAt) : null
  const owner = nameOf(l.ownerId)
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drag source only; its menu moves it by keyboard or touch
    <div
      className="haina-board-card"
      draggable={props.canEdit}
      onDragStart={(e) => e.dataTransfer.setData('text/plain', `${l.id}|${l.status}`)}
      data-testid="board-card"
    >
      <div className="haina-board-card-head">
        <Link to={`/leads/${l.id}`} className="haina-ellipsis">
          {l.name}
        </Link>
        {l.grade && <Tag color="blue">{l.grade}</Tag>}
        {props.canEdit && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [...BOARD_STATUSES, ...CLOSING_STATUSES]
                .filter((s) => s !== l.status)
                .map((s) => ({ key: s, label: `${t('pools.board.moveTo')} ${t(`leads.status_${s}`)}` })),
              onClick: (e) => props.onMove(l.id, l.status, e.key),
            }}
          >
            <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('pools.board.moveTo')} />
          </Dropdown>
        )}
      </div>
      {l.company && <div className="haina-ellipsis haina-muted">{l.company}</div>}
      <div className="haina-board-card-foot">
        <span className="haina-ellipsis">{owner ?? t('pools.list.unassigned')}</span>
        {next && (
          <span
            className={next.isBefore(dayjs()) ? 'haina-overdue' : undefined}
            title={t('pools.field.nextFollowUpAt')}
          >
            {next.format('MM-DD HH:mm')}
          </span>
        )}
      </div>
    </div>
  )
}

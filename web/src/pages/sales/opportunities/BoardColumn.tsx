import { CalendarOutlined, MoreOutlined, UserOutlined } from '@ant-design/icons'
import { Button, Dropdown, Empty, Progress, Tag, Tooltip, Typography } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useNameOf } from '../../pools/api.js'
import { useFormat } from '../format.js'
import type { BoardCard, BoardStage } from './api.js'

const KIND_COLOR = { open: 'blue', won: 'green', lost: 'red' } as const

/** One stage of the board: header with its totals, the cards, and "load more". */
export function BoardColumn(props: {
  stage: BoardStage
  stages: BoardStage[]
  canEdit: boolean
  onDrop: (cardId: string, stageId: string) => void
  onMove: (card: BoardCard, to: BoardStage) => void
  onMore: () => Promise<void>
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [over, setOver] = useState(false)
  const [loading, setLoading] = useState(false)
  const s = props.stage
  const drop = props.canEdit
    ? {
        onDragOver: (e: React.DragEvent) => {
          e.preventDefault()
          e.dataTransfer.dropEffect = 'move'
          setOver(true)
        },
        onDragLeave: (e: React.DragEvent) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false)
        },
        onDrop: (e: React.DragEvent) => {
          e.preventDefault()
          setOver(false)
          const id = e.dataTransfer.getData('text/plain')
          if (id) props.onDrop(id, s.id)
        },
      }
    : {}
  return (
    <section
      className={`haina-opp-col is-${s.kind}${over ? ' is-over' : ''}`}
      data-testid={`stage-col-${s.name}`}
      data-stage-id={s.id}
      aria-label={s.name}
      {...drop}
    >
      <header>
        <div className="haina-opp-col-title">
          <Tag color={KIND_COLOR[s.kind]} style={{ marginInlineEnd: 0 }}>
            {s.probability}%
          </Tag>
          <span className="haina-ellipsis" title={s.name}>
            {s.name}
          </span>
          <span className="haina-opp-count" data-testid="stage-count">
            {s.count}
          </span>
        </div>
        <div className="haina-opp-col-sums">
          <span title={t('opps.field.amount')} data-testid="stage-amount">
            {fmt.money(s.amount)}
          </span>
          {s.kind === 'open' && (
            <span title={t('opps.board.weighted')}>
              {t('opps.board.weightedShort')} {fmt.money(s.weightedAmount)}
            </span>
          )}
        </div>
      </header>
      <div className="haina-opp-cards">
        {s.items.map((c) => (
          <Card
            key={c.id}
            card={c}
            stage={s}
            stages={props.stages}
            canEdit={props.canEdit}
            onMove={props.onMove}
          />
        ))}
        {!s.items.length && (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t(s.kind === 'open' ? 'opps.board.empty' : `opps.board.drop.${s.kind}`)}
          />
        )}
        {s.count > s.items.length && s.nextCursor && (
          <Button
            block
            size="small"
            loading={loading}
            onClick={async () => {
              setLoading(true)
              await props.onMore()
              setLoading(false)
            }}
          >
            {t('opps.board.more', { n: s.count - s.items.length })}
          </Button>
        )}
      </div>
    </section>
  )
}

function Card(props: {
  card: BoardCard
  stage: BoardStage
  stages: BoardStage[]
  canEdit: boolean
  onMove: (card: BoardCard, to: BoardStage) => void
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const c = props.card
  const close = c.expectedCloseDate ? dayjs(c.expectedCloseDate) : null
  const overdue = !!close && close.isBefore(dayjs(), 'day')
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drag source only; its menu moves it by keyboard
    <div
      className="haina-opp-card"
      draggable={props.canEdit}
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', c.id)
        e.dataTransfer.effectAllowed = 'move'
      }}
      data-testid="opp-card"
      data-id={c.id}
    >
      <div className="haina-opp-card-head">
        <Link to={`/opportunities/${c.id}`} className="haina-ellipsis" title={c.name} draggable={false}>
          {c.name}
        </Link>
        {props.canEdit && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'label', type: 'group', label: t('opps.board.moveTo') },
                ...props.stages
                  .filter((s) => s.id !== props.stage.id)
                  .map((s) => ({ key: s.id, label: `${s.name}（${s.probability}%）` })),
              ],
              onClick: (e) => {
                const to = props.stages.find((s) => s.id === e.key)
                if (to) props.onMove(c, to)
              },
            }}
          >
            <Button
              type="text"
              size="small"
              icon={<MoreOutlined />}
              aria-label={t('opps.board.moveTo')}
              data-testid="card-move"
            />
          </Dropdown>
        )}
      </div>
      {c.customerName && (
        <Typography.Text type="secondary" ellipsis className="haina-opp-card-customer">
          {c.customerName}
        </Typography.Text>
      )}
      <div className="haina-opp-card-row">
        <strong>{fmt.money(c.amount)}</strong>
        {close && (
          <span className={overdue ? 'haina-overdue' : undefined} title={t('opps.field.expectedCloseDate')}>
            <CalendarOutlined /> {fmt.date(c.expectedCloseDate)}
          </span>
        )}
      </div>
      <div className="haina-opp-card-row haina-opp-card-foot">
        <span className="haina-ellipsis">
          <UserOutlined /> {nameOf(c.ownerId, c.ownerName) ?? t('opps.unassigned')}
        </span>
        <Tooltip title={t('opps.meddic.score', { score: c.meddicScore })}>
          <Progress
            percent={c.meddicScore}
            steps={6}
            size="small"
            showInfo={false}
            strokeColor={c.meddicScore >= 67 ? '#52c41a' : c.meddicScore >= 34 ? '#faad14' : '#ff4d4f'}
            aria-label="MEDDIC"
          />
        </Tooltip>
      </div>
    </div>
  )
}

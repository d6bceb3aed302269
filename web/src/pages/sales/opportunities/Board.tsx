import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Empty, Input, Spin, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { useCan } from '../../../session.js'
import { type Board, type BoardCard, type BoardStage, type OppRow, salesApi } from './api.js'
import { BoardColumn } from './BoardColumn.js'
import { errText } from './format.js'
import { useStageMove } from './moves.js'
import { OpportunityDrawer } from './OpportunityDrawer.js'
import { usePipelinePick } from './PipelineSelect.js'
import { OwnerUnitFilters, ViewSwitch } from './Toolbar.js'
import './sales.css'

type Filters = { pipelineId?: string; ownerId?: string; unitId?: string; q?: string }

/** Weighted amount of one card in a stage (probability in percent). */
const weighted = (amount: number, s: BoardStage) => Math.round((amount * s.probability) / 100)

/** Takes a card out of whichever column holds it and puts it on top of `to`, totals included. */
function moveCard(board: Board, id: string, to: string): Board {
  let card: BoardCard | undefined
  const stages = board.stages.map((s) => {
    const found = s.items.find((c) => c.id === id)
    if (!found) return s
    card = found
    return {
      ...s,
      items: s.items.filter((c) => c.id !== id),
      count: s.count - 1,
      amount: s.amount - found.amount,
      weightedAmount: s.weightedAmount - weighted(found.amount, s),
    }
  })
  if (!card) return board
  const c = card
  return {
    ...board,
    stages: stages.map((s) =>
      s.id === to
        ? {
            ...s,
            items: [{ ...c, stageId: to }, ...s.items],
            count: s.count + 1,
            amount: s.amount + c.amount,
            weightedAmount: s.weightedAmount + weighted(c.amount, s),
          }
        : s,
    ),
  }
}

/**
 * 商机看板: a pipeline's stages as columns (count, amount and weighted amount in each header), cards
 * dragged between them or moved by their "移动到…" menu. The move shows at once and is undone when
 * the server refuses it (stage gate, stale version, scope).
 */
export function OpportunitiesBoardPage() {
  const { t } = useTranslation()
  const can = useCan()
  const nav = useNavigate()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [pipelineId, pipelineSelect] = usePipelinePick()
  const [ownerId, setOwnerId] = useState<string>()
  const [unitId, setUnitId] = useState<string>()
  const [q, setQ] = useState('')
  const [creating, setCreating] = useState(false)
  const filters: Filters = { pipelineId, ownerId, unitId, q: q || undefined }
  const key = ['opp-board', filters]
  const board = useQuery({
    queryKey: key,
    queryFn: () => salesApi.board(filters),
    enabled: !!pipelineId,
  })
  const canEdit = can('opportunities.edit')

  const { move, dialogs } = useStageMove({
    optimistic: (card, to) => {
      const before = qc.getQueryData<Board>(key)
      if (!before) return undefined
      void qc.cancelQueries({ queryKey: key })
      qc.setQueryData<Board>(key, moveCard(before, card.id, to.id))
      return () => qc.setQueryData(key, before)
    },
    settled: (moved) => {
      if (!moved) return void qc.invalidateQueries({ queryKey: ['opp-board'] })
      // Keep what is loaded (more pages of a column); only the card takes the server's answer.
      qc.setQueryData<Board>(
        key,
        (b) =>
          b && {
            ...b,
            stages: b.stages.map((s) => ({
              ...s,
              items: s.items.map((c) => (c.id === moved.id ? { ...c, ...pickCard(moved) } : c)),
            })),
          },
      )
      void qc.invalidateQueries({ queryKey: ['opportunity', moved.id] })
    },
  })

  const loadMore = async (s: BoardStage) => {
    if (!pipelineId || !s.nextCursor) return
    try {
      const page = await salesApi.boardStage({ ...filters, pipelineId, stageId: s.id, cursor: s.nextCursor })
      qc.setQueryData<Board>(
        key,
        (b) =>
          b && {
            ...b,
            stages: b.stages.map((x) =>
              x.id === s.id
                ? {
                    ...x,
                    items: [...x.items, ...page.items.filter((c) => !x.items.some((y) => y.id === c.id))],
                    nextCursor: page.nextCursor,
                  }
                : x,
            ),
          },
      )
    } catch (e) {
      message.error(errText(e))
    }
  }

  const stages = board.data?.stages ?? []
  const findCard = (id: string) => stages.flatMap((s) => s.items).find((c) => c.id === id)
  const onDrop = (cardId: string, stageId: string) => {
    const card = findCard(cardId)
    const stage = stages.find((s) => s.id === stageId)
    // The board holds open opportunities only.
    if (card && stage) move({ ...card, status: 'open' }, stage)
  }

  return (
    <>
      <div className="haina-toolbar">
        <Typography.Title level={4} style={{ margin: 0, marginInlineEnd: 8 }}>
          {t('opps.board.title')}
        </Typography.Title>
        {pipelineSelect}
        <OwnerUnitFilters ownerId={ownerId} unitId={unitId} onOwner={setOwnerId} onUnit={setUnitId} />
        <Input.Search allowClear placeholder={t('opps.list.search')} style={{ width: 200 }} onSearch={setQ} />
        <ViewSwitch to="list" onCreate={() => setCreating(true)} />
      </div>
      {board.isLoading || !pipelineId ? (
        <Spin style={{ display: 'block', margin: '64px auto' }} />
      ) : board.isError ? (
        <Empty description={errText(board.error)} />
      ) : (
        <div className="haina-opp-board" data-testid="opp-board">
          {stages.map((s) => (
            <BoardColumn
              key={s.id}
              stage={s}
              stages={stages}
              canEdit={canEdit}
              onDrop={onDrop}
              onMove={(card, to) => move({ ...card, status: 'open' }, to)}
              onMore={() => loadMore(s)}
            />
          ))}
        </div>
      )}
      {dialogs}
      <OpportunityDrawer
        open={creating}
        pipelineId={pipelineId}
        onClose={() => setCreating(false)}
        onSaved={(o) => {
          setCreating(false)
          void qc.invalidateQueries({ queryKey: ['opp-board'] })
          nav(`/opportunities/${o.id}`)
        }}
      />
    </>
  )
}

function pickCard(o: OppRow): Partial<BoardCard> {
  return {
    version: o.version,
    stageId: o.stageId,
    amount: o.amount,
    probability: o.probability,
    meddicScore: o.meddicScore,
  }
}

import { ExclamationCircleOutlined } from '@ant-design/icons'
import { Alert, App, Button, Form, Input, List, Modal, Select, Typography } from 'antd'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { useFieldDefs } from '../../../data.js'
import { type OppRow, type Stage, salesApi, useSalesSettings } from './api.js'
import { errText, gateFieldLabel, isConflict, isStageGate, missingFields } from './format.js'
import './i18n.js'

/** What a move needs to know of the opportunity being moved. */
export interface Movable {
  id: string
  name: string
  stageId: string
  status: 'open' | 'won' | 'lost'
  version: number
}

/** Where it moves: a stage of its pipeline. */
export type Target = Pick<Stage, 'id' | 'name' | 'kind'>

interface Options {
  /** Shows the move at once; returns how to undo it when the server refuses. */
  optimistic?: (card: Movable, to: Target) => (() => void) | undefined
  /** After every attempt, successful or not (refresh totals, the record). */
  settled?: (moved: OppRow | null) => void
}

/**
 * Moving an opportunity to a stage, the one way the board and the opportunity page share: won and
 * lost ask for a reason first, a closed one is reopened before it moves to an open stage, a stage
 * gate the server refuses (422 stage_gate) lists the missing fields with a way to fill them, and a
 * stale version (409) reloads with a message. `dialogs` must be rendered by the caller.
 */
export function useStageMove(opts: Options = {}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [closing, setClosing] = useState<{ card: Movable; stage: Target } | null>(null)
  const [gate, setGate] = useState<{ card: Movable; stage: Target; fields: string[] } | null>(null)

  const send = async (card: Movable, stage: Target, close?: { reason: string; note?: string }) => {
    const undo = opts.optimistic?.(card, stage)
    let moved: OppRow | null = null
    const version = card.version
    try {
      if (stage.kind === 'won' || stage.kind === 'lost')
        moved = await salesApi.close(card.id, stage.kind, {
          reason: close?.reason ?? '',
          note: close?.note,
          version,
        })
      // A closed one is reopened straight into the stage it was dropped on.
      else if (card.status !== 'open') moved = await salesApi.reopen(card.id, { stageId: stage.id, version })
      else moved = await salesApi.stage(card.id, { stageId: stage.id, version })
      message.success(t('opps.move.done', { name: card.name, stage: stage.name }))
    } catch (e) {
      undo?.()
      if (isStageGate(e)) setGate({ card, stage, fields: missingFields(e) })
      else if (isConflict(e)) message.warning(t('opps.move.conflict'))
      else message.error(errText(e))
    } finally {
      opts.settled?.(moved)
    }
  }

  const move = (card: Movable, stage: Target) => {
    if (card.stageId === stage.id && card.status === (stage.kind === 'open' ? 'open' : stage.kind)) return
    if (stage.kind === 'won' || stage.kind === 'lost') setClosing({ card, stage })
    else void send(card, stage)
  }

  const dialogs: ReactNode = (
    <>
      <CloseModal
        target={closing}
        onCancel={() => setClosing(null)}
        onOk={(reason, note) => {
          if (closing) void send(closing.card, closing.stage, { reason, note })
          setClosing(null)
        }}
      />
      <GateModal gate={gate} onClose={() => setGate(null)} />
    </>
  )
  return { move, dialogs }
}

const OTHER = 'other'

/** Won / lost: the reason from the workspace's list (GET /sales/settings) and a note. */
function CloseModal(props: {
  target: { card: Movable; stage: Target } | null
  onCancel: () => void
  onOk: (reason: string, note?: string) => void
}) {
  const { t } = useTranslation()
  const settings = useSalesSettings().data
  const [form] = Form.useForm<{ reason: string; note?: string }>()
  const won = props.target?.stage.kind === 'won'
  const reasons = (won ? settings?.wonReasons : settings?.lostReasons) ?? []
  // "other" is always accepted by the server, with a note saying what it was.
  const other = Form.useWatch('reason', form) === OTHER
  return (
    <Modal
      open={!!props.target}
      title={won ? t('opps.close.wonTitle') : t('opps.close.lostTitle')}
      onCancel={props.onCancel}
      okText={won ? t('opps.actions.won') : t('opps.actions.lost')}
      okButtonProps={{ danger: !won, 'data-testid': 'close-ok' }}
      onOk={async () => {
        const v = await form.validateFields()
        props.onOk(v.reason, v.note?.trim() || undefined)
      }}
      afterClose={() => form.resetFields()}
      destroyOnHidden
    >
      {props.target && (
        <Typography.Paragraph>
          {t('opps.close.intro', { name: props.target.card.name, stage: props.target.stage.name })}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" data-testid="close-form">
        <Form.Item name="reason" label={t('opps.close.reason')} rules={[{ required: true }]}>
          <Select
            showSearch
            options={[
              ...reasons.map((r) => ({ value: r, label: r })),
              { value: OTHER, label: t('opps.close.other') },
            ]}
            data-testid="close-reason"
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('opps.close.note')}
          rules={other ? [{ required: true, whitespace: true, message: t('opps.close.noteRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/** A stage gate refused the move: which fields are missing, and a button to go and fill them. */
function GateModal(props: {
  gate: { card: Movable; stage: Target; fields: string[] } | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const nav = useNavigate()
  const defs = useFieldDefs('opportunity').data?.items ?? []
  const labels = Object.fromEntries(defs.map((d) => [d.key, d.label]))
  const g = props.gate
  const meddic = !!g?.fields.some((f) => f.startsWith('meddic.'))
  const open = (tab: string) => {
    if (!g) return
    props.onClose()
    nav(`/opportunities/${g.card.id}?tab=${tab}`)
  }
  return (
    <Modal
      open={!!g}
      title={
        <span>
          <ExclamationCircleOutlined style={{ color: '#faad14', marginInlineEnd: 8 }} />
          {t('opps.gate.title')}
        </span>
      }
      onCancel={props.onClose}
      footer={[
        <Button key="close" onClick={props.onClose}>
          {t('common.close')}
        </Button>,
        meddic ? (
          <Button key="meddic" type="primary" onClick={() => open('meddic')} data-testid="gate-fill-meddic">
            {t('opps.gate.fillMeddic')}
          </Button>
        ) : (
          <Button key="details" type="primary" onClick={() => open('details')} data-testid="gate-fill">
            {t('opps.gate.fill')}
          </Button>
        ),
      ]}
      data-testid="gate-modal"
    >
      {g && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('opps.gate.intro', { name: g.card.name, stage: g.stage.name })}
          />
          <List
            size="small"
            bordered
            dataSource={g.fields}
            renderItem={(f) => <List.Item data-testid="gate-field">{gateFieldLabel(t, f, labels)}</List.Item>}
          />
        </>
      )}
    </Modal>
  )
}

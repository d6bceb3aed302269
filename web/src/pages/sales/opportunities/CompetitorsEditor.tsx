import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Input, Select, Space, Table, Tag } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { type OppCompetitor, type Opportunity, salesApi, useCompetitors } from './api.js'
import { errText } from './format.js'

const THREATS = ['low', 'medium', 'high'] as const
type Threat = (typeof THREATS)[number]
const THREAT_COLORS: Record<Threat, string> = { low: 'green', medium: 'gold', high: 'red' }
type Row = { competitorId: string; name?: string; threat: Threat; notes: string | null }
const toRows = (cs: OppCompetitor[] | undefined): Row[] =>
  (cs ?? []).map((c) => ({
    ...c,
    threat: (THREATS as readonly string[]).includes(c.threat) ? (c.threat as Threat) : 'medium',
  }))

/** Competitors in this deal (PUT /opportunities/:id/competitors): who, how threatening, notes. */
export function CompetitorsEditor(props: { o: Opportunity; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const all = useCompetitors().data ?? []
  const [rows, setRows] = useState<Row[]>(() => toRows(props.o.competitors))
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    setRows(toRows(props.o.competitors))
    setDirty(false)
  }, [props.o])
  const change = (next: Row[]) => {
    setRows(next)
    setDirty(true)
  }
  const set = (i: number, patch: Partial<Row>) =>
    change(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const free = all.filter((c) => !rows.some((r) => r.competitorId === c.id))

  const save = async () => {
    setBusy(true)
    try {
      await salesApi.competitors(props.o.id, {
        competitors: rows.map((r) => ({
          competitorId: r.competitorId,
          threat: r.threat,
          notes: r.notes?.trim() || null,
        })),
        version: props.o.version,
      })
      message.success(t('common.saved'))
      props.onSaved()
    } catch (e) {
      message.error(errText(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card
      size="small"
      extra={
        props.canEdit && (
          <Button
            type="primary"
            disabled={!dirty}
            loading={busy}
            onClick={save}
            data-testid="competitors-save"
          >
            {t('common.save')}
          </Button>
        )
      }
      title={
        can('products.view') && (
          <Link to="/sales-settings/competitors" style={{ fontWeight: 400 }}>
            {t('opps.competitors.manage')}
          </Link>
        )
      }
    >
      <Table
        rowKey="competitorId"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('opps.competitors.empty') }}
        columns={[
          {
            key: 'name',
            title: t('opps.competitors.name'),
            width: 220,
            render: (_, r, i) =>
              props.canEdit ? (
                <Select
                  style={{ width: '100%' }}
                  showSearch
                  optionFilterProp="label"
                  value={r.competitorId}
                  onChange={(v) => set(i, { competitorId: v })}
                  options={[...all.filter((c) => c.id === r.competitorId), ...free].map((c) => ({
                    value: c.id,
                    label: c.name,
                  }))}
                />
              ) : (
                (all.find((c) => c.id === r.competitorId)?.name ?? r.name)
              ),
          },
          {
            key: 'threat',
            title: t('opps.competitors.threat'),
            width: 140,
            render: (_, r, i) =>
              props.canEdit ? (
                <Select
                  style={{ width: '100%' }}
                  value={r.threat}
                  onChange={(v) => set(i, { threat: v })}
                  options={THREATS.map((x) => ({ value: x, label: t(`opps.competitors.threats.${x}`) }))}
                />
              ) : (
                <Tag color={THREAT_COLORS[r.threat]}>{t(`opps.competitors.threats.${r.threat}`)}</Tag>
              ),
          },
          {
            key: 'notes',
            title: t('opps.competitors.notes'),
            render: (_, r, i) =>
              props.canEdit ? (
                <Input
                  value={r.notes ?? ''}
                  maxLength={1000}
                  onChange={(e) => set(i, { notes: e.target.value })}
                />
              ) : (
                r.notes
              ),
          },
          ...(props.canEdit
            ? [
                {
                  key: 'remove',
                  width: 48,
                  render: (_: unknown, _r: Row, i: number) => (
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('common.delete')}
                      onClick={() => change(rows.filter((_x, j) => j !== i))}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      {props.canEdit && (
        <Space style={{ marginTop: 8 }}>
          <Select
            style={{ width: 240 }}
            placeholder={t('opps.competitors.add')}
            value={null}
            showSearch
            optionFilterProp="label"
            disabled={!free.length}
            onChange={(v: string) => change([...rows, { competitorId: v, threat: 'medium', notes: null }])}
            options={free.map((c) => ({ value: c.id, label: c.name }))}
            notFoundContent={t('opps.competitors.none')}
            suffixIcon={<PlusOutlined />}
            data-testid="competitor-add"
          />
        </Space>
      )}
    </Card>
  )
}

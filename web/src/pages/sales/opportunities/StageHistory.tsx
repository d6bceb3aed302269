import { ArrowRightOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Card, Table } from 'antd'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { useNameOf } from '../../pools/api.js'
import { useFormat } from '../format.js'
import { salesApi, usePipelines } from './api.js'

/** "3 天 4 小时" from seconds. */
export function duration(t: TFunction, seconds: number | null | undefined) {
  if (seconds === null || seconds === undefined) return '—'
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  if (d) return t('opps.history.days', { d, h })
  const m = Math.floor((seconds % 3600) / 60)
  return h ? t('opps.history.hours', { h, m }) : t('opps.history.minutes', { m })
}

/** Every stage change of the opportunity, newest first, with the time spent in the stage it left. */
export function StageHistory({ opportunityId }: { opportunityId: string }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const stages = (usePipelines().data ?? []).flatMap((p) => p.stages)
  const history = useQuery({
    queryKey: ['opp-history', opportunityId],
    queryFn: async () => (await salesApi.history(opportunityId)).items,
  })
  const stageName = (id: string | null, carried?: string | null) =>
    carried ?? stages.find((s) => s.id === id)?.name ?? (id ? '—' : t('opps.history.created'))
  const rows = [...(history.data ?? [])].sort((a, b) => b.at.localeCompare(a.at))
  return (
    <Card size="small">
      <Table
        rowKey="id"
        size="small"
        loading={history.isLoading}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('opps.history.empty') }}
        data-testid="stage-history"
        columns={[
          { key: 'at', title: t('opps.history.at'), render: (_, r) => fmt.dateTime(r.at) },
          {
            key: 'move',
            title: t('opps.history.move'),
            render: (_, r) => (
              <>
                {stageName(r.fromStageId, r.fromStageName)} <ArrowRightOutlined />{' '}
                <strong>{stageName(r.toStageId, r.toStageName)}</strong>
              </>
            ),
          },
          {
            key: 'time',
            title: t('opps.history.timeInStage'),
            render: (_, r) => duration(t, r.secondsInStage),
          },
          {
            key: 'actor',
            title: t('opps.history.actor'),
            render: (_, r) => nameOf(r.actorId, r.actorName) ?? '—',
          },
        ]}
      />
    </Card>
  )
}

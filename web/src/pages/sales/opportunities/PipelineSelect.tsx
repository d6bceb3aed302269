import { Select } from 'antd'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { usePipelines } from './api.js'

const KEY = 'haina.opps.pipeline'

/**
 * The pipeline a page shows: the one picked last time (kept in this browser), else the workspace's
 * default, else the first. Returns the id and the select that changes it.
 */
export function usePipelinePick(opts: { allowAll?: boolean } = {}): [string | undefined, ReactNode] {
  const { t } = useTranslation()
  const pipelines = usePipelines().data ?? []
  const [picked, setPicked] = useState<string | undefined>(() => localStorage.getItem(KEY) ?? undefined)
  const known = pipelines.some((p) => p.id === picked)
  const fallback = opts.allowAll
    ? undefined
    : (pipelines.find((p) => p.isDefault && p.active) ?? pipelines.find((p) => p.active) ?? pipelines[0])?.id
  const id = known ? picked : fallback
  const select = (
    <Select
      style={{ width: 180 }}
      value={id}
      allowClear={opts.allowAll}
      placeholder={t('opps.field.pipeline')}
      loading={!pipelines.length}
      onChange={(v: string | undefined) => {
        setPicked(v)
        if (v) localStorage.setItem(KEY, v)
        else localStorage.removeItem(KEY)
      }}
      options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
      data-testid="pipeline-select"
    />
  )
  return [id, select]
}

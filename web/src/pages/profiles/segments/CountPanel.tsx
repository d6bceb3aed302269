import { LoadingOutlined } from '@ant-design/icons'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Alert, Card, Progress, Space, Statistic, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { useConditionCatalogue } from '../conditions/api.js'
import { type ConditionError, conditionErrors } from '../conditions/ConditionTree.js'
import { type ConditionGroup, isTreeComplete } from '../conditions/types.js'
import { segmentsApi } from './api.js'
import './i18n.js'

const DEBOUNCE_MS = 400

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setV(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return v
}

/**
 * The live count of a draft: POST /segments/count once the conditions stop changing for 400 ms.
 * A newer draft cancels the request of an older one (the query's signal aborts when its key is
 * left). The server's validation errors go back through `onErrors` with the tree they belong to.
 */
export function CountPanel(props: {
  conditions: ConditionGroup
  onErrors: (tree: ConditionGroup, errors: ConditionError[]) => void
}) {
  const { t } = useTranslation()
  const tree = useDebounced(props.conditions, DEBOUNCE_MS)
  const catalogue = useConditionCatalogue().data
  const empty = tree.conditions.length === 0
  const complete = !empty && !!catalogue && isTreeComplete(tree, catalogue)
  const count = useQuery({
    queryKey: ['segments', 'count', tree],
    queryFn: ({ signal }) => segmentsApi.count(tree, signal),
    enabled: complete,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 15_000,
  })
  const { onErrors } = props
  const error = count.error
  useEffect(() => {
    onErrors(tree, complete && error ? conditionErrors(error) : [])
  }, [tree, complete, error, onErrors])

  const pending = props.conditions !== tree || count.isFetching
  const invalid = error instanceof ApiError && error.status === 400
  const data = complete && !error ? count.data : undefined
  const share = data && data.total > 0 ? data.count / data.total : 0
  return (
    <Card
      size="small"
      title={t('segments.count.title')}
      extra={
        pending && complete ? (
          <Typography.Text type="secondary" data-testid="segment-count-busy">
            <LoadingOutlined /> {t('segments.count.counting')}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('segments.count.live')}</Typography.Text>
        )
      }
      data-testid="segment-count-panel"
    >
      {empty ? (
        <Typography.Text type="secondary" data-testid="segment-count-hint">
          {t('segments.count.empty')}
        </Typography.Text>
      ) : !complete ? (
        <Typography.Text type="secondary" data-testid="segment-count-hint">
          {t('segments.count.incomplete')}
        </Typography.Text>
      ) : error ? (
        <Alert
          type={invalid ? 'warning' : 'error'}
          showIcon
          title={
            invalid ? t('segments.count.invalid') : t('segments.count.failed', { message: error.message })
          }
          data-testid="segment-count-error"
        />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size={4}>
          <Statistic
            value={data?.count ?? '—'}
            suffix={data ? t('segments.people') : undefined}
            loading={!data}
            styles={{ content: { fontSize: 32, fontWeight: 600 } }}
            data-testid="segment-count"
          />
          {data && (
            <>
              <Progress percent={Math.round(share * 1000) / 10} showInfo={false} size="small" />
              <Typography.Text type="secondary" data-testid="segment-count-share">
                {t('segments.count.share', {
                  total: data.total.toLocaleString(),
                  pct: `${(share * 100).toFixed(share > 0 && share < 0.001 ? 2 : 1)}%`,
                })}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="segment-count-took">
                {t('segments.count.took', { ms: Math.round(data.tookMs) })}
              </Typography.Text>
            </>
          )}
        </Space>
      )}
    </Card>
  )
}

import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Popconfirm, Progress, Space, Typography } from 'antd'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'

const KEY = ['quality-rededupe']
const ACTIVE = ['queued', 'running']

interface Counts {
  done: number
  merged: number
  review: number
  closed: number
}

/** The latest re-dedupe run: polled each second while it runs, with its counts once it is done. */
function useRededupe() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => call(api.GET('/api/v1/quality/rededupe')),
    refetchInterval: (q) => (ACTIVE.includes(q.state.data?.run?.status ?? '') ? 1000 : false),
  })
}

/** Starts a re-dedupe with the saved rules; while one runs, the button waits for it. */
export function RededupeButton() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const latest = useRededupe()
  const running = ACTIVE.includes(latest.data?.run?.status ?? '')
  const start = async () => {
    const res = await call(api.POST('/api/v1/quality/rededupe'))
    qc.setQueryData(KEY, { run: res.run })
    message.info(t(res.started ? 'quality.rules.rededupeStarted' : 'quality.rules.rededupeAlready'))
  }
  return (
    <Popconfirm
      title={t('quality.rules.rededupe')}
      description={<div style={{ maxWidth: 360 }}>{t('quality.rules.rededupeConfirm')}</div>}
      onConfirm={start}
      disabled={running}
    >
      <Button loading={running} data-testid="rededupe">
        {t('quality.rules.rededupe')}
      </Button>
    </Popconfirm>
  )
}

/** Where the latest re-dedupe stands, above the rules. */
export function RededupeStatus() {
  const { t } = useTranslation()
  const run = useRededupe().data?.run
  if (!run) return null
  const counts = (run.result ?? {}) as Partial<Counts>
  const when = run.finishedAt ? dayjs(run.finishedAt).format('YYYY-MM-DD HH:mm') : ''
  if (ACTIVE.includes(run.status))
    return (
      <Alert
        type="info"
        showIcon
        data-testid="rededupe-status"
        message={t('quality.rules.rededupeRunning')}
        description={
          <Space direction="vertical" style={{ width: '100%' }}>
            <Progress percent={run.progress} status="active" />
            {run.progressMessage && (
              <Typography.Text type="secondary">
                {t('quality.rules.rededupeChecked', { progress: run.progressMessage })}
              </Typography.Text>
            )}
          </Space>
        }
      />
    )
  if (run.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        data-testid="rededupe-status"
        message={t('quality.rules.rededupeFailed', { when })}
        description={run.lastError}
      />
    )
  return (
    <Alert
      type={run.status === 'succeeded' ? 'success' : 'warning'}
      showIcon
      data-testid="rededupe-status"
      message={t(
        run.status === 'succeeded' ? 'quality.rules.rededupeDone' : 'quality.rules.rededupeCancelled',
        {
          when,
        },
      )}
      description={
        <Space wrap>
          <span>
            {t('quality.rules.rededupeCounts', {
              done: counts.done ?? 0,
              merged: counts.merged ?? 0,
              review: counts.review ?? 0,
              closed: counts.closed ?? 0,
            })}
          </span>
          {(counts.review ?? 0) > 0 && <Link to="/intake/review">{t('quality.rules.rededupeReview')}</Link>}
        </Space>
      }
    />
  )
}

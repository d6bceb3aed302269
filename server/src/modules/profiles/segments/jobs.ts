import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import { AppError } from '../../../platform/http/errors.js'
import { registerSchedule } from '../../../platform/jobs/cron.js'
import { registerJob } from '../../../platform/jobs/queue.js'
import { refreshAllSegments, refreshSegment } from './refresh.service.js'

/**
 * Refreshes segments as the system actor: one segment (payload.segmentId), or every dynamic
 * auto-refreshing segment of the workspace (the hourly schedule: relative date windows such as
 * "viewed in the last 7 days" move with time even when no data changes).
 */
registerJob({
  type: 'segments.refresh',
  async run(job, tools) {
    const ctx: Ctx = { db: tools.db, actor: systemActor(job.tenantId!, ALL_PERMISSIONS), locale: 'zh-CN' }
    const segmentId = (job.payload as { segmentId?: unknown }).segmentId
    if (typeof segmentId === 'string')
      // A segment deleted since the job was queued has nothing to refresh.
      return refreshSegment(ctx, segmentId, 'full').catch((err: unknown) => {
        if (err instanceof AppError && err.status === 404) return { segmentId, deleted: true }
        throw err
      })
    return refreshAllSegments(ctx, (done, total) =>
      tools.progress(total ? Math.min(99, Math.floor((done / total) * 100)) : 99, `${done}/${total}`),
    )
  },
})

registerSchedule({
  name: 'segments-refresh-hourly',
  pattern: '0 40 * * * *',
  perTenant: true,
  jobType: 'segments.refresh',
})

import { registerSchedule } from '../../platform/jobs/cron.js'
import { registerJob } from '../../platform/jobs/queue.js'
import { type ReclaimProgress, reclaimLeads } from './reclaim.service.js'

export { reclaimLeads }

/**
 * Automatic reclaim into the public pools, hourly per workspace. A restarted run resumes with the
 * owners already counted (so each still gets one notification); the leads it already moved are
 * simply no longer due.
 */
registerJob({
  type: 'leads.reclaim',
  async run(job, tools) {
    const resume = (job.checkpoint as ReclaimProgress | null) ?? null
    return reclaimLeads(tools.db, job.tenantId!, new Date(), {
      resume,
      progress: (state, done, total) =>
        tools.progress(
          total ? Math.min(99, Math.floor((done / total) * 100)) : 99,
          `${done}/${total}`,
          state,
        ),
    })
  },
})

registerSchedule({
  name: 'leads-reclaim-hourly',
  pattern: '0 5 * * * *',
  perTenant: true,
  jobType: 'leads.reclaim',
})

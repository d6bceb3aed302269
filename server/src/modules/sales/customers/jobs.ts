import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import { registerSchedule } from '../../../platform/jobs/cron.js'
import { registerJob } from '../../../platform/jobs/queue.js'
import { reclaimJob } from '../../leads/reclaim.service.js'
import { recomputeCustomerGroups } from './groups.service.js'
import { reclaimCustomers } from './reclaim.service.js'

/** The A–E customer groups of a workspace, recomputed from its orders (daily, and on demand). */
registerJob({
  type: 'sales.customer-groups',
  async run(job, tools) {
    const ctx: Ctx = { db: tools.db, actor: systemActor(job.tenantId!, ALL_PERMISSIONS), locale: 'zh-CN' }
    return recomputeCustomerGroups(ctx)
  },
})

registerSchedule({
  name: 'sales-customer-groups-daily',
  pattern: '0 30 2 * * *',
  perTenant: true,
  jobType: 'sales.customer-groups',
})

/** Automatic reclaim of neglected customers into the public pools, hourly per workspace. */
registerJob({ type: 'sales.customers-reclaim', run: reclaimJob(reclaimCustomers) })

registerSchedule({
  name: 'sales-customers-reclaim-hourly',
  pattern: '0 25 * * * *',
  perTenant: true,
  jobType: 'sales.customers-reclaim',
})

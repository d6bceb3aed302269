import { and, asc, count, eq, gt } from 'drizzle-orm'
import { systemActor } from '../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../platform/access/permissions.js'
import { registerSchedule } from '../../platform/jobs/cron.js'
import { registerJob } from '../../platform/jobs/queue.js'
import { leads } from '../leads/schema.js'
import { rescoreLeads } from './scoring.service.js'

const BATCH = 5000

/**
 * Rescores every lead of a workspace: after its scoring rules or grade thresholds change, and each
 * night, because recency and behaviour-window rules change their answer as days pass. Batches of
 * BATCH leads in id order, each committed with its checkpoint, so a restart resumes.
 */
registerJob({
  type: 'quality.rescore',
  async run(job, tools) {
    const tenantId = job.tenantId!
    const ctx = { db: tools.db, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN' as const }
    const [{ total }] = (await tools.db
      .select({ total: count() })
      .from(leads)
      .where(eq(leads.tenantId, tenantId))) as [{ total: number }]
    const state = (job.checkpoint as { after?: string; done?: number } | null) ?? {}
    let after = state.after ?? '00000000-0000-0000-0000-000000000000'
    let done = state.done ?? 0
    for (;;) {
      const batch = await tools.db
        .select({ id: leads.id })
        .from(leads)
        .where(and(eq(leads.tenantId, tenantId), gt(leads.id, after)))
        .orderBy(asc(leads.id))
        .limit(BATCH)
      if (!batch.length) break
      await rescoreLeads(
        ctx,
        batch.map((l) => l.id),
      )
      after = batch[batch.length - 1]!.id
      done += batch.length
      await tools.progress(total ? Math.min(99, Math.floor((done / total) * 100)) : 99, `${done}/${total}`, {
        after,
        done,
      })
      if (await tools.isCancelled()) return { cancelled: true, done }
    }
    return { done }
  },
})

registerSchedule({
  name: 'quality-rescore-nightly',
  pattern: '0 40 2 * * *',
  perTenant: true,
  jobType: 'quality.rescore',
})

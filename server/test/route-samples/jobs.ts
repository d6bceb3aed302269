import { eq } from 'drizzle-orm'
import { enqueue } from '../../src/platform/jobs/queue.js'
import { jobs } from '../../src/platform/jobs/schema.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

/** A job of `ws` in the given state (jobs are a platform table: arranged directly). */
async function job(ws: Workspace, status: 'queued' | 'failed') {
  const [j] = await enqueue(ws.sys, { type: 'sample.job', tenantId: ws.tenantId, payload: {} })
  if (status === 'failed')
    await ws.sys.db.update(jobs).set({ status: 'failed', finishedAt: new Date() }).where(eq(jobs.id, j!.id))
  return j!.id
}

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/jobs/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await job(ws, 'queued') } }),
  },
  {
    route: 'POST /api/v1/jobs/:id/cancel',
    audits: 'job',
    prepare: async (_k, ws) => ({ params: { id: await job(ws, 'queued') } }),
  },
  {
    route: 'POST /api/v1/jobs/:id/retry',
    audits: 'job',
    prepare: async (_k, ws) => ({ params: { id: await job(ws, 'failed') } }),
  },
]

import { createTask, setTaskStatus } from '../../src/modules/sales/tasks/service.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
/** A task of the workspace's admin; `invite` makes the admin a participant too (to answer). */
const task = async (ws: Workspace, invite = false) =>
  (
    await createTask(ws.sys, {
      title: `样例日程${n++}`,
      kind: 'meeting',
      startAt: new Date(Date.now() + 86_400_000),
      ownerId: ws.adminId,
      participantIds: invite ? [ws.adminId] : [],
    })
  ).id

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/tasks',
    audits: 'task',
    prepare: async () => ({
      body: { title: `新任务${n++}`, dueAt: new Date(Date.now() + 3_600_000).toISOString() },
    }),
  },
  {
    route: 'GET /api/v1/tasks/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await task(ws) } }),
  },
  {
    route: 'PATCH /api/v1/tasks/:id',
    audits: 'task',
    prepare: async (_k, ws) => ({ params: { id: await task(ws) }, body: { title: '改期', version: 1 } }),
  },
  {
    route: 'DELETE /api/v1/tasks/:id',
    audits: 'task',
    prepare: async (_k, ws) => ({ params: { id: await task(ws) } }),
  },
  {
    route: 'POST /api/v1/tasks/:id/complete',
    audits: 'task',
    prepare: async (_k, ws) => ({ params: { id: await task(ws) }, body: { version: 1 } }),
  },
  {
    route: 'POST /api/v1/tasks/:id/reopen',
    audits: 'task',
    prepare: async (_k, ws) => {
      const id = await task(ws)
      await setTaskStatus(ws.sys, id, 'done')
      return { params: { id } }
    },
  },
  {
    route: 'POST /api/v1/tasks/:id/respond',
    audits: 'task',
    prepare: async (_k, ws) => ({ params: { id: await task(ws, true) }, body: { response: 'accepted' } }),
  },
]

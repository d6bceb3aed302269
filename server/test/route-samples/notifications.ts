import { notify } from '../../src/platform/notifications/service.js'
import type { RouteSample } from './types.js'

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/notifications/read',
    audits: 'notification',
    prepare: async (_k, ws) => {
      await notify(ws.sys, [{ userId: ws.adminId, kind: 'assigned', title: '样例通知' }])
      return { body: { all: true } }
    },
  },
]

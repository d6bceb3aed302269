import { Readable } from 'node:stream'
import { saveAttachment } from '../../src/modules/leads/followups.attachments.js'
import { createFollowUp } from '../../src/modules/leads/followups.service.js'
import { createSalesScript } from '../../src/modules/leads/scripts.service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
const followUp = async (ws: Workspace, extra: object = {}) =>
  (
    await createFollowUp(ws.sys, {
      subjectType: 'lead',
      subjectId: await make.lead(ws),
      type: 'call',
      content: `电话沟通${n++}`,
      ...extra,
    })
  ).id
const script = async (ws: Workspace) =>
  (await createSalesScript(ws.sys, { title: `话术${n++}`, body: '您好', statuses: ['new'] })).id

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/follow-ups',
    audits: 'follow_up',
    prepare: async (_k, ws) => ({
      body: {
        subjectType: 'lead',
        subjectId: await make.lead(ws),
        type: 'visit',
        content: '上门拜访',
        nextAt: new Date(Date.now() + 86_400_000).toISOString(),
        nextStep: '发报价',
      },
    }),
  },
  {
    route: 'PATCH /api/v1/follow-ups/:id',
    audits: 'follow_up',
    prepare: async (_k, ws) => ({ params: { id: await followUp(ws) }, body: { outcome: '有意向' } }),
  },
  {
    route: 'DELETE /api/v1/follow-ups/:id',
    audits: 'follow_up',
    prepare: async (_k, ws) => ({ params: { id: await followUp(ws) } }),
  },
  {
    route: 'POST /api/v1/follow-ups/attachments',
    audits: 'attachment',
    prepare: async () => ({}),
    coveredElsewhere: 'a multipart upload: src/modules/leads/followups.test.ts',
  },
  {
    route: 'GET /api/v1/follow-ups/attachments/:id',
    audits: null,
    prepare: async (_k, ws) => {
      const file = await saveAttachment(ws.sys, Readable.from([Buffer.from('样例附件')]), {
        name: 'sample.txt',
        contentType: 'text/plain',
      })
      await followUp(ws, { attachments: [file] })
      return { params: { id: file.url.split('/').pop()! } }
    },
  },
  {
    route: 'POST /api/v1/sales-scripts',
    audits: 'sales_script',
    prepare: async () => ({ body: { title: '开场白', body: '您好，我是海纳的顾问', statuses: ['new'] } }),
  },
  {
    route: 'PATCH /api/v1/sales-scripts/:id',
    audits: 'sales_script',
    prepare: async (_k, ws) => ({ params: { id: await script(ws) }, body: { sort: 3 } }),
  },
  {
    route: 'DELETE /api/v1/sales-scripts/:id',
    audits: 'sales_script',
    prepare: async (_k, ws) => ({ params: { id: await script(ws) } }),
  },
]

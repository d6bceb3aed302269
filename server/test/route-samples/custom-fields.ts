import { createDefinition } from '../../src/platform/custom-fields/definitions.service.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let seq = 0
const nextKey = () => `sample_${process.pid}_${seq++}`

async function field(ws: Workspace) {
  return createDefinition(ws.sys, { object: 'lead', key: nextKey(), label: '样例字段', type: 'text' })
}

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/custom-fields',
    audits: 'custom_field',
    prepare: async () => ({
      body: {
        object: 'lead',
        key: nextKey(),
        label: '客户等级',
        type: 'single_select',
        options: [{ value: 'a', label: 'A' }],
      },
    }),
  },
  {
    route: 'GET /api/v1/custom-fields/:id',
    audits: null,
    prepare: async (_kit, ws) => ({ params: { id: (await field(ws)).id } }),
  },
  {
    route: 'PATCH /api/v1/custom-fields/:id',
    audits: 'custom_field',
    prepare: async (_kit, ws) => {
      const f = await field(ws)
      return { params: { id: f.id }, body: { label: '改名后的字段', version: f.version } }
    },
  },
  {
    route: 'DELETE /api/v1/custom-fields/:id',
    audits: 'custom_field',
    prepare: async (_kit, ws) => ({ params: { id: (await field(ws)).id } }),
  },
]

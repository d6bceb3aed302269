import { addStaticMembers } from '../../src/modules/profiles/segments/members.service.js'
import { createSegment } from '../../src/modules/profiles/segments/service.js'
import { persons } from '../../src/modules/quality/schema.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
const person = async (ws: Workspace) => {
  const [p] = await ws.sys.db
    .insert(persons)
    .values({ tenantId: ws.tenantId, name: `样例人员${n++}`, regionCode: '310101' })
    .returning({ id: persons.id })
  return p!.id
}
/** A static segment of `ws` holding one person. */
const segment = async (ws: Workspace) => {
  const s = await createSegment(ws.sys, { name: `样例人群${n++}-${Date.now()}`, kind: 'static' })
  const personId = await person(ws)
  await addStaticMembers(ws.sys, s.id, { subjectType: 'person', ids: [personId] })
  return { id: s.id, personId }
}
const anyone = { match: 'all', conditions: [{ field: 'person.name', op: 'not_empty' }] }

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/segments',
    audits: 'segment',
    prepare: async () => ({
      body: { name: `新人群${n++}-${Date.now()}`, kind: 'dynamic', conditions: anyone },
    }),
  },
  {
    route: 'POST /api/v1/segments/count',
    audits: null,
    prepare: async () => ({ body: { conditions: anyone } }),
  },
  {
    route: 'GET /api/v1/segments/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
  },
  {
    route: 'PATCH /api/v1/segments/:id',
    audits: 'segment',
    prepare: async (_k, ws) => ({
      params: { id: (await segment(ws)).id },
      body: { description: '改了', version: 1 },
    }),
  },
  {
    route: 'DELETE /api/v1/segments/:id',
    audits: 'segment',
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
  },
  {
    route: 'POST /api/v1/segments/:id/refresh',
    audits: 'segment',
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
  },
  {
    route: 'GET /api/v1/segments/:id/members',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
  },
  {
    route: 'POST /api/v1/segments/:id/members',
    audits: 'segment',
    prepare: async (_k, ws) => ({
      params: { id: (await segment(ws)).id },
      body: { subjectType: 'person', ids: [await person(ws)] },
    }),
  },
  {
    route: 'DELETE /api/v1/segments/:id/members',
    audits: 'segment',
    prepare: async (_k, ws) => {
      const s = await segment(ws)
      return { params: { id: s.id }, body: { personIds: [s.personId] } }
    },
  },
  {
    route: 'POST /api/v1/segments/:id/members/import',
    audits: 'segment',
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
    coveredElsewhere: 'a multipart upload: src/modules/profiles/segments/members.test.ts',
  },
  {
    route: 'GET /api/v1/segments/:id/sizes',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id } }),
  },
  {
    route: 'GET /api/v1/segments/:id/export',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id }, query: { format: 'csv' } }),
  },
  {
    route: 'GET /api/v1/segments/:id/distribution',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await segment(ws)).id }, query: { by: 'region' } }),
  },
]

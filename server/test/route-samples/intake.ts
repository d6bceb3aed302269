import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChannel } from '../../src/modules/intake/channels.service.js'
import { createImport } from '../../src/modules/intake/import/import.service.js'
import type { Kit, Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
const channel = async (ws: Workspace, kind: 'app' | 'web_form' = 'app') =>
  (
    await createChannel(ws.sys, {
      kind,
      name: `渠道${n}`,
      code: `ch-${n++}-${Date.now()}`,
      unitId: ws.rootUnitId,
    })
  ).channel

async function anImport(kit: Kit, ws: Workspace, status?: string) {
  const path = join(tmpdir(), `sample-${process.pid}-${n++}.csv`)
  writeFileSync(path, '姓名,手机号\n样例,13800001234\n')
  const made = await createImport(
    ws.sys,
    { path, fileName: 'sample.csv', size: 30 },
    { unitId: ws.rootUnitId, maxBytes: 1e6 },
  )
  if (status)
    await kit.haina.database.pool.query('update imports set status = $1 where id = $2', [
      status,
      made.import.id,
    ])
  return made.import.id
}

const bearerOnly = 'needs a channel API key (Bearer), not a session: src/modules/intake/intake.test.ts'
const publicForm = 'public by design, the form token is the capability: src/modules/intake/intake.test.ts'

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/channels/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await channel(ws)).id } }),
  },
  {
    route: 'POST /api/v1/channels',
    audits: 'channel',
    prepare: async (_k, ws) => ({
      body: { kind: 'app', name: 'App', code: `app-${n++}-${Date.now()}`, unitId: ws.rootUnitId },
    }),
  },
  {
    route: 'PATCH /api/v1/channels/:id',
    audits: 'channel',
    prepare: async (_k, ws) => ({ params: { id: (await channel(ws)).id }, body: { enabled: false } }),
  },
  {
    route: 'POST /api/v1/channels/:id/rotate-key',
    audits: 'channel',
    prepare: async (_k, ws) => ({ params: { id: (await channel(ws)).id } }),
  },
  {
    route: 'DELETE /api/v1/channels/:id',
    audits: 'channel',
    prepare: async (_k, ws) => ({ params: { id: (await channel(ws)).id } }),
  },
  {
    route: 'POST /api/v1/intake/leads',
    audits: 'lead',
    coveredElsewhere: bearerOnly,
    prepare: async () => ({}),
  },
  {
    route: 'POST /api/v1/intake/events',
    audits: 'behaviour_event',
    coveredElsewhere: bearerOnly,
    prepare: async () => ({}),
  },
  {
    route: 'GET /api/v1/forms/:token',
    audits: null,
    coveredElsewhere: publicForm,
    prepare: async () => ({}),
  },
  {
    route: 'GET /api/v1/forms/:token/embed.js',
    audits: null,
    coveredElsewhere: publicForm,
    prepare: async () => ({}),
  },
  {
    route: 'OPTIONS /api/v1/forms/:token',
    audits: null,
    coveredElsewhere: publicForm,
    prepare: async () => ({}),
  },
  {
    route: 'POST /api/v1/forms/:token',
    audits: 'lead',
    coveredElsewhere: publicForm,
    prepare: async () => ({}),
  },
  {
    route: 'GET /api/v1/leads/:id/timeline',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'POST /api/v1/imports',
    audits: 'import',
    coveredElsewhere: 'a multipart upload: src/modules/intake/import/import.test.ts',
    prepare: async () => ({}),
  },
  {
    route: 'GET /api/v1/imports/:id',
    audits: null,
    prepare: async (k, ws) => ({ params: { id: await anImport(k, ws) } }),
  },
  {
    route: 'GET /api/v1/imports/:id/errors.csv',
    audits: null,
    prepare: async (k, ws) => ({ params: { id: await anImport(k, ws) } }),
  },
  {
    route: 'POST /api/v1/imports/:id/preview',
    audits: null,
    prepare: async (k, ws) => ({
      params: { id: await anImport(k, ws) },
      body: { mapping: { 0: 'name', 1: 'mobile' }, rows: [{ rowNumber: 2, cells: ['样例', '13800001234'] }] },
    }),
  },
  {
    route: 'POST /api/v1/imports/:id/start',
    audits: 'import',
    prepare: async (k, ws) => ({
      params: { id: await anImport(k, ws) },
      body: { mapping: { 0: 'name', 1: 'mobile' } },
    }),
  },
  {
    route: 'POST /api/v1/imports/:id/undo',
    audits: 'import',
    prepare: async (k, ws) => ({ params: { id: await anImport(k, ws, 'completed') } }),
  },
]

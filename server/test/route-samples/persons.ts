import { intent } from '../../src/modules/profiles/persons/fixture.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
/** A person of the workspace: a lead of the root unit through the data factory (a fresh mobile each time). */
const person = async (ws: Workspace) =>
  (await intent(ws, { name: `样例客户${n}`, mobile: `1351${String(1_000_000 + n++).slice(-7)}` })).personId

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/persons/:id/profile',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await person(ws) } }),
  },
]

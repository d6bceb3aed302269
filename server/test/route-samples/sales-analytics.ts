import { salesData } from '../../src/modules/sales/analytics/sales.fixture.js'
import type { RouteSample } from './types.js'

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/customers/:id/360',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await salesData(ws).customer() } }),
  },
]

import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOrderImport } from '../../src/modules/sales/orders/import/import.service.js'
import { createOrder } from '../../src/modules/sales/orders/service.js'
import { salesArrange } from '../../src/modules/sales/quotes/sales.fixture.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
/** A draft order of the admin's in `ws`. */
async function anOrder(ws: Workspace) {
  const o = await createOrder(ws.sys, {
    customerId: await salesArrange(ws).customer(),
    lines: [{ name: '标准版', quantity: 1, unitPrice: 10_000 }],
  })
  return String(o.id)
}

/** An uploaded order import in `ws`, not started. */
async function anImport(ws: Workspace) {
  const path = join(tmpdir(), `orders-sample-${process.pid}-${n++}.csv`)
  writeFileSync(path, '订单号,客户名称,商品名称,单价\nS1,样例客户,商品,1.00\n')
  const made = await createOrderImport(
    ws.sys,
    { path, fileName: 'orders.csv', size: 60 },
    { unitId: ws.rootUnitId, maxBytes: 1e6 },
  )
  return String(made.import.id)
}

const MAPPING = { 0: 'orderNo', 1: 'customerName', 2: 'productName', 3: 'unitPrice' }

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/orders',
    audits: 'order',
    prepare: async (_k, ws) => ({
      body: {
        customerId: await salesArrange(ws).customer(),
        lines: [{ name: '标准版', quantity: 2, unitPrice: 10_000, discount: 1_000 }],
        total: 19_000,
      },
    }),
  },
  {
    route: 'GET /api/v1/orders/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await anOrder(ws) } }),
  },
  {
    route: 'PATCH /api/v1/orders/:id',
    audits: 'order',
    prepare: async (_k, ws) => ({ params: { id: await anOrder(ws) }, body: { version: 1, notes: '加急' } }),
  },
  {
    route: 'DELETE /api/v1/orders/:id',
    audits: 'order',
    prepare: async (_k, ws) => ({ params: { id: await anOrder(ws) } }),
  },
  {
    route: 'POST /api/v1/orders/:id/status',
    audits: 'order',
    prepare: async (_k, ws) => ({ params: { id: await anOrder(ws) }, body: { status: 'confirmed' } }),
  },
  {
    route: 'GET /api/v1/orders/:id/payments',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await anOrder(ws) } }),
  },
  {
    route: 'POST /api/v1/orders/:id/payments',
    audits: 'order',
    prepare: async (_k, ws) => ({
      params: { id: await anOrder(ws) },
      body: { kind: 'payment', amount: 5_000, method: 'alipay' },
    }),
  },
  {
    route: 'POST /api/v1/opportunities/:id/order',
    audits: 'order',
    prepare: async (_k, ws) => ({
      params: {
        id: await salesArrange(ws).opportunity({
          status: 'won',
          lines: [{ name: '年费', quantity: 1, unitPrice: 50_000 }],
        }),
      },
    }),
  },
  {
    route: 'POST /api/v1/orders/imports',
    audits: 'import',
    coveredElsewhere: 'a multipart upload: src/modules/sales/orders/import/import.test.ts',
    prepare: async () => ({}),
  },
  {
    route: 'GET /api/v1/orders/imports/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await anImport(ws) } }),
  },
  {
    route: 'GET /api/v1/orders/imports/:id/errors',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await anImport(ws) } }),
  },
  {
    route: 'POST /api/v1/orders/imports/:id/preview',
    audits: null,
    prepare: async (_k, ws) => ({
      params: { id: await anImport(ws) },
      body: { mapping: MAPPING, rows: [{ rowNumber: 2, cells: ['S1', '样例客户', '商品', '1.00'] }] },
    }),
  },
  {
    route: 'POST /api/v1/orders/imports/:id/start',
    audits: 'import',
    prepare: async (_k, ws) => ({ params: { id: await anImport(ws) }, body: { mapping: MAPPING } }),
  },
]

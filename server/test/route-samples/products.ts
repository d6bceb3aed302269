import { competitorsRepo, createPriceBook, createProduct } from '../../src/modules/sales/products/service.js'
import { inTransaction } from '../../src/platform/db/tx.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
const product = async (ws: Workspace) =>
  String(
    (await createProduct(ws.sys, { code: `SP-${n++}-${Date.now()}`, name: '样例产品', listPrice: 1000 })).id,
  )
const priceBook = async (ws: Workspace) =>
  String((await createPriceBook(ws.sys, { name: `样例价格表${n++}-${Date.now()}` })).id)
const competitor = async (ws: Workspace) =>
  String(
    (
      await inTransaction(ws.sys, (tx) =>
        competitorsRepo.insert(tx, [{ name: `样例竞品${n++}-${Date.now()}` }]),
      )
    )[0]!.id,
  )

export const samples: RouteSample[] = [
  {
    route: 'GET /api/v1/products/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await product(ws) } }),
  },
  {
    route: 'POST /api/v1/products',
    audits: 'product',
    prepare: async () => ({ body: { code: `NP-${n++}-${Date.now()}`, name: '新产品', listPrice: 100 } }),
  },
  {
    route: 'PATCH /api/v1/products/:id',
    audits: 'product',
    prepare: async (_k, ws) => ({ params: { id: await product(ws) }, body: { category: '软件' } }),
  },
  {
    route: 'DELETE /api/v1/products/:id',
    audits: 'product',
    prepare: async (_k, ws) => ({ params: { id: await product(ws) } }),
  },
  {
    route: 'GET /api/v1/price-books/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await priceBook(ws) } }),
  },
  {
    route: 'POST /api/v1/price-books',
    audits: 'price_book',
    prepare: async () => ({ body: { name: `新价格表${n++}-${Date.now()}` } }),
  },
  {
    route: 'PATCH /api/v1/price-books/:id',
    audits: 'price_book',
    prepare: async (_k, ws) => ({ params: { id: await priceBook(ws) }, body: { description: '渠道价' } }),
  },
  {
    route: 'PUT /api/v1/price-books/:id/entries',
    audits: 'price_book',
    prepare: async (_k, ws) => ({
      params: { id: await priceBook(ws) },
      body: { entries: [{ productId: await product(ws), unitPrice: 800 }] },
    }),
  },
  {
    route: 'DELETE /api/v1/price-books/:id',
    audits: 'price_book',
    prepare: async (_k, ws) => ({ params: { id: await priceBook(ws) } }),
  },
  {
    route: 'GET /api/v1/competitors/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await competitor(ws) } }),
  },
  {
    route: 'POST /api/v1/competitors',
    audits: 'competitor',
    prepare: async () => ({ body: { name: `新竞品${n++}-${Date.now()}` } }),
  },
  {
    route: 'PATCH /api/v1/competitors/:id',
    audits: 'competitor',
    prepare: async (_k, ws) => ({
      params: { id: await competitor(ws) },
      body: { website: 'https://example.com' },
    }),
  },
  {
    route: 'DELETE /api/v1/competitors/:id',
    audits: 'competitor',
    prepare: async (_k, ws) => ({ params: { id: await competitor(ws) } }),
  },
]

import { answerQuote, sendQuote, submitQuote } from '../../src/modules/sales/quotes/approval.service.js'
import { salesArrange } from '../../src/modules/sales/quotes/sales.fixture.js'
import { createQuote } from '../../src/modules/sales/quotes/service.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

/** A quote in `ws` (made by the system, so the admin may approve it), taken to `status`. */
async function aQuote(ws: Workspace, status = 'draft', discountPct = 0) {
  const opportunityId = await salesArrange(ws).opportunity()
  const q = await createQuote(ws.sys, {
    opportunityId,
    title: '样例报价',
    lines: [{ name: '标准版', quantity: 1, unitPrice: 10_000, discountPct }],
  })
  const id = String(q.id)
  if (status === 'draft') return id
  await submitQuote(ws.sys, id)
  if (status === 'pending_approval' || status === 'approved') return id
  await sendQuote(ws.sys, id)
  if (status === 'accepted') await answerQuote(ws.sys, id, 'accept')
  return id
}

const quoteRoute = (route: string, status?: string, discountPct?: number): RouteSample => ({
  route,
  audits: route.startsWith('GET') ? null : 'quote',
  prepare: async (_k, ws) => ({ params: { id: await aQuote(ws, status, discountPct) } }),
})

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/quotes',
    audits: 'quote',
    prepare: async (_k, ws) => ({
      body: {
        opportunityId: await salesArrange(ws).opportunity(),
        title: '新报价',
        lines: [{ name: '标准版', quantity: 2, unitPrice: 10_000 }],
      },
    }),
  },
  quoteRoute('GET /api/v1/quotes/:id'),
  {
    route: 'PATCH /api/v1/quotes/:id',
    audits: 'quote',
    prepare: async (_k, ws) => ({
      params: { id: await aQuote(ws) },
      body: { version: 1, title: '改过的报价' },
    }),
  },
  quoteRoute('DELETE /api/v1/quotes/:id'),
  quoteRoute('POST /api/v1/quotes/:id/submit'),
  quoteRoute('POST /api/v1/quotes/:id/approve', 'pending_approval', 30),
  quoteRoute('POST /api/v1/quotes/:id/reject', 'pending_approval', 30),
  quoteRoute('POST /api/v1/quotes/:id/send', 'approved'),
  quoteRoute('POST /api/v1/quotes/:id/accept', 'sent'),
  quoteRoute('POST /api/v1/quotes/:id/decline', 'sent'),
  quoteRoute('POST /api/v1/quotes/:id/revise', 'sent'),
  quoteRoute('GET /api/v1/quotes/:id/revisions'),
  quoteRoute('GET /api/v1/quotes/:id/print', 'accepted'),
]

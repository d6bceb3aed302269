import { useQuery } from '@tanstack/react-query'
import { api, call, listQuery } from '../../../api/client.js'
import type { Answer, Input, Item } from '../opportunities/types.js'

export const QUOTE_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'sent',
  'accepted',
  'declined',
  'superseded',
] as const
export type QuoteStatus = (typeof QUOTE_STATUSES)[number]
/** One quote as GET /quotes/:id has it: lines, approval names, needsApproval. */
export type Quote = Answer<'/api/v1/quotes/{id}', 'get'>
/** A row of the quote list: with its customer's and deal's names and needsApproval. */
export type QuoteRow = Item<'/api/v1/quotes'>
export type NewQuote = Input<'/api/v1/quotes', 'post'>
export type QuotePatch = Input<'/api/v1/quotes/{id}', 'patch'>
export type QuoteAction = 'submit' | 'approve' | 'reject' | 'send' | 'accept' | 'decline' | 'revise'

const path = (id: string) => ({ params: { path: { id } } })

export const quotesApi = {
  list: (q: { filter?: Record<string, unknown>; q?: string; cursor?: string | null; limit?: number }) =>
    call(
      api.GET('/api/v1/quotes', {
        params: { query: { ...listQuery({ ...q, sort: '-createdAt' }), ...(q.q ? { q: q.q } : {}) } },
      }),
    ),
  get: (id: string) => call(api.GET('/api/v1/quotes/{id}', path(id))),
  create: (body: NewQuote) => call(api.POST('/api/v1/quotes', { body })),
  patch: (id: string, body: QuotePatch) => call(api.PATCH('/api/v1/quotes/{id}', { ...path(id), body })),
  remove: (id: string) => call(api.DELETE('/api/v1/quotes/{id}', path(id))),
  act: (id: string, action: QuoteAction, body: { version: number; comment?: string | null }) =>
    action === 'revise'
      ? call(api.POST('/api/v1/quotes/{id}/revise', path(id)))
      : call(api.POST(`/api/v1/quotes/{id}/${action}`, { ...path(id), body })),
  revisions: (id: string) => call(api.GET('/api/v1/quotes/{id}/revisions', path(id))),
}

export const useQuote = (id: string) =>
  useQuery({ queryKey: ['quote', id], queryFn: () => quotesApi.get(id) })

export const QUOTE_COLORS: Record<string, string> = {
  draft: 'default',
  pending_approval: 'orange',
  approved: 'cyan',
  rejected: 'red',
  sent: 'blue',
  accepted: 'green',
  declined: 'volcano',
  superseded: 'default',
}

import { useQuery } from '@tanstack/react-query'
import { api, call, listQuery } from '../../../api/client.js'
import { ask, type Body, idPath, type Ok } from '../customers/api.js'

// The orders API of issue #5 (contract in the sales brief): orders, payments, receivables, imports.

export const PAYMENT_METHODS = ['bank_transfer', 'wechat_pay', 'alipay', 'cash', 'card', 'other'] as const

export type Order = Ok<'/api/v1/orders/{id}', 'get'>
export type OrderLine = Order['lines'][number]
export type OrderListItem = Ok<'/api/v1/orders', 'get'>['items'][number]
export type OrderBody = Body<'/api/v1/orders', 'post'>
export type Payment = Ok<'/api/v1/orders/{id}/payments', 'get'>['items'][number]
export type PaymentBody = Body<'/api/v1/orders/{id}/payments', 'post'>
export type Receivables = Ok<'/api/v1/receivables', 'get'>
export type Receivable = Receivables['items'][number]
export type Product = Ok<'/api/v1/products', 'get'>['items'][number]
export type OrderStatus = Body<'/api/v1/orders/{id}/status', 'post'>['status']
export type ImportUpload = Ok<'/api/v1/orders/imports', 'post'>
export type ImportPreview = Ok<'/api/v1/orders/imports/{id}/preview', 'post'>
export type ImportRun = Ok<'/api/v1/orders/imports/{id}', 'get'>

/** What is still owed: total − paid + refunded (the server's own figure when it sends one). */
export const balanceOf = (o: Pick<Order, 'total' | 'paidTotal' | 'refundedTotal'> & { balance?: number }) =>
  o.balance ?? o.total - o.paidTotal + o.refundedTotal

/** The transitions a status allows (the server has the last word: 409 order_transition). */
export function nextStatuses(o: Pick<Order, 'status' | 'paidTotal' | 'refundedTotal'>): OrderStatus[] {
  const next: Record<string, OrderStatus[]> = {
    draft: ['confirmed', 'cancelled'],
    confirmed: ['shipped', 'cancelled'],
    shipped: ['completed'],
    completed: [],
  }
  const out: OrderStatus[] = [...(next[o.status] ?? [])]
  // Refunded only once every payment has been refunded.
  if (
    ['confirmed', 'shipped', 'completed'].includes(o.status) &&
    o.paidTotal > 0 &&
    o.refundedTotal >= o.paidTotal
  )
    out.push('refunded')
  return out
}

type ListArgs = { filter?: Record<string, unknown>; sort?: string; cursor?: string | null }

export const ordersApi = {
  list: (q: ListArgs) =>
    ask(api.GET('/api/v1/orders', { params: { query: listQuery({ limit: 50, ...q }) } })),
  get: (id: string) => ask(api.GET('/api/v1/orders/{id}', idPath(id))),
  create: (body: OrderBody) => ask(api.POST('/api/v1/orders', { body })),
  update: (id: string, body: Body<'/api/v1/orders/{id}', 'patch'>) =>
    ask(api.PATCH('/api/v1/orders/{id}', { ...idPath(id), body })),
  status: (id: string, status: OrderStatus, version: number) =>
    ask(api.POST('/api/v1/orders/{id}/status', { ...idPath(id), body: { status, version } })),
  payments: (id: string) => ask(api.GET('/api/v1/orders/{id}/payments', idPath(id))),
  pay: (id: string, body: PaymentBody) =>
    ask(api.POST('/api/v1/orders/{id}/payments', { ...idPath(id), body })),
  receivables: (q: ListArgs & { overdueOnly?: boolean }) =>
    ask(
      api.GET('/api/v1/receivables', {
        params: {
          query: { ...listQuery({ limit: 100, ...q }), ...(q.overdueOnly ? { overdueOnly: true } : {}) },
        },
      }),
    ),
  importPreview: (id: string, mapping: Record<string, string>, rows: ImportUpload['sample']) =>
    ask(api.POST('/api/v1/orders/imports/{id}/preview', { ...idPath(id), body: { mapping, rows } })),
  importStart: (id: string, body: Body<'/api/v1/orders/imports/{id}/start', 'post'>) =>
    ask(api.POST('/api/v1/orders/imports/{id}/start', { ...idPath(id), body })),
  importGet: (id: string) => ask(api.GET('/api/v1/orders/imports/{id}', idPath(id))),
}

/** Uploads the file to import: multipart, which the client sends as it is (with its CSRF and language headers). */
export function uploadImport(file: File) {
  const body = new FormData()
  body.append('file', file, file.name)
  // The spec has no JSON body for a multipart route.
  return ask(api.POST('/api/v1/orders/imports', { body: body as never }))
}

export const useProducts = () =>
  useQuery({
    queryKey: ['products', 'active'],
    queryFn: async () =>
      (
        await call(
          api.GET('/api/v1/products', {
            params: { query: listQuery({ limit: 200, sort: 'name', filter: { active: true } }) },
          }),
        )
      ).items,
    staleTime: 60_000,
  })

import { useQuery } from '@tanstack/react-query'
import { ApiError, api, call, listQuery } from '../../../api/client.js'
import type { paths } from '../../../api/schema'

// The customers API of issue #5 (contract in the sales brief). Every call of these pages goes
// through this file, so a changed route is fixed in one place.

/** A route's JSON answer and body in the generated spec: a changed route fails the build. */
export type Ok<P extends keyof paths, M extends 'get' | 'post' | 'patch' | 'put'> = paths[P][M] extends {
  responses: { [code in 200 | 201]?: { content: { 'application/json': infer R } } }
}
  ? R
  : never
export type Body<P extends keyof paths, M extends 'post' | 'patch' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

export const CUSTOMER_KINDS = ['organisation', 'individual'] as const
export const CUSTOMER_GROUPS = ['A', 'B', 'C', 'D', 'E'] as const
export const CUSTOMER_SIZES = ['1-49', '50-199', '200-999', '1000+'] as const
export const CUSTOMER_LEVELS = ['strategic', 'key', 'normal', 'small'] as const
export const DEAL_ROLES = [
  'decision_maker',
  'economic_buyer',
  'influencer',
  'finance',
  'user',
  'gatekeeper',
] as const

export type CustomerKind = (typeof CUSTOMER_KINDS)[number]
export type DealRole = (typeof DEAL_ROLES)[number]

export type Customer = Ok<'/api/v1/customers/{id}', 'get'>
export type CustomerBody = Body<'/api/v1/customers', 'post'>
/** A customer as the pages show it: the record, or the 360 answer's richer copy of it. */
export type CustomerView = Omit<Customer, 'customerGroup'> & { customerGroup: string }
/** A customer waiting in a public pool: hidden fields arrive empty; the caller's wait, if any. */
export type PublicCustomer = Ok<'/api/v1/public-pools/{id}/customers', 'get'>['items'][number]
export type Contact = Ok<'/api/v1/contacts/{id}', 'get'>
export type ContactBody = Body<'/api/v1/contacts', 'post'>
/** A contact in a reporting-line tree (the 360 answer's shape). */
export type ContactNode = Customer360['contactsTree'][number]
export type Candidate = Ok<'/api/v1/customers/duplicates', 'get'>['items'][number]
export type Hierarchy = Ok<'/api/v1/customers/{id}/hierarchy', 'get'>
export type Conversion = Ok<'/api/v1/leads/{id}/conversion', 'get'>
export type ConvertPreview = Ok<'/api/v1/leads/{id}/convert/preview', 'get'>
export type ConvertBody = Body<'/api/v1/leads/{id}/convert', 'post'>
export type Pipeline = Ok<'/api/v1/pipelines', 'get'>['items'][number]
/** Customer 360 (GET /customers/:id/360): everything about one customer in one answer. */
export type Customer360 = Ok<'/api/v1/customers/{id}/360', 'get'>

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** An error with the whole problem body, for answers whose params matter (duplicates, conversions). */
export class Problem extends ApiError {
  constructor(
    base: ApiError,
    readonly body: Record<string, unknown>,
  ) {
    super(base.status, base.code, base.message, base.fields)
  }
  /** A value the server put in `params` (or beside it, as problem+json extensions are). */
  param<T>(key: string): T | undefined {
    const params = this.body.params as Record<string, unknown> | undefined
    return (params?.[key] ?? this.body[key]) as T | undefined
  }
}

/** Like call(): the data, or a thrown Problem that keeps the problem body. */
export async function ask<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const res = await promise
  try {
    return await call(Promise.resolve(res))
  } catch (e) {
    throw e instanceof ApiError ? new Problem(e, (res.error ?? {}) as Record<string, unknown>) : e
  }
}

/** The `{id}` path parameter of a typed call. */
export const idPath = (id: string) => ({ params: { path: { id } } })
type ListArgs = { filter?: Record<string, unknown>; sort?: string; cursor?: string | null; limit?: number }

export const customersApi = {
  list: (q: ListArgs) =>
    ask(api.GET('/api/v1/customers', { params: { query: listQuery({ limit: 50, ...q }) } })),
  get: (id: string) => ask(api.GET('/api/v1/customers/{id}', idPath(id))),
  create: (body: CustomerBody) => ask(api.POST('/api/v1/customers', { body })),
  update: (id: string, body: Body<'/api/v1/customers/{id}', 'patch'>) =>
    ask(api.PATCH('/api/v1/customers/{id}', { ...idPath(id), body })),
  remove: (id: string) => ask(api.DELETE('/api/v1/customers/{id}', idPath(id))),
  assign: (ids: string[], ownerId: string) =>
    ask(api.POST('/api/v1/customers/assign', { body: { ids, ownerId } })),
  release: (id: string, reason: string) =>
    ask(api.POST('/api/v1/customers/{id}/release', { ...idPath(id), body: { reason } })),
  claim: (id: string) => ask(api.POST('/api/v1/customers/{id}/claim', idPath(id))),
  claimMany: (ids: string[]) => ask(api.POST('/api/v1/customers/claim', { body: { ids } })),
  publicPool: (poolId: string, q: { q?: string; cursor?: string | null }) =>
    ask(
      api.GET('/api/v1/public-pools/{id}/customers', {
        params: {
          path: { id: poolId },
          query: { limit: 50, ...(q.q ? { q: q.q } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) },
        },
      }),
    ),
  recomputeGroups: () => ask(api.POST('/api/v1/customers/groups/recompute')),
  c360: (id: string) => ask(api.GET('/api/v1/customers/{id}/360', idPath(id))),
}

export const contactsApi = {
  list: (q: { customerId?: string; q?: string; dealRole?: DealRole; cursor?: string | null }) =>
    ask(
      api.GET('/api/v1/contacts', {
        params: {
          query: {
            limit: 100,
            ...(q.customerId ? { customerId: q.customerId } : {}),
            ...(q.q ? { q: q.q } : {}),
            ...(q.dealRole ? { dealRole: q.dealRole } : {}),
            ...(q.cursor ? { cursor: q.cursor } : {}),
          },
        },
      }),
    ),
  create: (body: ContactBody) => ask(api.POST('/api/v1/contacts', { body })),
  update: (id: string, body: Body<'/api/v1/contacts/{id}', 'patch'>) =>
    ask(api.PATCH('/api/v1/contacts/{id}', { ...idPath(id), body })),
  remove: (id: string) => ask(api.DELETE('/api/v1/contacts/{id}', idPath(id))),
}

export const conversionApi = {
  preview: (leadId: string) => ask(api.GET('/api/v1/leads/{id}/convert/preview', idPath(leadId))),
  convert: (leadId: string, body: ConvertBody) =>
    ask(api.POST('/api/v1/leads/{id}/convert', { ...idPath(leadId), body })),
  get: (leadId: string) => ask(api.GET('/api/v1/leads/{id}/conversion', idPath(leadId))),
}

export const usePipelines = (enabled = true) =>
  useQuery({
    queryKey: ['pipelines'],
    queryFn: async () => (await call(api.GET('/api/v1/pipelines'))).items.filter((p) => p.active),
    enabled,
    staleTime: 60_000,
  })

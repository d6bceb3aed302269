import { useQuery } from '@tanstack/react-query'
import { api, call, listQuery } from '../../../api/client.js'
import type { Answer, Input, Item } from './types.js'

// The sales API the opportunity, quote and settings pages read: types from the generated spec.
export type Pipeline = Item<'/api/v1/pipelines'>
export type Stage = Pipeline['stages'][number]
export type StageKind = Stage['kind']
export type Opportunity = Answer<'/api/v1/opportunities/{id}', 'get'>
export type OppRow = Item<'/api/v1/opportunities'>
export type OppLine = Opportunity['lines'][number]
export type OppCompetitor = Opportunity['competitors'][number]
export type Meddic = NonNullable<Input<'/api/v1/opportunities/{id}', 'patch'>['meddic']>
export type Board = Answer<'/api/v1/opportunities/board', 'get'>
export type BoardStage = Board['stages'][number]
export type BoardCard = BoardStage['items'][number]
export type StageChange = Item<'/api/v1/opportunities/{id}/stage-history'>
export type Forecast = Answer<'/api/v1/opportunities/forecast', 'get'>
export type ForecastRow = Forecast['rows'][number]
export type SalesSettings = Answer<'/api/v1/sales/settings', 'get'>
export type Product = Item<'/api/v1/products'>
export type PriceBook = Item<'/api/v1/price-books'>
export type Competitor = Item<'/api/v1/competitors'>
type BoardQuery = { pipelineId?: string; ownerId?: string; unitId?: string; q?: string }

/** A contact of a customer (the customers module's route), for the contact pickers. */
export type Contact = Item<'/api/v1/contacts'>

const path = (id: string) => ({ params: { path: { id } } })

export const salesApi = {
  pipelines: () => call(api.GET('/api/v1/pipelines')),
  board: (query: BoardQuery) => call(api.GET('/api/v1/opportunities/board', { params: { query } })),
  boardStage: (query: BoardQuery & { pipelineId: string; stageId: string; cursor: string }) =>
    call(api.GET('/api/v1/opportunities/board/stage', { params: { query } })),
  list: (q: { filter?: Record<string, unknown>; q?: string; sort?: string; cursor?: string | null }) =>
    call(
      api.GET('/api/v1/opportunities', {
        params: { query: { ...listQuery(q), ...(q.q ? { q: q.q } : {}) } },
      }),
    ),
  get: (id: string) => call(api.GET('/api/v1/opportunities/{id}', path(id))),
  create: (body: Input<'/api/v1/opportunities', 'post'>) => call(api.POST('/api/v1/opportunities', { body })),
  patch: (id: string, body: Input<'/api/v1/opportunities/{id}', 'patch'>) =>
    call(api.PATCH('/api/v1/opportunities/{id}', { ...path(id), body })),
  remove: (id: string) => call(api.DELETE('/api/v1/opportunities/{id}', path(id))),
  stage: (id: string, body: Input<'/api/v1/opportunities/{id}/stage', 'post'>) =>
    call(api.POST('/api/v1/opportunities/{id}/stage', { ...path(id), body })),
  close: (id: string, outcome: 'won' | 'lost', body: Input<'/api/v1/opportunities/{id}/won', 'post'>) =>
    call(api.POST(`/api/v1/opportunities/{id}/${outcome}`, { ...path(id), body })),
  reopen: (id: string, body: Input<'/api/v1/opportunities/{id}/reopen', 'post'>) =>
    call(api.POST('/api/v1/opportunities/{id}/reopen', { ...path(id), body })),
  lines: (id: string, body: Input<'/api/v1/opportunities/{id}/lines', 'put'>) =>
    call(api.PUT('/api/v1/opportunities/{id}/lines', { ...path(id), body })),
  competitors: (id: string, body: Input<'/api/v1/opportunities/{id}/competitors', 'put'>) =>
    call(api.PUT('/api/v1/opportunities/{id}/competitors', { ...path(id), body })),
  history: (id: string) => call(api.GET('/api/v1/opportunities/{id}/stage-history', path(id))),
  forecast: (query: {
    from?: string
    to?: string
    groupBy: 'month' | 'owner' | 'unit'
    pipelineId?: string
  }) => call(api.GET('/api/v1/opportunities/forecast', { params: { query } })),
  // The orders module's route (from a won opportunity).
  order: (id: string) => call(api.POST('/api/v1/opportunities/{id}/order', { ...path(id), body: {} })),
  settings: () => call(api.GET('/api/v1/sales/settings')),
  products: () => call(api.GET('/api/v1/products', { params: { query: { limit: 200 } } })),
  priceBooks: () => call(api.GET('/api/v1/price-books', { params: { query: { limit: 200 } } })),
  priceBook: (id: string) => call(api.GET('/api/v1/price-books/{id}', path(id))),
  competitorList: () => call(api.GET('/api/v1/competitors', { params: { query: { limit: 200 } } })),
  contacts: (customerId: string) =>
    call(api.GET('/api/v1/contacts', { params: { query: { customerId, limit: 200 } } })),
  customers: (q: string) =>
    call(api.GET('/api/v1/customers', { params: { query: { ...(q ? { q } : {}), limit: 20 } } })),
}

export const usePipelines = () =>
  useQuery({ queryKey: ['pipelines'], queryFn: async () => (await salesApi.pipelines()).items })
export const useSalesSettings = () =>
  useQuery({ queryKey: ['sales-settings'], queryFn: salesApi.settings, staleTime: 60_000 })
export const useProducts = () =>
  useQuery({ queryKey: ['products'], queryFn: async () => (await salesApi.products()).items })
export const usePriceBooks = () =>
  useQuery({ queryKey: ['price-books'], queryFn: async () => (await salesApi.priceBooks()).items })
export const usePriceBook = (id: string | null | undefined) =>
  useQuery({
    queryKey: ['price-books', id],
    queryFn: () => salesApi.priceBook(id as string),
    enabled: !!id,
  })
export const useCompetitors = () =>
  useQuery({ queryKey: ['competitors'], queryFn: async () => (await salesApi.competitorList()).items })
export const useContacts = (customerId: string | null | undefined) =>
  useQuery({
    queryKey: ['contacts', { customerId }],
    queryFn: async () => (await salesApi.contacts(customerId as string)).items,
    enabled: !!customerId,
  })
export const useOpportunity = (id: string) =>
  useQuery({ queryKey: ['opportunity', id], queryFn: () => salesApi.get(id) })

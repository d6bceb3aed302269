import { api, call } from '../../../api/client.js'
import type { Stage } from '../opportunities/api.js'
import type { Input } from '../opportunities/types.js'

// Writes of the sales settings pages (the reads are the shared hooks in ../opportunities/api.ts).
/** A stage as the pipeline editor sends it: `id` kept for existing stages, order = position. */
export type StageInput = Omit<Stage, 'id' | 'position'> & { id?: string }

const path = (id: string) => ({ params: { path: { id } } })

export const settingsApi = {
  createPipeline: (body: Input<'/api/v1/pipelines', 'post'>) => call(api.POST('/api/v1/pipelines', { body })),
  patchPipeline: (id: string, body: Input<'/api/v1/pipelines/{id}', 'patch'>) =>
    call(api.PATCH('/api/v1/pipelines/{id}', { ...path(id), body })),
  deletePipeline: (id: string) => call(api.DELETE('/api/v1/pipelines/{id}', path(id))),
  createProduct: (body: Input<'/api/v1/products', 'post'>) => call(api.POST('/api/v1/products', { body })),
  patchProduct: (id: string, body: Input<'/api/v1/products/{id}', 'patch'>) =>
    call(api.PATCH('/api/v1/products/{id}', { ...path(id), body })),
  deleteProduct: (id: string) => call(api.DELETE('/api/v1/products/{id}', path(id))),
  createPriceBook: (body: Input<'/api/v1/price-books', 'post'>) =>
    call(api.POST('/api/v1/price-books', { body })),
  patchPriceBook: (id: string, body: Input<'/api/v1/price-books/{id}', 'patch'>) =>
    call(api.PATCH('/api/v1/price-books/{id}', { ...path(id), body })),
  deletePriceBook: (id: string) => call(api.DELETE('/api/v1/price-books/{id}', path(id))),
  putEntries: (id: string, entries: { productId: string; unitPrice: number }[]) =>
    call(api.PUT('/api/v1/price-books/{id}/entries', { ...path(id), body: { entries } })),
  createCompetitor: (body: Input<'/api/v1/competitors', 'post'>) =>
    call(api.POST('/api/v1/competitors', { body })),
  patchCompetitor: (id: string, body: Input<'/api/v1/competitors/{id}', 'patch'>) =>
    call(api.PATCH('/api/v1/competitors/{id}', { ...path(id), body })),
  deleteCompetitor: (id: string) => call(api.DELETE('/api/v1/competitors/{id}', path(id))),
  patchSettings: (body: Input<'/api/v1/sales/settings', 'patch'>) =>
    call(api.PATCH('/api/v1/sales/settings', { body })),
  // The customers module's route.
  recomputeGroups: () => call(api.POST('/api/v1/customers/groups/recompute')),
}

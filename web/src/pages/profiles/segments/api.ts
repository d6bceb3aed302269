import { api } from '../../../api/client.js'
import { ask, type Body, idPath, type Ok } from '../../sales/customers/api.js'
import type { ConditionNode } from '../conditions/types.js'

// The segments API of issue #6 (contract in the profiles brief). Every call of these pages goes
// through this file, so a changed route is fixed in one place.

export type SegmentKind = 'dynamic' | 'static'
/** A segment; `conditions` is the condition tree of a dynamic one (null for a static one). */
export type Segment = Omit<Ok<'/api/v1/segments/{id}', 'get'>, 'conditions'> & {
  conditions: ConditionNode | null
}
export type SegmentBody = Omit<Body<'/api/v1/segments', 'post'>, 'conditions'> & {
  conditions?: ConditionNode | null
}
export type SegmentPatch = Omit<Body<'/api/v1/segments/{id}', 'patch'>, 'conditions'> & {
  conditions?: ConditionNode | null
}
export type Member = Ok<'/api/v1/segments/{id}/members', 'get'>['items'][number]
export type Count = Ok<'/api/v1/segments/count', 'post'>
export type SizePoint = Ok<'/api/v1/segments/{id}/sizes', 'get'>['items'][number]
export type Slice = Ok<'/api/v1/segments/{id}/distribution', 'get'>['items'][number]
export type Overlap = Ok<'/api/v1/segments/overlap', 'get'>
export type SizeChange = Ok<'/api/v1/segments/{id}/refresh', 'post'>
/** rows read, added, and the first 1,000 rows that named nobody the caller sees (notFoundCount: all). */
export type ImportResult = Ok<'/api/v1/segments/{id}/members/import', 'post'>

/** The condition tree as the generated spec types it (an open object). */
const wire = (n: ConditionNode | null | undefined) => n as { [key: string]: unknown } | null | undefined
const asSegment = (s: Ok<'/api/v1/segments/{id}', 'get'>) => s as Segment

export const segmentsApi = {
  list: async (q?: { q?: string; cursor?: string | null }) => {
    const page = await ask(
      api.GET('/api/v1/segments', {
        params: {
          query: {
            limit: 200,
            sort: '-updatedAt',
            ...(q?.q ? { q: q.q } : {}),
            ...(q?.cursor ? { cursor: q.cursor } : {}),
          },
        },
      }),
    )
    return { items: page.items.map(asSegment), nextCursor: page.nextCursor }
  },
  get: async (id: string) => asSegment(await ask(api.GET('/api/v1/segments/{id}', idPath(id)))),
  create: async (body: SegmentBody) =>
    asSegment(
      await ask(
        api.POST('/api/v1/segments', { body: { ...body, conditions: wire(body.conditions) } as never }),
      ),
    ),
  update: async (id: string, body: SegmentPatch) =>
    asSegment(
      await ask(
        api.PATCH('/api/v1/segments/{id}', {
          ...idPath(id),
          body: { ...body, conditions: wire(body.conditions) } as never,
        }),
      ),
    ),
  remove: (id: string) => ask(api.DELETE('/api/v1/segments/{id}', idPath(id))),
  /** The live count of a draft (scoped to the caller); `signal` cancels a stale one. */
  count: (conditions: ConditionNode, signal?: AbortSignal) =>
    ask(
      api.POST('/api/v1/segments/count', {
        body: { conditions: wire(conditions) as { [key: string]: unknown } },
        signal,
      }),
    ),
  refresh: (id: string) => ask(api.POST('/api/v1/segments/{id}/refresh', idPath(id))),
  members: (id: string, cursor: string | null, limit = 50) =>
    ask(
      api.GET('/api/v1/segments/{id}/members', {
        params: { path: { id }, query: { limit, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  removeMembers: (id: string, personIds: string[]) =>
    ask(api.DELETE('/api/v1/segments/{id}/members', { ...idPath(id), body: { personIds } })),
  addMembers: (id: string, subjectType: 'person' | 'lead' | 'customer', ids: string[]) =>
    ask(api.POST('/api/v1/segments/{id}/members', { ...idPath(id), body: { subjectType, ids } })),
  /** Static members from a file (phone, email or person id column): multipart, sent as it is. */
  importMembers: (id: string, file: File) => {
    const body = new FormData()
    body.append('file', file, file.name)
    // The spec has no JSON body for a multipart route.
    return ask(api.POST('/api/v1/segments/{id}/members/import', { ...idPath(id), body: body as never }))
  },
  sizes: (id: string, days = 90) =>
    ask(api.GET('/api/v1/segments/{id}/sizes', { params: { path: { id }, query: { days } } })),
  distribution: (id: string, by: 'region' | 'channel') =>
    ask(api.GET('/api/v1/segments/{id}/distribution', { params: { path: { id }, query: { by } } })),
  overlap: (a: string, b: string) =>
    ask(api.GET('/api/v1/segments/overlap', { params: { query: { a, b } } })),
}

/** The file download of a segment's members (the browser follows the link with the session cookie). */
export const exportUrl = (id: string, format: 'csv' | 'xlsx') =>
  `/api/v1/segments/${encodeURIComponent(id)}/export?format=${format}`

import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../../api/client.js'
import type { paths } from '../../../api/schema'

// The persons API of issue #6 (contract in the profiles brief). Every call of these pages goes
// through this file, so a changed route is fixed in one place.

/** A GET route's JSON answer in the generated spec: a changed route fails the build. */
type Got<P extends keyof paths> = paths[P]['get'] extends {
  responses: { 200: { content: { 'application/json': infer R } } }
}
  ? R
  : never

/** One row of the person directory. */
export type PersonRow = Got<'/api/v1/persons'>['items'][number]
/** The profile (画像) of one person: GET /persons/:id/profile. */
export type Profile = Got<'/api/v1/persons/{id}/profile'>
/** A tag on a person with where it came from (GET /persons/:id/tags, the profile). */
export type TagView = Profile['tags'][number]
/** One entry of a person's tag history. */
export type TagEvent = Got<'/api/v1/persons/{id}/tag-history'>['items'][number]

export interface PersonQuery {
  q?: string
  tagId?: string
  segmentId?: string
  regionCode?: string
}

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>
const idPath = (id: string) => ({ params: { path: { id } } })

export const personsApi = {
  list: (q: PersonQuery, cursor: string | null) =>
    call(
      api.GET('/api/v1/persons', {
        params: { query: defined({ ...q, cursor: cursor ?? undefined, limit: 50 }) },
      }),
    ),
  profile: (id: string) => call(api.GET('/api/v1/persons/{id}/profile', idPath(id))),
  tags: (id: string) => call(api.GET('/api/v1/persons/{id}/tags', idPath(id))),
  tagHistory: (id: string, cursor: string | null) =>
    call(
      api.GET('/api/v1/persons/{id}/tag-history', {
        params: { path: { id }, query: cursor ? { cursor } : {} },
      }),
    ),
  tag: (personId: string, change: { add?: string[]; remove?: string[] }) =>
    call(
      api.POST('/api/v1/tagging', {
        body: { subjectType: 'person', ids: [personId], add: change.add ?? [], remove: change.remove ?? [] },
      }),
    ),
}

/** The saved segments, for the segment filter. */
export const useSegmentOptions = (enabled = true) =>
  useQuery({
    queryKey: ['segments', 'options'],
    queryFn: async () => (await call(api.GET('/api/v1/segments'))).items,
    enabled,
    staleTime: 30_000,
  })

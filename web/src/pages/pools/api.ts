import { useQuery } from '@tanstack/react-query'
import { ApiError, api, call, writeHeaders } from '../../api/client.js'
import type { paths } from '../../api/schema'
import { type Lead as BaseLead, useUsers } from '../../data.js'
import { useCan, useMe } from '../../session.js'

// The lead-pool API (issue #4): types from the generated spec, so a changed route fails the build.
type Ok<P extends keyof paths, M extends 'get' | 'post' | 'put'> = paths[P][M] extends {
  responses: { [code in 200 | 201]?: { content: { 'application/json': infer R } } }
}
  ? R
  : never
type Items<P extends keyof paths> = Ok<P, 'get'> extends { items: (infer I)[] } ? I : never

export type PoolKind = 'master' | 'sub' | 'public'
export type Pool = Omit<Items<'/api/v1/lead-pools'>, 'kind'> & { kind: PoolKind }
/** A lead; GET /leads/:id adds its collaborators. */
export type PoolLead = BaseLead & { collaboratorIds?: string[] }
export type PublicLead = Items<'/api/v1/public-pools/{id}/leads'>
export type LeadMove = Items<'/api/v1/leads/{id}/moves'>
export type LeadSettings = Ok<'/api/v1/lead-settings', 'get'>
export type SavedView = Items<'/api/v1/saved-views'>
export type FollowUp = Items<'/api/v1/follow-ups'>
export type Attachment = FollowUp['attachments'][number]
export type Script = Items<'/api/v1/sales-scripts/suggest'>
export type Notification = Items<'/api/v1/notifications'>
export type Status = NonNullable<
  paths['/api/v1/leads/{id}/status']['post']['requestBody']
>['content']['application/json']['status']
export type BulkResult = Ok<'/api/v1/leads/claim', 'post'>['results'][number]

export const usePools = () =>
  useQuery({
    queryKey: ['lead-pools'],
    queryFn: async () => (await call(api.GET('/api/v1/lead-pools'))).items as Pool[],
  })

export const useLeadSettings = () =>
  useQuery({
    queryKey: ['lead-settings'],
    queryFn: () => call(api.GET('/api/v1/lead-settings')),
    staleTime: 60_000,
  })

/** Uploads one follow-up attachment (multipart; the CSRF and language headers come from writeHeaders). */
export async function uploadAttachment(file: File): Promise<Attachment> {
  const body = new FormData()
  body.append('file', file, file.name)
  const res = await fetch('/api/v1/follow-ups/attachments', {
    method: 'POST',
    credentials: 'same-origin',
    headers: writeHeaders(),
    body,
  })
  const data = await res.json().catch(() => ({}))
  if (!res.ok)
    throw new ApiError(res.status, data.code ?? 'error', data.detail ?? data.title ?? res.statusText)
  return data as Attachment
}

/**
 * A user's display name: from the user list when the caller may read it, the caller's own name
 * otherwise (a salesperson cannot list users), or the name the record itself carries.
 */
export function useNameOf() {
  const me = useMe().data
  const can = useCan()
  const users = useUsers(can('users.view')).data?.items ?? []
  return (id: string | null | undefined, carried?: string | null) => {
    if (!id) return null
    if (carried) return carried
    if (id === me?.user?.id) return me.user.name
    return users.find((u) => u.id === id)?.name ?? null
  }
}

/** Pools as antd tree nodes: master → sub-pools, public pools beside them. */
export function poolTree<N>(pools: Pool[], node: (p: Pool, children: N[]) => N): N[] {
  const kids = new Map<string | null, Pool[]>()
  const ids = new Set(pools.map((p) => p.id))
  for (const p of pools) {
    const parent = p.parentId && ids.has(p.parentId) ? p.parentId : null
    kids.set(parent, [...(kids.get(parent) ?? []), p])
  }
  const order = { master: 0, sub: 1, public: 2 } as const
  const build = (parent: string | null): N[] =>
    (kids.get(parent) ?? [])
      .sort((a, b) => order[a.kind] - order[b.kind] || a.sort - b.sort || a.name.localeCompare(b.name))
      .map((p) => node(p, build(p.id)))
  return build(null)
}

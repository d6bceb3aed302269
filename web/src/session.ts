import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, api, call, setCsrfToken } from './api/client.js'
import type { paths } from './api/schema'

export type Me = paths['/api/v1/auth/me']['get']['responses']['200']['content']['application/json']

/** The signed-in caller, or null when signed out. The CSRF token is kept in memory only. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await call(api.GET('/api/v1/auth/me'))
        setCsrfToken(me.csrfToken)
        return me
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null
        throw e
      }
    },
    staleTime: 60_000,
  })
}

export function useCan() {
  const { data } = useMe()
  const perms = new Set(data?.permissions ?? [])
  return (p: string) => perms.has(p)
}

export function useRefreshSession() {
  const qc = useQueryClient()
  return () => qc.invalidateQueries({ queryKey: ['me'] })
}

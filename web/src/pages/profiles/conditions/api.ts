import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import type { Catalogue } from './types.js'

/** A tag as the tag groups list carries it (only what the builder shows). */
export interface TagOption {
  id: string
  name: string
  color: string | null
}
export interface TagGroupOption {
  id: string
  name: string
  color: string | null
  tags: TagOption[]
}

/** The fields, operators and parameters a condition can use, with labels in the caller's language. */
export function useConditionCatalogue() {
  const { i18n } = useTranslation()
  return useQuery({
    queryKey: ['profile-conditions', 'fields', i18n.language],
    // The spec types operators as strings; the catalogue only names known ones.
    queryFn: async () => (await call(api.GET('/api/v1/profile-conditions/fields'))) as Catalogue,
    staleTime: 5 * 60_000,
  })
}

/** Tag groups with their tags (GET /api/v1/tag-groups), for the tag picker. */
export function useTagGroups(enabled = true) {
  return useQuery({
    queryKey: ['tag-groups', 'condition-picker'],
    queryFn: (): Promise<{ items: TagGroupOption[] }> => call(api.GET('/api/v1/tag-groups')),
    enabled,
    staleTime: 60_000,
  })
}

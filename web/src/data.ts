import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { api, call, listQuery } from './api/client.js'
import type { paths } from './api/schema'
import { useCan } from './session.js'

type Json<P extends keyof paths, M extends 'get'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer R } } }
}
  ? R
  : never

export type Unit = Json<'/api/v1/org-units', 'get'>['items'][number]
export type Role = Json<'/api/v1/roles', 'get'>['items'][number]
export type User = Json<'/api/v1/users', 'get'>['items'][number]
export type Lead = Json<'/api/v1/leads', 'get'>['items'][number]
export type FieldDef = Json<'/api/v1/custom-fields', 'get'>['items'][number]
export type FieldType = FieldDef['type']

export const FIELD_TYPES: FieldType[] = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
  'single_select',
  'multi_select',
  'phone',
  'email',
  'url',
  'region',
  'user',
]

export const useUnits = (enabled = true) =>
  useQuery({ queryKey: ['org-units'], queryFn: () => call(api.GET('/api/v1/org-units')), enabled })

export const useRoles = (enabled = true) =>
  useQuery({ queryKey: ['roles'], queryFn: () => call(api.GET('/api/v1/roles')), enabled })

export const useUsers = (enabled = true) =>
  useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => call(api.GET('/api/v1/users', { params: { query: listQuery({ limit: 200 }) } })),
    enabled,
  })

export const useFieldDefs = (object: string) =>
  useQuery({
    queryKey: ['custom-fields', object],
    queryFn: () => call(api.GET('/api/v1/custom-fields', { params: { query: { object } } })),
  })

export const useChannels = (enabled = true) =>
  useQuery({
    queryKey: ['channels'],
    queryFn: () => call(api.GET('/api/v1/channels', { params: { query: { limit: 200 } } })),
    enabled,
  })

/** Unit options for TreeSelect, built from the flat list. */
export function unitTree(units: Unit[]) {
  type Node = { value: string; title: string; key: string; children: Node[] }
  const byId = new Map<string, Node>(
    units.map((u) => [u.id, { value: u.id, key: u.id, title: u.name, children: [] }]),
  )
  const roots: Node[] = []
  for (const u of [...units].sort((a, b) => a.sort - b.sort)) {
    const n = byId.get(u.id) as Node
    const parent = u.parentId ? byId.get(u.parentId) : undefined
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  return roots
}

/** The org tree and the roles as form options (unit picker, role multi-select). */
export function useUnitAndRoleOptions() {
  const can = useCan()
  const units = useUnits().data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  const roles = useRoles(can('roles.view')).data?.items ?? []
  return { tree, roleOptions: roles.map((r) => ({ value: r.id, label: r.name })) }
}

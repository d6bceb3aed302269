import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ApiError, api } from '../../../api/client.js'
import type { ConditionNode } from '../conditions/types.js'

export type { ConditionNode }

export type RuleRemoval = 'remove' | 'keep'
export type TagSource = 'manual' | 'bulk' | 'import' | 'rule'

export interface Tag {
  id: string
  name: string
  color: string | null
  description: string | null
  sortOrder: number
  ruleEnabled: boolean
  ruleRemoval: RuleRemoval
  rule: ConditionNode | null
  ruleRunAt: string | null
  ruleMatchCount: number | null
  personCount: number
  version: number
}

export interface TagGroup {
  id: string
  name: string
  description: string | null
  color: string | null
  exclusive: boolean
  sortOrder: number
  version: number
  tags: Tag[]
}

/** A tag a person carries (GET /persons/:id/tags, the profile, customer 360). */
export interface TagView {
  id: string
  name: string
  color: string | null
  groupId?: string
  groupName?: string
  source?: TagSource
  addedAt?: string
  addedBy?: string | null
  addedByName?: string | null
  auto?: boolean
}

export interface ExplainedCondition {
  path: string
  field: string
  op: string
  value?: unknown
  params?: Record<string, unknown>
  actual: unknown
  holds: boolean
}

/** Why a person carries a tag: the rule's leaves with the person's values, or who added it by hand. */
export interface TagExplanation {
  /** The rule holds now (null: the tag is not explained by a rule). */
  holds: boolean | null
  /** The person carries the tag. */
  carried?: boolean
  conditions: ExplainedCondition[]
  tag?: {
    id: string
    name: string
    color?: string | null
    rule?: ConditionNode | null
    ruleEnabled?: boolean
  }
  source?: TagSource | string | null
  addedAt?: string | null
  addedBy?: string | null
  addedByName?: string | null
}

export interface RulePreview {
  matches: number
  total: number
  warning: 'everyone' | 'no_one' | null
}

export interface RunResult {
  matched: number
  added: number
  removed: number
}

export type SubjectType = 'person' | 'lead' | 'customer'

export interface TaggingResult {
  updated: number
  added?: number
  removed?: number
  personsCreated?: number
  skipped: { id: string; reason: string }[]
}

export interface ImportResult {
  rows: number
  tagged: number
  created: number
  errors: { row: number; field?: string | null; code: string; message: string }[]
  /** All errors (the list may be cut short). */
  errorCount?: number
}

export interface ConditionField {
  field: string
  group: string
  label: string
  kind: string
  ops: string[]
  params?: string[]
  options?: { value: string; label: string }[]
}
export interface ConditionCatalogue {
  fields: ConditionField[]
  eventTypes: { value: string; label: string }[]
}

/**
 * A refused call with the whole problem+json body: the 409s of this module carry numbers beside the
 * code (`tag_in_use` {persons}, `tag_group_in_use` {tags, persons}, `rule_warning` {warning, matches, total}).
 */
export class Problem extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    fields: { field: string; code: string; message: string }[],
    readonly body: Record<string, unknown>,
  ) {
    super(status, code, message, fields)
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** One call through the app's client (language, CSRF); a refusal throws a `Problem`. */
export async function send<T>(
  method: Method,
  path: string,
  opts: { query?: object; body?: unknown } = {},
): Promise<T> {
  const client = api as unknown as Record<
    Method,
    (p: string, o: object) => Promise<{ data?: T; error?: unknown; response: Response }>
  >
  const { data, error, response } = await client[method](`/api/v1${path}`, {
    params: { query: opts.query },
    body: opts.body,
  })
  if (response.ok) return data as T
  const p = (error ?? {}) as Record<string, unknown> & {
    code?: string
    title?: string
    detail?: string
    errors?: { field: string; code: string; message: string }[]
  }
  throw new Problem(
    response.status,
    p.code ?? 'error',
    p.detail ?? p.title ?? response.statusText,
    p.errors ?? [],
    p,
  )
}

/** A number the server put beside a 409's code, 0 when absent. */
export const problemNumber = (e: unknown, key: string): number => {
  if (!(e instanceof Problem)) return 0
  const v = e.body[key] ?? (e.body.params as Record<string, unknown> | undefined)?.[key]
  return typeof v === 'number' ? v : Number(v) || 0
}

export const isProblem = (e: unknown, code: string) => e instanceof ApiError && e.code === code

const byOrder = <T extends { sortOrder: number; name: string }>(a: T, b: T) =>
  a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN')

/** The taxonomy: groups in their order, each with its tags in order. */
export const useTagGroups = (enabled = true) =>
  useQuery({
    // Under ['tag-groups'] (invalidated with every tag change) but its own entry: other pages keep
    // the raw answer under ['tag-groups'] itself.
    queryKey: ['tag-groups', 'taxonomy'],
    queryFn: async () => {
      const { items } = await send<{ items: TagGroup[] }>('GET', '/tag-groups')
      return items.map((g) => ({ ...g, tags: [...g.tags].sort(byOrder) })).sort(byOrder)
    },
    staleTime: 30_000,
    enabled,
  })

/** The condition catalogue (labels, kinds and options of the fields), for explanations. */
export const useConditionCatalogue = (enabled = true) =>
  useQuery({
    queryKey: ['profile-conditions', 'fields', 'tags'],
    queryFn: () => send<ConditionCatalogue>('GET', '/profile-conditions/fields'),
    staleTime: 5 * 60_000,
    enabled,
  })

/** Everything that shows tags or tag counts (taxonomy, person tags, lists) after a change. */
export function useRefreshTags() {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['tag-groups'] }),
      qc.invalidateQueries({ queryKey: ['person-tags'] }),
      qc.invalidateQueries({ queryKey: ['tag-explanation'] }),
    ])
}

export interface GroupInput {
  name: string
  description: string | null
  color: string | null
  exclusive: boolean
  sortOrder: number
}
export interface TagInput {
  name: string
  color: string | null
  description: string | null
  sortOrder: number
}
export interface RuleInput {
  rule: ConditionNode | null
  ruleEnabled: boolean
  ruleRemoval: RuleRemoval
  acknowledgeWarning?: boolean
}

export const tagsApi = {
  createGroup: (body: GroupInput) => send<TagGroup>('POST', '/tag-groups', { body }),
  patchGroup: (id: string, body: Partial<GroupInput> & { version: number }) =>
    send<TagGroup>('PATCH', `/tag-groups/${id}`, { body }),
  deleteGroup: (id: string, confirm = false) =>
    send<unknown>('DELETE', `/tag-groups/${id}`, { query: confirm ? { confirm: true } : {} }),
  createTag: (body: TagInput & { groupId: string }) => send<Tag>('POST', '/tags', { body }),
  patchTag: (id: string, body: Partial<TagInput & RuleInput> & { version: number }) =>
    send<Tag>('PATCH', `/tags/${id}`, { body }),
  deleteTag: (id: string, confirm = false) =>
    send<unknown>('DELETE', `/tags/${id}`, { query: confirm ? { confirm: true } : {} }),
  preview: (rule: ConditionNode) => send<RulePreview>('POST', '/tags/rule-preview', { body: { rule } }),
  run: (id: string) => send<RunResult>('POST', `/tags/${id}/run`),
  tagging: (body: { subjectType: SubjectType; ids: string[]; add: string[]; remove: string[] }) =>
    send<TaggingResult>('POST', '/tagging', { body }),
  personTags: (personId: string) => send<{ items: TagView[] }>('GET', `/persons/${personId}/tags`),
  explanation: (personId: string, tagId: string) =>
    send<TagExplanation>('GET', `/persons/${personId}/tags/${tagId}/explanation`),
  importTags: (file: File, opts: { createMissing: boolean; groupId?: string | null }) => {
    const body = new FormData()
    body.append('createMissing', String(opts.createMissing))
    if (opts.groupId) body.append('groupId', opts.groupId)
    // Fields before the file: a streaming multipart reader sees them first.
    body.append('file', file, file.name)
    return send<ImportResult>('POST', '/tag-imports', { body })
  },
}

/** Where the import template downloads from. */
export const templateUrl = (format: 'xlsx' | 'csv', locale: string) =>
  `/api/v1/tag-imports/template?format=${format}&locale=${encodeURIComponent(locale)}`

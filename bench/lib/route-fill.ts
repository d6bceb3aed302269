/**
 * Turns the GET routes of the OpenAPI document into URLs a signed-in caller can open: path ids are
 * real ids read from the caller's own list endpoints (so a salesperson gets records in their scope),
 * required query parameters get a real id, a date range or their enum's first value.
 */
import type { HttpSession } from './http-session.js'

interface Param {
  name: string
  in: string
  required?: boolean
  schema?: { enum?: string[]; default?: string }
}
export interface OpenApi {
  paths: Record<string, { get?: { parameters?: Param[] } }>
}
export type Filled = { route: string; url: string; variants: string[] } | { route: string; skipped: string }

type Item = Record<string, unknown>
const items = async (s: HttpSession, path: string): Promise<Item[]> => {
  const body = (await s.json(path)) as { items?: Item[] } | null
  return body?.items ?? []
}
const firstId = async (s: HttpSession, path: string, ok: (x: Item) => boolean = () => true) =>
  ((await items(s, path)).find(ok)?.id as string | undefined) ?? null

/** Where a template's ids come from when the list is not simply the path before `/{id}`. */
const SOURCES: Record<string, (s: HttpSession) => Promise<Record<string, string> | null>> = {
  '/api/v1/custom-fields/{id}': async (s) => one('id', await firstId(s, '/api/v1/custom-fields?object=lead')),
  '/api/v1/forms/{token}': formToken,
  '/api/v1/forms/{token}/embed.js': formToken,
  '/api/v1/public-pools/{id}/leads': publicPool,
  '/api/v1/public-pools/{id}/customers': publicPool,
  '/api/v1/work-schedules/{userId}': async (s) => ({ userId: s.userId }),
  '/api/v1/tags/{id}': async (s) => {
    const groups = (await items(s, '/api/v1/tag-groups')) as { tags?: { id: string }[] }[]
    return one('id', groups.flatMap((g) => g.tags ?? [])[0]?.id ?? null)
  },
  '/api/v1/persons/{id}/tags/{tagId}/explanation': async (s) => {
    const p = (await items(s, '/api/v1/persons?limit=50')).find((x) => (x.tags as unknown[])?.length) as
      | { id: string; tags: { id: string }[] }
      | undefined
    return p ? { id: p.id, tagId: p.tags[0]!.id } : null
  },
  '/api/v1/follow-ups/attachments/{id}': async (s) => {
    for (const lead of (await items(s, '/api/v1/leads?limit=50')).slice(0, 50)) {
      const fu = await items(s, `/api/v1/follow-ups?subjectId=${lead.id}`)
      const att = fu.flatMap((f) => (f.attachments as { id: string }[] | undefined) ?? [])[0]
      if (att) return { id: att.id }
    }
    return null
  },
  '/api/v1/leads/{id}/conversion': async (s) =>
    one('id', await firstId(s, '/api/v1/leads?limit=200', (l) => l.status === 'converted')),
}
const one = (k: string, v: string | null) => (v ? { [k]: v } : null)
async function formToken(s: HttpSession) {
  return one(
    'token',
    ((await items(s, '/api/v1/channels?limit=100')).find((c) => c.formToken)?.formToken as string) ?? null,
  )
}
async function publicPool(s: HttpSession) {
  return one('id', await firstId(s, '/api/v1/lead-pools', (p) => p.kind === 'public'))
}

/** Follow-ups of each kind of subject read their subject from its list. */
const SUBJECT_LISTS: Record<string, string> = {
  lead: 'leads',
  customer: 'customers',
  opportunity: 'opportunities',
}

/** Required query parameters that are not enums. */
const REQUIRED: Record<string, (s: HttpSession) => Promise<string | null>> = {
  subjectId: (s) => firstId(s, '/api/v1/leads?limit=20'),
  leadId: (s) => firstId(s, '/api/v1/leads?limit=20'),
  stageId: async (s) => {
    const p = (await items(s, '/api/v1/pipelines'))[0] as { stages?: { id: string }[] } | undefined
    return p?.stages?.[0]?.id ?? null
  },
  a: (s) => firstId(s, '/api/v1/segments'),
  b: async (s) => ((await items(s, '/api/v1/segments'))[1]?.id as string) ?? null,
  // The calendar's week: seven days either side of now.
  from: async () => new Date(Date.now() - 7 * 86_400_000).toISOString(),
  to: async () => new Date(Date.now() + 7 * 86_400_000).toISOString(),
}

export async function fillRoute(s: HttpSession, route: string, params: Param[]): Promise<Filled> {
  let path = route
  const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  if (names.length) {
    const source = SOURCES[route]
    let values: Record<string, string> | null
    if (source) values = await source(s)
    else if (names.length === 1 && names[0] === 'id') {
      const list = route.slice(0, route.indexOf('/{id}'))
      values = one('id', await firstId(s, list))
    } else if (route.includes('{token}'))
      return { route, skipped: 'a secret token (sent by email), in no list' }
    else return { route, skipped: 'no id source' }
    if (!values) return { route, skipped: 'no record to open (none in the demo or in scope)' }
    path = route.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(values![n]!))
  }
  const query = new URLSearchParams()
  for (const p of params) {
    if (p.in !== 'query' || !p.required) continue
    const v = p.schema?.enum?.[0] ?? (await REQUIRED[p.name]?.(s)) ?? null
    if (v == null) return { route, skipped: `no value for required ?${p.name}` }
    query.set(p.name, v)
  }
  const at = (q: URLSearchParams) => (q.size ? `${path}?${q}` : path)
  // Each other value of an optional enum (a report's grouping, an export's format), one at a time.
  const variants: string[] = []
  for (const p of params) {
    if (p.in !== 'query' || !p.schema?.enum) continue
    const first = query.get(p.name) ?? p.schema.default ?? null
    for (const v of p.schema.enum.filter((x) => x !== first)) {
      const q = new URLSearchParams(query)
      q.set(p.name, v)
      if (p.name === 'subjectType') {
        const id = await firstId(s, `/api/v1/${SUBJECT_LISTS[v]}`)
        if (!id) continue
        q.set('subjectId', id)
      }
      variants.push(at(q))
    }
  }
  // A search box typed into: a common surname matches many rows (the costly case).
  if (params.some((p) => p.in === 'query' && p.name === 'q' && !p.required)) {
    const q = new URLSearchParams(query)
    q.set('q', '张')
    variants.push(at(q))
  }
  return { route, url: at(query), variants }
}

import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'

/** A problem+json error from the API, with per-field messages for forms. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; code: string; message: string }[] = [],
  ) {
    super(message)
  }
}

let csrfToken: string | null = null
export const setCsrfToken = (token: string | null | undefined) => {
  csrfToken = token ?? null
}

export const LANG_KEY = 'haina.lang'

const middleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept-language', localStorage.getItem(LANG_KEY) ?? 'zh-CN')
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken)
    return request
  },
}

/** Headers a hand-made write request (multipart upload) needs: language and the CSRF token. */
export function writeHeaders(): Record<string, string> {
  return {
    'accept-language': localStorage.getItem(LANG_KEY) ?? 'zh-CN',
    ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
  }
}

export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' })
api.use(middleware)

/** Unwraps an openapi-fetch result: the data, or a thrown ApiError. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise
  if (response.ok) return data as T
  const p = (error ?? {}) as {
    code?: string
    title?: string
    detail?: string
    errors?: { field: string; code: string; message: string }[]
  }
  throw new ApiError(
    response.status,
    p.code ?? 'error',
    p.detail ?? p.title ?? response.statusText,
    p.errors ?? [],
  )
}

/** A server field path as an antd Form name: `rules[1].conditions[0].match` → ['rules', 1, 'conditions', 0, 'match']. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p))
}

/** Field errors in antd Form's shape: `custom.level` → ['custom', 'level']. */
export function formErrors(err: unknown) {
  if (!(err instanceof ApiError)) return []
  return err.fields.map((f) => ({ name: fieldPath(f.field), errors: [f.message] }))
}

/** List query string: filter objects are sent as URL-encoded JSON per the API convention. */
export function listQuery(q: {
  filter?: Record<string, unknown>
  sort?: string
  limit?: number
  cursor?: string | null
}) {
  const out: Record<string, string | number> = {}
  const filter = Object.fromEntries(
    Object.entries(q.filter ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  )
  if (Object.keys(filter).length) out.filter = JSON.stringify(filter)
  if (q.sort) out.sort = q.sort
  if (q.limit) out.limit = q.limit
  if (q.cursor) out.cursor = q.cursor
  return out
}

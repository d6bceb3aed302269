import { AUTHENTICATED, PUBLIC } from '../access/permissions.js'

/** What the app knows of a route beyond its schema (collected as routes register). */
export interface RouteDoc {
  method: string
  url: string
  permission: string | undefined
  idempotent?: boolean
  rateLimited?: boolean
}

/**
 * Every tag a route uses, with the name shown in the API docs and what the group is for. A route
 * with a tag missing here fails the OpenAPI test, so each new module describes its group.
 */
export const TAGS: Record<string, { name: string; description: string }> = {
  platform: { name: 'Platform', description: 'Health and service information.' },
  accounts: { name: 'Accounts', description: 'Setup, sign-in, sessions, passwords and the current user.' },
  users: { name: 'Users', description: 'People of the workspace, their unit, manager and roles.' },
  'api keys': { name: 'API keys', description: 'Keys bound to a role, for integrations and channels.' },
  invitations: { name: 'Invitations', description: 'Invite people by email; they choose their password.' },
  workspace: {
    name: 'Workspace',
    description: 'Name, time zone, language, phone region and security settings.',
  },
  organisation: {
    name: 'Organisation',
    description: 'The org tree: HQ, branches, regions, dealers, departments and teams.',
  },
  roles: { name: 'Roles', description: 'Permissions per module action and data scopes.' },
  'custom-fields': {
    name: 'Custom fields',
    description: 'Field definitions per object, no migration needed.',
  },
  regions: { name: 'Regions', description: 'China’s provinces, cities and districts.' },
  audit: { name: 'Audit log', description: 'Who changed what and when, before → after.' },
  'recycle bin': { name: 'Recycle bin', description: 'Deleted records: restore or purge.' },
  jobs: { name: 'Jobs', description: 'Background jobs: progress, retry and cancellation.' },
  leads: {
    name: 'Leads',
    description: 'Leads (线索) in the caller’s data scope: list, filter, edit, export.',
  },
  intake: {
    name: 'Intake',
    description: 'Channels, and the ingest and behaviour-event APIs they push to with their API key.',
  },
  import: {
    name: 'Import',
    description: 'CSV/XLSX lead import: upload, mapping, preview, run, report, undo.',
  },
  quality: {
    name: 'Data quality',
    description: 'Validation, dedupe and scoring rules, the review queue, merges and unmerges.',
  },
  campaigns: {
    name: 'Campaigns',
    description: 'Campaigns with cost, codes and first/last-touch attribution.',
  },
  'lead pools': {
    name: 'Lead pools',
    description: 'The pool pyramid: master pool, sub-pools and their rules.',
  },
  'public pool': { name: 'Public pool', description: '公海: claim, return and recycling rules.' },
  'saved views': { name: 'Saved views', description: 'Named list filters and columns, personal or shared.' },
  'lead-routing': {
    name: 'Lead routing',
    description: 'Distribution to orgs (HQ → dealers) and assignment to people by rules.',
  },
  'follow-ups': { name: 'Follow-ups', description: 'Follow-up records on leads and customers.' },
  'sales-scripts': { name: 'Sales scripts', description: 'Talk tracks and templates for follow-ups.' },
  notifications: { name: 'Notifications', description: 'The caller’s notifications: list and mark read.' },
  'lead-reports': { name: 'Lead reports', description: 'Conversion and follow-up reports by pool and team.' },
  customers: { name: 'Customers', description: 'Accounts (companies and individuals) after conversion.' },
  contacts: { name: 'Contacts', description: 'People at a customer.' },
  products: { name: 'Products', description: 'The product catalogue and price lists.' },
  opportunities: { name: 'Opportunities', description: 'Opportunities (商机) through pipeline stages.' },
  sales: { name: 'Sales', description: 'Sales settings shared by opportunities, quotes and orders.' },
  quotes: { name: 'Quotes', description: 'Quotes with lines, discounts and approval.' },
  orders: { name: 'Orders', description: 'Orders, payments and order import.' },
  tasks: { name: 'Tasks', description: 'To-dos and reminders for salespeople.' },
  'sales-analytics': { name: 'Sales analytics', description: 'Funnel, forecast and performance reports.' },
  'profile-conditions': {
    name: 'Profile conditions',
    description: 'The fields and events tag rules and segments can test.',
  },
  persons: { name: 'Persons', description: 'One record per real person across channels, with a timeline.' },
  tags: { name: 'Tags', description: 'Tag groups, manual and automatic tags (画像).' },
  segments: { name: 'Segments', description: 'Audiences (人群) built from tags and conditions.' },
}

// Query and path parameters every list or record route shares, described once.
const PARAMETERS: Record<string, string> = {
  'query:limit': 'Page size (default 20, at most 200).',
  'query:cursor': 'Opaque cursor from the previous page’s `nextCursor`; omit for the first page.',
  'query:filter': 'Filter object as URL-encoded JSON: `{"field": value}` or `{"field": {"op": value}}`.',
  'query:sort': 'Sort key; a leading `-` sorts descending.',
  'query:q': 'Search text (name, company, phone or email; pinyin initials also match names).',
  'query:format': 'File format of the download: `xlsx` or `csv`.',
  'query:locale': 'Language of headers and values in the file (zh-CN, zh-TW, en); default the caller’s.',
  'query:from': 'Start of the period (ISO 8601 date or time, inclusive).',
  'query:to': 'End of the period (ISO 8601 date or time, exclusive).',
  'query:days': 'Length of the period in days, ending today.',
  'path:id': 'The record’s id.',
  'path:token': 'The public token (form or invitation).',
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable, `detail` is in the Accept-Language language.',
  required: ['type', 'title', 'status', 'code'],
  example: {
    type: 'https://haina.dev/problems/validation_failed',
    title: 'Some fields are invalid',
    status: 400,
    code: 'validation_failed',
    detail: '输入有误，请检查标出的字段',
    instance: '/api/v1/leads',
    requestId: '3f6c1a2e-9b1d-4c55-8a7e-2f0d5b9c1e44',
    errors: [{ field: 'mobile', code: 'invalid_phone', message: '手机号或电话号码格式不正确' }],
  },
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string', description: 'Short summary in English.' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. `validation_failed`.' },
    detail: { type: 'string', description: 'Message in zh-CN, zh-TW or en.' },
    instance: { type: 'string' },
    requestId: { type: 'string', description: 'The request id, also in the server log.' },
    errors: {
      type: 'array',
      description: 'One entry per invalid field (or file row).',
      items: {
        type: 'object',
        required: ['field', 'code', 'message'],
        properties: {
          field: { type: 'string', description: 'Field path, e.g. `custom.level` or `items[2].mobile`.' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
}

// One named response per error status, referenced by every operation that can answer it.
const ERROR_RESPONSES = {
  '400': ['BadRequest', 'Invalid input: `errors` names each field.'],
  '401': ['Unauthenticated', 'Not signed in, or an unknown or disabled API key.'],
  '403': ['Forbidden', 'Missing the permission named in `detail`, or a missing CSRF token.'],
  '404': ['NotFound', 'No such record in the workspace or in the caller’s scope.'],
  '409': ['Conflict', 'The Idempotency-Key was used with another body, or the record changed since read.'],
  '413': ['PayloadTooLarge', 'The body is larger than the limit.'],
  '429': ['TooManyRequests', 'Too many requests; retry after `Retry-After` seconds.'],
} as const
type ErrorStatus = keyof typeof ERROR_RESPONSES

const responseComponents = Object.fromEntries(
  Object.values(ERROR_RESPONSES).map(([name, description]) => [
    name,
    {
      description,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  ]),
)

const SUCCESS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted: runs as a background job',
  '204': 'Done, no content',
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** `/api/v1/leads/{id}/notes` → `leadsByIdNotes`, prefixed by the method: unique per operation. */
export function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '/')
    .replace(/^\/api\//, '/')
    .split('/')
    .filter(Boolean)
    .flatMap((seg) => {
      const param = /^\{(.+)\}$/.exec(seg)
      return param ? ['by', ...param[1]!.split(/[^a-zA-Z0-9]+/)] : seg.split(/[^a-zA-Z0-9]+/)
    })
    .filter(Boolean)
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('')
}

const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

function permissionText(permission: string | undefined): string {
  if (permission === PUBLIC) return 'Public: no authentication.'
  if (permission === AUTHENTICATED) return 'Any signed-in user or API key.'
  return `Requires permission \`${permission}\`.`
}

type Operation = {
  operationId?: string
  description?: string
  tags?: string[]
  parameters?: { in: string; name: string; description?: string; required?: boolean; schema?: unknown }[]
  requestBody?: unknown
  responses?: Record<string, unknown>
  [ext: `x-${string}`]: unknown
}
type Document = {
  tags?: { name: string; description?: string }[]
  paths?: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown }
  [k: string]: unknown
}

/**
 * Completes the generated OpenAPI document with what the route schemas do not say: each operation's
 * id and required permission, the problem+json errors it can answer (400 validation, 401, 403
 * permission or CSRF, 404 outside the scope, 409 idempotency, 413 body size, 429 rate limit), the
 * shared parameters' meaning and the tag groups' names and descriptions.
 */
export function completeDocument<D extends object>(input: D, routes: readonly RouteDoc[]): D {
  const doc = input as Document
  const byKey = new Map(routes.map((r) => [`${r.method.toLowerCase()} ${openapiPath(r.url)}`, r]))
  const used = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const route = byKey.get(`${method} ${path}`)
      op.operationId ??= operationId(method, path)
      if (route) {
        op['x-permission'] = route.permission
        op.description = [op.description, permissionText(route.permission)].filter(Boolean).join('\n\n')
      }
      for (const p of op.parameters ?? []) p.description ??= PARAMETERS[`${p.in}:${p.name}`]
      const params = op.parameters ?? []
      if (route?.idempotent && !params.some((p) => p.in === 'header' && /^idempotency-key$/i.test(p.name)))
        op.parameters = [
          ...params,
          {
            in: 'header',
            name: 'Idempotency-Key',
            required: false,
            description:
              'A retry with the same key answers the first outcome; another body with it is a 409.',
            schema: { type: 'string', maxLength: 255 },
          },
        ]
      const errors: ErrorStatus[] = []
      if (op.requestBody || params.some((p) => p.in !== 'header')) errors.push('400')
      if (route?.permission !== PUBLIC) {
        errors.push('401')
        if (route?.permission !== AUTHENTICATED || method !== 'get') errors.push('403')
      }
      if (path.includes('{')) errors.push('404')
      if (route?.idempotent) errors.push('409')
      if (op.requestBody) errors.push('413')
      if (route?.rateLimited) errors.push('429')
      op.responses = { ...op.responses }
      // @fastify/swagger's placeholder for a success without a description.
      for (const [status, res] of Object.entries(op.responses) as [string, { description?: string }][])
        if (res.description === 'Default Response' && SUCCESS[status]) res.description = SUCCESS[status]
      for (const status of errors)
        op.responses[status] ??= { $ref: `#/components/responses/${ERROR_RESPONSES[status][0]}` }
      op.tags = op.tags?.map((t) => {
        used.add(t)
        return TAGS[t]?.name ?? t
      })
    }
  }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Problem: PROBLEM_SCHEMA },
    responses: { ...(doc.components?.responses as object), ...responseComponents },
  }
  doc.tags = [...used].map((t) => ({ name: TAGS[t]?.name ?? t, description: TAGS[t]?.description }))
  return input
}

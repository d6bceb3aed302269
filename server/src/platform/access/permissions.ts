import type { Locale } from '../i18n/messages.js'
import type { DataScope } from '../org/schema.js'

/** Actions a role can be granted per module (issue #2 §5). */
export const ACTIONS = [
  'view',
  'create',
  'edit',
  'delete',
  'import',
  'export',
  'assign',
  'configure',
  'approve',
] as const
export type Action = (typeof ACTIONS)[number]

/** Modules and the actions that make sense on each. Later modules add themselves here. */
export const PERMISSION_MODULES: Record<string, readonly Action[]> = {
  leads: ['view', 'create', 'edit', 'delete', 'import', 'export', 'assign', 'configure'],
  org: ['view', 'create', 'edit', 'delete', 'configure'],
  users: ['view', 'create', 'edit', 'delete', 'configure'],
  roles: ['view', 'create', 'edit', 'delete', 'configure'],
  custom_fields: ['view', 'configure'],
  api_keys: ['view', 'create', 'delete'],
  audit: ['view', 'export'],
  recycle_bin: ['view', 'edit', 'delete'],
  jobs: ['view', 'edit'],
  workspace: ['view', 'configure'],
  // Issue #3: channels and intake, the data factory (rules, review queue), campaigns.
  intake: ['view', 'create', 'configure'],
  quality: ['view', 'edit', 'configure'],
  campaigns: ['view', 'create', 'edit', 'delete'],
  // Issue #5: sales (customers with their contacts, opportunities and pipelines, the product
  // catalogue with price books and competitors, quotes, the order library, tasks and calendar).
  customers: ['view', 'create', 'edit', 'delete', 'import', 'export', 'assign', 'configure'],
  opportunities: ['view', 'create', 'edit', 'delete', 'export', 'assign', 'configure'],
  products: ['view', 'create', 'edit', 'delete'],
  quotes: ['view', 'create', 'edit', 'delete', 'approve'],
  orders: ['view', 'create', 'edit', 'delete', 'import', 'export'],
  tasks: ['view', 'create', 'edit', 'delete'],
  // Issue #6: profiles (person profiles, the tag taxonomy and tagging: edit = tag persons,
  // configure = groups, tags and their rules) and segments (人群).
  profiles: ['view', 'edit', 'import', 'configure'],
  segments: ['view', 'create', 'edit', 'delete', 'export'],
}

/** Unmasked phone numbers and emails; without it they show as 138****8000. */
export const PII_PERMISSION = 'pii.view'

export const ALL_PERMISSIONS: string[] = [
  ...Object.entries(PERMISSION_MODULES).flatMap(([m, actions]) => actions.map((a) => `${m}.${a}`)),
  PII_PERMISSION,
]

/**
 * What a route requires: a permission string, 'authenticated' (any signed-in caller) or
 * 'public' (no caller at all: login, setup, health). Every route must declare one.
 */
export type RoutePermission = string

export const PUBLIC = 'public'
export const AUTHENTICATED = 'authenticated'

/** Scopes ordered from narrowest to widest; a user with several roles gets the widest. */
export const SCOPE_ORDER: readonly DataScope[] = ['self', 'department', 'department_tree', 'org', 'all']
export function widestScope(scopes: DataScope[]): DataScope {
  return scopes.reduce<DataScope>((w, s) => (SCOPE_ORDER.indexOf(s) > SCOPE_ORDER.indexOf(w) ? s : w), 'self')
}

const view = (mods: string[]) => mods.map((m) => `${m}.view`)
const all = (m: string) => PERMISSION_MODULES[m]!.map((a) => `${m}.${a}`)

/**
 * What each ready-made role may do in sales (issue #5). Migration 0008 grants the same lists to
 * the ready-made roles of workspaces created before sales existed; keep the two in step.
 */
export const SALES_GRANTS: Record<string, string[]> = {
  management: [
    ...view(['customers', 'opportunities', 'products', 'quotes', 'orders', 'tasks']),
    'customers.export',
    'opportunities.export',
    'orders.export',
  ],
  sales_director: [
    ...all('customers'),
    ...all('opportunities'),
    ...all('products'),
    ...all('quotes'),
    ...all('orders'),
    ...all('tasks'),
  ],
  sales_manager: [
    'customers.view',
    'customers.create',
    'customers.edit',
    'customers.assign',
    'customers.export',
    'opportunities.view',
    'opportunities.create',
    'opportunities.edit',
    'opportunities.assign',
    'opportunities.export',
    'products.view',
    'quotes.view',
    'quotes.create',
    'quotes.edit',
    'quotes.approve',
    'orders.view',
    'orders.create',
    'orders.edit',
    ...all('tasks'),
  ],
  salesperson: [
    'customers.view',
    'customers.create',
    'customers.edit',
    'opportunities.view',
    'opportunities.create',
    'opportunities.edit',
    'products.view',
    'quotes.view',
    'quotes.create',
    'quotes.edit',
    'orders.view',
    'orders.create',
    'orders.edit',
    ...all('tasks'),
  ],
  marketing: [
    'customers.view',
    'customers.export',
    'products.view',
    'orders.view',
    'orders.import',
    'orders.export',
  ],
  customer_service: [
    'customers.view',
    'customers.edit',
    'products.view',
    'orders.view',
    'orders.edit',
    'tasks.view',
    'tasks.create',
    'tasks.edit',
  ],
}

/**
 * What each ready-made role may do with profiles and segments (issue #6). Migration 0010 grants the
 * same lists to the ready-made roles of workspaces created before profiles existed.
 */
export const PROFILE_GRANTS: Record<string, string[]> = {
  management: ['profiles.view', 'segments.view', 'segments.export'],
  sales_director: ['profiles.view', 'profiles.edit', 'segments.view'],
  sales_manager: ['profiles.view', 'profiles.edit', 'segments.view'],
  salesperson: ['profiles.view', 'profiles.edit'],
  marketing: [...all('profiles'), ...all('segments')],
  customer_service: ['profiles.view', 'profiles.edit'],
}

export interface BuiltinRole {
  key: string
  name: Record<Locale, string>
  dataScope: DataScope
  permissions: string[]
}

/**
 * A ready-made role's name in the reader's language, as long as the workspace has not renamed it
 * (its name is still one of the ready-made ones); a renamed or a workspace's own role keeps its name.
 */
export function roleName(
  role: { key: string | null; builtin: boolean; name: string },
  locale: Locale,
): string {
  const ready = role.builtin ? BUILTIN_ROLES.find((r) => r.key === role.key) : undefined
  return ready && Object.values(ready.name).includes(role.name) ? ready.name[locale] : role.name
}

/** Ready-made roles for the company stages of seed 002. */
export const BUILTIN_ROLES: BuiltinRole[] = [
  {
    key: 'admin',
    name: { 'zh-CN': '系统管理员', 'zh-TW': '系統管理員', en: 'Administrator' },
    dataScope: 'all',
    permissions: ALL_PERMISSIONS,
  },
  {
    key: 'management',
    name: { 'zh-CN': '管理层', 'zh-TW': '管理層', en: 'Management' },
    dataScope: 'all',
    permissions: [
      ...SALES_GRANTS.management!,
      ...PROFILE_GRANTS.management!,
      ...view([
        'leads',
        'org',
        'users',
        'roles',
        'audit',
        'jobs',
        'workspace',
        'intake',
        'quality',
        'campaigns',
      ]),
      'leads.export',
      PII_PERMISSION,
    ],
  },
  {
    key: 'sales_director',
    name: { 'zh-CN': '销售总监', 'zh-TW': '銷售總監', en: 'Sales director' },
    dataScope: 'all',
    permissions: [
      ...SALES_GRANTS.sales_director!,
      ...PROFILE_GRANTS.sales_director!,
      ...all('leads'),
      ...view(['org', 'users', 'custom_fields', 'jobs', 'intake', 'campaigns']),
      'quality.view',
      'quality.edit',
      PII_PERMISSION,
    ],
  },
  {
    key: 'sales_manager',
    name: { 'zh-CN': '销售经理', 'zh-TW': '銷售經理', en: 'Sales manager' },
    dataScope: 'department_tree',
    permissions: [
      ...SALES_GRANTS.sales_manager!,
      ...PROFILE_GRANTS.sales_manager!,
      'leads.view',
      'leads.create',
      'leads.edit',
      'leads.assign',
      'leads.export',
      ...view(['org', 'users', 'custom_fields']),
      PII_PERMISSION,
    ],
  },
  {
    key: 'salesperson',
    name: { 'zh-CN': '销售员', 'zh-TW': '銷售員', en: 'Salesperson' },
    dataScope: 'self',
    permissions: [
      ...SALES_GRANTS.salesperson!,
      ...PROFILE_GRANTS.salesperson!,
      'leads.view',
      'leads.create',
      'leads.edit',
      ...view(['org', 'custom_fields']),
      PII_PERMISSION,
    ],
  },
  {
    key: 'marketing',
    name: { 'zh-CN': '市场运营', 'zh-TW': '行銷營運', en: 'Marketing' },
    dataScope: 'all',
    permissions: [
      ...SALES_GRANTS.marketing!,
      ...PROFILE_GRANTS.marketing!,
      'leads.view',
      'leads.create',
      'leads.edit',
      'leads.import',
      'leads.export',
      'leads.assign',
      // Seed 002: marketing owns the master pool and splits it into sub-pools (pools, distribution rules).
      'leads.configure',
      ...view(['org', 'users', 'custom_fields', 'jobs']),
      ...all('intake'),
      ...all('quality'),
      ...all('campaigns'),
    ],
  },
  {
    key: 'customer_service',
    name: { 'zh-CN': '客户服务', 'zh-TW': '客戶服務', en: 'Customer service' },
    dataScope: 'org',
    permissions: [
      ...SALES_GRANTS.customer_service!,
      ...PROFILE_GRANTS.customer_service!,
      'leads.view',
      'leads.edit',
      ...view(['org', 'custom_fields']),
      PII_PERMISSION,
    ],
  },
  {
    key: 'auditor',
    name: { 'zh-CN': '审计员（只读）', 'zh-TW': '稽核員（唯讀）', en: 'Auditor (read-only)' },
    dataScope: 'all',
    permissions: [...Object.keys(PERMISSION_MODULES).map((m) => `${m}.view`), 'audit.export'],
  },
  {
    // Held by channel API keys only: push leads and behaviour events, nothing else.
    key: 'channel',
    name: { 'zh-CN': '渠道接入', 'zh-TW': '渠道接入', en: 'Channel integration' },
    dataScope: 'org',
    permissions: ['intake.create'],
  },
]

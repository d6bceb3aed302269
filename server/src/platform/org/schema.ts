import { sql } from 'drizzle-orm'
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, custom, id, tenantId, updatedAt, version } from '../db/columns.js'

export const ORG_UNIT_TYPES = ['company', 'branch', 'dealer', 'region', 'department', 'team'] as const
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number]
/** Unit types that form an org boundary: data never crosses between two of them. */
export const ORG_BOUNDARY_TYPES: readonly OrgUnitType[] = ['company', 'branch', 'dealer']

export const orgUnits = pgTable(
  'org_units',
  {
    tenantId: tenantId(),
    id: id(),
    parentId: uuid('parent_id'),
    type: text('type').$type<OrgUnitType>().notNull(),
    name: text('name').notNull(),
    code: text('code'),
    /** Materialised path of ids, '/root/…/self/': subtree = path LIKE prefix || '%'. */
    path: text('path').notNull(),
    /** Nearest company/branch/dealer at or above this unit: the org boundary. */
    orgId: uuid('org_id').notNull(),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    index('org_units_path_idx').on(t.tenantId, t.path.op('text_pattern_ops')),
    uniqueIndex('org_units_code_key').on(t.tenantId, t.code),
  ],
)

export const users = pgTable(
  'users',
  {
    tenantId: tenantId(),
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    passwordHash: text('password_hash'),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    unitId: uuid('unit_id').notNull(),
    managerId: uuid('manager_id'),
    locale: text('locale'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    /** Sessions created before this instant are invalid ("sign out everywhere"). */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true }),
    onLeave: boolean('on_leave').notNull().default(false),
    custom: custom(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('users_email_key').on(t.tenantId, sql`lower(${t.email})`),
    foreignKey({ columns: [t.tenantId, t.unitId], foreignColumns: [orgUnits.tenantId, orgUnits.id] }),
    foreignKey({ columns: [t.tenantId, t.managerId], foreignColumns: [t.tenantId, t.id] }),
    index('users_unit_idx').on(t.tenantId, t.unitId),
  ],
)

export const roles = pgTable(
  'roles',
  {
    tenantId: tenantId(),
    id: id(),
    /** Stable key of a ready-made role ('salesperson'…); null for roles made by the workspace. */
    key: text('key'),
    name: text('name').notNull(),
    description: text('description'),
    permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
    dataScope: text('data_scope').$type<DataScope>().notNull().default('self'),
    builtin: boolean('builtin').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('roles_key_key').on(t.tenantId, t.key)],
)

export const DATA_SCOPES = ['self', 'department', 'department_tree', 'org', 'all'] as const
export type DataScope = (typeof DATA_SCOPES)[number]

export const userRoles = pgTable(
  'user_roles',
  {
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.roleId] }),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [users.tenantId, users.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.roleId], foreignColumns: [roles.tenantId, roles.id] }).onDelete(
      'cascade',
    ),
  ],
)

import { eq, sql } from 'drizzle-orm'
import { systemActor } from '../access/actor.js'
import { ALL_PERMISSIONS, BUILTIN_ROLES } from '../access/permissions.js'
import { writeAudit } from '../audit/service.js'
import { checkPasswordPolicy, hashPassword } from '../auth/password.js'
import { newId } from '../db/columns.js'
import type { Db, Tx } from '../db/index.js'
import { type FieldError, validationFailed } from '../http/errors.js'
import { LOCALES, type Locale } from '../i18n/messages.js'
import { orgUnits, roles, userRoles, users } from '../org/schema.js'
import { DEFAULT_PHONE_REGION, isPhoneRegion } from './phone-region.js'
import { tenants } from './schema.js'
import './messages.js'

export interface CreateWorkspaceInput {
  name: string
  slug: string
  timezone?: string
  locale?: string
  /** Where phone numbers without a country code are read (ISO 3166 alpha-2); CN unless given. */
  phoneRegion?: string
  admin: { name: string; email: string; password: string }
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** Creates a workspace: tenant row, root company unit, the ready-made roles and the first administrator. */
export async function createWorkspace(
  db: Db,
  input: CreateWorkspaceInput,
): Promise<{
  tenant: { id: string; slug: string; name: string }
  rootUnit: { id: string }
  admin: { id: string }
}> {
  const errors: FieldError[] = []
  if (!input.name.trim()) errors.push({ field: 'workspaceName', code: 'required' })
  if (!SLUG.test(input.slug)) errors.push({ field: 'workspaceSlug', code: 'invalid_slug' })
  if (input.timezone && !isValidTimezone(input.timezone))
    errors.push({ field: 'timezone', code: 'invalid_value' })
  if (input.locale && !LOCALES.includes(input.locale as Locale))
    errors.push({ field: 'locale', code: 'invalid_option' })
  if (input.phoneRegion !== undefined && !isPhoneRegion(input.phoneRegion))
    errors.push({ field: 'phoneRegion', code: 'invalid_option' })
  if (!input.admin.name.trim()) errors.push({ field: 'adminName', code: 'required' })
  if (!EMAIL.test(input.admin.email)) errors.push({ field: 'email', code: 'invalid_email' })
  if (errors.length) throw validationFailed(errors)
  checkPasswordPolicy(input.admin.password, {}, input.admin.email)
  const passwordHash = await hashPassword(input.admin.password)
  const locale = (input.locale ?? 'zh-CN') as Locale

  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, input.slug))
    if (taken) throw validationFailed([{ field: 'workspaceSlug', code: 'not_unique' }])
    const [tenant] = await tx
      .insert(tenants)
      .values({
        slug: input.slug,
        name: input.name.trim(),
        timezone: input.timezone ?? 'Asia/Shanghai',
        locale,
        phoneRegion: input.phoneRegion ?? DEFAULT_PHONE_REGION,
      })
      .returning()
    const tenantId = tenant!.id
    const rootId = newId()
    await tx.insert(orgUnits).values({
      tenantId,
      id: rootId,
      parentId: null,
      type: 'company',
      name: input.name.trim(),
      code: 'HQ',
      path: `/${rootId}/`,
      orgId: rootId,
    })
    const roleRows = await tx
      .insert(roles)
      .values(
        BUILTIN_ROLES.map((r) => ({
          tenantId,
          key: r.key,
          name: r.name[locale],
          permissions: r.permissions,
          dataScope: r.dataScope,
          builtin: true,
        })),
      )
      .returning({ id: roles.id, key: roles.key })
    const [admin] = await tx
      .insert(users)
      .values({
        tenantId,
        email: input.admin.email.trim(),
        name: input.admin.name.trim(),
        passwordHash,
        unitId: rootId,
        locale,
      })
      .returning({ id: users.id })
    await tx
      .insert(userRoles)
      .values({ tenantId, userId: admin!.id, roleId: roleRows.find((r) => r.key === 'admin')!.id })
    await writeAudit({ db: tx, actor: systemActor(tenantId, ALL_PERMISSIONS), locale }, [
      {
        action: 'create',
        objectType: 'workspace',
        objectId: tenantId,
        summary: tenant!.name,
        after: { slug: tenant!.slug, name: tenant!.name },
      },
    ])
    return {
      tenant: { id: tenantId, slug: tenant!.slug, name: tenant!.name },
      rootUnit: { id: rootId },
      admin: { id: admin!.id },
    }
  })
}

export async function findWorkspaceBySlug(db: Db | Tx, slug: string) {
  const [t] = await db.select().from(tenants).where(eq(tenants.slug, slug))
  return t ?? null
}

export async function workspaceCount(db: Db | Tx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(tenants)
  return row!.n
}

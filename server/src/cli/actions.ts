import { and, eq, sql } from 'drizzle-orm'
import { z } from 'zod'
import { DEMO_LOGIN, seedDemo } from '../demo/seed.js'
import { serve as serveHaina } from '../main.js'
import { type Ctx, systemActor } from '../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../platform/access/permissions.js'
import { loadConfig } from '../platform/config.js'
import { type Database, openDatabase, runMigrations } from '../platform/db/index.js'
import { type FieldError, validationFailed } from '../platform/http/errors.js'
import { orgUnits, roles, users } from '../platform/org/schema.js'
import { createUsers, resetPassword as resetUserPassword } from '../platform/org/users.service.js'
import { isPhoneRegion } from '../platform/tenancy/phone-region.js'
import { createWorkspace, findWorkspaceBySlug, isValidTimezone } from '../platform/tenancy/service.js'
import { existingFile, int, need, type Values } from './args.js'
import { CliError, usageError } from './errors.js'
import { importFile } from './import.js'
import { locale, t } from './messages.js'
import { readPassword } from './password.js'

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await runMigrations(database.db)
    return await fn(database)
  } finally {
    await database.close()
  }
}

async function workspaceCtx(database: Database, slug: string): Promise<Ctx> {
  const ws = await findWorkspaceBySlug(database.db, slug)
  if (!ws) throw new CliError('cli_no_workspace', { slug })
  return { db: database.db, actor: systemActor(ws.id, ALL_PERMISSIONS), locale }
}

/** What the web form checks of a new user (users.routes.ts), for input that does not come through it. */
function checkUserInput(email: string, name: string): void {
  const errors: FieldError[] = []
  if (!z.email().safeParse(email).success) errors.push({ field: 'email', code: 'invalid_email' })
  if (!name.trim()) errors.push({ field: 'name', code: 'required' })
  else if (name.trim().length > 100) errors.push({ field: 'name', code: 'too_long', params: { max: 100 } })
  if (errors.length) throw validationFailed(errors)
}

export const serve = () => serveHaina()

export const migrate = () =>
  withDatabase(async (d) => {
    console.log(t('cli_migrated', { kind: d.kind }))
  })

export async function demo(v: Values): Promise<void> {
  const seed = int(v, 'seed', 2026)
  const leads = int(v, 'leads', 3000)
  await withDatabase(async (d) => {
    if (await findWorkspaceBySlug(d.db, DEMO_LOGIN.workspace)) {
      console.log(t('cli_demo_exists'))
      return
    }
    const started = Date.now()
    const result = await seedDemo(d.db, { seed, leads }).catch(async (err) => {
      // Seeding is many transactions: a failure half-way leaves a demo workspace that is not whole.
      if (await findWorkspaceBySlug(d.db, DEMO_LOGIN.workspace).catch(() => null))
        console.error(t('cli_demo_incomplete'))
      throw err
    })
    console.log(
      t('cli_demo_created', {
        seconds: ((Date.now() - started) / 1000).toFixed(1),
        units: result.units,
        users: result.users,
        leads: result.leads,
        customers: result.sales.customers,
        opportunities: result.sales.opportunities,
        orders: result.sales.orders,
        tags: result.profiles.tags,
        segments: result.profiles.segments.length,
      }),
    )
  })
  console.log(
    t('cli_demo_sign_in', {
      url: `http://localhost:${loadConfig().port}`,
      workspace: DEMO_LOGIN.workspace,
      email: DEMO_LOGIN.email,
      password: DEMO_LOGIN.password,
    }),
  )
  if (v.serve) await serveHaina()
}

/** --phone-region: a region code libphonenumber reads, in either case (tw → TW). */
function phoneRegionOption(v: Values): string | undefined {
  if (v['phone-region'] === undefined) return undefined
  const region = String(v['phone-region']).trim().toUpperCase()
  if (!isPhoneRegion(region))
    throw usageError('cli_invalid_phone_region', { value: v['phone-region'], option: '--phone-region' })
  return region
}

/** --timezone: an IANA time zone name (Asia/Shanghai, Asia/Taipei…). */
function timezoneOption(v: Values): string | undefined {
  if (v.timezone === undefined) return undefined
  const timezone = String(v.timezone).trim()
  if (!timezone || !isValidTimezone(timezone))
    throw usageError('cli_invalid_timezone', { value: v.timezone, option: '--timezone' })
  // Stored as the time zone's own name: asia/taipei → Asia/Taipei.
  return new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions().timeZone
}

export async function workspaceAdd(v: Values): Promise<void> {
  const name = need(v, 'name')
  const slug = need(v, 'slug')
  const email = need(v, 'admin-email')
  const phoneRegion = phoneRegionOption(v)
  const timezone = timezoneOption(v)
  const password = await readPassword(v, 'admin-password')
  await withDatabase(async (d) => {
    const ws = await createWorkspace(d.db, {
      name,
      slug,
      phoneRegion,
      timezone,
      admin: {
        name: typeof v['admin-name'] === 'string' ? v['admin-name'] : t('cli_admin_name'),
        email,
        password,
      },
    })
    console.log(t('cli_workspace_created', { slug: ws.tenant.slug, email }))
  })
}

export async function userAdd(v: Values): Promise<void> {
  const slug = need(v, 'workspace')
  const email = need(v, 'email')
  const name = need(v, 'name')
  checkUserInput(email, name)
  await withDatabase(async (d) => {
    const ctx = await workspaceCtx(d, slug)
    const tenant = ctx.actor.tenantId
    const roleKey = typeof v.role === 'string' ? v.role : 'salesperson'
    const known = await d.db.select().from(roles).where(eq(roles.tenantId, tenant)).orderBy(roles.key)
    const role = known.find((r) => r.key === roleKey)
    if (!role) throw new CliError('cli_no_role', { role: roleKey, roles: known.map((r) => r.key).join(', ') })
    const unitWhere = v.unit ? eq(orgUnits.code, String(v.unit)) : sql`${orgUnits.parentId} is null`
    const [unit] = await d.db
      .select()
      .from(orgUnits)
      .where(and(eq(orgUnits.tenantId, tenant), unitWhere))
    if (!unit) throw new CliError('cli_no_unit', { unit: v.unit })
    const password = await readPassword(v, 'password')
    const [u] = await createUsers(ctx, [{ email, name, password, unitId: unit.id, roleIds: [role.id] }])
    console.log(t('cli_user_added', { email: u!.email, role: roleKey, unit: unit.name }))
  })
}

export async function resetPassword(v: Values): Promise<void> {
  const slug = need(v, 'workspace')
  const email = need(v, 'email')
  await withDatabase(async (d) => {
    const ctx = await workspaceCtx(d, slug)
    const [u] = await d.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, ctx.actor.tenantId), sql`lower(${users.email}) = lower(${email})`))
    if (!u) throw new CliError('cli_no_user', { email })
    await resetUserPassword(ctx, u.id, await readPassword(v, 'password'))
    console.log(t('cli_password_reset', { email: u.email }))
  })
}

export async function importCommand(v: Values, file: string | undefined): Promise<void> {
  if (!file) throw usageError('cli_required', { option: 'FILE' })
  const path = existingFile(file)
  const slug = need(v, 'workspace')
  await withDatabase(async (d) => {
    const ctx = await workspaceCtx(d, slug)
    const report = await importFile(ctx, d, path, {
      unitCode: v.unit as string | undefined,
      sheet: v.sheet as string | undefined,
      mappingName: v.mapping as string | undefined,
    })
    for (const line of report) console.log(line)
  })
}

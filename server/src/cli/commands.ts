import { existsSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { DEMO_LOGIN, seedDemo } from '../demo/seed.js'
import { serve } from '../main.js'
import { type Ctx, systemActor } from '../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../platform/access/permissions.js'
import { loadConfig } from '../platform/config.js'
import { type Database, openDatabase, runMigrations } from '../platform/db/index.js'
import { orgUnits, roles, users } from '../platform/org/schema.js'
import { createUsers, resetPassword } from '../platform/org/users.service.js'
import { createWorkspace, findWorkspaceBySlug } from '../platform/tenancy/service.js'
import { CliError } from './errors.js'
import { importFile } from './import.js'

type Values = Record<string, string | boolean | undefined>
interface Command {
  options: Record<string, { type: 'string' | 'boolean' }>
  run(values: Values, positionals?: string[]): Promise<void>
}

const str = { type: 'string' } as const
const need = (v: Values, key: string): string => {
  const value = v[key]
  if (typeof value !== 'string' || !value) throw new CliError(`--${key} is required`)
  return value
}

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
  if (!ws) throw new CliError(`No workspace with slug "${slug}"`)
  return { db: database.db, actor: systemActor(ws.id, ALL_PERMISSIONS), locale: 'en' }
}

export const commands: Record<string, Command> = {
  serve: { options: {}, run: () => serve() },

  import: {
    options: { workspace: str, unit: str, sheet: str, mapping: str },
    async run(v, positionals = []) {
      const file = positionals[0]
      if (!file) throw new CliError('Usage: haina import FILE --workspace S')
      if (!existsSync(file)) throw new CliError(`No such file: ${file}`)
      const slug = need(v, 'workspace')
      await withDatabase(async (d) => {
        const ctx = await workspaceCtx(d, slug)
        const report = await importFile(ctx, d, resolve(file), {
          unitCode: v.unit as string | undefined,
          sheet: v.sheet as string | undefined,
          mappingName: v.mapping as string | undefined,
        })
        console.log(report)
      })
    },
  },

  migrate: {
    options: {},
    run: () =>
      withDatabase(async (d) => {
        console.log(`Migrations applied (${d.kind} database).`)
      }),
  },

  demo: {
    options: { seed: str, leads: str, serve: { type: 'boolean' } },
    async run(v) {
      await withDatabase(async (d) => {
        if (await findWorkspaceBySlug(d.db, 'demo')) {
          console.log('The demo workspace exists already.')
          return
        }
        const started = Date.now()
        const result = await seedDemo(d.db, { seed: Number(v.seed ?? 2026), leads: Number(v.leads ?? 3000) })
        console.log(
          `Demo workspace created in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.units} units, ${result.users} users, ${result.leads} leads, ${result.sales.customers} customers, ${result.sales.opportunities} opportunities, ${result.sales.orders} orders, ${result.profiles.tags} tags, ${result.profiles.segments.length} segments.`,
        )
      })
      console.log(
        `Sign in at http://localhost:${loadConfig().port} — workspace "demo", ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
      )
      console.log(`Every demo user has the password ${DEMO_LOGIN.password}; see "Users" in settings.`)
      if (v.serve) await serve()
    },
  },

  'workspace add': {
    options: { name: str, slug: str, 'admin-email': str, 'admin-password': str, 'admin-name': str },
    run: (v) =>
      withDatabase(async (d) => {
        const ws = await createWorkspace(d.db, {
          name: need(v, 'name'),
          slug: need(v, 'slug'),
          admin: {
            name: String(v['admin-name'] ?? 'Administrator'),
            email: need(v, 'admin-email'),
            password: need(v, 'admin-password'),
          },
        })
        console.log(`Workspace "${ws.tenant.slug}" created.`)
      }),
  },

  'user add': {
    options: { workspace: str, email: str, name: str, password: str, role: str, unit: str },
    run: (v) =>
      withDatabase(async (d) => {
        const ctx = await workspaceCtx(d, need(v, 'workspace'))
        const t = ctx.actor.tenantId
        const roleKey = String(v.role ?? 'salesperson')
        const [role] = await d.db
          .select()
          .from(roles)
          .where(and(eq(roles.tenantId, t), eq(roles.key, roleKey)))
        if (!role) throw new CliError(`No role with key "${roleKey}"`)
        const unitWhere = v.unit ? eq(orgUnits.code, String(v.unit)) : sql`${orgUnits.parentId} is null`
        const [unit] = await d.db
          .select()
          .from(orgUnits)
          .where(and(eq(orgUnits.tenantId, t), unitWhere))
        if (!unit) throw new CliError(`No org unit with code "${v.unit}"`)
        const [u] = await createUsers(ctx, [
          {
            email: need(v, 'email'),
            name: need(v, 'name'),
            password: need(v, 'password'),
            unitId: unit.id,
            roleIds: [role.id],
          },
        ])
        console.log(`User ${u!.email} added with role ${roleKey} in ${unit.name}.`)
      }),
  },

  'user reset-password': {
    options: { workspace: str, email: str, password: str },
    run: (v) =>
      withDatabase(async (d) => {
        const ctx = await workspaceCtx(d, need(v, 'workspace'))
        const [u] = await d.db
          .select()
          .from(users)
          .where(
            and(
              eq(users.tenantId, ctx.actor.tenantId),
              sql`lower(${users.email}) = lower(${need(v, 'email')})`,
            ),
          )
        if (!u) throw new CliError(`No user with email "${v.email}"`)
        await resetPassword(ctx, u.id, need(v, 'password'))
        console.log(`Password of ${u.email} reset; their sessions were ended and the lockout cleared.`)
      }),
  },

  backup: {
    options: { out: str },
    async run(v) {
      const config = loadConfig()
      if (config.databaseUrl)
        throw new CliError(
          'With PostgreSQL, back up with pg_dump -Fc "$DATABASE_URL" > haina.dump (see README, "Backups").',
        )
      const out = resolve(
        String(v.out ?? `haina-backup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar`),
      )
      const d = await openDatabase({ dataDir: config.dataDir, dumpTo: out })
      await d.pool.end()
      await d.embedded!.dump()
      await d.embedded!.stop()
      console.log(`Backup written to ${out}`)
    },
  },

  restore: {
    options: { from: str },
    async run(v) {
      const config = loadConfig()
      if (config.databaseUrl)
        throw new CliError('With PostgreSQL, restore with pg_restore (see README, "Backups").')
      const from = resolve(need(v, 'from'))
      if (!existsSync(from)) throw new CliError(`No file ${from}`)
      const pgDir = resolve(config.dataDir, 'pg')
      if (existsSync(pgDir) && readdirSync(pgDir).length)
        throw new CliError(
          `${config.dataDir} already holds a database; restore into an empty HAINA_DATA_DIR.`,
        )
      const d = await openDatabase({ dataDir: config.dataDir, loadFrom: from })
      await runMigrations(d.db)
      await d.close()
      console.log(`Restored ${from} into ${config.dataDir}`)
    },
  },
}

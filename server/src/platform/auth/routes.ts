import { and, eq, ne } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AUTHENTICATED, PUBLIC } from '../access/permissions.js'
import { writeAudit } from '../audit/service.js'
import { ctxOf } from '../http/context.js'
import { AppError, validationFailed } from '../http/errors.js'
import type { HainaModule } from '../http/module.js'
import { localeOf } from '../http/problem.js'
import { LOCALES } from '../i18n/messages.js'
import { users } from '../org/schema.js'
import { registerUserRoutes } from '../org/users.routes.js'
import { registerWorkspaceRoutes } from '../tenancy/routes.js'
import { tenants } from '../tenancy/schema.js'
import { createWorkspace, workspaceCount } from '../tenancy/service.js'
import { registerApiKeyRoutes } from './api-keys.routes.js'
import { registerInvitationRoutes } from './invitations.routes.js'
import { login } from './login.service.js'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js'
import { sessions } from './schema.js'
import { createSession, deleteSession, deleteUserSessions } from './sessions.js'
import { pickTenant, pickUser, setSessionCookie, signedIn, tenantOut, userOut } from './signed-in.js'
import { SESSION_COOKIE } from './tokens.js'

const tags = ['accounts']

export const accountsModule: HainaModule = {
  name: 'accounts',
  routes(app, deps) {
    const db = deps.database.db
    const setCookie = (reply: FastifyReply, tenantId: string, s: { secret: string; expiresAt: Date }) =>
      setSessionCookie(reply, deps.config.secureCookies, tenantId, s)
    const pick = pickUser
    const client = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] })

    app.get(
      '/api/v1/setup',
      {
        config: { permission: PUBLIC },
        schema: {
          tags,
          summary: 'Whether first-run setup is needed',
          response: { 200: z.object({ needsSetup: z.boolean() }) },
        },
      },
      async () => ({
        needsSetup: (await workspaceCount(db)) === 0,
      }),
    )

    app.post(
      '/api/v1/setup',
      {
        config: { permission: PUBLIC, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'First-run setup: the first workspace and its administrator',
          body: z.object({
            workspaceName: z.string().trim().min(1).max(100),
            workspaceSlug: z.string().trim().min(1).max(40),
            adminName: z.string().trim().min(1).max(100),
            email: z.email(),
            password: z.string().min(1).max(200),
            locale: z.enum(LOCALES).optional(),
            timezone: z.string().optional(),
            phoneRegion: z
              .string()
              .optional()
              .describe('Where phone numbers without a country code are read (ISO 3166 alpha-2; default CN)'),
          }),
          response: { 201: signedIn },
        },
      },
      async (req, reply) => {
        if ((await workspaceCount(db)) > 0) throw new AppError(409, 'setup_done')
        const b = req.body
        const ws = await createWorkspace(db, {
          name: b.workspaceName,
          slug: b.workspaceSlug,
          locale: b.locale,
          timezone: b.timezone,
          phoneRegion: b.phoneRegion,
          admin: { name: b.adminName, email: b.email, password: b.password },
        })
        const session = await createSession(db, {
          tenantId: ws.tenant.id,
          userId: ws.admin.id,
          ...client(req),
        })
        setCookie(reply, ws.tenant.id, session)
        const [u] = await db
          .select()
          .from(users)
          .where(and(eq(users.tenantId, ws.tenant.id), eq(users.id, ws.admin.id)))
        const [t] = await db.select().from(tenants).where(eq(tenants.id, ws.tenant.id))
        return reply
          .status(201)
          .send({ user: pick(u!), tenant: pickTenant(t!), csrfToken: session.csrfToken })
      },
    )

    app.post(
      '/api/v1/auth/login',
      {
        config: { permission: PUBLIC, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Sign in with email and password',
          body: z.object({
            workspace: z.string().max(40).optional(),
            email: z.string().min(1).max(200),
            password: z.string().min(1).max(200),
          }),
          response: { 200: signedIn },
        },
      },
      async (req, reply) => {
        const { tenant, user, session } = await login(db, {
          ...req.body,
          ...client(req),
          locale: localeOf(req),
        })
        setCookie(reply, tenant.id, session)
        return { user: pick(user), tenant: pickTenant(tenant), csrfToken: session.csrfToken }
      },
    )

    app.post(
      '/api/v1/auth/logout',
      { config: { permission: AUTHENTICATED }, schema: { tags, summary: 'Sign out this session' } },
      async (req, reply) => {
        const ctx = ctxOf(req)
        if (req.sessionId) await deleteSession(db, ctx.actor.tenantId, req.sessionId)
        await writeAudit(ctx, [{ action: 'logout', objectType: 'user', objectId: ctx.actor.id }])
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).send()
      },
    )

    app.post(
      '/api/v1/auth/logout-all',
      {
        config: { permission: AUTHENTICATED },
        schema: { tags, summary: 'Sign out every session of the caller' },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        if (ctx.actor.type !== 'user') throw new AppError(400, 'bad_request')
        await db
          .update(users)
          .set({ sessionsValidAfter: new Date() })
          .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ctx.actor.id!)))
        await deleteUserSessions(db, ctx.actor.tenantId, ctx.actor.id!)
        await writeAudit(ctx, [{ action: 'logout_all', objectType: 'user', objectId: ctx.actor.id }])
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).send()
      },
    )

    const meOut = z.object({
      user: userOut.nullable(),
      tenant: tenantOut,
      permissions: z.array(z.string()),
      dataScope: z.string(),
      csrfToken: z.string().nullable(),
    })
    const me = async (req: FastifyRequest) => {
      const ctx = ctxOf(req)
      const [t] = await db.select().from(tenants).where(eq(tenants.id, ctx.actor.tenantId))
      const [u] =
        ctx.actor.type === 'user'
          ? await db
              .select()
              .from(users)
              .where(and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ctx.actor.id!)))
          : []
      return {
        user: u ? pick(u) : null,
        tenant: pickTenant(t!),
        permissions: [...ctx.actor.permissions].sort(),
        dataScope: ctx.actor.dataScope,
        csrfToken: req.csrfToken,
      }
    }
    app.get(
      '/api/v1/auth/me',
      {
        config: { permission: AUTHENTICATED },
        schema: { tags, summary: 'The signed-in caller', response: { 200: meOut } },
      },
      me,
    )

    app.patch(
      '/api/v1/auth/me',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags,
          summary: 'Update own name or language',
          body: z.object({
            name: z.string().trim().min(1).max(100).optional(),
            locale: z.enum(LOCALES).optional(),
          }),
          response: { 200: meOut },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        if (ctx.actor.type !== 'user') throw new AppError(400, 'bad_request')
        const where = and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ctx.actor.id!))
        const [before] = await db.select({ name: users.name, locale: users.locale }).from(users).where(where)
        await db
          .update(users)
          .set({ ...req.body, updatedAt: new Date() })
          .where(where)
        await writeAudit(ctx, [
          { action: 'update', objectType: 'user', objectId: ctx.actor.id, before, after: req.body },
        ])
        return me(req)
      },
    )

    app.post(
      '/api/v1/auth/password',
      {
        config: { permission: AUTHENTICATED, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Change own password (signs out other sessions)',
          body: z.object({ currentPassword: z.string().min(1), newPassword: z.string().min(1).max(200) }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        if (ctx.actor.type !== 'user') throw new AppError(400, 'bad_request')
        const where = and(eq(users.tenantId, ctx.actor.tenantId), eq(users.id, ctx.actor.id!))
        const [u] = await db.select().from(users).where(where)
        if (!u?.passwordHash || !(await verifyPassword(u.passwordHash, req.body.currentPassword)))
          throw validationFailed([{ field: 'currentPassword', code: 'invalid_credentials' }])
        const [t] = await db.select().from(tenants).where(eq(tenants.id, ctx.actor.tenantId))
        checkPasswordPolicy(req.body.newPassword, t!.settings, u.email, 'newPassword')
        await db
          .update(users)
          .set({ passwordHash: await hashPassword(req.body.newPassword), updatedAt: new Date() })
          .where(where)
        await db
          .delete(sessions)
          .where(
            and(
              eq(sessions.tenantId, ctx.actor.tenantId),
              eq(sessions.userId, u.id),
              ne(sessions.id, req.sessionId ?? u.id),
            ),
          )
        await writeAudit(ctx, [
          { action: 'password_change', objectType: 'user', objectId: u.id, summary: u.email },
        ])
        return reply.status(204).send()
      },
    )

    registerUserRoutes(app, deps)
    registerApiKeyRoutes(app, deps)
    registerInvitationRoutes(app, deps)
    registerWorkspaceRoutes(app, deps)
  },
}

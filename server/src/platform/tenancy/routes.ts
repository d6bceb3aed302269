import { eq } from 'drizzle-orm'
import { z } from 'zod'
import { diff, writeAudit } from '../audit/service.js'
import { ctxOf } from '../http/context.js'
import { type FieldError, validationFailed } from '../http/errors.js'
import type { App, AppDeps } from '../http/module.js'
import { LOCALES } from '../i18n/messages.js'
import { isPhoneRegion } from './phone-region.js'
import { tenants } from './schema.js'
import { isValidTimezone } from './service.js'

const settings = z.object({
  passwordMinLength: z.number().int().min(8).max(64).optional(),
  lockoutThreshold: z.number().int().min(3).max(20).optional(),
  lockoutMinutes: z.number().int().min(1).max(1440).optional(),
  sessionDays: z.number().int().min(1).max(90).optional(),
})
const workspaceOut = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  timezone: z.string(),
  locale: z.string(),
  phoneRegion: z.string().describe('Where a phone number without a country code is read (ISO 3166 alpha-2)'),
  settings,
  createdAt: z.string(),
})
const present = (t: typeof tenants.$inferSelect) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  timezone: t.timezone,
  locale: t.locale,
  phoneRegion: t.phoneRegion,
  settings: t.settings,
  createdAt: t.createdAt.toISOString(),
})

export function registerWorkspaceRoutes(app: App, deps: AppDeps): void {
  const tags = ['workspace']
  const db = deps.database.db
  app.get(
    '/api/v1/workspace',
    {
      config: { permission: 'workspace.view' },
      schema: { tags, summary: 'The caller’s workspace', response: { 200: workspaceOut } },
    },
    async (req) => {
      const [t] = await db
        .select()
        .from(tenants)
        .where(eq(tenants.id, ctxOf(req).actor.tenantId))
      return present(t!)
    },
  )
  app.patch(
    '/api/v1/workspace',
    {
      config: { permission: 'workspace.configure' },
      schema: {
        tags,
        summary: 'Name, time zone, language, default phone region and security settings',
        body: z.object({
          name: z.string().trim().min(1).max(100).optional(),
          timezone: z.string().optional(),
          locale: z.enum(LOCALES).optional(),
          phoneRegion: z
            .string()
            .optional()
            .describe('ISO 3166 alpha-2 region libphonenumber supports (CN, TW, HK, MO, SG, MY, US…)'),
          settings: settings.optional(),
        }),
        response: { 200: workspaceOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const errors: FieldError[] = []
      if (req.body.timezone && !isValidTimezone(req.body.timezone))
        errors.push({ field: 'timezone', code: 'invalid_value' })
      if (req.body.phoneRegion !== undefined && !isPhoneRegion(req.body.phoneRegion))
        errors.push({ field: 'phoneRegion', code: 'invalid_option' })
      if (errors.length) throw validationFailed(errors)
      return db.transaction(async (tx) => {
        const [before] = await tx
          .select()
          .from(tenants)
          .where(eq(tenants.id, ctx.actor.tenantId))
          .for('update')
        const [after] = await tx
          .update(tenants)
          .set({ ...req.body, settings: { ...before!.settings, ...req.body.settings } })
          .where(eq(tenants.id, ctx.actor.tenantId))
          .returning()
        const changes = diff(before as never, after as never)
        if (changes)
          await writeAudit({ ...ctx, db: tx }, [
            {
              action: 'update',
              objectType: 'workspace',
              objectId: ctx.actor.tenantId,
              summary: after!.name,
              ...changes,
            },
          ])
        return present(after!)
      })
    },
  )
}

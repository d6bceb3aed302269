import { and, desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { createRepository } from '../access/data-access.js'
import { newId } from '../db/columns.js'
import { inTransaction } from '../db/tx.js'
import { ctxOf } from '../http/context.js'
import { validationFailed } from '../http/errors.js'
import type { App, AppDeps } from '../http/module.js'
import { roles } from '../org/schema.js'
import { assertUnitsVisible } from '../org/units.service.js'
import { apiKeys } from './schema.js'
import { apiKeyValue, randomToken, sha256 } from './tokens.js'

export const apiKeysRepo = createRepository({ table: apiKeys, objectType: 'api_key', recycle: false })

const tags = ['api keys']
const keyOut = z.object({
  id: z.string(),
  name: z.string(),
  roleId: z.string(),
  unitId: z.string(),
  hint: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
})
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null)
const present = (r: Record<string, unknown>) => ({
  id: String(r.id),
  name: String(r.name),
  roleId: String(r.roleId),
  unitId: String(r.unitId),
  hint: String(r.hint),
  lastUsedAt: iso(r.lastUsedAt),
  expiresAt: iso(r.expiresAt),
  revokedAt: iso(r.revokedAt),
  createdAt: iso(r.createdAt)!,
})

/** API keys for integrations and channels: each acts with one role's permissions and scope, in one unit. */
export function registerApiKeyRoutes(app: App, _deps: AppDeps): void {
  app.get(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys.view' },
      schema: {
        tags,
        summary: 'API keys (secrets are never shown again)',
        response: { 200: z.object({ items: z.array(keyOut) }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const rows = await ctx.db
        .select()
        .from(apiKeys)
        .where(apiKeysRepo.visible(ctx))
        .orderBy(desc(apiKeys.createdAt))
      return { items: rows.map(present) }
    },
  )
  app.post(
    '/api/v1/api-keys',
    {
      config: { permission: 'api_keys.create' },
      schema: {
        tags,
        summary: 'Create an API key; the response holds the key once',
        body: z.object({
          name: z.string().trim().min(1).max(100),
          roleId: z.string().uuid(),
          unitId: z.string().uuid(),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: keyOut.extend({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const row = await inTransaction(ctx, async (tx) => {
        const [role] = await tx.db
          .select({ id: roles.id })
          .from(roles)
          .where(and(eq(roles.tenantId, tx.actor.tenantId), eq(roles.id, req.body.roleId)))
        if (!role) throw validationFailed([{ field: 'roleId', code: 'invalid_option' }])
        await assertUnitsVisible(tx, [req.body.unitId], 'unitId')
        const id = newId()
        const secret = randomToken()
        const key = apiKeyValue(tx.actor.tenantId, id, secret)
        const [created] = await apiKeysRepo.insert(tx, [
          {
            id,
            name: req.body.name,
            roleId: req.body.roleId,
            unitId: req.body.unitId,
            secretHash: sha256(secret),
            hint: `${key.slice(0, 6)}…${key.slice(-4)}`,
            createdBy: tx.actor.id,
            expiresAt: req.body.expiresAt ? new Date(req.body.expiresAt) : null,
          },
        ])
        return { ...present(created!), key }
      })
      return reply.status(201).send(row)
    },
  )
  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { permission: 'api_keys.delete' },
      schema: { tags, summary: 'Revoke an API key', params: z.object({ id: z.string() }) },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      await inTransaction(ctx, async (tx) => {
        const before = await apiKeysRepo.get(tx, req.params.id)
        if (!before.revokedAt) await apiKeysRepo.update(tx, req.params.id, { revokedAt: new Date() })
      })
      return reply.status(204).send()
    },
  )
}

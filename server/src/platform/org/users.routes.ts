import { z } from 'zod'
import type { Ctx } from '../access/actor.js'
import { customMasker } from '../custom-fields/validate.service.js'
import { customValuesInput, customValuesOutput } from '../custom-fields/zod.js'
import { ctxOf } from '../http/context.js'
import { buildListQuery, listQuerySchema } from '../http/list-query.js'
import type { App, AppDeps } from '../http/module.js'
import { users } from './schema.js'
import {
  createUsers,
  deleteUser,
  presentUser,
  resetPassword,
  roleIdsOf,
  updateUser,
  userSearch,
  usersRepo,
} from './users.service.js'

const tags = ['users']
const idParams = z.object({ id: z.string() })
export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  unitId: z.string(),
  managerId: z.string().nullable(),
  roleIds: z.array(z.string()),
  locale: z.string().nullable(),
  custom: customValuesOutput,
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
})
const phone = z.string().trim().max(30).nullable().optional()
type UserOut = z.infer<typeof userOut>

/** Masks phone/email custom fields for callers without pii.view. */
async function masked(ctx: Ctx, list: UserOut[]): Promise<UserOut[]> {
  const mask = await customMasker(ctx, 'user')
  return list.map((u) => ({ ...u, custom: mask(u.custom) }))
}

export function registerUserRoutes(app: App, _deps: AppDeps): void {
  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users.view' },
      schema: {
        tags,
        summary: 'Users in the caller’s org (filter: q, unitId, status)',
        querystring: listQuerySchema,
        response: { 200: z.object({ items: z.array(userOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const q = await buildListQuery(req.query, {
        columns: {
          name: users.name,
          email: users.email,
          unitId: users.unitId,
          status: users.status,
          managerId: users.managerId,
          createdAt: users.createdAt,
        },
        sortable: ['name', 'email', 'createdAt'],
        extra: { q: (v) => userSearch(String(v)) },
      })
      const page = await usersRepo.list(ctx, {
        where: q.where,
        sort: q.sort,
        limit: req.query.limit,
        cursor: req.query.cursor,
      })
      const roles = await roleIdsOf(
        ctx,
        page.items.map((u) => String(u.id)),
      )
      return {
        items: await masked(
          ctx,
          page.items.map((u) => presentUser(u, roles.get(String(u.id)) ?? [])),
        ),
        nextCursor: page.nextCursor,
      }
    },
  )
  app.get(
    '/api/v1/users/:id',
    {
      config: { permission: 'users.view' },
      schema: { tags, summary: 'One user', params: idParams, response: { 200: userOut } },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const u = await usersRepo.get(ctx, req.params.id)
      return (
        await masked(ctx, [presentUser(u, (await roleIdsOf(ctx, [req.params.id])).get(req.params.id) ?? [])])
      )[0]!
    },
  )
  app.post(
    '/api/v1/users',
    {
      config: { permission: 'users.create', idempotent: true },
      schema: {
        tags,
        summary: 'Create a user with roles and a first password',
        body: z.object({
          email: z.email(),
          name: z.string().trim().min(1).max(100),
          phone,
          unitId: z.string().uuid(),
          managerId: z.string().uuid().nullable().optional(),
          roleIds: z.array(z.string().uuid()).max(20),
          password: z.string().min(1).max(200),
          custom: customValuesInput.optional(),
        }),
        response: { 201: userOut },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      return reply.status(201).send((await masked(ctx, await createUsers(ctx, [req.body])))[0]!)
    },
  )
  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users.edit' },
      schema: {
        tags,
        summary: 'Change a user (roles, unit, manager, status)',
        params: idParams,
        body: z.object({
          name: z.string().trim().min(1).max(100).optional(),
          phone,
          unitId: z.string().uuid().optional(),
          managerId: z.string().uuid().nullable().optional(),
          roleIds: z.array(z.string().uuid()).max(20).optional(),
          status: z.enum(['active', 'disabled']).optional(),
          custom: customValuesInput.optional(),
          version: z.number().int().optional(),
        }),
        response: { 200: userOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      return (await masked(ctx, [await updateUser(ctx, req.params.id, req.body)]))[0]!
    },
  )
  app.delete(
    '/api/v1/users/:id',
    {
      config: { permission: 'users.delete' },
      schema: { tags, summary: 'Delete a user (to the recycle bin)', params: idParams },
    },
    async (req, reply) => {
      await deleteUser(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
  app.post(
    '/api/v1/users/:id/reset-password',
    {
      config: { permission: 'users.edit' },
      schema: {
        tags,
        summary: 'Set a new password and end the user’s sessions',
        params: idParams,
        body: z.object({ password: z.string().min(1).max(200) }),
      },
    },
    async (req, reply) => {
      await resetPassword(ctxOf(req), req.params.id, req.body.password)
      return reply.status(204).send()
    },
  )
}

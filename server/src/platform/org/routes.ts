import { z } from 'zod'
import { AUTHENTICATED, PERMISSION_MODULES, PII_PERMISSION, roleName } from '../access/permissions.js'
import { ctxOf } from '../http/context.js'
import type { HainaModule } from '../http/module.js'
import { localeOf } from '../http/problem.js'
import { createRole, deleteRole, listRoles, rolesRepo, updateRole } from './roles.service.js'
import { DATA_SCOPES, ORG_UNIT_TYPES } from './schema.js'
import { createUnits, deleteUnit, listUnits, updateUnit } from './units.service.js'
import './messages.js'

const idParams = z.object({ id: z.string() })
const unitOut = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  type: z.enum(ORG_UNIT_TYPES),
  name: z.string(),
  code: z.string().nullable(),
  orgId: z.string(),
  path: z.string(),
  sort: z.number(),
  version: z.number(),
})
const roleOut = z.object({
  id: z.string(),
  key: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  dataScope: z.enum(DATA_SCOPES),
  builtin: z.boolean(),
  version: z.number(),
  userCount: z.number().optional(),
})
const roleBody = z.object({
  name: z.string().trim().min(1).max(60),
  description: z.string().max(500).nullable().optional(),
  permissions: z.array(z.string()).max(500),
  dataScope: z.enum(DATA_SCOPES),
})

export const orgModule: HainaModule = {
  name: 'org',
  routes(app) {
    const unitTags = ['organisation']
    app.get(
      '/api/v1/org-units',
      {
        config: { permission: 'org.view' },
        schema: {
          tags: unitTags,
          summary: 'The org tree (flat, ordered by path)',
          response: { 200: z.object({ items: z.array(unitOut) }) },
        },
      },
      async (req) => ({
        items: await listUnits(ctxOf(req)),
      }),
    )
    app.post(
      '/api/v1/org-units',
      {
        config: { permission: 'org.create' },
        schema: {
          tags: unitTags,
          summary: 'Create a unit (company, branch, dealer, region, department, team)',
          body: z.object({
            parentId: z.string().uuid(),
            type: z.enum(ORG_UNIT_TYPES),
            name: z.string().trim().min(1).max(100),
            code: z.string().max(40).nullable().optional(),
            sort: z.number().int().optional(),
          }),
          response: { 201: unitOut },
        },
      },
      async (req, reply) =>
        reply.status(201).send((await createUnits(ctxOf(req), [req.body]))[0] as z.infer<typeof unitOut>),
    )
    app.patch(
      '/api/v1/org-units/:id',
      {
        config: { permission: 'org.edit' },
        schema: {
          tags: unitTags,
          summary: 'Rename, retype or move a unit',
          params: idParams,
          body: z.object({
            parentId: z.string().uuid().optional(),
            type: z.enum(ORG_UNIT_TYPES).optional(),
            name: z.string().trim().min(1).max(100).optional(),
            code: z.string().max(40).nullable().optional(),
            sort: z.number().int().optional(),
            version: z.number().int().optional(),
          }),
          response: { 200: unitOut },
        },
      },
      async (req) => (await updateUnit(ctxOf(req), req.params.id, req.body)) as z.infer<typeof unitOut>,
    )
    app.delete(
      '/api/v1/org-units/:id',
      {
        config: { permission: 'org.delete' },
        schema: { tags: unitTags, summary: 'Delete an empty unit', params: idParams },
      },
      async (req, reply) => {
        await deleteUnit(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )

    const roleTags = ['roles']
    app.get(
      '/api/v1/permissions',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags: roleTags,
          summary: 'Permission catalogue',
          response: {
            200: z.object({
              modules: z.array(z.object({ key: z.string(), actions: z.array(z.string()) })),
              special: z.array(z.string()),
              scopes: z.array(z.string()),
            }),
          },
        },
      },
      async () => ({
        modules: Object.entries(PERMISSION_MODULES).map(([key, actions]) => ({ key, actions: [...actions] })),
        special: [PII_PERMISSION],
        scopes: [...DATA_SCOPES],
      }),
    )
    app.get(
      '/api/v1/roles',
      {
        config: { permission: 'roles.view' },
        schema: {
          tags: roleTags,
          summary: 'Roles with their data scope',
          response: { 200: z.object({ items: z.array(roleOut) }) },
        },
      },
      async (req) => ({
        items: (await listRoles(ctxOf(req))).map((r) => ({
          ...r,
          name: roleName(r, localeOf(req)),
        })) as z.infer<typeof roleOut>[],
      }),
    )
    app.get(
      '/api/v1/roles/:id',
      {
        config: { permission: 'roles.view' },
        schema: { tags: roleTags, summary: 'One role', params: idParams, response: { 200: roleOut } },
      },
      async (req) => {
        const role = (await rolesRepo.get(ctxOf(req), req.params.id)) as z.infer<typeof roleOut>
        return { ...role, name: roleName(role, localeOf(req)) }
      },
    )
    app.post(
      '/api/v1/roles',
      {
        config: { permission: 'roles.create' },
        schema: { tags: roleTags, summary: 'Create a role', body: roleBody, response: { 201: roleOut } },
      },
      async (req, reply) =>
        reply.status(201).send((await createRole(ctxOf(req), req.body)) as z.infer<typeof roleOut>),
    )
    app.patch(
      '/api/v1/roles/:id',
      {
        config: { permission: 'roles.edit' },
        schema: {
          tags: roleTags,
          summary: 'Change a role',
          params: idParams,
          body: roleBody.partial().extend({ version: z.number().int().optional() }),
          response: { 200: roleOut },
        },
      },
      async (req) => (await updateRole(ctxOf(req), req.params.id, req.body)) as z.infer<typeof roleOut>,
    )
    app.delete(
      '/api/v1/roles/:id',
      {
        config: { permission: 'roles.delete' },
        schema: { tags: roleTags, summary: 'Delete an unused role', params: idParams },
      },
      async (req, reply) => {
        await deleteRole(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
  },
}

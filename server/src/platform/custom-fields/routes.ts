import { z } from 'zod'
import { AUTHENTICATED } from '../access/permissions.js'
import { ctxOf } from '../http/context.js'
import { notFound } from '../http/errors.js'
import type { HainaModule } from '../http/module.js'
import {
  createDefinition,
  deleteDefinition,
  getDefinition,
  listDefinitions,
  updateDefinition,
} from './definitions.service.js'
import './messages.js'
import { CUSTOM_FIELD_OBJECTS } from './objects.js'
import { regionChildren } from './regions.js'
import { CUSTOM_FIELD_TYPES } from './schema.js'

const TAGS = ['custom-fields']

const option = z.object({
  value: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(100),
  color: z.string().max(30).optional(),
})
const validation = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().min(1).max(100_000).optional(),
  pattern: z.string().min(1).max(500).optional(),
})

const field = z.object({
  id: z.string(),
  object: z.string(),
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  required: z.boolean(),
  unique: z.boolean(),
  defaultValue: z.unknown(),
  options: z.array(option),
  validation,
  description: z.string().nullable(),
  position: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  version: z.number(),
})

const editable = {
  label: z.string().trim().min(1).max(100),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  defaultValue: z.unknown().optional(),
  options: z.array(option).max(500).optional(),
  validation: validation.optional(),
  description: z.string().max(1000).nullable().optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
}
const createBody = z.object({
  object: z.string().min(1).max(40),
  key: z.string().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  ...editable,
})
const patchBody = z.object({
  ...editable,
  label: editable.label.optional(),
  // Immutable: accepted unchanged (forms send the whole field back), refused when different.
  object: z.string().optional(),
  key: z.string().optional(),
  type: z.enum(CUSTOM_FIELD_TYPES).optional(),
  version: z.number().int().min(1),
})
const idParams = z.object({ id: z.string() })

/** Field definitions per object (settings → custom fields) and the region picker's data. */
export const customFieldsModule: HainaModule = {
  name: 'customFields',
  routes(app) {
    app.get(
      '/api/v1/custom-fields/objects',
      {
        config: { permission: 'custom_fields.view' },
        schema: {
          tags: TAGS,
          summary: 'Objects that carry custom fields',
          response: {
            200: z.array(
              z.object({
                key: z.string(),
                label: z.string(),
                labels: z.object({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() }),
              }),
            ),
          },
        },
      },
      async (req) => {
        const { locale } = ctxOf(req)
        return [...CUSTOM_FIELD_OBJECTS.values()].map((o) => ({
          key: o.key,
          label: o.label[locale],
          labels: o.label,
        }))
      },
    )

    app.get(
      '/api/v1/custom-fields',
      {
        config: { permission: 'custom_fields.view' },
        schema: {
          tags: TAGS,
          summary: 'Field definitions of an object (all objects without ?object), in form order',
          querystring: z.object({ object: z.string().max(40).optional() }),
          response: { 200: z.object({ items: z.array(field), nextCursor: z.null() }) },
        },
      },
      async (req) => ({ items: await listDefinitions(ctxOf(req), req.query.object), nextCursor: null }),
    )

    app.get(
      '/api/v1/custom-fields/:id',
      {
        config: { permission: 'custom_fields.view' },
        schema: { tags: TAGS, summary: 'One field definition', params: idParams, response: { 200: field } },
      },
      async (req) => getDefinition(ctxOf(req), req.params.id),
    )

    app.post(
      '/api/v1/custom-fields',
      {
        config: { permission: 'custom_fields.configure' },
        schema: {
          tags: TAGS,
          summary: 'Add a field to an object (in effect at once: no migration, no restart)',
          body: createBody,
          response: { 201: field },
        },
      },
      async (req, reply) => {
        const created = await createDefinition(ctxOf(req), req.body)
        return reply.status(201).send(created)
      },
    )

    app.patch(
      '/api/v1/custom-fields/:id',
      {
        config: { permission: 'custom_fields.configure' },
        schema: {
          tags: TAGS,
          summary: 'Change a field (key, object and type are fixed)',
          params: idParams,
          body: patchBody,
          response: { 200: field },
        },
      },
      async (req) => updateDefinition(ctxOf(req), req.params.id, req.body),
    )

    app.delete(
      '/api/v1/custom-fields/:id',
      {
        config: { permission: 'custom_fields.configure' },
        schema: {
          tags: TAGS,
          summary: 'Delete a field (to the recycle bin; stored values are kept)',
          params: idParams,
        },
      },
      async (req, reply) => {
        await deleteDefinition(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )

    app.get(
      '/api/v1/regions',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags: ['regions'],
          summary: "China's provinces (no parent), a province's cities or a city's districts",
          querystring: z.object({
            parent: z
              .string()
              .regex(/^\d{2,6}$/)
              .optional(),
          }),
          response: {
            200: z.object({
              items: z.array(z.object({ code: z.string(), name: z.string(), hasChildren: z.boolean() })),
            }),
          },
        },
      },
      async (req) => {
        const items = regionChildren(req.query.parent)
        if (!items) throw notFound()
        return { items }
      },
    )
  },
}

import { and, eq, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { App } from '../../../platform/http/module.js'
import {
  contactTree,
  createContact,
  deleteContact,
  presentContacts,
  updateContact,
} from './contacts.service.js'
import { phoneDigits } from './list.js'
import { contactsRepo } from './repo.js'
import { contacts, DEAL_ROLES } from './schema.js'
import { type ContactOut, contactBody, contactOut, contactTreeOut, idParams } from './schemas.js'

const tags = ['contacts']

/** `q`: name, title, department, or the digits of the mobile. */
const contactSearch = (q: string) => {
  const digits = phoneDigits(q)
  return or(
    sql`${contacts.name} ilike ${`%${q}%`}`,
    sql`${contacts.title} ilike ${`%${q}%`}`,
    sql`${contacts.department} ilike ${`%${q}%`}`,
    digits.length >= 4 ? sql`${contacts.mobile} like ${`%${digits}%`}` : undefined,
  )!
}

export function registerContactRoutes(app: App) {
  app.get(
    '/api/v1/contacts',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary:
          'Contacts in the caller’s data scope (theirs is their customer’s): ?customerId, ?q (name, title, department, mobile), ?dealRole, filter on base fields and custom.<key>',
        querystring: listQuerySchema.extend({
          customerId: z.string().uuid().optional(),
          q: z.string().trim().max(100).optional(),
          dealRole: z.enum(DEAL_ROLES).optional(),
        }),
        response: { 200: z.object({ items: z.array(contactOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const { customerId, q: text, dealRole } = req.query
      const q = await buildListQuery(req.query, {
        columns: {
          name: contacts.name,
          title: contacts.title,
          department: contacts.department,
          dealRole: contacts.dealRole,
          customerId: contacts.customerId,
          isPrimary: contacts.isPrimary,
          birthday: contacts.birthday,
          ownerId: contacts.ownerId,
          unitId: contacts.unitId,
          createdAt: contacts.createdAt,
          updatedAt: contacts.updatedAt,
        },
        sortable: ['createdAt', 'updatedAt', 'name'],
        object: 'contact',
        ctx,
        extra: { q: (v) => contactSearch(String(v)) },
      })
      const page = await contactsRepo.list(ctx, {
        where: and(
          q.where,
          customerId ? eq(contacts.customerId, customerId) : undefined,
          dealRole ? eq(contacts.dealRole, dealRole) : undefined,
          text ? contactSearch(text) : undefined,
        ),
        sort: q.sort,
        limit: req.query.limit,
        cursor: req.query.cursor,
      })
      return { items: (await presentContacts(ctx, page.items)) as ContactOut[], nextCursor: page.nextCursor }
    },
  )
  app.get(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'customers.view' },
      schema: { tags, summary: 'One contact', params: idParams, response: { 200: contactOut } },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const row = await contactsRepo.get(ctx, req.params.id, { raw: true })
      return (await presentContacts(ctx, [row]))[0] as ContactOut
    },
  )
  app.get(
    '/api/v1/customers/:id/contacts/tree',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary: 'The customer’s contacts as a tree of reporting lines: [{…contact, children: […]}]',
        params: idParams,
        response: { 200: z.array(contactTreeOut) },
      },
    },
    async (req) => (await contactTree(ctxOf(req), req.params.id)) as unknown as ContactOut[],
  )
  app.post(
    '/api/v1/contacts',
    {
      config: { permission: 'customers.edit', idempotent: true },
      schema: {
        tags,
        summary:
          'Add a contact to a customer you see (it takes the customer’s owner and unit). Phones in E.164; the first phone/email is the primary one',
        body: contactBody,
        response: { 201: contactOut },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const row = await createContact(ctx, req.body)
      return reply.status(201).send((await presentContacts(ctx, [row]))[0] as ContactOut)
    },
  )
  app.patch(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary:
          'Change a contact (send version; a stale one gets 409). reportsToId: same customer, no cycles',
        params: idParams,
        body: contactBody.omit({ customerId: true }).partial().extend({ version: z.number().int() }),
        response: { 200: contactOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const row = await updateContact(ctx, req.params.id, req.body)
      return (await presentContacts(ctx, [row]))[0] as ContactOut
    },
  )
  app.delete(
    '/api/v1/contacts/:id',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary: 'Delete a contact (recycle bin); those who reported to it now report to its manager',
        params: idParams,
      },
    },
    async (req, reply) => {
      await deleteContact(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )
}

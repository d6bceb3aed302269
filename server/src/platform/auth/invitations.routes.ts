import { z } from 'zod'
import { PUBLIC } from '../access/permissions.js'
import { ctxOf } from '../http/context.js'
import type { App, AppDeps } from '../http/module.js'
import { localeOf } from '../http/problem.js'
import {
  acceptInvitation,
  createInvitations,
  describeInvitation,
  invitationsRepo,
  presentInvitation,
  revokeInvitation,
} from './invitations.service.js'
import { pickTenant, pickUser, setSessionCookie, signedIn } from './signed-in.js'

const tags = ['invitations']
const invitationOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  unitId: z.string(),
  roleIds: z.array(z.string()),
  invitedBy: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'expired']),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  createdAt: z.string(),
})
const tokenParams = z.object({ token: z.string().max(200) })
// Tokens are unguessable; the limit keeps anyone from trying many of them anyway.
const publicLimit = { max: 20, timeWindow: '1 minute' }

/** Invitations: an admin invites by email into a unit with roles; the invitee sets a password via the link. */
export function registerInvitationRoutes(app: App, deps: AppDeps): void {
  const db = deps.database.db
  app.get(
    '/api/v1/invitations',
    {
      config: { permission: 'users.view' },
      schema: {
        tags,
        summary: 'Invitations in the caller’s scope (tokens are never shown again)',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(1000).optional(),
        }),
        response: { 200: z.object({ items: z.array(invitationOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const page = await invitationsRepo.list(ctxOf(req), {
        limit: req.query.limit,
        cursor: req.query.cursor,
      })
      return { items: page.items.map(presentInvitation), nextCursor: page.nextCursor }
    },
  )

  app.post(
    '/api/v1/invitations',
    {
      config: { permission: 'users.create' },
      schema: {
        tags,
        summary: 'Invite someone; the answer holds the link once (valid 7 days)',
        body: z.object({
          email: z.email(),
          name: z.string().trim().max(100).nullable().optional(),
          unitId: z.string().uuid(),
          roleIds: z.array(z.string().uuid()).max(20).default([]),
        }),
        response: { 201: invitationOut.extend({ token: z.string(), url: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send((await createInvitations(ctxOf(req), [req.body]))[0]!),
  )

  app.delete(
    '/api/v1/invitations/:id',
    {
      config: { permission: 'users.create' },
      schema: { tags, summary: 'Revoke an invitation', params: z.object({ id: z.string() }) },
    },
    async (req, reply) => {
      await revokeInvitation(ctxOf(req), req.params.id)
      return reply.status(204).send()
    },
  )

  app.get(
    '/api/v1/invitations/accept/:token',
    {
      config: { permission: PUBLIC, rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'What an invitation link is for (public)',
        params: tokenParams,
        response: {
          200: z.object({
            email: z.string(),
            name: z.string().nullable(),
            workspace: z.object({ name: z.string(), slug: z.string() }),
            expiresAt: z.string(),
          }),
        },
      },
    },
    async (req) => describeInvitation(db, req.params.token),
  )

  app.post(
    '/api/v1/invitations/accept/:token',
    {
      config: { permission: PUBLIC, rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Accept an invitation: creates the account and signs in (public)',
        params: tokenParams,
        body: z.object({ name: z.string().trim().max(100).optional(), password: z.string().min(1).max(200) }),
        response: { 201: signedIn },
      },
    },
    async (req, reply) => {
      const { tenant, user, session } = await acceptInvitation(db, req.params.token, {
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        locale: localeOf(req),
      })
      setSessionCookie(reply, deps.config.secureCookies, tenant.id, session)
      return reply
        .status(201)
        .send({ user: pickUser(user), tenant: pickTenant(tenant), csrfToken: session.csrfToken })
    },
  )
}

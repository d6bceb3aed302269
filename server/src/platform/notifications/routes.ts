import { z } from 'zod'
import { AUTHENTICATED } from '../access/permissions.js'
import { ctxOf } from '../http/context.js'
import type { HainaModule } from '../http/module.js'
import { configureEmail } from './email.js'
import { listNotifications, markRead, unreadCount } from './service.js'

const tags = ['notifications']
const notificationOut = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
})

/** The notification centre (通知中心): each person's own notifications, and their email delivery. */
export const notificationsModule: HainaModule = {
  name: 'notifications',
  routes(app, deps) {
    configureEmail(deps.config)
    app.get(
      '/api/v1/notifications',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags,
          summary: 'The caller’s notifications, newest first',
          querystring: z.object({
            unread: z
              .enum(['true', 'false'])
              .optional()
              .transform((v) => v === 'true'),
            limit: z.coerce.number().int().min(1).max(200).default(20),
            cursor: z.string().max(1000).optional(),
          }),
          response: { 200: z.object({ items: z.array(notificationOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => listNotifications(ctxOf(req), req.query),
    )
    app.get(
      '/api/v1/notifications/unread-count',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags,
          summary: 'How many of the caller’s notifications are unread',
          response: { 200: z.object({ count: z.number() }) },
        },
      },
      async (req) => ({ count: await unreadCount(ctxOf(req)) }),
    )
    app.post(
      '/api/v1/notifications/read',
      {
        config: { permission: AUTHENTICATED },
        schema: {
          tags,
          summary: 'Mark the caller’s notifications read: the given ids, or all',
          body: z
            .object({ ids: z.array(z.string().uuid()).max(500).optional(), all: z.literal(true).optional() })
            .refine((b) => b.all || (b.ids && b.ids.length > 0), { path: ['ids'], message: 'required' }),
          response: { 200: z.object({ updated: z.number() }) },
        },
      },
      async (req) => ({ updated: await markRead(ctxOf(req), req.body) }),
    )
  },
}

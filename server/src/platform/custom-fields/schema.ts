import { boolean, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, id, tenantId, updatedAt, version } from '../db/columns.js'

export const CUSTOM_FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'date',
  'datetime',
  'boolean',
  'single_select',
  'multi_select',
  'phone',
  'email',
  'url',
  'region',
  'user',
] as const
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]

export interface CustomFieldOption {
  value: string
  label: string
  color?: string
}
export interface CustomFieldValidation {
  min?: number
  max?: number
  maxLength?: number
  pattern?: string
}

export const customFieldDefs = pgTable(
  'custom_field_defs',
  {
    tenantId: tenantId(),
    id: id(),
    /** Object the field belongs to: 'lead', 'customer', … */
    object: text('object').notNull(),
    /** Key inside the record's `custom` jsonb; immutable once created. */
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').$type<CustomFieldType>().notNull(),
    required: boolean('required').notNull().default(false),
    unique: boolean('unique').notNull().default(false),
    defaultValue: jsonb('default_value'),
    options: jsonb('options').$type<CustomFieldOption[]>().notNull().default([]),
    validation: jsonb('validation').$type<CustomFieldValidation>().notNull().default({}),
    description: text('description'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('custom_field_defs_key').on(t.tenantId, t.object, t.key),
  ],
)

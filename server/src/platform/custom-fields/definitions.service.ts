import { and, asc, eq, sql } from 'drizzle-orm'
import safeRegex from 'safe-regex2'
import type { Ctx } from '../access/actor.js'
import { createRepository } from '../access/data-access.js'
import { inTransaction } from '../db/tx.js'
import { AppError, type FieldError, validationFailed } from '../http/errors.js'
import { workspacePhoneRegion } from '../tenancy/phone-region.js'
import { baseFieldNames, customColumnOf, customFieldObject, tenantColumnOf } from './objects.js'
import {
  type CustomFieldOption,
  type CustomFieldType,
  type CustomFieldValidation,
  customFieldDefs,
} from './schema.js'
import { checkValue, isEmptyValue } from './values.js'

export type FieldDefinition = typeof customFieldDefs.$inferSelect

export const customFieldRepo = createRepository({
  table: customFieldDefs,
  objectType: 'custom_field',
  label: (r) => `${r.object}.${r.key} (${r.label})`,
  sortable: ['position', 'createdAt'],
})

export interface DefinitionInput {
  object: string
  key: string
  label: string
  type: CustomFieldType
  required?: boolean
  unique?: boolean
  defaultValue?: unknown
  options?: CustomFieldOption[]
  validation?: CustomFieldValidation
  description?: string | null
  position?: number
}

export type DefinitionPatch = Partial<DefinitionInput> & { version?: number }

export const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/
const SELECT_TYPES: readonly CustomFieldType[] = ['single_select', 'multi_select']
const RANGE_TYPES: readonly CustomFieldType[] = ['number', 'money']
const TEXT_TYPES: readonly CustomFieldType[] = ['text', 'long_text']
/** Types whose values can sensibly be unique across records. */
const UNIQUE_TYPES: readonly CustomFieldType[] = [
  'text',
  'number',
  'money',
  'date',
  'datetime',
  'phone',
  'email',
  'url',
  'user',
]

/**
 * The fields of an object, in form order. Read on every call (no cache): a field added or
 * changed by any server process is in effect for the very next request, with no restart.
 */
export async function loadDefinitions(ctx: Ctx, object: string): Promise<FieldDefinition[]> {
  return (await ctx.db
    .select()
    .from(customFieldDefs)
    .where(and(customFieldRepo.visible(ctx), eq(customFieldDefs.object, object)))
    .orderBy(asc(customFieldDefs.position), asc(customFieldDefs.createdAt))) as FieldDefinition[]
}

export async function listDefinitions(ctx: Ctx, object?: string): Promise<FieldDefinition[]> {
  if (object !== undefined) {
    if (!customFieldObject(object))
      throw validationFailed([{ field: 'object', code: 'unknown_object', params: { object } }])
    return loadDefinitions(ctx, object)
  }
  return (await ctx.db
    .select()
    .from(customFieldDefs)
    .where(customFieldRepo.visible(ctx))
    .orderBy(
      asc(customFieldDefs.object),
      asc(customFieldDefs.position),
      asc(customFieldDefs.createdAt),
    )) as FieldDefinition[]
}

export async function getDefinition(ctx: Ctx, id: string): Promise<FieldDefinition> {
  return (await customFieldRepo.get(ctx, id)) as FieldDefinition
}

/**
 * Where a phone default without a country code is read: the workspace's region, as for the values
 * themselves (validate.service.ts). Read only for a phone field with a default.
 */
async function defaultPhoneRegion(ctx: Ctx, d: DefinitionInput) {
  return d.type === 'phone' && !isEmptyValue(d.defaultValue)
    ? workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
    : undefined
}

/** Semantic checks of a whole definition (shape is checked by the route's schema). */
function checkDefinition(d: DefinitionInput, phoneRegion?: string): FieldError[] {
  const errors: FieldError[] = []
  const options = d.options ?? []
  const v = d.validation ?? {}
  if (SELECT_TYPES.includes(d.type)) {
    if (options.length === 0) errors.push({ field: 'options', code: 'options_required' })
    const seen = new Set<string>()
    options.forEach((o, i) => {
      if (o.value.trim() === '') errors.push({ field: `options[${i}].value`, code: 'required' })
      else if (seen.has(o.value))
        errors.push({ field: `options[${i}].value`, code: 'duplicate_option', params: { value: o.value } })
      seen.add(o.value)
    })
  } else if (options.length > 0) errors.push({ field: 'options', code: 'not_applicable' })

  if ((v.min !== undefined || v.max !== undefined) && !RANGE_TYPES.includes(d.type))
    errors.push({ field: v.min !== undefined ? 'validation.min' : 'validation.max', code: 'not_applicable' })
  if (d.type === 'money')
    for (const k of ['min', 'max'] as const)
      if (v[k] !== undefined && !Number.isSafeInteger(v[k]))
        errors.push({ field: `validation.${k}`, code: 'not_integer' })
  if (v.min !== undefined && v.max !== undefined && v.min > v.max)
    errors.push({ field: 'validation.min', code: 'min_gt_max' })
  if (v.maxLength !== undefined && !TEXT_TYPES.includes(d.type))
    errors.push({ field: 'validation.maxLength', code: 'not_applicable' })
  if (v.pattern !== undefined) {
    if (!TEXT_TYPES.includes(d.type)) errors.push({ field: 'validation.pattern', code: 'not_applicable' })
    else if (!isSafePattern(v.pattern)) errors.push({ field: 'validation.pattern', code: 'invalid_pattern' })
  }
  if (d.unique && !UNIQUE_TYPES.includes(d.type)) errors.push({ field: 'unique', code: 'not_applicable' })

  if (!isEmptyValue(d.defaultValue) && errors.length === 0) {
    if (d.unique) errors.push({ field: 'defaultValue', code: 'not_applicable' })
    else {
      const r = checkValue({ key: d.key, type: d.type, options, validation: v }, d.defaultValue, {
        phoneRegion,
      })
      if (!r.ok) errors.push({ field: 'defaultValue', code: r.code, params: r.params })
    }
  }
  return errors
}

/** A pattern that compiles and cannot backtrack catastrophically (values are checked on every save). */
export function isSafePattern(pattern: string): boolean {
  if (pattern.length > 500) return false
  try {
    new RegExp(pattern, 'u')
  } catch {
    return false
  }
  return safeRegex(pattern)
}

function normalisedDefault(d: DefinitionInput, phoneRegion?: string): unknown {
  if (isEmptyValue(d.defaultValue)) return null
  const r = checkValue(
    { key: d.key, type: d.type, options: d.options ?? [], validation: d.validation ?? {} },
    d.defaultValue,
    { phoneRegion },
  )
  return r.ok ? r.value : null
}

export async function createDefinition(ctx: Ctx, input: DefinitionInput): Promise<FieldDefinition> {
  const obj = customFieldObject(input.object)
  if (!obj)
    throw validationFailed([{ field: 'object', code: 'unknown_object', params: { object: input.object } }])
  const errors: FieldError[] = []
  if (!FIELD_KEY.test(input.key)) errors.push({ field: 'key', code: 'invalid_field_key' })
  else if (baseFieldNames(obj.table).has(input.key))
    errors.push({ field: 'key', code: 'reserved_field_key', params: { key: input.key } })
  const phoneRegion = await defaultPhoneRegion(ctx, input)
  errors.push(...checkDefinition(input, phoneRegion))
  if (errors.length) throw validationFailed(errors)
  return inTransaction(ctx, async (tx) => {
    const existing = await loadDefinitions(tx, input.object)
    if (existing.some((d) => d.key === input.key))
      throw validationFailed([{ field: 'key', code: 'field_key_taken', params: { key: input.key } }])
    const position = input.position ?? existing.reduce((m, d) => Math.max(m, d.position + 1), 0)
    const [row] = await customFieldRepo
      .insert(tx, [
        {
          object: input.object,
          key: input.key,
          label: input.label.trim(),
          type: input.type,
          required: input.required ?? false,
          unique: input.unique ?? false,
          defaultValue: normalisedDefault(input, phoneRegion),
          options: input.options ?? [],
          validation: input.validation ?? {},
          description: input.description ?? null,
          position,
        },
      ])
      .catch((err) => {
        // Two creates of one key racing: the unique index decides.
        if (err instanceof AppError && err.code === 'duplicate')
          throw validationFailed([{ field: 'key', code: 'field_key_taken', params: { key: input.key } }])
        throw err
      })
    return row as FieldDefinition
  })
}

const IMMUTABLE = ['object', 'key', 'type'] as const

export async function updateDefinition(
  ctx: Ctx,
  id: string,
  patch: DefinitionPatch,
): Promise<FieldDefinition> {
  return inTransaction(ctx, async (tx) => {
    const current = (await customFieldRepo.get(tx, id, { forUpdate: true })) as FieldDefinition
    const errors: FieldError[] = []
    for (const k of IMMUTABLE)
      if (patch[k] !== undefined && patch[k] !== current[k]) errors.push({ field: k, code: 'immutable' })
    const next: DefinitionInput = {
      object: current.object,
      key: current.key,
      type: current.type,
      label: patch.label ?? current.label,
      required: patch.required ?? current.required,
      unique: patch.unique ?? current.unique,
      defaultValue: patch.defaultValue !== undefined ? patch.defaultValue : current.defaultValue,
      options: patch.options ?? current.options,
      validation: patch.validation ?? current.validation,
      description: patch.description !== undefined ? patch.description : current.description,
      position: patch.position ?? current.position,
    }
    const phoneRegion = await defaultPhoneRegion(tx, next)
    errors.push(...checkDefinition(next, phoneRegion))
    if (errors.length) throw validationFailed(errors)
    if (next.unique && !current.unique && (await hasDuplicateValues(tx, current.object, current.key)))
      throw validationFailed([{ field: 'unique', code: 'values_not_unique' }])
    const set: Record<string, unknown> = {
      label: next.label.trim(),
      required: next.required,
      unique: next.unique,
      defaultValue: normalisedDefault(next, phoneRegion),
      options: next.options,
      validation: next.validation,
      description: next.description,
      position: next.position,
    }
    return (await customFieldRepo.update(tx, id, set, patch.version)) as FieldDefinition
  })
}

/** Whether two records of the tenant share a value of `custom.<key>` (tenant-wide, not scoped). */
async function hasDuplicateValues(ctx: Ctx, object: string, key: string): Promise<boolean> {
  const table = customFieldObject(object)!.table
  const custom = customColumnOf(table)
  const tenant = tenantColumnOf(table)
  const rows = await ctx.db.execute(
    sql`select 1 from ${table} where ${tenant} = ${ctx.actor.tenantId} and ${custom} ? ${key}
        group by ${custom} -> ${key} having count(*) > 1 limit 1`,
  )
  return rows.rows.length > 0
}

/** To the recycle bin; values stay in the records and come back with a restore. */
export async function deleteDefinition(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await customFieldRepo.get(tx, id)
    await customFieldRepo.remove(tx, [id])
  })
}

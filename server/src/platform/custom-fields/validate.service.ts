import { and, inArray, ne, sql } from 'drizzle-orm'
import { type Ctx, can } from '../access/actor.js'
import { maskValue } from '../access/mask.js'
import { PII_PERMISSION } from '../access/permissions.js'
import { type FieldError, validationFailed } from '../http/errors.js'
import { users } from '../org/schema.js'
import { workspacePhoneRegion } from '../tenancy/phone-region.js'
import { type FieldDefinition, loadDefinitions } from './definitions.service.js'
import './messages.js'
import { customColumnOf, customFieldObject, idColumnOf, tenantColumnOf } from './objects.js'
import { checkValue, isEmptyValue } from './values.js'

export type CustomValues = Record<string, unknown>

export interface ValidateOptions {
  /** The record's current, unmasked `custom` on update; absent on create (defaults apply then). */
  existing?: CustomValues | null
  /** The record being updated, excluded from the uniqueness check. */
  recordId?: string
  /** Definitions already loaded by the caller (batches); read from the database otherwise. */
  definitions?: FieldDefinition[]
  /** The workspace's phone region when the caller has it (batches); read when a phone value needs it. */
  phoneRegion?: string
}

const PII_TYPES = new Set(['phone', 'email'])

/**
 * Checks `input` (the `custom` part of a create or update) against the object's field
 * definitions and returns the normalised `custom` object to store: the existing values with the
 * input applied (empty input clears a value), plus defaults on create. Throws validation_failed
 * with one entry per bad field, named `custom.<key>`.
 *
 * Required fields are enforced on create, and on update when the input clears them: a field made
 * required later does not block unrelated edits of older records.
 */
export async function validateCustomValues(
  ctx: Ctx,
  object: string,
  input: unknown,
  opts: ValidateOptions = {},
): Promise<CustomValues> {
  const obj = customFieldObject(object)
  if (!obj) throw new Error(`No custom fields on object ${object}`)
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input)))
    throw validationFailed([{ field: 'custom', code: 'invalid_type' }])
  const values = (input ?? {}) as CustomValues
  const defs = opts.definitions ?? (await loadDefinitions(ctx, object))
  const byKey = new Map(defs.map((d) => [d.key, d]))
  const creating = opts.existing === undefined || opts.existing === null
  const result: CustomValues = creating ? {} : { ...opts.existing }
  const errors = new Map<string, FieldError>()
  const fail = (key: string, code: string, params?: Record<string, unknown>) =>
    errors.set(key, { field: `custom.${key}`, code, params })
  const changed = new Set<string>()
  const unmasked = can(ctx.actor, PII_PERMISSION)
  let phoneRegion = opts.phoneRegion

  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key)
    if (!def) {
      fail(key, 'unknown_field')
      continue
    }
    // A form sending back the masked value it was shown leaves the stored value alone.
    if (!unmasked && !creating && PII_TYPES.has(def.type) && typeof raw === 'string' && raw !== '') {
      const current = opts.existing?.[key]
      if (raw === maskValue(def.type as 'phone' | 'email', current)) continue
    }
    if (isEmptyValue(raw)) {
      delete result[key]
      if (def.required) fail(key, 'required')
      continue
    }
    if (def.type === 'phone' && phoneRegion === undefined)
      phoneRegion = await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
    const r = checkValue(def, raw, { phoneRegion })
    if (!r.ok) {
      fail(key, r.code, r.params)
      continue
    }
    if (JSON.stringify(result[key]) !== JSON.stringify(r.value)) changed.add(key)
    result[key] = r.value
  }

  if (creating)
    for (const def of defs) {
      if (hasKey(values, def.key)) continue
      if (!isEmptyValue(def.defaultValue)) {
        result[def.key] = def.defaultValue
        changed.add(def.key)
      } else if (def.required) fail(def.key, 'required')
    }

  const candidates = defs.filter(
    (d) => changed.has(d.key) && !errors.has(d.key) && !isEmptyValue(result[d.key]),
  )

  // User references: an existing user of this tenant (another workspace's id is "unknown").
  const userDefs = candidates.filter((d) => d.type === 'user')
  if (userDefs.length) {
    const ids = [...new Set(userDefs.map((d) => result[d.key] as string))]
    const found = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(sql`${users.tenantId} = ${ctx.actor.tenantId}`, inArray(users.id, ids)))
    const known = new Set(found.map((u) => u.id))
    for (const d of userDefs) if (!known.has(result[d.key] as string)) fail(d.key, 'invalid_user')
  }

  // Uniqueness across the whole tenant (not the caller's scope): duplicates are duplicates.
  const table = obj.table
  const custom = customColumnOf(table)
  for (const d of candidates.filter((c) => c.unique && !errors.has(c.key))) {
    const probe = JSON.stringify({ [d.key]: result[d.key] })
    // Serialises concurrent saves of one value within their transactions.
    if (ctx.inTx)
      await ctx.db.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`${ctx.actor.tenantId}:${object}:${probe}`}, 0))`,
      )
    const taken = await ctx.db
      .select({ one: sql`1` })
      .from(table)
      .where(
        and(
          sql`${tenantColumnOf(table)} = ${ctx.actor.tenantId}`,
          sql`${custom} @> ${probe}::jsonb`,
          opts.recordId ? ne(idColumnOf(table), opts.recordId) : undefined,
        ),
      )
      .limit(1)
    if (taken.length) fail(d.key, 'not_unique')
  }

  if (errors.size) throw validationFailed([...errors.values()])
  return result
}

function hasKey(o: CustomValues, key: string): boolean {
  return Object.hasOwn(o, key)
}

/** The masker of callers who see custom values as stored: lists may skip copying their rows. */
export const unmasked = (custom: CustomValues): CustomValues => custom

/** A function masking phone/email custom values for callers without pii.view (definitions read once). */
export async function customMasker(
  ctx: Ctx,
  object: string,
): Promise<(custom: CustomValues) => CustomValues> {
  if (can(ctx.actor, PII_PERMISSION)) return unmasked
  const pii = (await loadDefinitions(ctx, object)).filter((d) => PII_TYPES.has(d.type))
  if (pii.length === 0) return unmasked
  return (c) => {
    if (!c) return c
    const out = { ...c }
    for (const d of pii) if (d.key in out) out[d.key] = maskValue(d.type as 'phone' | 'email', out[d.key])
    return out
  }
}

/** Masks phone/email-typed custom values unless the caller holds pii.view. */
export async function maskCustomValues(
  ctx: Ctx,
  object: string,
  custom: CustomValues,
): Promise<CustomValues> {
  return (await customMasker(ctx, object))(custom)
}

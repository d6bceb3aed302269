/**
 * Response serialisation: each route's zod response schema is turned into JSON Schema once, at
 * startup, and compiled with fast-json-stringify (what Fastify itself uses for JSON Schema
 * routes). Only the declared properties are written, exactly as zod's parse would strip the
 * rest. Parsing every response with zod on every request cost more than the rest of a list
 * request together (docs/BENCHMARKS.md), so production does not; under test (NODE_ENV=test) every
 * response is still parsed with zod AND the fast output is checked against zod's, so a schema the
 * compiler would read differently fails the suite instead of shipping.
 */
import { isDeepStrictEqual } from 'node:util'
import fastJson from 'fast-json-stringify'
import type { FastifySerializerCompiler } from 'fastify'
import { ResponseSerializationError } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { $ZodType, safeParse } from 'zod/v4/core'

type JsonSchema = Record<string, unknown>
type Serializer = (data: unknown) => string

const SCALARS = new Set(['string', 'number', 'integer', 'boolean', 'null'])

/** `anyOf` of plain scalar types (nullable, date | string) as one `type` list: no runtime branch picking. */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify)
  if (!node || typeof node !== 'object') return node
  const out: JsonSchema = {}
  for (const [k, v] of Object.entries(node)) out[k] = simplify(v)
  const anyOf = out.anyOf as JsonSchema[] | undefined
  if (
    Array.isArray(anyOf) &&
    anyOf.length > 0 &&
    anyOf.every(
      (b) =>
        Object.keys(b).every((k) => k === 'type' || k === 'format') &&
        typeof b.type === 'string' &&
        SCALARS.has(b.type),
    )
  ) {
    const types = [...new Set(anyOf.map((b) => b.type as string))]
    const formats = new Set(anyOf.map((b) => b.format))
    delete out.anyOf
    out.type = types.length === 1 ? types[0] : types
    if (formats.size === 1 && anyOf[0]!.format !== undefined) out.format = anyOf[0]!.format
  }
  return out
}

/** JSON Schema of what a zod schema outputs; dates are date-time strings (as JSON.stringify writes them). */
export function responseJsonSchema(schema: $ZodType): JsonSchema {
  const json = z.toJSONSchema(schema as z.ZodType, {
    target: 'draft-7',
    io: 'output',
    unrepresentable: 'any',
    cycles: 'ref',
    reused: 'inline',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') {
        ctx.jsonSchema.type = 'string'
        ctx.jsonSchema.format = 'date-time'
      }
    },
  }) as JsonSchema
  delete json.$schema
  return simplify(json) as JsonSchema
}

function resolveSchema(maybe: unknown): $ZodType | null {
  if (maybe instanceof $ZodType) return maybe
  const props = (maybe as { properties?: unknown } | null)?.properties
  return props instanceof $ZodType ? props : null
}

/**
 * Fastify serializer compiler for zod response schemas. `check` (on under test) also parses each
 * response with zod and fails when the fast output differs from zod's.
 */
export function createSerializerCompiler(opts: { check: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    const zod = resolveSchema(schema)
    if (!zod) throw new Error(`Response schema of ${method} ${url} is not a zod schema`)
    const fast = fastJson(responseJsonSchema(zod) as unknown as Parameters<typeof fastJson>[0]) as Serializer
    if (!opts.check) return fast
    return (data: unknown) => {
      const parsed = safeParse(zod, data)
      if (parsed.error) throw new ResponseSerializationError(method, url, { cause: parsed.error })
      const out = fast(data)
      const expected = JSON.stringify(parsed.data)
      if (!isDeepStrictEqual(JSON.parse(out), expected === undefined ? undefined : JSON.parse(expected)))
        throw new Error(
          `fast-json-stringify and zod disagree on the response of ${method} ${url}:\n  fast: ${out}\n  zod:  ${expected}`,
        )
      return out
    }
  }
}

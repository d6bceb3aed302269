import { ResponseSerializationError } from 'fastify-type-provider-zod'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createSerializerCompiler, responseJsonSchema } from './serializer.js'

const compile = (schema: z.ZodType, check: boolean) =>
  createSerializerCompiler({ check })({ schema, method: 'GET', url: '/x' } as never)

const lead = z.object({
  id: z.string(),
  mobile: z.string().nullable(),
  custom: z.record(z.string(), z.unknown()),
  createdAt: z.date().or(z.string()),
  version: z.number(),
})

describe('response serializer', () => {
  it('turns nullable and date | string into plain type lists (no runtime branch picking)', () => {
    const json = responseJsonSchema(lead) as { properties: Record<string, unknown> }
    expect(json.properties.mobile).toEqual({ type: ['string', 'null'] })
    expect(json.properties.createdAt).toEqual({ type: 'string' })
  })

  it('writes what zod would: declared properties only, dates as ISO strings', () => {
    const at = new Date('2026-01-02T03:04:05.678Z')
    const data = { id: 'a', mobile: null, custom: { k: [1, 'x'] }, createdAt: at, version: 2, secret: 'no' }
    for (const check of [false, true]) {
      const out = compile(z.object({ items: z.array(lead) }), check)({ items: [data] })
      expect(JSON.parse(out)).toEqual({
        items: [{ id: 'a', mobile: null, custom: { k: [1, 'x'] }, createdAt: at.toISOString(), version: 2 }],
      })
    }
  })

  it('under test, fails a response zod rejects, and one the fast path would write differently', () => {
    expect(() => compile(lead, true)({ id: 1 })).toThrow(ResponseSerializationError)
    const transformed = z.object({ n: z.string().transform((s) => s.length) })
    expect(() => compile(transformed, true)({ n: 'abc' })).toThrow(/disagree/)
  })
})

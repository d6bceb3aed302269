import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../test/harness.js'
import type { Haina } from '../../server.js'
import { AUTHENTICATED, PUBLIC } from '../access/permissions.js'
import { operationId, TAGS } from './openapi.js'

type Op = {
  operationId: string
  summary?: string
  description?: string
  tags?: string[]
  parameters?: { in: string; name: string; description?: string }[]
  responses: Record<string, { $ref?: string }>
  'x-permission'?: string
}

let haina: Haina
let doc: {
  paths: Record<string, Record<string, Op>>
  tags: { name: string; description: string }[]
  components: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> }
}
let ops: { key: string; method: string; path: string; op: Op }[]
beforeAll(async () => {
  haina = await createTestApp()
  doc = (await haina.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
  ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method,
      path,
      op,
    })),
  )
})
afterAll(() => haina.close())

describe('the OpenAPI document', () => {
  it('gives every operation a unique id, a summary and a described group', () => {
    expect(ops.length).toBeGreaterThan(100)
    const ids = ops.map((o) => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    const groups = new Map(doc.tags.map((t) => [t.name, t.description]))
    const names = new Set(Object.values(TAGS).map((t) => t.name))
    for (const { key, op } of ops) {
      expect(op.summary, key).toBeTruthy()
      expect(op.tags?.length, key).toBeGreaterThan(0)
      // A tag missing from TAGS would show here under its raw key, without a description.
      for (const t of op.tags!) {
        expect(names.has(t), `${key}: describe tag "${t}" in TAGS (openapi.ts)`).toBe(true)
        expect(groups.get(t), key).toBeTruthy()
      }
    }
  })

  it('names the permission of every operation as the app enforces it', () => {
    const enforced = new Map(haina.routes.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r]))
    for (const { key, op } of ops) {
      const route = enforced.get(key)
      expect(route, key).toBeDefined()
      expect(op['x-permission'], key).toBe(route!.permission)
      if (route!.permission !== PUBLIC) {
        expect(op.description, key).toContain(
          route!.permission === AUTHENTICATED ? 'signed-in' : route!.permission,
        )
        expect(op.responses['401'], key).toBeDefined()
      } else expect(op.responses['401'], key).toBeUndefined()
    }
    const leads = ops.find((o) => o.key === 'GET /api/v1/leads')!.op
    expect(leads['x-permission']).toBe('leads.view')
    expect(leads.responses['403']).toBeDefined()
  })

  it('documents the problem+json errors an operation can answer', () => {
    for (const { key, path, op } of ops) {
      if (path.includes('{')) expect(op.responses['404'], key).toBeDefined()
      for (const [status, res] of Object.entries(op.responses))
        if (status.startsWith('4')) {
          const named = res.$ref?.replace('#/components/responses/', '') ?? ''
          expect(
            doc.components.responses[named]?.content['application/problem+json'].schema.$ref,
            `${key} ${status}`,
          ).toBe('#/components/schemas/Problem')
        }
    }
    const ingest = ops.find((o) => o.key === 'POST /api/v1/intake/leads')!.op
    expect(Object.keys(ingest.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '413']))
    const login = ops.find((o) => o.key === 'POST /api/v1/auth/login')!.op
    expect(login.responses['429']).toBeDefined()
    expect(login.responses['401']).toBeUndefined()
  })

  it('marks idempotent operations and explains the shared list parameters', () => {
    const idempotent = haina.routes.filter((r) => r.idempotent)
    expect(idempotent.length).toBeGreaterThan(0)
    for (const r of idempotent) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]![r.method.toLowerCase()]!
      expect(op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')).toBe(true)
      expect(op.responses['409']).toBeDefined()
    }
    for (const { key, op } of ops)
      for (const p of op.parameters ?? [])
        if (['limit', 'cursor', 'sort', 'filter', 'q'].includes(p.name) && p.in === 'query')
          expect(p.description, `${key} ${p.name}`).toBeTruthy()
  })

  it('derives readable operation ids from the path', () => {
    expect(operationId('get', '/api/v1/leads/{id}')).toBe('getLeadsById')
    expect(operationId('post', '/api/v1/imports/{id}/start')).toBe('postImportsByIdStart')
    expect(operationId('delete', '/api/v1/custom-fields/{id}')).toBe('deleteCustomFieldsById')
  })
})

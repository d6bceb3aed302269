import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { freshDatabase } from '../../../test/template.js'
import { PUBLIC } from '../access/permissions.js'
import { loadConfig, parseTrustProxy } from '../config.js'
import type { Database } from '../db/index.js'
import { createApp } from './app.js'
import type { App, HainaModule } from './module.js'

const probe: HainaModule = {
  name: 'probe',
  routes(app) {
    app.post(
      '/api/v1/probe',
      {
        config: { permission: PUBLIC },
        schema: {
          body: z.object({
            name: z.string().min(1),
            age: z.number().int().min(0),
            email: z.email().optional(),
          }),
        },
      },
      async (req) => ({ ok: true, name: req.body.name }),
    )
    app.get('/api/v1/probe/secret', { config: { permission: 'leads.view' } }, async () => ({ secret: true }))
    app.get('/api/v1/probe/ip', { config: { permission: PUBLIC } }, async (req) => ({ ip: req.ip }))
  },
}

let database: Database
let app: App
beforeAll(async () => {
  database = await freshDatabase()
  const config = { ...loadConfig({ NODE_ENV: 'test' }), bodyLimitBytes: 1024 }
  app = (await createApp({ config, database }, [probe])).app
})
afterAll(async () => {
  await app.close()
  await database.close()
})

describe('HTTP conventions', () => {
  it('rejects malformed JSON with 400 problem+json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/probe',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: '{"name": ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'malformed_json',
      detail: 'The request body is not valid JSON',
    })
  })

  it('names every invalid field, in the caller language', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/probe',
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
      payload: { name: '', age: -1, email: 'nope' },
    })
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.code).toBe('validation_failed')
    expect(body.detail).toBe('输入有误，请检查标出的字段')
    const fields = Object.fromEntries(
      body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
    )
    expect(fields).toEqual({ name: 'required', age: 'too_small', email: 'invalid_email' })
    // A value of the wrong type is not a missing one.
    const typed = await app.inject({
      method: 'POST',
      url: '/api/v1/probe',
      payload: { name: 'x', age: 'abc' },
    })
    expect(typed.json().errors).toMatchObject([{ field: 'age', code: 'invalid_type' }])
    const missing = await app.inject({ method: 'POST', url: '/api/v1/probe', payload: { name: 'x' } })
    expect(missing.json().errors).toMatchObject([{ field: 'age', code: 'required' }])
  })

  it('answers an oversized body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/probe',
      payload: { name: 'x'.repeat(5000), age: 1 },
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().code).toBe('payload_too_large')
    expect(res.json().detail).toBe('请求体过大（上限 1 KB）') // this app's limit, not a fixed text
  })

  it('takes the client address from the connection, not from a header the client can set', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/probe/ip',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    })
    expect(res.json().ip).toBe('127.0.0.1')
    expect([parseTrustProxy(undefined), parseTrustProxy('true'), parseTrustProxy('1')]).toEqual([
      false,
      true,
      1,
    ])
    expect(parseTrustProxy('10.0.0.0/8, 127.0.0.1')).toBe('10.0.0.0/8, 127.0.0.1')
  })

  it('requires authentication before revealing anything about a protected route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/probe/secret' })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('unauthenticated')
  })

  it('sets security headers and a request id', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'x-request-id': 'req-42' },
    })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    const err = await app.inject({
      method: 'GET',
      url: '/api/v1/probe/secret',
      headers: { 'x-request-id': 'req-42' },
    })
    expect(err.json().requestId).toBe('req-42')
  })

  it('refuses to start when a route declares no permission', async () => {
    const bad: HainaModule = {
      name: 'bad',
      routes(a) {
        a.get('/api/v1/undeclared', async () => ({}))
      },
    }
    await expect(createApp({ config: loadConfig({ NODE_ENV: 'test' }), database }, [bad])).rejects.toThrow(
      /without a declared permission: GET \/api\/v1\/undeclared/,
    )
  })
})

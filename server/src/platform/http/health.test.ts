import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../test/harness.js'
import type { Haina } from '../../server.js'

let haina: Haina
beforeAll(async () => {
  haina = await createTestApp()
})
afterAll(() => haina.close())

describe('platform http', () => {
  it('reports health with the database engine', async () => {
    const res = await haina.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: process.env.DATABASE_URL ? 'postgres' : 'embedded',
    })
  })

  it('serves the OpenAPI document', async () => {
    const res = await haina.app.inject({ method: 'GET', url: '/api/openapi.json' })
    expect(res.statusCode).toBe(200)
    expect(res.json().paths['/api/health']).toBeDefined()
  })

  it('answers unknown API paths with problem+json in the caller language', async () => {
    const res = await haina.app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'accept-language': 'en' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.headers['content-type']).toContain('application/problem+json')
    const zh = await haina.app.inject({
      method: 'GET',
      url: '/api/health/nope',
      headers: { 'accept-language': 'zh-TW' },
    })
    expect(zh.statusCode).toBe(404)
    expect(zh.json()).toMatchObject({ code: 'not_found', detail: '記錄不存在或無權存取' })
  })

  it('exposes Prometheus metrics', async () => {
    const res = await haina.app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('process_cpu_user_seconds_total')
  })
})

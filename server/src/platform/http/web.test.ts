/** The web app's files: compressed copies from the build, long caching for content-named assets. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import { buildHaina, type Haina } from '../../server.js'
import { loadConfig } from '../config.js'

let haina: Haina
let dist: string
const script = `console.log(${JSON.stringify('海纳'.repeat(2000))})`
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'haina-web-'))
  mkdirSync(join(dist, 'assets'))
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>海纳</title>')
  writeFileSync(join(dist, 'assets', 'app-3f2a.js'), script)
  writeFileSync(join(dist, 'assets', 'app-3f2a.js.br'), brotliCompressSync(script))
  writeFileSync(join(dist, 'assets', 'app-3f2a.js.gz'), gzipSync(script))
  const config = { ...loadConfig({ NODE_ENV: 'test' }), workers: false, webDist: dist }
  haina = await buildHaina(config, await freshDatabase())
})
afterAll(async () => {
  await haina.close()
  rmSync(dist, { recursive: true, force: true })
})

const get = (url: string, encoding?: string) =>
  haina.app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} })

describe('web app files', () => {
  it('sends the build’s brotli or gzip copy to a browser that accepts it, cached for a year', async () => {
    const br = await get('/assets/app-3f2a.js', 'gzip, deflate, br')
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(br.rawPayload.length).toBeLessThan(script.length / 10)
    const gz = await get('/assets/app-3f2a.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script)
    const plain = await get('/assets/app-3f2a.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(script)
  })

  it('has the browser revalidate index.html, also for client-side routes', async () => {
    for (const url of ['/', '/leads/123']) {
      const res = await get(url, 'gzip')
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-cache')
      const html = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload
      expect(html.toString()).toContain('海纳')
    }
  })

  it('gzips large API answers for clients that accept it, and only for them', async () => {
    const zipped = await get('/api/openapi.json', 'gzip')
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString()).openapi).toMatch(/^3\./)
    const plain = await get('/api/openapi.json')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.json().openapi).toMatch(/^3\./)
  })
})

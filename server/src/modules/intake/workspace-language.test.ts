import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../../test/imports.js'
import { createKit, type Kit } from '../../../test/kit.js'
import { multipart } from '../../../test/multipart.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const setLanguage = async (locale: string) => {
  const res = await kit.req(kit.a.admin, { method: 'PATCH', url: '/api/v1/workspace', payload: { locale } })
  expect(res.statusCode, res.body).toBe(200)
}

const sourceOf = async (name: string) => {
  const leads = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/leads?limit=100' })).json()
  return leads.items.find((l: { name: string }) => l.name === name)?.source
}

// What the server writes into shared records follows the workspace's language, whoever triggers it.
describe('data written in the workspace language', () => {
  it('names a channel key and the source of leads imported without a channel', async () => {
    await setLanguage('en')
    const ch = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/channels',
      headers: { 'accept-language': 'zh-CN' },
      payload: { kind: 'app', name: 'Store app', code: 'store-app', unitId: kit.a.rootUnitId },
    })
    expect(ch.statusCode, ch.body).toBe(201)
    const keys = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/api-keys' })).json()
    expect(keys.items.map((k: { name: string }) => k.name)).toContain('Channel · Store app')

    const up = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      ...multipart('leads.csv', Buffer.from('Name,Mobile\nWang Fang,13811112222\n')),
    })
    expect(up.statusCode, up.body).toBe(201)
    const done = await runImport(kit, up.json().import.id, { '0': 'name', '1': 'mobile' })
    expect(done.status).toBe('completed')
    expect(await sourceOf('Wang Fang')).toBe('Import')
  })

  it('writes Chinese in a zh-TW workspace', async () => {
    await setLanguage('zh-TW')
    const up = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      ...multipart('名單.csv', Buffer.from('姓名,手機\n陳美玲,13933334444\n')),
    })
    const done = await runImport(kit, up.json().import.id, { '0': 'name', '1': 'mobile' })
    expect(done.status).toBe('completed')
    expect(await sourceOf('陳美玲')).toBe('匯入')
  })
})

/**
 * A workspace's default phone region on every way a phone number comes in: workspace A is a Taiwan
 * company (phoneRegion TW), workspace B keeps the mainland default (CN).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../../test/imports.js'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { multipart } from '../../../test/multipart.js'

let kit: Kit
const keys: Record<'a' | 'b', string> = { a: '', b: '' }
let formToken: string
const bearer = (k: string) => ({ authorization: `Bearer ${k}` })

async function channel(as: TestSession, payload: Record<string, unknown>) {
  const res = await kit.req(as, { method: 'POST', url: '/api/v1/channels', payload })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { key: string; formToken: string | null }
}

beforeAll(async () => {
  kit = await createKit()
  const tw = await kit.req(kit.a.admin, {
    method: 'PATCH',
    url: '/api/v1/workspace',
    payload: { phoneRegion: 'TW' },
  })
  expect(tw.statusCode, tw.body).toBe(200)
  keys.a = (
    await channel(kit.a.admin, {
      kind: 'mini_program',
      name: '官網 API',
      code: 'api-a',
      unitId: kit.a.rootUnitId,
    })
  ).key
  keys.b = (
    await channel(kit.b.admin, {
      kind: 'mini_program',
      name: '官网 API',
      code: 'api-b',
      unitId: kit.b.rootUnitId,
    })
  ).key
  formToken = (
    await channel(kit.a.admin, {
      kind: 'web_form',
      name: '官網表單',
      code: 'form-a',
      unitId: kit.a.rootUnitId,
      form: { fields: ['name', 'mobile'] },
    })
  ).formToken!
})
afterAll(() => kit.close())

const push = (ws: 'a' | 'b', payload: Record<string, unknown>) =>
  kit.req(null, { method: 'POST', url: '/api/v1/intake/leads', payload, headers: bearer(keys[ws]) })
const leadMobile = async (tenantId: string, name: string) =>
  (
    await kit.haina.database.pool.query('select mobile from leads where tenant_id = $1 and name = $2', [
      tenantId,
      name,
    ])
  ).rows.map((r) => r.mobile)
const phoneIssues = (issues: { field: string; code: string }[]) =>
  issues.filter((i) => i.code === 'invalid_phone').map((i) => i.field)

describe('phone numbers read in the workspace’s phone region', () => {
  it('a Taiwan workspace imports 0912345678 as +886912345678 (preview and job); +886 and mainland +86 too', async () => {
    const csv = [
      '姓名,手機',
      '陳大文,0912345678',
      '林小美,+886 922 333 444',
      '王芳,+86 138 0013 8000',
      '張三,13800138000',
    ]
    const up = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/imports',
      ...multipart('客戶.csv', Buffer.from(csv.join('\r\n'))),
    })
    expect(up.statusCode, up.body).toBe(201)
    const { import: imp, sample } = up.json()
    const mapping = { '0': 'name', '1': 'mobile' }
    const preview = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/preview`,
      payload: { mapping, rows: sample },
    })
    expect(preview.statusCode, preview.body).toBe(200)
    const rows = preview.json().rows as { values: { mobile: string | null }; issues: { code: string }[] }[]
    expect(rows.map((r) => r.values.mobile)).toEqual([
      '+886912345678',
      '+886922333444',
      '+8613800138000',
      null,
    ])
    expect(rows.map((r) => r.issues.map((i) => i.code))).toEqual([[], [], [], ['invalid_phone']])

    const done = await runImport(kit, imp.id, mapping)
    expect(done.status).toBe('completed')
    expect(await leadMobile(kit.a.tenantId, '陳大文')).toEqual(['+886912345678'])
    expect(await leadMobile(kit.a.tenantId, '林小美')).toEqual(['+886922333444'])
    expect(await leadMobile(kit.a.tenantId, '王芳')).toEqual(['+8613800138000'])
    // A bare mainland mobile is no Taiwan number: flagged (the default policy), kept off the lead.
    expect(await leadMobile(kit.a.tenantId, '張三')).toEqual([null])
  })

  it('ingests by the workspace’s region: the same national number is valid in TW, invalid in CN; +886 valid in both', async () => {
    const a = (await push('a', { name: '周杰', mobile: '0933 111 222' })).json().results[0]
    expect(phoneIssues(a.issues)).toEqual([])
    expect(await leadMobile(kit.a.tenantId, '周杰')).toEqual(['+886933111222'])

    const b = (await push('b', { name: '周杰', mobile: '0933 111 222' })).json().results[0]
    expect(phoneIssues(b.issues)).toEqual(['mobile'])
    expect(await leadMobile(kit.b.tenantId, '周杰')).toEqual([null])

    const batch = await push('b', {
      records: [
        { name: '蔡依林', mobile: '+886 955 666 777' },
        { name: '李娜', mobile: '139 0013 9000' },
      ],
    })
    expect(batch.json().results.flatMap((r: { issues: never[] }) => phoneIssues(r.issues))).toEqual([])
    expect(await leadMobile(kit.b.tenantId, '蔡依林')).toEqual(['+886955666777'])
    expect(await leadMobile(kit.b.tenantId, '李娜')).toEqual(['+8613900139000'])
  })

  it('reads a lead typed in by a person and a web form submission in the workspace’s region', async () => {
    const create = (as: TestSession, mobile: string) =>
      kit.req(as, { method: 'POST', url: '/api/v1/leads', payload: { name: '鄧紫棋', mobile } })
    const a = await create(kit.a.admin, '0911-222-333')
    expect(a.statusCode, a.body).toBe(201)
    expect(a.json().mobile).toBe('+886911222333')
    const b = await create(kit.b.admin, '0911-222-333')
    expect(b.statusCode).toBe(400)
    expect(b.json().errors[0]).toMatchObject({ field: 'mobile', code: 'invalid_phone' })
    expect((await create(kit.b.admin, '+886 911 222 333')).json().mobile).toBe('+886911222333')

    const form = await kit.req(null, {
      method: 'POST',
      url: `/api/v1/forms/${formToken}`,
      payload: { name: '五月天', mobile: '0922 888 999' },
      remoteAddress: '10.77.0.1',
    })
    expect(form.statusCode, form.body).toBe(201)
    expect(await leadMobile(kit.a.tenantId, '五月天')).toEqual(['+886922888999'])
  })

  it('finds the person by a national number: directory search and behaviour events', async () => {
    const found = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/persons?q=0912 345 678' })
    expect(found.statusCode, found.body).toBe(200)
    const person = found.json().items.find((p: { name: string }) => p.name === '陳大文')
    expect(person).toBeTruthy()

    const events = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/intake/events',
      payload: { events: [{ type: 'page_view', identity: { mobile: '0912-345-678' } }] },
      headers: bearer(keys.a),
    })
    expect(events.statusCode, events.body).toBe(200)
    expect(events.json().results[0]).toMatchObject({ status: 'stored', personId: person.id })

    // A tag import names the person by the same national number.
    const post = async (url: string, payload: Record<string, unknown>) =>
      (await kit.req(kit.a.admin, { method: 'POST', url, payload })).json()
    const group = await post('/api/v1/tag-groups', { name: '會員等級' })
    await post('/api/v1/tags', { groupId: group.id, name: '金卡' })
    const tagged = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/tag-imports',
      ...multipart('標籤.csv', Buffer.from('手機,標籤\r\n0912 345 678,金卡')),
    })
    expect(tagged.statusCode, tagged.body).toBe(200)
    expect(tagged.json()).toMatchObject({ rows: 1, tagged: 1, errorCount: 0 })
  })

  it('reads customer phones in the workspace’s region', async () => {
    const create = (as: TestSession, phone: string) =>
      kit.req(as, { method: 'POST', url: '/api/v1/customers', payload: { name: `臺北貿易${phone}`, phone } })
    const a = await create(kit.a.admin, '(02) 2345-6789')
    expect(a.statusCode, a.body).toBe(201)
    expect(a.json().phone).toBe('+886223456789')
    const b = await create(kit.b.admin, '(02) 2345-6789')
    expect(b.statusCode).toBe(400)
    expect(b.json().errors[0]).toMatchObject({ field: 'phone', code: 'invalid_phone' })
    expect((await create(kit.b.admin, '010-1234 5678')).json().phone).toBe('+861012345678')
  })
})

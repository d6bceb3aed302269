/**
 * Shapes and value types the intake endpoints refuse: malformed batches (400 naming the record),
 * the 1,000-record cap, wrong value types in a record (answered `invalid`), and web-form field
 * errors the visitor is shown.
 */
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'

let kit: Kit
let key: string
const bearer = (k: string) => ({ authorization: `Bearer ${k}` })

async function newChannel(payload: Record<string, unknown>) {
  const res = await kit.req(kit.a.admin, {
    method: 'POST',
    url: '/api/v1/channels',
    payload: { unitId: kit.a.rootUnitId, ...payload },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; key: string; formToken: string | null }
}

beforeAll(async () => {
  kit = await createKit()
  key = (await newChannel({ kind: 'third_party', name: '第三方', code: 'tp-shapes' })).key
})
afterAll(() => kit.close())

const push = (payload: unknown, k = key) =>
  kit.req(null, {
    method: 'POST',
    url: '/api/v1/intake/leads',
    payload: JSON.stringify(payload),
    headers: { ...bearer(k), 'accept-language': 'en', 'content-type': 'application/json' },
  })
const fieldsOf = (body: { errors?: { field: string; code: string }[] }) =>
  (body.errors ?? []).map((e) => e.field)
const leadCount = async (where: string, params: unknown[] = []) =>
  (
    await kit.haina.database.pool.query<{ n: number }>(
      `select count(*)::int as n from leads where tenant_id = $1 and ${where}`,
      [kit.a.tenantId, ...params],
    )
  ).rows[0]!.n

describe('ingest body shape', () => {
  it('answers a batch holding non-objects with 400 naming each record, not a 500', async () => {
    const one = await push({ records: [null] })
    expect(one.statusCode, one.body).toBe(400)
    expect(one.headers['content-type']).toContain('application/problem+json')
    expect(one.json().code).toBe('validation_failed')
    expect(fieldsOf(one.json())).toEqual(['records.0'])
    const three = await push({ records: [1, 'x', null] })
    expect(three.statusCode, three.body).toBe(400)
    expect(fieldsOf(three.json())).toEqual(['records.0', 'records.1', 'records.2'])
    const mixed = await push({ records: [{ name: '好的', mobile: '13700009999' }, []] })
    expect(mixed.statusCode, mixed.body).toBe(400)
    expect(fieldsOf(mixed.json())).toEqual(['records.1'])
    expect(await leadCount(`mobile = '+8613700009999'`)).toBe(0)
  })

  it('enforces 1 to 1,000 records and stores nothing from a refused batch', async () => {
    const records = Array.from({ length: 1001 }, (_, i) => ({ name: `上限${i}`, externalId: `cap-${i}` }))
    const big = await push({ records })
    expect(big.statusCode).toBe(400)
    expect(big.json().errors).toEqual([expect.objectContaining({ field: 'records', code: 'too_big' })])
    expect(await leadCount(`name like '上限%'`)).toBe(0)
    const empty = await push({ records: [] })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: 'records', code: 'too_small' })])
    for (const records of ['nope', { name: 'x' }, null]) {
      const res = await push({ records })
      expect(res.statusCode, JSON.stringify(records)).toBe(400)
      expect(fieldsOf(res.json())).toEqual(['records'])
    }
    // A record with a `records` key is a batch, whatever else it carries.
    const mixed = await push({ name: '混合', mobile: '13700008888', records: [] })
    expect(mixed.statusCode).toBe(400)
    expect(await leadCount(`mobile = '+8613700008888'`)).toBe(0)
    const badCampaign = await push({ records: [{ name: '活动' }], utm_campaign: { a: 1 } })
    expect(badCampaign.statusCode).toBe(400)
    expect(fieldsOf(badCampaign.json())).toEqual(['utm_campaign'])
    // Exactly 1,000 still goes in.
    const ok = await push({
      records: Array.from({ length: 1000 }, (_, i) => ({ name: `千条${i}`, externalId: `k-${i}` })),
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().results).toHaveLength(1000)
  })

  it('takes one record or a batch, and refuses a body that is not an object', async () => {
    const one = await push({ name: '单条', mobile: '13700007777' })
    expect(one.statusCode, one.body).toBe(200)
    expect(one.json().results[0].outcome).toBe('created')
    const batch = await push({ records: [{ name: '批量', mobile: '13700006666' }] })
    expect(batch.statusCode, batch.body).toBe(200)
    expect(batch.json().results[0].outcome).toBe('created')
    for (const body of [[{ name: 'x' }], 'x', 1]) expect((await push(body)).statusCode).toBe(400)
  })

  it('documents both body forms in the OpenAPI document', async () => {
    const doc = (await kit.req(null, { method: 'GET', url: '/api/openapi.json' })).json()
    const body = doc.paths['/api/v1/intake/leads'].post.requestBody.content['application/json'].schema
    const forms = (body.anyOf ?? body.oneOf) as { properties?: Record<string, unknown> }[]
    expect(forms).toHaveLength(2)
    expect(forms[0]!.properties).toHaveProperty('records')
    expect(JSON.stringify(forms[0])).toContain('"maxItems":1000')
  })

  it('checks the events body the same way', async () => {
    const pushEvents = (payload: unknown) =>
      kit.req(null, {
        method: 'POST',
        url: '/api/v1/intake/events',
        payload: payload as Record<string, unknown>,
        headers: bearer(key),
      })
    const nulls = await pushEvents({ events: [null, 1] })
    expect(nulls.statusCode).toBe(400)
    expect(fieldsOf(nulls.json())).toEqual(['events.0', 'events.1'])
    const empty = await pushEvents({ events: [] })
    expect(empty.statusCode).toBe(400)
    expect(fieldsOf(empty.json())).toEqual(['events'])
    const big = await pushEvents({
      events: Array.from({ length: 5001 }, () => ({ type: 'view', identity: { deviceId: 'd' } })),
    })
    expect(big.statusCode).toBe(400)
    expect(big.json().errors).toEqual([expect.objectContaining({ field: 'events', code: 'too_big' })])
  })
})

describe('value types in a record', () => {
  it('answers objects, arrays and booleans in a lead field as invalid_type and stores no lead', async () => {
    const res = await push({
      records: [
        { name: { a: 1 }, mobile: '13600001001' },
        { name: '数组', company: ['a', 'b'], mobile: '13600001002' },
        { name: '布尔', email: true, mobile: '13600001003' },
        { name: '备注', notes: { text: 'x' }, address: [1], mobile: '13600001004' },
        { name: '标识', openid: { id: 1 }, unionid: false, externalId: { id: 2 } },
        { name: '自定义', custom: 'level-a', mobile: '13600001005' },
        { name: '活动', utm_campaign: { code: 'x' }, mobile: '13600001006' },
        { name: '正常', mobile: '13600001007' },
      ],
    })
    expect(res.statusCode, res.body).toBe(200)
    const results = res.json().results as { outcome: string; issues: { field: string; code: string }[] }[]
    const typeIssues = (i: number) => results[i]!.issues.filter((x) => x.code === 'invalid_type')
    expect(results.map((r) => r.outcome)).toEqual([
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'created',
    ])
    expect(typeIssues(0)).toEqual([{ field: 'name', code: 'invalid_type' }])
    expect(typeIssues(1)).toEqual([{ field: 'company', code: 'invalid_type' }])
    expect(typeIssues(2)).toEqual([{ field: 'email', code: 'invalid_type' }])
    expect(typeIssues(3).map((x) => x.field)).toEqual(['notes', 'address'])
    expect(typeIssues(4).map((x) => x.field)).toEqual(['openid', 'unionid', 'externalId'])
    expect(typeIssues(5)).toEqual([{ field: 'custom', code: 'invalid_type' }])
    expect(typeIssues(6)).toEqual([{ field: 'campaignCode', code: 'invalid_type' }])
    expect(res.json().counts).toMatchObject({ invalid: 7, created: 1 })
    expect(await leadCount(`name = '[object Object]' or company = 'a,b' or email = 'true'`)).toBe(0)
    expect(await leadCount(`mobile in ('+8613600001001', '+8613600001002', '+8613600001003')`)).toBe(0)
    // The refused records are still logged as intents (for the invalid rate), with their issues.
    const { rows } = await kit.haina.database.pool.query<{ issues: { field: string; code: string }[] }>(
      `select issues from lead_intents where tenant_id = $1 and outcome = 'invalid' and payload->>'mobile' = '+8613600001001'`,
      [kit.a.tenantId],
    )
    expect(rows[0]?.issues).toContainEqual({ field: 'name', code: 'invalid_type' })
  })

  it('answers a single record the same way', async () => {
    const res = await push({ name: { a: 1 }, mobile: '13600001010' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results[0]).toMatchObject({
      outcome: 'invalid',
      leadId: null,
      issues: [{ field: 'name', code: 'invalid_type' }],
    })
  })

  it('takes numbers for text fields as their decimal digits', async () => {
    const res = await push({ name: '数字', mobile: 13600001020, externalId: 98765 })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json().results[0]
    expect(r.outcome).toBe('created')
    const lead = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads/${r.leadId}` })).json()
    expect(lead.mobile).toBe('+8613600001020')
    const { rows } = await kit.haina.database.pool.query(
      `select external_id from lead_intents where tenant_id = $1 and lead_id = $2`,
      [kit.a.tenantId, r.leadId],
    )
    expect(rows[0].external_id).toBe('98765')
  })

  it('checks values read through a channel mapping under the target field name', async () => {
    const mapped = await newChannel({
      kind: 'app',
      name: '映射渠道',
      code: 'mapped-types',
      mapping: { name: { path: 'user.nick' }, mobile: { path: 'user.phone' } },
    })
    const bad = await push({ user: { nick: { first: '张' }, phone: '13600001030' } }, mapped.key)
    expect(bad.json().results[0]).toMatchObject({
      outcome: 'invalid',
      issues: [{ field: 'name', code: 'invalid_type' }],
    })
    const good = await push({ user: { nick: '张三', phone: 13600001031 } }, mapped.key)
    expect(good.json().results[0].outcome).toBe('created')
  })
})

describe('public web form field errors', () => {
  let token: string
  beforeAll(async () => {
    token = (
      await newChannel({
        kind: 'web_form',
        name: '官网表单',
        code: 'site-form-v',
        form: { fields: ['name', 'mobile', 'email', 'notes'] },
      })
    ).formToken!
  })
  let visitor = 0
  // Each submission from its own address: the form allows 10 a minute per IP.
  const submit = (payload: Record<string, unknown>, lang = 'zh-CN') =>
    kit.req(null, {
      method: 'POST',
      url: `/api/v1/forms/${token}`,
      payload,
      headers: { 'accept-language': lang },
      remoteAddress: `10.9.0.${++visitor}`,
    })

  it('answers an invalid phone or email with 400 naming the field, localized, and stores nothing', async () => {
    const res = await submit({ name: 'x', mobile: '123' })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.json().errors).toEqual([
      { field: 'mobile', code: 'invalid_phone', message: '手机号或电话号码格式不正确' },
    ])
    const en = await submit({ name: 'x', mobile: '123', email: 'not-an-email' }, 'en')
    expect(en.statusCode).toBe(400)
    expect(en.json().errors).toEqual([
      { field: 'mobile', code: 'invalid_phone', message: 'Not a valid phone number' },
      { field: 'email', code: 'invalid_email', message: 'Not a valid email address' },
    ])
    const tw = await submit({ name: 'x', mobile: '123' }, 'zh-TW')
    expect(tw.json().errors[0].message).toBe('手機或電話號碼格式不正確')
    const empty = await submit({ notes: '' }, 'en')
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors).toEqual([{ field: 'name', code: 'required', message: 'Required' }])
    expect(await leadCount(`name = 'x'`)).toBe(0)
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from lead_intents i join channels c on c.tenant_id = i.tenant_id and c.id = i.channel_id
       where i.tenant_id = $1 and c.code = 'site-form-v'`,
      [kit.a.tenantId],
    )
    expect(rows[0].n).toBe(0)
  })

  it('answers a value of the wrong type or length with 400 naming the field', async () => {
    const bool = await submit({ name: true, mobile: '13600002001' }, 'en')
    expect(bool.statusCode).toBe(400)
    expect(bool.json().errors).toEqual([expect.objectContaining({ field: 'name', code: 'invalid_type' })])
    const long = await submit({ name: '长'.repeat(101), mobile: '13600002002' }, 'en')
    expect(long.statusCode).toBe(400)
    expect(long.json().errors).toEqual([
      { field: 'name', code: 'too_long', message: 'At most 100 characters' },
    ])
  })

  it('still takes a good submission, a repeat without telling it apart, and a bot without storing', async () => {
    const first = await submit({ name: '访客', mobile: '13600002010' })
    const again = await submit({ name: '访客', mobile: '136 0000 2010' })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.json()).toEqual(first.json())
    const bot = await submit({ name: 'x', mobile: '123', website: 'http://spam' })
    expect(bot.statusCode).toBe(201)
    expect(bot.json().status).toBe('received')
    expect(await leadCount(`name = 'x'`)).toBe(0)
  })

  it('tells the visitor why a workspace policy refused the submission (disposable email set to reject)', async () => {
    const settings = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/quality/settings' })).json()
    const put = (validation: Record<string, string>) =>
      kit.req(kit.a.admin, {
        method: 'PUT',
        url: '/api/v1/quality/settings',
        payload: { ...settings, validation },
      })
    expect((await put({ ...settings.validation, disposableEmail: 'reject' })).statusCode).toBe(200)
    try {
      const res = await submit({ name: '一次性', email: 'someone@mailinator.com' }, 'en')
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().errors).toEqual([
        {
          field: 'email',
          code: 'disposable_email',
          message: 'Use a permanent email address (disposable ones are not accepted)',
        },
      ])
    } finally {
      await put(settings.validation)
    }
    const flagged = await submit({ name: '一次性', email: 'someone@mailinator.com' })
    expect(flagged.statusCode).toBe(201)
  })

  it('embed snippet shows each field error from the answer to the visitor', async () => {
    const js = (await kit.req(null, { method: 'GET', url: `/api/v1/forms/${token}/embed.js` })).body
    const problem = {
      status: 400,
      code: 'validation_failed',
      detail: '输入有误，请检查标出的字段',
      errors: [
        { field: 'mobile', code: 'invalid_phone', message: '手机号或电话号码格式不正确' },
        { field: '(body)', code: 'invalid_value', message: '取值无效' },
      ],
    }
    const page = await runSnippet(js, { ok: false, status: 400, body: problem })
    expect(page.errorOf('mobile')).toBe('手机号或电话号码格式不正确')
    expect(page.errorOf('name')).toBe('')
    expect(page.message()).toContain('输入有误，请检查标出的字段')
    expect(page.message()).toContain('取值无效')
    expect(page.sent()).toMatchObject({ name: '访客', mobile: '123' })
    const ok = await runSnippet(js, { ok: true, status: 201, body: { status: 'received', issues: [] } })
    expect(ok.message()).toBe('提交成功，谢谢！')
    expect(ok.errorOf('mobile')).toBe('')
  })
})

interface FakeElement {
  tag: string
  name?: string
  value?: string
  className?: string
  textContent: string
  children: FakeElement[]
  attrs: Record<string, string>
  style: Record<string, string>
  listeners: Record<string, (e: unknown) => void>
  appendChild(c: FakeElement): FakeElement
  setAttribute(k: string, v: string): void
  getAttribute(k: string): string | null
  addEventListener(t: string, fn: (e: unknown) => void): void
  reset?(): void
}

/** Runs the embed snippet against a minimal DOM, fills the form, submits it, answers with `reply`. */
async function runSnippet(js: string, reply: { ok: boolean; status: number; body: unknown }) {
  const all: FakeElement[] = []
  const el = (tag: string): FakeElement => {
    const e: FakeElement = {
      tag,
      textContent: '',
      children: [],
      attrs: {},
      style: {},
      listeners: {},
      appendChild(c) {
        this.children.push(c)
        return c
      },
      setAttribute(k, v) {
        this.attrs[k] = v
      },
      getAttribute(k) {
        return this.attrs[k] ?? null
      },
      addEventListener(t, fn) {
        this.listeners[t] = fn
      },
      reset() {},
    }
    if (tag === 'input' || tag === 'textarea') e.value = ''
    all.push(e)
    return e
  }
  const target = el('div')
  const inputs = () => all.filter((e) => e.tag === 'input' || e.tag === 'textarea')
  let sent: Record<string, unknown> | null = null
  let settle: () => void = () => {}
  const done = new Promise<void>((r) => {
    settle = r
  })
  class FormData {
    private entries: [string, string][]
    constructor(_f: FakeElement) {
      this.entries = inputs().map((i) => [i.name!, i.value ?? ''])
    }
    forEach(fn: (v: string, k: string) => void) {
      for (const [k, v] of this.entries) fn(v, k)
    }
  }
  const sandbox = {
    document: {
      currentScript: el('script'),
      querySelector: () => target,
      createElement: el,
    },
    location: { search: '' },
    navigator: { language: 'zh-CN' },
    URLSearchParams,
    FormData,
    JSON,
    Object,
    Array,
    fetch: async (_url: string, init: { body: string }) => {
      sent = JSON.parse(init.body)
      return {
        ok: reply.ok,
        status: reply.status,
        json: async () => {
          setTimeout(settle, 0)
          return reply.body
        },
      }
    },
  }
  runInNewContext(js, sandbox)
  const form = target.children[0]!
  for (const i of inputs()) {
    if (i.name === 'name') i.value = '访客'
    if (i.name === 'mobile') i.value = '123'
  }
  form.listeners.submit!({ preventDefault() {} })
  await done
  await new Promise((r) => setTimeout(r, 0))
  // Error text for a field: the text of an element next to its input, inside the same label.
  const label = (field: string) => form.children.find((c) => c.children.some((x) => x.name === field))
  return {
    sent: () => sent,
    errorOf: (field: string) =>
      (label(field)?.children ?? [])
        .filter((c) => c.tag !== 'input' && c.tag !== 'textarea')
        .map((c) => c.textContent)
        .join(''),
    message: () =>
      form.children
        .filter((c) => c.tag === 'p')
        .map((c) => c.textContent)
        .join(' '),
  }
}

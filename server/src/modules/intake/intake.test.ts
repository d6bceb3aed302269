import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'

let kit: Kit
let key: string
let channelId: string
const bearer = (k: string) => ({ authorization: `Bearer ${k}` })

beforeAll(async () => {
  kit = await createKit()
  const res = await kit.req(kit.a.admin, {
    method: 'POST',
    url: '/api/v1/channels',
    payload: { kind: 'mini_program', name: '小程序商城', code: 'mp-shop', unitId: kit.a.rootUnitId },
  })
  expect(res.statusCode).toBe(201)
  key = res.json().key
  channelId = res.json().id
})
afterAll(() => kit.close())

const push = (payload: Record<string, unknown>, headers: Record<string, string> = {}, k = key) =>
  kit.req(null, {
    method: 'POST',
    url: '/api/v1/intake/leads',
    payload,
    headers: { ...bearer(k), ...headers },
  })

describe('intake API', () => {
  it('creates a lead, then merges a repeat intent of the same person written differently', async () => {
    const first = await push({
      name: '張偉',
      mobile: '138 0013 8000',
      company: '海纳科技（上海）有限公司',
      externalId: 'u-1',
    })
    expect(first.statusCode, first.body).toBe(200)
    const r1 = first.json().results[0]
    expect(r1.outcome).toBe('created')
    const again = await push({
      name: '张伟',
      mobile: '+86 13800138000',
      email: 'ZW@Example.com',
      externalId: 'u-2',
    })
    const r2 = again.json().results[0]
    expect(r2.outcome).toBe('merged')
    expect(r2.leadId).toBe(r1.leadId)
    const lead = (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads/${r1.leadId}` })).json()
    expect(lead.email).toBe('zw@example.com')
    expect(lead.mobile).toBe('+8613800138000')
  })

  it('answers a retried external id with the first outcome and stores nothing twice', async () => {
    const a = await push({ name: '李娜', mobile: '13900001111', externalId: 'ext-9' })
    const b = await push({ name: '李娜', mobile: '13900001111', externalId: 'ext-9' })
    expect(b.json().results[0]).toMatchObject({ outcome: 'duplicate', leadId: a.json().results[0].leadId })
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from lead_intents where tenant_id = $1 and external_id = 'ext-9'`,
      [kit.a.tenantId],
    )
    expect(rows[0].n).toBe(1)
  })

  it('reports each record of a batch: created, merged within the batch, invalid with reasons', async () => {
    const res = await push({
      records: [
        { name: '王芳', mobile: '13700002222' },
        { name: '王芳', mobile: '0086-137-0000-2222' },
        { name: '', mobile: '12345' },
      ],
    })
    const [a, b, c] = res.json().results
    expect(a.outcome).toBe('created')
    expect(b).toMatchObject({ outcome: 'merged', leadId: a.leadId })
    expect(c.outcome).toBe('invalid')
    expect(c.issues.map((i: { field: string }) => i.field)).toContain('name')
    expect(res.json().counts).toMatchObject({ created: 1, merged: 1, invalid: 1 })
  })

  it('replays the same Idempotency-Key and refuses it with another body (409)', async () => {
    const h = { 'idempotency-key': 'batch-0001' }
    const one = await push({ name: '赵磊', mobile: '13600003333' }, h)
    const two = await push({ name: '赵磊', mobile: '13600003333' }, h)
    expect(two.headers['idempotent-replayed']).toBe('true')
    expect(two.json()).toEqual(one.json())
    expect((await push({ name: '别人', mobile: '13600004444' }, h)).statusCode).toBe(409)
  })

  it('refuses an unknown key, a disabled channel and a user session (401)', async () => {
    expect((await push({ name: 'x', mobile: '13500000000' }, {}, 'hn_nope')).statusCode).toBe(401)
    const off = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/channels/${channelId}`,
      payload: { enabled: false },
    })
    expect(off.statusCode).toBe(200)
    expect((await push({ name: 'x', mobile: '13500000000' })).statusCode).toBe(401)
    await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/channels/${channelId}`,
      payload: { enabled: true },
    })
    const asUser = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/intake/leads',
      payload: { name: 'x', mobile: '13500000000' },
    })
    expect(asUser.statusCode).toBe(401)
  })

  it('rejects a malformed body with 400 naming the field', async () => {
    const res = await push({ records: 'nope' })
    expect(res.statusCode).toBe(400)
  })

  it('links behaviour events to the person and shows them on the lead timeline', async () => {
    const lead = (await push({ name: '孙丽', mobile: '13811112222' })).json().results[0]
    const ev = await kit.req(null, {
      method: 'POST',
      url: '/api/v1/intake/events',
      headers: bearer(key),
      payload: {
        events: [
          {
            type: 'view',
            identity: { mobile: '+86 138 1111 2222' },
            properties: { page: '/p/1' },
            eventKey: 'e1',
          },
          { type: 'view', identity: { mobile: '13811112222' }, eventKey: 'e1' },
          { type: 'add_to_cart', identity: { mobile: '13811112222' }, properties: { sku: 'A1' } },
          { type: 'view', identity: {} },
        ],
      },
    })
    expect(ev.statusCode).toBe(200)
    expect(ev.json().results.map((r: { status: string }) => r.status)).toEqual([
      'stored',
      'duplicate',
      'stored',
      'invalid',
    ])
    expect(ev.json().results[0].personId).toBe(lead.personId)
    const tl = (
      await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/leads/${lead.leadId}/timeline` })
    ).json()
    expect(tl.summary.eventCounts).toEqual({ view: 1, add_to_cart: 1 })
    expect(tl.items.filter((i: { kind: string }) => i.kind === 'event')).toHaveLength(2)
    expect(tl.items.some((i: { kind: string }) => i.kind === 'intent')).toBe(true)
  })

  it('resolves a batch of events: keys joining a person, issues, stored values, seen-times and a retry', async () => {
    const pushEvents = (events: Record<string, unknown>[]) =>
      kit.req(null, {
        method: 'POST',
        url: '/api/v1/intake/events',
        headers: bearer(key),
        payload: { events },
      })
    const lead = (await push({ name: '周敏', mobile: '13822223333' })).json().results[0]
    const seenOf = async (personId: string) =>
      (
        await kit.haina.database.pool.query<{ first: string; last: string }>(
          `select (extract(epoch from first_seen_at) * 1000)::int8::text as first,
                  (extract(epoch from last_seen_at) * 1000)::int8::text as last
           from persons where tenant_id = $1 and id = $2`,
          [kit.a.tenantId, personId],
        )
      ).rows[0]!
    const before = await seenOf(lead.personId)
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString()
    const soon = new Date(Date.now() + 3_600_000).toISOString()
    const props = { q: 'say "hi" \\ back', nl: 'a\nb', emoji: '😀', zh: '中文' }
    const batch = [
      // A known mobile with a new device: the device joins the mobile's person.
      {
        type: 'view',
        identity: { mobile: '138 2222 3333', deviceId: 'dev-zm' },
        eventKey: 'zm-1',
        occurredAt: past,
        properties: props,
      },
      // The device alone, later in the same batch: the same person.
      { type: 'click', identity: { deviceId: 'dev-zm' }, eventKey: 'zm-2', occurredAt: soon },
      // A bad openid beside a valid key: stored, with the issue.
      { type: 'view', identity: { openid: 'nope', deviceId: 'dev-new' }, eventKey: 'zm-3' },
      { type: 'view', identity: { mobile: '12345' }, eventKey: 'zm-4' },
    ]
    const res = await pushEvents(batch)
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json().results
    expect(r.map((x: { status: string }) => x.status)).toEqual(['stored', 'stored', 'stored', 'invalid'])
    expect(r[0].personId).toBe(lead.personId)
    expect(r[1].personId).toBe(lead.personId)
    expect(r[2].personId).not.toBe(lead.personId)
    expect(r[2].issues).toEqual([{ field: 'identity.openid', code: 'invalid_openid' }])
    expect(r[3].issues).toEqual([
      { field: 'identity', code: 'required' },
      { field: 'identity.mobile', code: 'invalid_phone' },
    ])
    expect(r[3].personId).toBeNull()
    const stored = await kit.haina.database.pool.query<{
      event_key: string
      identity: Record<string, string>
      properties: Record<string, unknown>
      at: string
    }>(
      `select event_key, identity, properties, (extract(epoch from occurred_at) * 1000)::int8::text as at
       from behaviour_events where tenant_id = $1 and event_key like 'zm-%' order by event_key`,
      [kit.a.tenantId],
    )
    expect(stored.rows.map((x) => x.event_key)).toEqual(['zm-1', 'zm-2', 'zm-3'])
    expect(stored.rows[0]!.identity).toEqual({ mobile: '+8613822223333', deviceId: 'dev-zm' })
    expect(stored.rows[0]!.properties).toEqual(props)
    expect(Number(stored.rows[0]!.at)).toBe(Date.parse(past))
    // Seen-times move to the batch's earliest and latest event of the person.
    const after = await seenOf(lead.personId)
    expect(Number(after.first)).toBe(Math.min(Number(before.first), Date.parse(past)))
    expect(Number(after.last)).toBe(Date.parse(soon))
    // The same batch again: every stored event a duplicate, answered with the same persons.
    const retry = (await pushEvents(batch)).json().results
    expect(retry.map((x: { status: string }) => x.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'invalid',
    ])
    expect(retry.map((x: { personId: string | null }) => x.personId)).toEqual(
      r.map((x: { personId: string | null }) => x.personId),
    )
    expect(await seenOf(lead.personId)).toEqual(after)
  })

  it('keeps channels of one workspace out of another (404)', async () => {
    const res = await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/channels/${channelId}` })
    expect(res.statusCode).toBe(404)
  })
})

describe('concurrent single pushes', () => {
  it('answers each caller for its own record while concurrent pushes share factory runs', async () => {
    const before = await kit.haina.database.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'intake'`,
      [kit.a.tenantId],
    )
    // 30 at once; every third is a repeat of an earlier phone in the same burst.
    const phones = Array.from(
      { length: 30 },
      (_, i) => `1370000${String(i - (i % 3 === 2 ? 1 : 0)).padStart(4, '0')}`,
    )
    const answers = await Promise.all(
      phones.map((mobile, i) => push({ name: `并发${i}`, mobile, externalId: `burst-${i}` })),
    )
    expect(answers.every((a) => a.statusCode === 200)).toBe(true)
    const results = answers.map((a) => a.json().results)
    expect(results.every((r) => r.length === 1 && r[0].index === 0)).toBe(true)
    const outcomes = results.map((r) => r[0].outcome)
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(20)
    expect(outcomes.filter((o) => o === 'merged')).toHaveLength(10)
    // A repeat resolves to the lead of the record it repeats.
    for (let i = 2; i < 30; i += 3) expect(results[i]![0].leadId).toBe(results[i - 1]![0].leadId)
    const after = await kit.haina.database.pool.query(
      `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'intake'`,
      [kit.a.tenantId],
    )
    expect(after.rows[0].n - before.rows[0].n).toBeLessThan(30) // grouped: fewer runs than pushes
  })
})

describe('public web form', () => {
  let token: string
  beforeAll(async () => {
    const res = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/channels',
      payload: { kind: 'web_form', name: '官网表单', code: 'site-form', unitId: kit.a.rootUnitId },
    })
    token = res.json().formToken
  })

  it('serves its definition and snippet, takes a submission and ignores a bot', async () => {
    expect((await kit.req(null, { method: 'GET', url: `/api/v1/forms/${token}` })).json().fields).toContain(
      'mobile',
    )
    const js = await kit.req(null, { method: 'GET', url: `/api/v1/forms/${token}/embed.js` })
    expect(js.headers['content-type']).toContain('javascript')
    const ok = await kit.req(null, {
      method: 'POST',
      url: `/api/v1/forms/${token}`,
      payload: { name: '周杰', mobile: '13922223333' },
    })
    expect(ok.json().status).toBe('received')
    const bot = await kit.req(null, {
      method: 'POST',
      url: `/api/v1/forms/${token}`,
      payload: { name: 'bot', mobile: '13933334444', website: 'http://spam' },
    })
    expect(bot.statusCode).toBe(201)
    const { rows } = await kit.haina.database.pool.query(
      `select name from leads where tenant_id = $1 and mobile in ('+8613922223333', '+8613933334444')`,
      [kit.a.tenantId],
    )
    expect(rows.map((r) => r.name)).toEqual(['周杰'])
    expect((await kit.req(null, { method: 'GET', url: '/api/v1/forms/nope.nope' })).statusCode).toBe(404)
  })
})

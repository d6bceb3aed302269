/**
 * Follow-ups over HTTP: recording on a visible lead (and what the lead learns), validation naming
 * each field, the timeline and who sees what in it, edit/delete rights, attachments, sales scripts.
 */
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { multipart } from '../../../test/multipart.js'
import { createUnits } from '../../platform/org/units.service.js'
import { createUsers } from '../../platform/org/users.service.js'
import { tenantAttachmentsDir } from './followups.attachments.js'
import { leadMovesOf, moveLeads } from './moves.service.js'
import { createLeads } from './service.js'

let kit: Kit
const as: Record<string, TestSession> = {}
const uid: Record<string, string> = {}
let teamUnit = ''
let dealerUnit = ''

async function person(key: string, unitId: string, role: string, managerId?: string) {
  const { rows } = await kit.haina.database.pool.query(
    `select id from roles where tenant_id = $1 and key = $2`,
    [kit.a.tenantId, role],
  )
  const [u] = await createUsers(kit.a.sys, [
    {
      email: `${key}-${Date.now()}@fu.test`,
      name: key,
      unitId,
      roleIds: [rows[0].id],
      managerId,
    },
  ])
  uid[key] = u!.id
  as[key] = await kit.login(kit.a.tenantId, u!.id)
}

const lead = async (ownerKey: string, name = `线索-${ownerKey}`) => {
  const [l] = await createLeads(kit.a.sys, [{ name, mobile: '13900139000', ownerId: uid[ownerKey]! }])
  return String(l!.id)
}
const leadRow = async (id: string) =>
  (await kit.haina.database.pool.query(`select * from leads where id = $1`, [id])).rows[0]

const post = (s: TestSession, payload: object, headers: Record<string, string> = {}) =>
  kit.req(s, { method: 'POST', url: '/api/v1/follow-ups', payload, headers })
const timeline = async (s: TestSession, leadId: string, qs = '') =>
  kit.req(s, { method: 'GET', url: `/api/v1/follow-ups?subjectType=lead&subjectId=${leadId}${qs}` })

const upload = (name: string, data: Buffer, contentType = 'image/png') =>
  multipart(name, data, {}, contentType)

beforeAll(async () => {
  kit = await createKit()
  const [team, dealer] = await createUnits(kit.a.sys, [
    { parentId: kit.a.rootUnitId, type: 'team', name: '销售一组' },
    { parentId: kit.a.rootUnitId, type: 'dealer', name: '宁波经销商' },
  ])
  teamUnit = String(team!.id)
  dealerUnit = String(dealer!.id)
  await person('manager', teamUnit, 'sales_manager')
  await person('sam', teamUnit, 'salesperson', uid.manager)
  await person('sue', teamUnit, 'salesperson', uid.manager)
  await person('dealer', dealerUnit, 'salesperson')
})
afterAll(async () => {
  await rm(tenantAttachmentsDir(kit.a.tenantId), { recursive: true, force: true })
  await rm(tenantAttachmentsDir(kit.b.tenantId), { recursive: true, force: true })
  await kit.close()
})

describe('recording a follow-up', () => {
  it('stores it and moves the lead on: times, first contact, new/assigned → following', async () => {
    const id = await lead('sam')
    expect((await leadRow(id)).status).toBe('assigned')
    const next = new Date(Date.now() + 2 * 86_400_000).toISOString()
    const res = await post(as.sam!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'call',
      content: '首次电话沟通，客户有采购意向',
      outcome: '有意向',
      nextAt: next,
      nextStep: '发送报价单',
      location: { lat: 31.23, lng: 121.47, address: '上海市黄浦区' },
      participants: [uid.sue],
    })
    expect(res.statusCode, res.body).toBe(201)
    const fu = res.json()
    expect(fu).toMatchObject({
      type: 'call',
      subjectId: id,
      ownerId: uid.sam,
      authorName: 'sam',
      nextStep: '发送报价单',
      participants: [uid.sue],
      participantUsers: [{ id: uid.sue, name: 'sue' }],
      location: { lat: 31.23, lng: 121.47, address: '上海市黄浦区' },
      editable: true,
    })
    const l = await leadRow(id)
    expect(l.status).toBe('following')
    expect(new Date(l.next_follow_up_at).toISOString()).toBe(next)
    expect(l.last_follow_up_at).not.toBeNull()
    expect(l.first_contact_at).not.toBeNull()
    const moves = await leadMovesOf(kit.a.sys, id)
    expect(moves.map((m) => [m.kind, m.fromStatus, m.toStatus])).toEqual([
      ['status', 'assigned', 'following'],
    ])
    const audit = await kit.haina.database.pool.query(
      `select action from audit_log where tenant_id = $1 and object_type = 'follow_up' and object_id = $2`,
      [kit.a.tenantId, fu.id],
    )
    expect(audit.rows.map((r) => r.action)).toEqual(['create'])

    // A later follow-up restates the plan (none now); the status is not moved again.
    const first = l.first_contact_at
    const again = await post(as.sam!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'wechat',
      content: '已发报价',
    })
    expect(again.statusCode, again.body).toBe(201)
    const l2 = await leadRow(id)
    expect(l2.next_follow_up_at).toBeNull()
    expect(l2.first_contact_at).toEqual(first)
    expect(await leadMovesOf(kit.a.sys, id)).toHaveLength(1)
  })

  it('names every bad field, in the caller’s language', async () => {
    const id = await lead('sam')
    const res = await post(
      as.sam!,
      {
        subjectType: 'lead',
        subjectId: id,
        type: 'call',
        content: '测试',
        occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
        participants: ['00000000-0000-0000-0000-000000000000', kit.b.adminId],
        attachments: [{ url: '/api/v1/follow-ups/attachments/00000000-0000-7000-8000-000000000000' }],
      },
      { 'accept-language': 'en' },
    )
    expect(res.statusCode).toBe(400)
    const errors = res.json().errors as { field: string; code: string; message: string }[]
    expect(errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'attachments[0].url:invalid_attachment',
      'occurredAt:occurred_in_future',
      'participants[0]:invalid_user',
      'participants[1]:invalid_user',
    ])
    expect(errors.find((e) => e.field === 'occurredAt')!.message).toBe('Cannot be in the future')

    const order = await post(as.sam!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'visit',
      content: '拜访',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      nextAt: new Date(Date.now() - 7_200_000).toISOString(),
    })
    expect(order.json().errors).toEqual([
      expect.objectContaining({ field: 'nextAt', code: 'next_before_occurred' }),
    ])

    const shape = await post(as.sam!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'fax',
      content: '',
      location: { lat: 100, lng: 0 },
    })
    expect(shape.statusCode).toBe(400)
    expect(
      shape
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['content', 'location.lat', 'type'])
    const later = await post(as.sam!, { subjectType: 'order', subjectId: id, type: 'call', content: 'x' })
    expect(later.statusCode).toBe(400)
    expect(later.json().errors[0].field).toBe('subjectType')
    expect((await leadRow(id)).status).toBe('assigned')
  })

  it('answers 404 for a subject the caller does not see, or of another workspace', async () => {
    const id = await lead('sam')
    const body = { subjectType: 'lead', subjectId: id, type: 'call', content: '越权' }
    expect((await post(as.sue!, body)).statusCode).toBe(404)
    expect((await post(kit.b.admin, body)).statusCode).toBe(404)
    expect((await timeline(as.sue!, id)).statusCode).toBe(404)
    expect((await timeline(kit.b.admin, id)).statusCode).toBe(404)
    expect((await post(as.manager!, body)).statusCode).toBe(201)
  })
})

describe('the timeline', () => {
  it('lists newest first with author names and pages with a cursor', async () => {
    const id = await lead('sam')
    for (const [i, type] of ['call', 'wechat', 'visit'].entries())
      expect(
        (
          await post(as.sam!, {
            subjectType: 'lead',
            subjectId: id,
            type,
            content: `第${i + 1}次`,
            occurredAt: new Date(Date.now() - (3 - i) * 60_000).toISOString(),
          })
        ).statusCode,
      ).toBe(201)
    await post(as.manager!, { subjectType: 'lead', subjectId: id, type: 'interview', content: '经理陪访' })
    const p1 = (await timeline(as.sam!, id, '&limit=2')).json()
    expect(p1.items.map((f: { content: string }) => f.content)).toEqual(['经理陪访', '第3次'])
    expect(p1.items.map((f: { authorName: string }) => f.authorName)).toEqual(['manager', 'sam'])
    // The salesperson sees the manager's entry on their lead, but may not change it.
    expect(p1.items.map((f: { editable: boolean }) => f.editable)).toEqual([false, true])
    const p2 = (await timeline(as.sam!, id, `&limit=2&cursor=${p1.nextCursor}`)).json()
    expect(p2.items.map((f: { content: string }) => f.content)).toEqual(['第2次', '第1次'])
    expect(p2.nextCursor).toBeNull()
  })

  it('shows a new owner the history written in the same org, and not what another org wrote', async () => {
    const id = await lead('sam')
    await post(as.sam!, { subjectType: 'lead', subjectId: id, type: 'call', content: '总部的跟进' })
    await moveLeads(kit.a.sys, [id], { ownerId: uid.sue }, { kind: 'handover' })
    const sue = (await timeline(as.sue!, id)).json()
    expect(sue.items.map((f: { content: string; editable: boolean }) => [f.content, f.editable])).toEqual([
      ['总部的跟进', false],
    ])
    await moveLeads(kit.a.sys, [id], { ownerId: uid.dealer }, { kind: 'distribute' })
    expect((await leadRow(id)).org_id).toBe(dealerUnit)
    expect((await timeline(as.dealer!, id)).json().items).toEqual([])
    await post(as.dealer!, { subjectType: 'lead', subjectId: id, type: 'visit', content: '经销商拜访' })
    expect((await timeline(as.dealer!, id)).json().items.map((f: { content: string }) => f.content)).toEqual([
      '经销商拜访',
    ])
    // Workspace-wide scope (the admin) sees both.
    expect((await timeline(kit.a.admin, id)).json().items).toHaveLength(2)
  })
})

describe('editing and deleting', () => {
  it('lets the author and a manager in scope edit; others get 404; stale versions 409', async () => {
    const id = await lead('sam')
    const fu = (
      await post(as.sam!, {
        subjectType: 'lead',
        subjectId: id,
        type: 'call',
        content: '原文',
        nextAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).json()
    await kit.haina.database.pool.query(`update follow_ups set reminded_at = now() where id = $1`, [fu.id])
    const next = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const ok = await kit.req(as.sam!, {
      method: 'PATCH',
      url: `/api/v1/follow-ups/${fu.id}`,
      payload: { content: '改过', nextAt: next, version: fu.version },
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ content: '改过', version: fu.version + 1 })
    const row = (
      await kit.haina.database.pool.query(`select reminded_at from follow_ups where id = $1`, [fu.id])
    ).rows[0]
    expect(row.reminded_at).toBeNull()
    expect(new Date((await leadRow(id)).next_follow_up_at).toISOString()).toBe(next)

    const stale = await kit.req(as.sam!, {
      method: 'PATCH',
      url: `/api/v1/follow-ups/${fu.id}`,
      payload: { content: '旧版本', version: fu.version },
    })
    expect(stale.statusCode).toBe(409)
    for (const s of [as.sue!, kit.b.admin])
      expect(
        (await kit.req(s, { method: 'PATCH', url: `/api/v1/follow-ups/${fu.id}`, payload: { content: 'x' } }))
          .statusCode,
      ).toBe(404)
    expect(
      (await kit.req(as.sue!, { method: 'DELETE', url: `/api/v1/follow-ups/${fu.id}` })).statusCode,
    ).toBe(404)
    const byManager = await kit.req(as.manager!, {
      method: 'PATCH',
      url: `/api/v1/follow-ups/${fu.id}`,
      payload: { outcome: '经理补充' },
    })
    expect(byManager.statusCode, byManager.body).toBe(200)

    expect(
      (await kit.req(as.sam!, { method: 'DELETE', url: `/api/v1/follow-ups/${fu.id}` })).statusCode,
    ).toBe(204)
    const l = await leadRow(id)
    expect(l.next_follow_up_at).toBeNull()
    expect(l.last_follow_up_at).toBeNull()
    expect((await timeline(as.sam!, id)).json().items).toEqual([])
  })
})

describe('attachments', () => {
  it('uploads, attaches and serves files to whoever sees the follow-up', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    const up = await kit.req(as.sam!, {
      method: 'POST',
      url: '/api/v1/follow-ups/attachments',
      ...upload('现场照片.png', png),
    })
    expect(up.statusCode, up.body).toBe(201)
    const file = up.json()
    expect(file).toMatchObject({ name: '现场照片.png', size: png.length, contentType: 'image/png' })
    const get = (s: TestSession) => kit.req(s, { method: 'GET', url: file.url })
    const mine = await get(as.sam!)
    expect(mine.statusCode).toBe(200)
    expect(mine.headers['content-type']).toBe('image/png')
    expect(mine.rawPayload.equals(png)).toBe(true)
    expect(String(mine.headers['content-disposition'])).toContain("filename*=UTF-8''%E7%8E%B0")
    // Not attached yet: only its uploader reads it.
    expect((await get(as.manager!)).statusCode).toBe(404)

    const id = await lead('sam')
    // Nobody attaches a file somebody else uploaded.
    const theirs = await post(as.manager!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'visit',
      content: '借用附件',
      attachments: [{ url: file.url }],
    })
    expect(theirs.statusCode).toBe(400)
    const fu = await post(as.sam!, {
      subjectType: 'lead',
      subjectId: id,
      type: 'visit',
      content: '现场拜访',
      attachments: [{ url: file.url, name: '门头照.png' }],
    })
    expect(fu.statusCode, fu.body).toBe(201)
    expect(fu.json().attachments).toEqual([
      { name: '门头照.png', url: file.url, size: png.length, contentType: 'image/png' },
    ])
    expect((await get(as.manager!)).statusCode).toBe(200)
    expect((await get(as.sue!)).statusCode).toBe(404)
    expect((await get(kit.b.admin)).statusCode).toBe(404)
    const traversal = `/api/v1/follow-ups/attachments/..%2F${kit.b.tenantId}%2F${file.url.split('/').pop()}`
    expect((await kit.req(as.sam!, { method: 'GET', url: traversal })).statusCode).toBe(404)
  })

  it('refuses a file over 20 MB with 413 and a message in the caller’s language', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 1)
    const res = await kit.req(as.sam!, {
      method: 'POST',
      url: '/api/v1/follow-ups/attachments',
      ...upload('大文件.bin', big, 'application/octet-stream'),
      headers: { ...upload('x', Buffer.alloc(0)).headers, 'accept-language': 'zh-CN' },
    })
    expect(res.statusCode).toBe(413)
    expect(res.json()).toMatchObject({ code: 'attachment_too_large', detail: '附件过大（上限 20 MB）' })
    const none = await kit.req(as.sam!, {
      method: 'POST',
      url: '/api/v1/follow-ups/attachments',
      payload: Buffer.from('------haina-test-boundary--\r\n'),
      headers: upload('x', Buffer.alloc(0)).headers,
    })
    expect(none.statusCode).toBe(400)
    // A body that is not multipart for its boundary (cut off, or another boundary) is bad input too.
    for (const payload of ['------other-boundary--\r\n', '------haina-test-boundary\r\nContent-Disp']) {
      const bad = await kit.req(as.sam!, {
        method: 'POST',
        url: '/api/v1/follow-ups/attachments',
        payload: Buffer.from(payload),
        headers: { ...upload('x', Buffer.alloc(0)).headers, 'accept-language': 'en' },
      })
      expect(bad.statusCode, bad.body).toBe(400)
      expect(bad.json().code).toBe('malformed_multipart')
    }
  })
})

describe('sales scripts', () => {
  it('is configured by leads.configure and suggested by the lead’s status, in order', async () => {
    const add = (s: TestSession, payload: object) =>
      kit.req(s, { method: 'POST', url: '/api/v1/sales-scripts', payload })
    expect((await add(as.sam!, { title: 'x', body: 'y' })).statusCode).toBe(403)
    const bad = await add(kit.a.admin, { title: '开场白', body: '您好', statuses: ['open'] })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors[0].field).toBe('statuses.0')
    const made: Record<string, string> = {}
    for (const [title, statuses, sort] of [
      ['跟进话术', ['following'], 2],
      ['通用开场', [], 1],
      ['首次联系', ['new', 'assigned'], 0],
      ['成交话术', ['qualified'], 0],
    ] as const) {
      const res = await add(kit.a.admin, {
        title,
        body: `${title}内容`,
        statuses,
        sort,
        tags: ['标准', '标准'],
      })
      expect(res.statusCode, res.body).toBe(201)
      expect(res.json().tags).toEqual(['标准'])
      made[title] = res.json().id
    }
    const id = await lead('sam')
    const suggest = async (s: TestSession) =>
      kit.req(s, { method: 'GET', url: `/api/v1/sales-scripts/suggest?leadId=${id}` })
    expect((await suggest(as.sam!)).json().items.map((s: { title: string }) => s.title)).toEqual([
      '首次联系',
      '通用开场',
    ])
    await post(as.sam!, { subjectType: 'lead', subjectId: id, type: 'call', content: '联系上了' })
    expect((await suggest(as.sam!)).json().items.map((s: { title: string }) => s.title)).toEqual([
      '通用开场',
      '跟进话术',
    ])
    expect((await suggest(as.sue!)).statusCode).toBe(404)
    expect((await suggest(kit.b.admin)).statusCode).toBe(404)

    const list = await kit.req(as.sam!, { method: 'GET', url: '/api/v1/sales-scripts?status=qualified' })
    expect(list.json().items.map((s: { title: string }) => s.title)).toEqual(['成交话术'])
    const patched = await kit.req(kit.a.admin, {
      method: 'PATCH',
      url: `/api/v1/sales-scripts/${made.通用开场}`,
      payload: { sort: 9, version: 1 },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect((await suggest(as.sam!)).json().items.map((s: { title: string }) => s.title)).toEqual([
      '跟进话术',
      '通用开场',
    ])
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/sales-scripts/${made.跟进话术}` }))
        .statusCode,
    ).toBe(204)
    expect(
      (await kit.req(kit.b.admin, { method: 'DELETE', url: `/api/v1/sales-scripts/${made.通用开场}` }))
        .statusCode,
    ).toBe(404)
  })
})
